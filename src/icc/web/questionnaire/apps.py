from django.apps import AppConfig


class QuestionnaireConfig(AppConfig):
    name = "icc.web.questionnaire"
    label = "questionnaire"
