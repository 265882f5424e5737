from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from icc.web.accounts import invitations
from icc.web.accounts import views as account_views
from icc.web.results import cities, methodology
from icc.web.results import views as results_views
from icc.web.results.api import api

urlpatterns = [
    path("", cities.home, name="home"),
    path("cities/", cities.city_list, name="city_list"),
    path("cities/<slug:slug>/", cities.city_detail, name="city_detail"),
    path("facts/", results_views.facts_and_figures, name="facts"),
    path("facts/download/<slug:key>.<str:fmt>", results_views.facts_download, name="facts_download"),
    path("explore/", results_views.explore, name="explore"),
    path("explore/embed/", results_views.embed, name="explore_embed"),
    path("explore/download.<str:fmt>", results_views.download, name="explore_download"),
    path("methodology/", methodology.methodology, name="methodology"),
    path("methodology/<slug:framework_id>/<str:version>.xlsx", methodology.framework_xlsx, name="methodology_xlsx"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/me/", account_views.me, name="me"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url="/accounts/me/?password=changed"
        ),
        name="password_change",
    ),
    path("accounts/invite/", invitations.invite, name="invite"),
    path("accounts/invite/<int:user_id>/again/", invitations.invite_again, name="invite_again"),
    path("accounts/password-reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("responses/", include("icc.web.questionnaire.urls")),
    path("responses/", include("icc.web.results.urls")),
    path("jobs/", include("icc.web.jobs.urls")),
    path("", include("icc.web.learning.urls")),
    re_path(r"^api/(v1/)?$", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="api_root"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
