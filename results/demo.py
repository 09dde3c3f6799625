"""Demo signature blocks (settings.MOTCUA_DEMO_EXTRAS): one per demo head, one of each usual form
of Decree 30/2020/NĐ-CP, and one head signing through the remote-signing simulator; and each
other head's own certificate, since a head signs only with a certificate issued to them."""

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from accounts.models import Membership, Role
from catalog.models import Step
from dossiers.models import Dossier, State
from dossiers.services import dossier_act
from results.drafting import draft_from_template
from results.models import ResultDraft, SignatureBlock
from results.pki import PkiPaths, person_certificate_issue

log = logging.getLogger(__name__)
A = SignatureBlock.Authority
# username → authority, on behalf of, signer's title, collective, method
BLOCKS = {
    # A deputy director signs for the director (KT.), with a PKCS#12 the server keeps (their
    # own, var/pki/heads/lanhdao.tp.p12: `_own_certificates`).
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
    return {"thể thức chữ ký": SignatureBlock.objects.count(),
            "chứng thư số riêng của lãnh đạo": _own_certificates(),
            "dự thảo kết quả": _drafts_for_the_heads()}


def _own_certificates() -> int:
    folder = getattr(settings, "MOTCUA_SIGNING_HEAD_DIR", "")
    if not folder:
        return 0
    return head_certificates_issue(PkiPaths(Path(settings.MOTCUA_PKI_DIR)), Path(folder))


def head_certificates_issue(paths: PkiPaths, folder: Path) -> int:
    """Give each head account a certificate in their own name from the demo CA in `paths`,
    `<folder>/<username>.p12`: the installation's head.p12 signs for its holder alone
    (Decree 130/2018/NĐ-CP art. 9 cl. 1; results/signing.py own_head_signer), so without it
    every demo head but one would be refused. A head whose block signs remotely
    (lanhdao.nnmt) signs with the service's certificate; the file is unused. A file that exists
    is kept (a demo folder is extended, never rebuilt: earlier signatures stay trusted).
    Called by `results_demo_pki` (before the demo's dossiers are approved) and by `load` (for
    heads the other demos add). Returns how many heads have one."""
    if not (paths.ca_cert.exists() and paths.ca_key.exists()):
        return 0
    heads = {m.user for m in Membership.objects.filter(role=Role.HEAD).select_related("user")}
    have = 0
    for user in sorted(heads, key=lambda u: u.username):
        target = folder / f"{user.username}.p12"
        if not target.exists():
            try:
                person_certificate_issue(
                    paths, target, name=user.display_name, organisation="UBND tỉnh Khánh Hòa",
                    password=settings.MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD or "motcua-demo")
            except ValueError:
                # A CA made with another password: the head signs as the settings allow.
                log.warning("The demo CA's key cannot be read: no certificate for %s",
                            user.username)
                continue
        have += 1
    return have


def _drafts_for_the_heads() -> int:
    """A demo dossier waiting at a head's step was forwarded by the accounts' demo, which cannot
    draft (results is a layer above it), so the head would have nothing to sign: the head sends it
    back asking for the draft, the specialist drafts it from the result template and forwards it
    again — the history an office would have."""
    made = 0
    waiting = (Dossier.objects.filter(state=State.PROCESSING, current_step__role=Step.Role.HEAD,
                                      current_step__assignee__isnull=False)
               .exclude(pk__in=ResultDraft.objects.values("dossier_id"))
               .select_related("current_step__assignee"))
    for dossier in waiting:
        head = dossier.current_step.assignee
        before = (dossier.steps.filter(order__lt=dossier.current_step.order,
                                       role=Step.Role.SPECIALIST, assignee__isnull=False)
                  .select_related("assignee").order_by("-order").first())
        if before is None:
            continue
        at = timezone.now() - timedelta(hours=2)
        dossier = dossier_act(dossier=dossier, actor=head, action="return_step",
                              reason="Đề nghị dự thảo văn bản kết quả để trình ký.", at=at)
        draft_from_template(dossier=dossier, actor=before.assignee,
                            at=at + timedelta(minutes=30))
        dossier_act(dossier=dossier, actor=before.assignee, action="forward",
                    data={"assignee": head.pk}, at=at + timedelta(hours=1))
        made += 1
    return made
