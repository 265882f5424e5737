from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "icc.web.network"
    label = "network"
