from django.apps import AppConfig


class QuestionnaireConfig(AppConfig):
    name = "icc.web.questionnaire"
    label = "questionnaire"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from .models import EvidenceFile

        post_delete.connect(delete_stored_file, sender=EvidenceFile, dispatch_uid="evidence-file-on-disk")


def delete_stored_file(sender, instance, **kwargs) -> None:
    """When an evidence file's row is deleted (its response deleted, e.g. a demo reset), remove the file from disk
    once the deletion is committed; a rolled-back deletion keeps it. (Files removed by a user are only marked
    ``removed`` and stay, for the history.)"""
    from django.db import transaction

    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
