"""The claims the simulator puts in ID tokens and userinfo, named like OIDC's standard ones."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class CitizenClaimsValidator(OAuth2Validator):
    # A claim is released only with its scope; the personal ID travels with "profile".
    oidc_claim_scope = OAuth2Validator.oidc_claim_scope | {"personal_id": "profile"}

    def get_additional_claims(self, request) -> dict:
        citizen = getattr(request.user, "citizen", None)
        if citizen is None:
            return {}
        return {
            "personal_id": citizen.personal_id,
            "name": citizen.full_name,
            "birthdate": citizen.birth_date.isoformat(),
            "email": citizen.email,
            "phone_number": citizen.phone,
        }
