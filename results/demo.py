"""Demo signature blocks (settings.MOTCUA_DEMO_EXTRAS): one per demo head, one of each usual form
of Decree 30/2020/NĐ-CP, and one head signing through the remote-signing simulator."""

from accounts.models import Membership, Role
from results.models import SignatureBlock

A = SignatureBlock.Authority
# username → authority, on behalf of, signer's title, collective, method
BLOCKS = {
    # A deputy director signs for the director (KT.), with the server's PKCS#12.
    "lanhdao.tp": (A.KT, "Giám đốc", "Phó Giám đốc", "", SignatureBlock.Method.LOCAL),
    # The director signs in person, through the remote-signing simulator (port 8500).
    "lanhdao.nnmt": (A.OWN, "", "Giám đốc", "", SignatureBlock.Method.REMOTE),
    # A ward's vice-chair signs for the chair of a body working collectively.
    "lanhdao.nhatrang": (A.KT, "Chủ tịch", "Phó Chủ tịch", "Ủy ban nhân dân",
                         SignatureBlock.Method.LOCAL),
    # A ward's chair signs on behalf of the People's Committee (TM.).
    "lanhdao.bacnhatrang": (A.TM, "Ủy ban nhân dân", "Chủ tịch", "",
                            SignatureBlock.Method.LOCAL),
}


def load() -> dict[str, int]:
    made = 0
    heads = (Membership.objects.filter(role=Role.HEAD, user__username__in=BLOCKS)
             .select_related("user", "unit"))
    for m in heads:
        authority, behalf, title, collective, method = BLOCKS[m.user.username]
        _, created = SignatureBlock.objects.update_or_create(
            unit=m.unit, signer=m.user,
            defaults={"authority": authority, "on_behalf_of": behalf, "signer_title": title,
                      "collective": collective, "method": method,
                      "remote_key_id": "head" if method == SignatureBlock.Method.REMOTE else ""})
        made += created
    return {"thể thức chữ ký": SignatureBlock.objects.count()}
