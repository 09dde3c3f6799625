"""Which sections of the staff navigation the signed-in person may open.

The flags are callables so that a template that never shows the navigation (an htmx fragment,
a PDF) costs no query.
"""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    asked: dict[str, int | bool] = {}

    def questions() -> dict[str, int | bool]:
        """The unread notifications and whether the person has reform plans to open, asked in
        one statement the first time either is needed (motcua/questions.py)."""
        if not asked:
            from motcua.questions import answered_together
            from notifications.selectors import staff_messages
            from reform.selectors.plans import plans_visible

            asked.update(answered_together(
                counts={"unread": staff_messages(user).filter(read_at__isnull=True)},
                exists={"plans": plans_visible(user)}))
        return asked

    def can_dashboard() -> bool:
        from metrics.selectors import unit_roots_for

        return user.is_authenticated and bool(unit_roots_for(user))

    def can_sync() -> bool:
        from sync.selectors import user_may_operate_sync

        return user_may_operate_sync(user)

    def unread() -> int:
        return int(questions()["unread"]) if user.is_authenticated else 0

    def can_data_log() -> bool:
        from accounts.models import Role
        from accounts.selectors import user_unit_ids

        return user.is_authenticated and (user.is_superuser
                                          or bool(user_unit_ids(user, role=Role.ADMIN)))

    def can_feedback() -> bool:
        from feedback.selectors import staff_unit_ids

        return user.is_authenticated and bool(staff_unit_ids(user))

    def can_reform_plans() -> bool:
        from reform.selectors.plans import is_reform_officer

        return user.is_authenticated and (is_reform_officer(user)
                                          or bool(questions()["plans"]))

    def can_par() -> bool:
        """The PAR Index and SIPAS pages: CCHC officers, appraisers and unit leaders."""
        from accounts.models import Role
        from accounts.selectors import user_roles

        return user.is_authenticated and any(
            role in (Role.REFORM, Role.APPRAISER, Role.HEAD) for _, role in user_roles(user))

    return {"ui_can_feedback": can_feedback, "ui_can_dashboard": can_dashboard,
            "ui_can_sync": can_sync, "ui_unread": unread,
            "ui_can_data_log": can_data_log, "ui_can_reform_plans": can_reform_plans,
            "ui_can_par": can_par}
