import pytest

from accounts.tests.idp_server import CLIENT_ID, CLIENT_SECRET, idp_running


@pytest.fixture(scope="session")
def idp_server(tmp_path_factory):
    with idp_running(tmp_path_factory.mktemp("idp")) as server:
        yield server


@pytest.fixture
def vneid(idp_server, settings):
    """motcua's OIDC settings pointed at the running simulator."""
    issuer = idp_server.issuer
    settings.MOTCUA_OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = issuer + "/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = issuer + "/token/"
    settings.OIDC_OP_USER_ENDPOINT = issuer + "/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = issuer + "/.well-known/jwks.json"
    return idp_server
