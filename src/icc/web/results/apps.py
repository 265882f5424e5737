from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "icc.web.results"
    label = "results"
