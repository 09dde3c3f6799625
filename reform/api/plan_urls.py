"""/api/v1/reform/ routes of the yearly plan and the directive register; included by
reform/api_urls.py."""

from django.urls import path

from reform.api import plans

urlpatterns = [
    path("reform/plans/", plans.PlanListApi.as_view(), name="reform-plans"),
    path("reform/plans/<int:pk>/", plans.PlanDetailApi.as_view(), name="reform-plan"),
    path("reform/plans/<int:pk>/tasks/", plans.PlanTasksApi.as_view(), name="reform-plan-tasks"),
    path("reform/tasks/<int:pk>/", plans.TaskDetailApi.as_view(), name="reform-task"),
    *[path(f"reform/tasks/<int:pk>/{name}/",
           plans.TaskActionApi.as_view(task_action=action), name=f"reform-task-{name}")
      for name, action in plans.TASK_ACTIONS.items()],
    path("reform/directives/", plans.DirectiveListApi.as_view(), name="reform-directives"),
]
