"""The secretariat's pages over editions and results, and a response's provisional result, under /responses/ beside
the questionnaire's."""

from django.urls import path

from . import provisional, robustness_views, secretariat

app_name = "results"

urlpatterns = [
    path("<int:response_id>/publish/", secretariat.publish, name="publish"),
    path("<int:response_id>/provisional/", provisional.page, name="provisional"),
    path("editions/", secretariat.editions, name="editions"),
    path("editions/<int:year>/", secretariat.edition, name="edition"),
    path("editions/<int:year>/invite/", secretariat.invite, name="invite"),
    path("editions/<int:year>/status/", secretariat.set_status, name="edition_status"),
    path("editions/<int:year>/robustness/", robustness_views.edition_robustness, name="robustness"),
    path("editions/<int:year>/weights/", robustness_views.weights_preview, name="weights"),
    path("robustness/<int:pk>/", robustness_views.study_page, name="study"),
]
