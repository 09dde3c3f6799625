"""/api/v1/reform/ routes of the yearly plan and the directive register; included by
reform/api_urls.py."""

from django.urls import path

from reform.api import plans

urlpatterns = [
    path("reform/plans/", plans.PlanListApi.as_view(), name="reform-plans"),
    path("reform/plans/<int:pk>/", plans.PlanDetailApi.as_view(), name="reform-plan"),
    path("reform/plans/<int:pk>/tasks/", plans.PlanTasksApi.as_view(), name="reform-plan-tasks"),
    path("reform/tasks/<int:pk>/", plans.TaskDetailApi.as_view(), name="reform-task"),
    path("reform/tasks/<int:pk>/progress/", plans.TaskProgressApi.as_view(),
         name="reform-task-progress"),
    path("reform/tasks/<int:pk>/evidence/", plans.TaskEvidenceApi.as_view(),
         name="reform-task-evidence"),
    path("reform/tasks/<int:pk>/submit/", plans.TaskSubmitApi.as_view(),
         name="reform-task-submit"),
    path("reform/tasks/<int:pk>/accept/", plans.TaskAcceptApi.as_view(),
         name="reform-task-accept"),
    path("reform/tasks/<int:pk>/return/", plans.TaskReturnApi.as_view(),
         name="reform-task-return"),
    path("reform/directives/", plans.DirectiveListApi.as_view(), name="reform-directives"),
]
