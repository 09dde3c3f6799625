"""How a verification code reaches a person: e-mail through Django's mailer, SMS through the
notifications app's gateway.

The SMS goes, in order of preference, through:
1. `MOTCUA_ACCOUNTS_SMS_SENDER`, a dotted path to a callable `(phone, text) -> None`;
2. the notifications app's gateway (`notifications.sms.sms_gateway()`, MOTCUA_SMS_URL), sent
   directly rather than through its outbox: a code lives minutes, and the person can ask for a
   new one, so a retry hours later would be useless;
3. the `motcua.accounts.sms` log channel, only with DJANGO_DEBUG on (a developer reads the code
   on the console); in production without a gateway the code is not written anywhere.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import VerificationCode

Purpose = VerificationCode.Purpose
logger = logging.getLogger("motcua.accounts.sms")


def code_text(code: str, minutes: int, purpose: str = Purpose.VERIFY) -> str:
    if purpose == Purpose.PASSWORD_RESET:
        return _("Mã đặt lại mật khẩu tài khoản Hệ thống một cửa điện tử của bạn là %(code)s, "
                 "có hiệu lực trong %(minutes)s phút. Nếu bạn không yêu cầu đặt lại mật khẩu, "
                 "hãy bỏ qua tin này. Không chia sẻ mã này cho người khác.") % {
            "code": code, "minutes": minutes}
    return _("Mã xác minh tài khoản Hệ thống một cửa điện tử của bạn là %(code)s, "
             "có hiệu lực trong %(minutes)s phút. Không chia sẻ mã này cho người khác.") % {
        "code": code, "minutes": minutes}


def _sms_via_gateway(phone: str, text: str, ref: str) -> bool:
    try:
        from notifications.sms import SmsError, sms_gateway
    except ImportError:
        return False
    gateway = sms_gateway()
    if gateway is None:
        return False
    try:
        gateway.send(to=phone, text=text, ref=ref)
    except SmsError as e:
        logger.error("SMS gateway refused the verification code for %s: %s", phone, e)
        return False
    return True


def code_deliver(*, channel: str, destination: str, code: str, minutes: int,
                 ref: str = "", purpose: str = Purpose.VERIFY) -> None:
    text = code_text(code, minutes, purpose)
    if channel == "email":
        subject = (_("Mã đặt lại mật khẩu") if purpose == Purpose.PASSWORD_RESET
                   else _("Mã xác minh tài khoản"))
        send_mail(subject, text, None, [destination])
        return
    sender = getattr(settings, "MOTCUA_ACCOUNTS_SMS_SENDER", "")
    if sender:
        import_string(sender)(destination, text)
    elif _sms_via_gateway(destination, text, ref):
        return
    elif settings.DEBUG:
        logger.warning("SMS to %s: %s", destination, text)
    else:
        logger.error("No SMS channel: %s code for %s not sent", purpose, destination)
