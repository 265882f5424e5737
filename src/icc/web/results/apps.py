from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "icc.web.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from icc.web.network.models import City, CityFact, Edition, StoredFramework

        from .caching import public_data_changed
        from .models import PublishedResult

        for model in (City, CityFact, Edition, StoredFramework, PublishedResult):
            post_save.connect(public_data_changed, sender=model, dispatch_uid=f"public-data-{model.__name__}")
            post_delete.connect(public_data_changed, sender=model, dispatch_uid=f"public-data-del-{model.__name__}")
