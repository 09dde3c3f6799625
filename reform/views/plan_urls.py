"""Routes of the yearly plan and the directive register; included by reform/urls.py under
/cai-cach/ (namespace "reform")."""

from django.urls import path

from reform.views import directives, plans, public, tasks

urlpatterns = [
    path("ke-hoach/", plans.plan_list, name="plans"),
    path("ke-hoach/mau-phu-luc.xlsx", plans.annex_template, name="annex_template"),
    path("ke-hoach/<int:pk>/", plans.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/nhiem-vu/", plans.plan_task_add, name="plan_task_add"),
    path("ke-hoach/<int:pk>/nhap-excel/", plans.plan_import, name="plan_import"),
    path("ke-hoach/<int:pk>/bao-cao/", plans.plan_report_page, name="plan_report"),
    path("ke-hoach/<int:pk>/bao-cao.xlsx", plans.plan_report_file, {"fmt": "xlsx"},
         name="plan_report_xlsx"),
    path("ke-hoach/<int:pk>/bao-cao.pdf", plans.plan_report_file, {"fmt": "pdf"},
         name="plan_report_pdf"),
    path("nhiem-vu/<int:pk>/", tasks.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/tien-do/", tasks.task_progress, name="task_progress"),
    path("nhiem-vu/<int:pk>/minh-chung/", tasks.task_evidence, name="task_evidence"),
    path("nhiem-vu/<int:pk>/hoan-thanh/", tasks.task_submit, name="task_submit"),
    path("nhiem-vu/<int:pk>/nghiem-thu/", tasks.task_accept, name="task_accept"),
    path("nhiem-vu/<int:pk>/tra-lai/", tasks.task_return, name="task_return"),
    path("nhiem-vu/<int:pk>/lien-ket/", tasks.task_links, name="task_links"),
    path("minh-chung/<int:pk>/tep/", tasks.evidence_file, name="evidence_file"),
    path("van-ban-chi-dao/", directives.directive_list, name="directives"),
    path("van-ban-chi-dao/<int:pk>/tep/", directives.directive_file, name="directive_file"),
    path("cong-khai/ke-hoach/", public.public_plans, name="public_plans"),
    path("cong-khai/ke-hoach/<int:pk>/", public.public_plan, name="public_plan"),
]
