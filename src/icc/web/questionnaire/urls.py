from django.urls import path

from . import views

app_name = "questionnaire"

urlpatterns = [
    path("", views.response_list, name="list"),
    path("<int:response_id>/", views.response_detail, name="detail"),
    path("<int:response_id>/sections/<slug:section_id>/", views.section_page, name="section"),
    path(
        "<int:response_id>/sections/<slug:section_id>/confirm-carried/", views.confirm_section, name="confirm_section"
    ),
    path("<int:response_id>/answers/<slug:question_id>/", views.save, name="save"),
    path("<int:response_id>/answers/<slug:question_id>/block/", views.question_block, name="block"),
    path("<int:response_id>/answers/<slug:question_id>/files/", views.upload, name="upload"),
    path(
        "<int:response_id>/answers/<slug:question_id>/files/<int:file_id>/remove/",
        views.remove_file,
        name="remove_file",
    ),
    path("<int:response_id>/answers/<slug:question_id>/reply/", views.reply, name="reply"),
    path("<int:response_id>/answers/<slug:question_id>/confirm/", views.confirm, name="confirm"),
    path("<int:response_id>/answers/<slug:question_id>/history/", views.history, name="history"),
    path("<int:response_id>/files/<int:file_id>/", views.download, name="download"),
    path("<int:response_id>/xlsx/", views.xlsx_download, name="xlsx"),
    path("<int:response_id>/xlsx/upload/", views.xlsx_upload, name="xlsx_upload"),
    path("<int:response_id>/submit/", views.submit, name="submit"),
    path("<int:response_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:response_id>/carry-over/", views.carry_over, name="carry_over"),
    path("<int:response_id>/review/", views.review, name="review"),
    path("<int:response_id>/review/<slug:question_id>/", views.review_answer, name="review_answer"),
    path("<int:response_id>/review-done/", views.finish_review, name="finish_review"),
    path("<int:response_id>/assign/", views.assign, name="assign"),
    path("audit.csv", views.audit_export, name="audit"),
]
