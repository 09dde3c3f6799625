"""A feedback sender's phone is stored in one form (motcua.inputs.phone_key), so the staff's
logged reads of the item are found on the sender's page "Ai đã xem dữ liệu của tôi" (Decree
13/2023/NĐ-CP art. 9), and the phones stored as typed before are rewritten by a migration."""

import importlib

from django.apps import apps
from django.urls import reverse

from accounts.models import PersonalDataAccess, User
from feedback.models import Channel
from feedback.services.submit import feedback_submit
from motcua.inputs import phone_key

ACTION = PersonalDataAccess.Action


def test_a_phone_has_one_form_however_typed():
    for typed in ("0912 345 678", "+84 912.345.678", "84912345678", "０９１２-３４５-６７８"):
        assert phone_key(typed) == "0912345678", typed
    assert phone_key("(024) 3825 1234") == "02438251234"
    # Not a Vietnamese number: its digits, the "+" kept.
    assert phone_key("+1 202-555-0100") == "+12025550100"
    assert phone_key("  ") == ""


def _send(user, phone: str, unit):
    return feedback_submit(title="Thủ tục chậm", content="Hồ sơ trễ hẹn.", sender_name="Lê An",
                           sender_phone=phone, channel=Channel.PORTAL, sender_user=user,
                           unit=unit)


def test_the_senders_page_lists_the_staff_reads_of_the_items_they_sent(pakn, client_for):
    citizen = User.objects.create_user("congdan.an", kind=User.Kind.CITIZEN, full_name="Lê An")
    item = _send(citizen, "+84 912 345 678", pakn.centre)
    assert item.sender_phone == "0912345678"
    # Someone else's item with the same phone, typed differently: not the account's to see.
    stranger = _send(None, "0912.345.678", pakn.centre)
    staff = client_for(pakn.receiver)
    for code in (item.code, stranger.code):
        assert staff.get(reverse("feedback:staff_detail", args=[code])).status_code == 200
    assert set(PersonalDataAccess.objects.values_list("subject", "reference")) == {
        ("0912345678", item.code), ("0912345678", stranger.code)}
    page = client_for(citizen).get(reverse("accounts:my_data_reads")).content.decode()
    assert item.code in page and stranger.code not in page
    assert "Xem phản ánh, kiến nghị" in page


def test_the_migration_rewrites_stored_phones_and_their_reads(make_item, pakn):
    item = make_item(sender_phone="0914 222 333")
    other = make_item(sender_phone="+1 202-555-0100")
    PersonalDataAccess.objects.create(
        at=item.received_at, user=pakn.receiver, subject="0914 222 333",
        action=ACTION.FEEDBACK_VIEW, reference=item.code, purpose="Xử lý phản ánh, kiến nghị")
    unrelated = PersonalDataAccess.objects.create(
        at=item.received_at, user=pakn.receiver, subject="0914 222 333",
        action=ACTION.LIST_SEARCH, reference="", purpose="Tìm hồ sơ")
    migration = importlib.import_module("feedback.migrations.0005_phone_key")
    migration.forward(apps, None)
    item.refresh_from_db()
    other.refresh_from_db()
    assert (item.sender_phone, other.sender_phone) == ("0914222333", "+12025550100")
    assert PersonalDataAccess.objects.get(reference=item.code).subject == "0914222333"
    unrelated.refresh_from_db()
    assert unrelated.subject == "0914 222 333"
