"""Pages of feedback; mounted at /phan-anh/ by motcua/urls.py."""

from django.urls import path

from feedback.views import public, staff

app_name = "feedback"

urlpatterns = [
    path("", public.answers, name="answers"),
    path("gui/", public.send, name="send"),
    path("gui/thu-tuc/<str:code>/", public.send_procedure, name="send_procedure"),
    path("gui/ho-so/<str:code>/", public.send_dossier, name="send_dossier"),
    path("da-gui/", public.sent, name="sent"),
    path("tra-cuu/", public.lookup, name="lookup"),
    path("cua-toi/", public.mine, name="mine"),
    path("cua-toi/<str:code>/", public.mine_detail, name="mine_detail"),
    path("tra-cuu/danh-gia/", public.rate, name="rate"),
    path("tra-loi/<str:ref>/", public.answer_detail, name="answer_detail"),
    path("can-bo/", staff.inbox, name="staff_inbox"),
    path("can-bo/ghi-nhan/", staff.record, name="staff_record"),
    path("can-bo/thong-ke/", staff.statistics, name="staff_statistics"),
    path("can-bo/thong-ke/bao-cao.xlsx", staff.report, name="staff_report"),
    path("can-bo/<str:code>/", staff.detail, name="staff_detail"),
    path("can-bo/<str:code>/tep/<int:pk>/", staff.attachment, name="staff_attachment"),
    path("can-bo/<str:code>/thao-tac/<str:action>/", staff.act, name="staff_act"),
]
