from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "icc.web.accounts"
    label = "accounts"
