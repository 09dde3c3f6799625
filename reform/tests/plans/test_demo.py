"""reform/demo_plans.py: the demo plan has what the README promises."""

from django.conf import settings
from django.utils import timezone

from accounts.demo import _people, _units
from reform import demo_plans
from reform.models import Directive, Evidence, Plan, Task
from reform.selectors.plans import is_reform_officer
from reform.selectors.report import task_class


def test_the_demo_plan_has_overdue_done_and_waiting_tasks(db, settings_tmp_media):
    _people(_units())
    counts = demo_plans.load()
    assert counts == {"reform plan tasks": 30, "reform directives": 8}
    plan = Plan.objects.get()
    assert plan.year == timezone.localdate().year
    today = timezone.localdate()
    classes = [task_class(t, today) for t in Task.objects.filter(plan=plan)]
    assert classes.count("overdue") >= 5
    assert classes.count("on_time") >= 5 and classes.count("late") >= 2
    assert Task.objects.filter(status=Task.Status.SUBMITTED).count() == 1
    accepted = Task.objects.filter(status=Task.Status.ACCEPTED)
    assert all(Evidence.objects.filter(task=t).exists() for t in accepted)
    assert Evidence.objects.filter(kind=Evidence.Kind.FILE).exists()
    assert Directive.objects.filter(tasks__plan=plan).distinct().count() == 6
    from accounts.models import User

    assert is_reform_officer(User.objects.get(username=demo_plans.OFFICER))
    # Loading again adds nothing.
    assert demo_plans.load() == {"reform plan tasks": 0}
    assert "reform.demo_plans.load" in settings.MOTCUA_DEMO_EXTRAS


def test_the_demo_review_task_points_at_the_demo_review_round(db, settings_tmp_media):
    from accounts.demo import _procedures
    from regulations import demo as regulations_demo
    from regulations.models import ReviewRound

    units = _units()
    _people(units)
    _procedures(units)
    demo_plans.load()
    regulations_demo.load()
    extras = settings.MOTCUA_DEMO_EXTRAS
    # Run after both loaders, as load_demo runs the extras in order.
    assert extras.index("reform.demo_plans.link_review_rounds") > max(
        extras.index("reform.demo_plans.load"), extras.index("regulations.demo.load"))
    assert demo_plans.link_review_rounds() == {"review rounds linked to plan tasks": 1}
    task = Task.objects.get(number="8.1")
    assert list(task.review_rounds.all()) == [ReviewRound.objects.get()]
    assert task.procedures.exists()  # the links the plan's loader made are kept
    assert demo_plans.link_review_rounds() == {"review rounds linked to plan tasks": 0}
