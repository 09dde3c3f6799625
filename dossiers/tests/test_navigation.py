"""The staff navigation shows each person the sections their roles open, and no others."""

from django.urls import reverse

from accounts.models import Membership, Role


def _nav(client) -> str:
    html = client.get(reverse("dossiers:inbox"), follow=True).content.decode()
    return html[html.index('class="site-nav"'):html.index("</nav>", html.index('class="site-nav"'))]


def test_head_sees_the_dashboard_but_not_the_sync_page(org, client_for):
    nav = _nav(client_for(org.head))
    assert reverse("metrics:dashboard") in nav
    assert reverse("sync:status") not in nav
    assert reverse("dossiers:counter_new") not in nav


def test_a_desk_role_opens_the_counter_only_in_a_unit_that_receives_dossiers(org, client_for):
    Membership.objects.create(user=org.specialist, unit=org.dept, role=Role.RECEIVING)
    assert not org.dept.receives_dossiers
    assert reverse("dossiers:counter_new") not in _nav(client_for(org.specialist))
    Membership.objects.create(user=org.specialist, unit=org.other, role=Role.RECEIVING)
    assert reverse("dossiers:counter_new") in _nav(client_for(org.specialist))


def test_desk_officer_sees_neither_dashboard_nor_sync(org, client_for):
    nav = _nav(client_for(org.desk))
    assert reverse("dossiers:counter_new") in nav
    assert reverse("metrics:dashboard") not in nav
    assert reverse("sync:status") not in nav


def test_administrator_sees_dashboard_and_sync_page(org, client_for):
    Membership.objects.create(user=org.specialist, unit=org.province, role=Role.ADMIN)
    nav = _nav(client_for(org.specialist))
    assert reverse("metrics:dashboard") in nav
    assert reverse("sync:status") in nav
    assert client_for(org.specialist).get(reverse("sync:status")).status_code == 200
