"""Load the shipped facts of the network: framework definitions and member cities (the bottom of the web layer;
the demo network on top of them is :mod:`icc.web.demo`)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from icc.data.members import load_member_cities
from icc.framework import load_shipped, shipped_ids
from icc.framework.schema import same_scores

from .models import City, CityFact, FactKind, StoredFramework


@transaction.atomic
def sync_frameworks(as_of: datetime) -> dict[str, StoredFramework]:
    """Store each shipped framework version. A stored version is never rewritten where it could change a score;
    a change that only adds checks (see :func:`icc.framework.schema.same_scores`) is applied."""
    stored = {}
    for fid in shipped_ids():
        fw = load_shipped(fid)
        definition = fw.model_dump(mode="json", by_alias=True)
        obj, created = StoredFramework.objects.get_or_create(
            framework_id=fw.id, version=fw.version, defaults={"definition": definition, "loaded_at": as_of}
        )
        if not created and obj.load() != fw:
            if same_scores(obj.load(), fw):  # only checks changed (e.g. an option marked exclusive): same numbers
                obj.definition = definition
                obj.save(update_fields=["definition"])
                stored[fid] = obj
                continue
            raise ValueError(
                f"framework {fw.id} version {fw.version} in the database differs from the shipped definition; "
                "stored versions are never rewritten, so give the changed definition a new version"
            )
        stored[fid] = obj
    return stored


@transaction.atomic
def load_members() -> int:
    """Create or update the member cities and their real facts (population with source and year)."""
    members = load_member_cities()
    for m in members:
        city, _ = City.objects.update_or_create(
            slug=m.slug,
            defaults={
                "name": m.name,
                "name_as_listed": m.name_as_listed,
                "country_code": m.country_code,
                "country_name": m.country_name,
                "latitude": m.latitude,
                "longitude": m.longitude,
                "coordinates_source": m.coordinates_source,
                "is_member": True,
            },
        )
        if m.population:
            CityFact.objects.update_or_create(
                city=city,
                kind=FactKind.POPULATION,
                year=m.population_year,
                defaults={"value": m.population, "source": m.population_source, "is_demo": False},
            )
    return len(members)
