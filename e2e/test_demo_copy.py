"""The demo copy every browser test starts from (e2e/conftest.py `site`,
motcua/table_copy.py): it is what a fresh `load_demo()` gives, and a test's writes are gone when
the next one starts."""

import shutil
from collections import Counter
from pathlib import Path

from e2e.conftest import restore_migrated_data
from motcua import table_copy

# Tables whose rows hold the clock (created_at, the demo dossiers' moments "now − 2 days"…) or
# random values (password salts, authenticator keys, lookup secrets, file names): two loads
# give the same number of rows, not the same rows. Every other table must match row for row.
DIFFER_BETWEEN_LOADS = {
    "accounts_identityproof",
    "accounts_personaldataaccess",
    "accounts_user",
    "catalog_lifeevent",
    "catalog_procedure",
    "catalog_searchindex",
    "catalog_searchsynonym",
    "dossiers_calendarday",
    "dossiers_dossier",
    "dossiers_dossierdocument",
    "dossiers_dossierevent",
    "dossiers_dossierstep",
    "feedback_feedback",
    "feedback_feedbackevent",
    "feedback_nationaloutbox",
    "metrics_dailycounter",
    "metrics_monthlycounter",
    "notifications_notification",
    "otp_totp_totpdevice",
    "reform_directive",
    "reform_evidence",
    "reform_parassessment",
    "reform_parcriteriaset",
    "reform_parround",
    "reform_parscore",
    "reform_parscoreevent",
    "reform_plan",
    "reform_sipasanswer",
    "reform_sipasinvitation",
    "reform_sipasresponse",
    "reform_sipasround",
    "reform_taskevent",
    "regulations_provision",
    "regulations_provisionevent",
    "regulations_reviewround",
    "results_resultdraft",
    "results_storeddocument",
    "sync_outboxmessage",
}


def _comparable(found: dict) -> dict:
    """A fingerprint with the tables above reduced to their row counts and the files to their
    number per folder (their names are random)."""
    out = {}
    for table, value in found.items():
        if table == "media":
            out[table] = Counter(str(Path(name).parent) for name, _ in value)
        elif table in DIFFER_BETWEEN_LOADS:
            out[table] = value[0]
        else:
            out[table] = value
    return out


def test_the_copy_is_what_a_fresh_load_gives(site, demo_copy, migrated_data, settings) -> None:
    from accounts.demo import load_demo

    media = Path(settings.MEDIA_ROOT)
    table_copy.restore(demo_copy.snapshot, media)
    restored = table_copy.fingerprint(media)
    assert restored["accounts_user"][0] >= 20 and restored["dossiers_dossier"][0] >= 20
    assert len(restored["media"]) >= 20

    restore_migrated_data(migrated_data)
    shutil.rmtree(media)
    media.mkdir()
    load_demo()
    fresh = table_copy.fingerprint(media)

    assert set(restored) == set(fresh)
    restored, fresh = _comparable(restored), _comparable(fresh)
    # A table named here holds rows a second load writes differently: when a new demo writes the
    # clock or a random value, it joins DIFFER_BETWEEN_LOADS; otherwise the copy lost something.
    assert [name for name in restored if restored[name] != fresh[name]] == []
    # The next rows get the numbers they get after a fresh load.
    assert restored["sequences"] == fresh["sequences"]


def test_a_test_s_writes_are_gone_for_the_next_one(site, demo_copy, settings) -> None:
    from accounts.models import Membership, Unit, User
    from dossiers.models import Dossier

    media = Path(settings.MEDIA_ROOT)
    # What `site` gave this test is, byte for byte, what the load had left.
    assert table_copy.fingerprint(media) == demo_copy.loaded

    # A test inserts, changes and deletes rows and files.
    first_new = User.objects.create(username="khach.thu", full_name="Khách thử").pk
    Unit.objects.filter(code="000.00.15.H56").update(name="Đã đổi tên")
    Membership.objects.filter(user__username="tiepnhan").delete()
    Dossier.objects.update(applicant_phone="0900000000")
    (media / "results").mkdir(exist_ok=True)
    (media / "results" / "them.pdf").write_bytes(b"%PDF-1.4")
    next(path for path in media.rglob("*.pdf") if path.name != "them.pdf").unlink()
    assert table_copy.fingerprint(media) != demo_copy.loaded

    table_copy.restore(demo_copy.snapshot, media)

    assert table_copy.fingerprint(media) == demo_copy.loaded
    assert not User.objects.filter(username="khach.thu").exists()
    assert Unit.objects.get(code="000.00.15.H56").name == "Sở Tư pháp tỉnh Khánh Hòa"
    # The sequence went back too: the next account gets the same number again.
    assert User.objects.create(username="khach.thu", full_name="Khách thử").pk == first_new
