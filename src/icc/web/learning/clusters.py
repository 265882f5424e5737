"""Learning clusters on the platform: computed from an edition's published area scores and the cities' size and
diversity by :func:`icc.engine.clusters.learning_clusters` (the method is in ``docs/learning.md``), stored, then
editable by the secretariat. Recomputing an edition replaces its clusters only when none was edited by hand,
unless told."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from icc.engine.clusters import ClusterRules, learning_clusters
from icc.web.accounts.permissions import AnyUser
from icc.web.network.models import City, Edition

from .matching import area_scores, profiles
from .models import ClusterCity, LearningCluster


class Refused(Exception):
    pass


@transaction.atomic
def compute(edition: Edition, now: datetime, seed: int = 0, replace_edited: bool = False) -> list[LearningCluster]:
    """Compute and store the edition's clusters (in place of the earlier ones)."""
    Edition.objects.select_for_update().get(pk=edition.pk)  # one computation of an edition at a time
    earlier = LearningCluster.objects.filter(edition=edition)
    if not replace_edited and earlier.filter(edited__isnull=False).exists():
        raise Refused(
            _("Some clusters of %(year)s were edited by hand; confirm that the new computation may replace them.")
            % {"year": edition.year}
        )
    scores = area_scores(edition)
    if scores.empty:
        raise Refused(_("Edition %(year)s has no published area scores to cluster.") % {"year": edition.year})
    result = learning_clusters(scores, profiles(list(scores.index), edition.year), ClusterRules(), seed=seed)
    earlier.delete()
    cities = {c.slug: c for c in City.objects.filter(slug__in=list(scores.index))}
    stored = []
    for cluster in result.clusters:
        row = LearningCluster.objects.create(edition=edition, area=cluster.area, computed=now, seed=seed)
        ClusterCity.objects.bulk_create(
            [ClusterCity(cluster=row, city=cities[s], role=ClusterCity.Role.MEMBER) for s in cluster.members]
            + [ClusterCity(cluster=row, city=cities[s], role=ClusterCity.Role.RESOURCE) for s in cluster.resources]
        )
        stored.append(row)
    return stored


@transaction.atomic
def edit(cluster_id: int, name: str, note: str, members: list[City], resources: list[City], user: AnyUser,
         now: datetime) -> LearningCluster:  # fmt: skip
    """The secretariat's change of a cluster: its name, note, members and resource cities."""
    cluster = LearningCluster.objects.select_for_update().get(pk=cluster_id)
    both = {c.pk for c in members} & {c.pk for c in resources}
    if both:
        raise Refused(_("A city cannot be both a member and a resource city of a cluster."))
    if not members:
        raise Refused(_("A cluster needs at least one member city."))
    cluster.name, cluster.note, cluster.edited = name.strip(), note.strip(), now
    cluster.edited_by = user if user.is_authenticated else None  # type: ignore[assignment]
    cluster.save()
    cluster.cities.all().delete()
    ClusterCity.objects.bulk_create(
        [ClusterCity(cluster=cluster, city=c, role=ClusterCity.Role.MEMBER) for c in members]
        + [ClusterCity(cluster=cluster, city=c, role=ClusterCity.Role.RESOURCE) for c in resources]
    )
    return cluster
