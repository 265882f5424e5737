"""The learning network's demo data: national networks, membership details, the good-practice records of
``icc/data/files/demo_good_practices.yaml`` (written for the demo, labelled so), candidates, study visits and
the newest edition's learning clusters. Deterministic: the same data every time."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from importlib import resources

import yaml
from django.db import transaction

from icc.web.network.models import City, Edition, Membership, NationalNetwork

from . import clusters, demo_competence, demo_events, practices
from .models import Accession, GoodPractice, LearningCluster, StudyVisit

NETWORKS = [
    ("reci", "RECI — Red de Ciudades Interculturales", "ES", "The Spanish network of intercultural cities."),
    ("citta-del-dialogo", "Città del Dialogo", "IT", "The Italian network of intercultural cities."),
    ("rpci", "Rede Portuguesa de Cidades Interculturais", "PT", "The Portuguese network of intercultural cities."),
    ("uicn", "Ukrainian Intercultural Cities Network", "UA", "The Ukrainian network of intercultural cities."),
    ("rmvi", "Réseau marocain des villes interculturelles", "MA", "The Moroccan network of intercultural cities."),
]

LANGUAGES = {
    "ES": "es", "IT": "it", "PT": "pt", "FR": "fr", "MA": "ar,fr", "NO": "no,en", "SE": "sv,en", "DK": "da,en",
    "DE": "de", "GB": "en", "IE": "en", "MT": "mt,en", "CY": "el,en", "GR": "el", "UA": "uk", "RU": "ru", "PL": "pl",
    "HU": "hu", "RO": "ro", "HR": "hr", "RS": "sr", "NL": "nl,en", "BE": "nl,fr", "IS": "is,en", "FO": "fo,da",
    "TR": "tr", "IL": "he,en", "JP": "ja", "AU": "en", "CA": "fr,en", "MX": "es", "CH": "de",
}  # fmt: skip
CITY_LANGUAGES = {"geneva": "fr", "neuchatel": "fr", "zurich": "de", "montreal": "fr,en", "turnhout": "nl"}

CANDIDATES = [
    ("tampere", "Tampere", "FI", Accession.Stage.LETTER),
    ("graz", "Graz", "AT", Accession.Stage.QUESTIONNAIRE),
    ("leuven", "Leuven", "BE", Accession.Stage.REQUEST),
    ("kaunas", "Kaunas", "LT", Accession.Stage.EXPERT_VISIT),
]


def _unit(*names: object) -> float:
    """A deterministic number in [0, 1) from names."""
    digest = hashlib.sha256("/".join(map(str, names)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def demo_practices() -> list[dict]:
    text = resources.files("icc.data").joinpath("files/demo_good_practices.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def clear() -> None:
    demo_competence.clear()
    demo_events.clear()
    for model in (StudyVisit, LearningCluster, GoodPractice, Accession, NationalNetwork):
        model.objects.filter(is_demo=True).delete()
    City.objects.filter(is_member=False, accession__isnull=True, slug__in=[c[0] for c in CANDIDATES]).delete()


def _membership(as_of: datetime) -> None:
    networks = {}
    for slug, name, country, description in NETWORKS:
        networks[country], _ = NationalNetwork.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "country_code": country,
                "description": description,
                "coordinator": f"{name.split(' — ')[0]} coordination office",
                "coordinator_email": f"coordination@{slug}.example.org",
                "is_demo": True,
            },
        )
    for city in City.objects.filter(is_member=True):
        u = _unit("membership", city.slug)
        network = networks.get(city.country_code)
        national = network is not None and u < 0.6
        city.national_network = network
        city.membership = Membership.NATIONAL if national else Membership.INTERNATIONAL
        city.joined = date(2008, 1, 1) + timedelta(days=int(_unit("joined", city.slug) * 16 * 365))
        city.languages = CITY_LANGUAGES.get(city.slug, LANGUAGES.get(city.country_code, "en"))
        city.hosts_visits = _unit("hosts", city.slug) < 0.8
        city.membership_is_demo = True
        city.save()


def _practices(as_of: datetime) -> int:
    cities = {c.slug: c for c in City.objects.filter(is_member=True)}
    n = 0
    for i, record in enumerate(demo_practices()):
        city = cities.get(record["city"])
        if city is None:
            continue
        published = as_of - timedelta(days=30 + i * 3)
        p = GoodPractice(
            city=city,
            title=record["title"],
            language=record["language"],
            start=record["start"],
            end=record.get("end"),
            areas=list(record["areas"]),
            target_groups=list(record["target_groups"]),
            purpose=record["purpose"].strip(),
            actions=record["actions"].strip(),
            results=(record.get("results") or "").strip(),
            evidence=(record.get("evidence") or "").strip(),
            cost=record.get("cost") or "",
            contact=record.get("contact") or "",
            links=list(record.get("links") or []),
            host_visits=bool(record.get("host_visits", True)),
            status=GoodPractice.Status.PUBLISHED,
            submitted=published - timedelta(days=5),
            published=published,
            is_demo=True,
        )
        practices.save(p, _anonymous(), published)
        n += 1
    return n


def _anonymous():  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _candidates(as_of: datetime) -> int:
    from icc.data.members import country_name

    for i, (slug, name, country, stage) in enumerate(CANDIDATES):
        city, _ = City.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_as_listed": name, "country_code": country,
                      "country_name": country_name(country), "is_member": False},
        )  # fmt: skip
        start = as_of.date() - timedelta(days=300 - 40 * i)
        dates = {"requested": start}
        order = ["letter", "questionnaire", "expert_visit"]
        reached = {Accession.Stage.LETTER: 1, Accession.Stage.QUESTIONNAIRE: 2, Accession.Stage.EXPERT_VISIT: 3}
        for k, field in enumerate(order[: reached.get(stage, 0)]):
            dates[field] = start + timedelta(days=60 * (k + 1))
        Accession.objects.update_or_create(
            city=city,
            defaults={"stage": stage, "next_step": "Follow up with the city's mayor's office",
                      "next_step_due": as_of.date() + timedelta(days=20 * (i - 1)), "is_demo": True, **dates},
        )  # fmt: skip
    return len(CANDIDATES)


def _visits(as_of: datetime, edition: Edition | None) -> int:
    pairs = [
        ("bilbao", "oslo", "participation", StudyVisit.Status.REQUESTED),
        ("lublin", "barcelona", "anti-discrimination", StudyVisit.Status.ACCEPTED),
        ("reggio-emilia", "botkyrka", "education", StudyVisit.Status.DONE),
        ("tenerife", "mechelen", "welcoming", StudyVisit.Status.DECLINED),
    ]
    cities = {c.slug: c for c in City.objects.filter(slug__in={s for p in pairs for s in p[:2]})}
    n = 0
    for i, (visitor, host, area, status) in enumerate(pairs):
        if visitor not in cities or host not in cities:
            continue
        requested = as_of - timedelta(days=90 - i * 10)
        v = StudyVisit(
            visitor=cities[visitor], host=cities[host], area=area, edition=edition, status=status, requested=requested,
            message="We would like to learn how your city organises this work, for a delegation of four people.",
            is_demo=True,
        )  # fmt: skip
        if status != StudyVisit.Status.REQUESTED:
            v.replied = requested + timedelta(days=4)
            v.reply = (
                "We are not able to host a delegation this spring; please ask again in the autumn."
                if status == StudyVisit.Status.DECLINED
                else "You are welcome; we propose two days in the second half of the month."
            )
        if status == StudyVisit.Status.DONE:
            v.starts = (requested + timedelta(days=30)).date()
            v.ends = v.starts + timedelta(days=1)
            v.participants = "Head of the education department\nTwo school heads\nThe intercultural coordinator"
            v.programme = "Day 1: visits to two schools and the parents' centre. Day 2: meeting with the school board."
            v.transfer = "A pilot of mixed parents' groups in two primary schools, with the same evaluation survey."
        v.save()
        n += 1
    return n


@transaction.atomic
def load(as_of: datetime) -> dict[str, int]:
    """Load (or reset) the learning network's demo data on top of the demo network."""
    clear()
    _membership(as_of)
    from icc.web.results import queries

    edition = queries.default_edition()
    counts = {
        "networks": len(NETWORKS),
        "practices": _practices(as_of),
        "candidates": _candidates(as_of),
        "visits": _visits(as_of, edition),
        "clusters": 0,
    }
    if edition is not None:
        stored = clusters.compute(edition, as_of, seed=0, replace_edited=True)
        LearningCluster.objects.filter(pk__in=[c.pk for c in stored]).update(is_demo=True)
        counts["clusters"] = len(stored)
    demo_events.clear()
    counts.update(demo_events.load(as_of))  # after the candidates: an introductory visit is to one of them
    demo_competence.clear()
    counts.update(demo_competence.load(as_of))  # after the events: governance bodies link to them
    return counts
