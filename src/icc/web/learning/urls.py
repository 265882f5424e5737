"""The learning network's pages: good practices, the member register and national networks, candidates,
study-visit matching and visits, learning clusters."""

from django.urls import path

from . import (
    campaign_views,
    cluster_views,
    competence_views,
    event_views,
    expert_views,
    practice_views,
    register_views,
    visit_views,
)

app_name = "learning"

urlpatterns = [
    path("practices/", practice_views.practice_list, name="practices"),
    path("practices/new/", practice_views.practice_edit, name="practice_new"),
    path("practices/mine/", practice_views.own_practices, name="own_practices"),
    path("practices/download.<str:fmt>", practice_views.practice_export, name="practice_export"),
    path("practices/<int:pk>/", practice_views.practice_detail, name="practice"),
    path("practices/<int:pk>/edit/", practice_views.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/action/", practice_views.practice_action, name="practice_action"),
    path("practices/<int:pk>/files/", practice_views.practice_upload, name="practice_upload"),
    path("practices/<int:pk>/files/<int:file_id>/", practice_views.practice_file, name="practice_file"),
    path("network/", register_views.register, name="register"),
    path("network/download.<str:fmt>", register_views.register_export, name="register_export"),
    path("network/cities/<slug:slug>/", register_views.city_register, name="city_register"),
    path("network/cities/<slug:slug>/membership/", register_views.city_membership, name="city_membership"),
    path("network/national/", register_views.network_list, name="networks"),
    path("network/national/<slug:slug>/", register_views.network_detail, name="network"),
    path("network/candidates/", register_views.candidates, name="candidates"),
    path("network/candidates/<int:pk>/", register_views.candidate, name="candidate"),
    path("visits/", visit_views.visit_list, name="visits"),
    path("visits/match/", visit_views.match, name="match"),
    path("visits/request/", visit_views.request_visit, name="request_visit"),
    path("visits/download.<str:fmt>", visit_views.visit_export, name="visit_export"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit"),
    path("clusters/", cluster_views.cluster_list, name="clusters"),
    path("clusters/compute/", cluster_views.cluster_compute, name="cluster_compute"),
    path("clusters/<int:pk>/edit/", cluster_views.cluster_edit, name="cluster_edit"),
]
urlpatterns += event_views.urls + expert_views.urls + competence_views.urls + campaign_views.urls
