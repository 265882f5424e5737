"""Learning clusters on the platform: computed by the secretariat, shown to signed-in members, edited by hand
and not overwritten unless told."""

from __future__ import annotations

import pytest

from icc.web.learning.models import ClusterCity, LearningCluster
from icc.web.network.models import City

pytestmark = pytest.mark.django_db


def test_clusters_are_for_signed_in_members(personas):
    assert personas["anonymous"].get("/clusters/").status_code == 302
    page = personas["oslo"].get("/clusters/").content.decode()
    assert "Learning clusters" in page
    assert LearningCluster.objects.exists()


def test_the_same_seed_gives_the_same_clusters(personas):
    edition = LearningCluster.objects.first().edition

    def snapshot():
        return sorted(
            (c.area, tuple(sorted(c.cities.values_list("city__slug", "role"))))
            for c in LearningCluster.objects.filter(edition=edition)
        )

    before = snapshot()
    r = personas["secretariat"].post("/clusters/compute/", {"edition": edition.year, "seed": "0", "replace": "1"})
    assert r.status_code == 302
    assert snapshot() == before


def test_an_edited_cluster_is_kept_unless_told(personas):
    cluster = LearningCluster.objects.first()
    members = [City.objects.get(slug="oslo").pk, City.objects.get(slug="lublin").pk]
    r = personas["secretariat"].post(
        f"/clusters/{cluster.pk}/edit/",
        {"name": "Nordic-Polish group", "note": "", "members": members, "resources": []},
    )
    assert r.status_code == 302
    cluster.refresh_from_db()
    assert cluster.edited is not None
    assert set(cluster.cities.filter(role="member").values_list("city__slug", flat=True)) == {"oslo", "lublin"}
    personas["secretariat"].post("/clusters/compute/", {"edition": cluster.edition.year, "seed": "0"})
    assert LearningCluster.objects.filter(pk=cluster.pk).exists()  # refused: kept
    bad = personas["secretariat"].post(
        f"/clusters/{cluster.pk}/edit/", {"name": "", "note": "", "members": members, "resources": [members[0]]}
    )
    assert bad.status_code == 400 and "both a member and a resource" in bad.content.decode()


def test_only_the_secretariat_computes_or_edits(personas):
    cluster = LearningCluster.objects.first()
    assert (
        personas["oslo"].post("/clusters/compute/", {"edition": cluster.edition.year, "seed": "1"}).status_code == 403
    )
    assert personas["oslo"].get(f"/clusters/{cluster.pk}/edit/").status_code == 403
    assert ClusterCity.objects.filter(cluster=cluster).exists()
