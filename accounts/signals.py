"""An API token outlives the sign-in that issued it: when an account gains what makes the second
factor required (a role in MOTCUA_SECOND_FACTOR_ROLES, staff or superuser status), a token it
got with a password alone is revoked, so the API asks for the code as the web does (issue #17;
accounts/second_factor.py, accounts/api.py). A new password, and an administrator's reset of
the second factor, end them too (audit8)."""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.models import ApiToken, Membership, User


def _revoke(user_id: int) -> None:
    # Every token, whether or not it came with a code: which one did is not recorded, and a new
    # one costs the person one sign-in through the API.
    ApiToken.objects.filter(user_id=user_id).delete()


@receiver(post_save, sender=Membership, dispatch_uid="accounts_membership_token_revoke")
def membership_saved(sender, instance: Membership, **kwargs) -> None:
    if (settings.MOTCUA_SECOND_FACTOR_REQUIRED
            and instance.role in settings.MOTCUA_SECOND_FACTOR_ROLES):
        _revoke(instance.user_id)


@receiver(pre_save, sender=User, dispatch_uid="accounts_user_password_token_revoke")
def password_saving(sender, instance: User, update_fields=None, **kwargs) -> None:
    """A new password ends the account's API tokens, as Django's session check ends its other
    sessions (audit8). A password reset or an administrator's new password is what the owner
    does when someone else had the old one — who could have got a token with it, valid for
    MOTCUA_API_TOKEN_DAYS more days."""
    # set_password() keeps the new raw password until the save; Django clears it before saving
    # a hash upgraded at sign-in ("hash upgrades shouldn't be considered password changes",
    # AbstractBaseUser.check_password), so an upgrade after a Django release revokes nothing,
    # and a save that leaves the password alone costs no query.
    if not instance._state.adding and instance._password is not None:
        _revoke(instance.pk)


@receiver(pre_save, sender=User, dispatch_uid="accounts_user_token_revoke")
def user_saving(sender, instance: User, update_fields=None, **kwargs) -> None:
    if instance._state.adding or not settings.MOTCUA_SECOND_FACTOR_REQUIRED:
        return
    if update_fields is not None and not {"is_staff", "is_superuser"} & set(update_fields):
        return  # a sign-in's last_login, a profile's fields: nothing that changes the rule
    if not (instance.is_staff or instance.is_superuser):
        return
    before = (User.objects.filter(pk=instance.pk)
              .values_list("is_staff", "is_superuser").first())
    if before is not None and before != (instance.is_staff, instance.is_superuser):
        _revoke(instance.pk)
