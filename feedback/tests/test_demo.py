"""The demo loader leaves items in every state, overdue ones and published answers."""

from accounts.models import Membership, Role, Unit, User
from feedback import demo
from feedback.models import Feedback, State
from feedback.selectors import feedback_overdue, public_answers


def test_demo_has_every_state_overdue_and_published(db, settings):
    settings.MOTCUA_SMS_URL = ""
    settings.MOTCUA_NOTIFY_ON_COMMIT = False
    province = Unit.objects.create(code="000.00.00.H56", name="UBND tỉnh Khánh Hòa",
                                   kind=Unit.Kind.PROVINCE)
    Unit.objects.create(code=demo.CENTRE, name="Trung tâm PVHCC", kind=Unit.Kind.CENTRE,
                        parent=province)
    justice = Unit.objects.create(code=demo.JUSTICE, name="Sở Tư pháp",
                                  kind=Unit.Kind.DEPARTMENT, parent=province)
    head = User.objects.create_user(username="lanhdao.tp", password="x-Test-2026",
                                    kind=User.Kind.STAFF)
    Membership.objects.create(user=head, unit=justice, role=Role.HEAD)
    assert demo.load() == {"feedback": len(demo.ITEMS)}
    states = set(Feedback.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert feedback_overdue().count() >= 2
    # A forward made after its 5 working days: the centre's "late forward" box is not empty.
    late = [f for f in Feedback.objects.exclude(forwarded_at=None)
            if f.forwarded_at > f.forward_due_at]
    assert len(late) == 1 and late[0].events.filter(action="forward", timing="late").exists()
    assert len(public_answers()) == 2
    assert User.objects.filter(memberships__role=Role.FEEDBACK).count() == 2
    # Loading again changes nothing.
    assert demo.load() == {"feedback": len(demo.ITEMS)}


def test_the_demo_citizen_has_a_dossier_and_feedback_sent_from_it(db, settings):
    """`congdan` finds his counter dossier in "Hồ sơ của tôi", its page offers feedback about
    it, and "Phản ánh của tôi" lists the item the demo sent from it."""
    from django.test import Client

    from accounts import demo as accounts_demo
    from dossiers.selectors import dossier_mine

    settings.MOTCUA_SMS_URL = ""
    settings.MOTCUA_NOTIFY_ON_COMMIT = False
    settings.MOTCUA_FEEDBACK_NATIONAL_URL = ""
    units = accounts_demo._units()
    accounts_demo._people(units)
    accounts_demo._procedures(units)
    demo.load()
    citizen = User.objects.get(username="congdan")
    dossier = dossier_mine(user=citizen).get()
    item = Feedback.objects.get(dossier=dossier)
    assert item.sender_user == citizen and item.channel == "dossier"
    c = Client()
    c.force_login(citizen)
    page = c.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert f"/phan-anh/gui/ho-so/{dossier.code}/" in page
    assert item.code in c.get("/phan-anh/cua-toi/").content.decode()
