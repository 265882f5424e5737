"""Demo data of intercultural-competence training, joint campaigns and multi-level governance: training sessions
and staff counts for ten cities, self-assessments before and after training in a few departments, three joint
campaigns with their participating cities, six national and regional bodies. Invented for the demonstration
(every record ``is_demo``) and deterministic: the same data every time for the same ``as_of``."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from icc.web.network.models import City

from . import competence
from .models import Campaign, CampaignCity, DepartmentStaff, Event, GovernanceBody, SelfAssessment, TrainingSession

CITIES = (
    "oslo", "bilbao", "lublin", "barcelona", "botkyrka", "reggio-emilia", "dublin", "mechelen", "lisbon", "montreal",
)  # fmt: skip
"""The cities with demo training records."""

ASSESSING = ("oslo", "bilbao", "lublin", "barcelona", "botkyrka")
"""The cities whose staff took the self-assessment in the demo."""

DEPARTMENTS = (
    ("Education", 180),
    ("Social services", 120),
    ("Citizen services", 60),
    ("Housing", 40),
    ("Culture and libraries", 50),
    ("Police and public safety", 90),
    ("Human resources", 25),
)
"""Department names and a typical staff count of its administration and front line (scaled per city)."""

TITLES = (
    "Intercultural communication at the front desk",
    "Recognising and preventing discrimination",
    "The intercultural strategy: what it asks of our work",
    "Working with interpreters and cultural mediators",
    "Anti-rumour agents' training",
    "Diversity-aware recruitment and management",
)

CAMPAIGNS = (
    (
        "Anti-rumour week",
        "Rumours about newcomers travel faster than facts. Check before you share: meet your neighbours, ask "
        "the facts, and answer a rumour with a question.",
        (10, 5),
        6,
        "Poster kit (A3, A4, social media sizes): https://example.org/anti-rumour-week/posters\n"
        "Facts sheet on the ten most frequent rumours: https://example.org/anti-rumour-week/facts\n"
        "Guide for anti-rumour agents' street actions: https://example.org/anti-rumour-week/guide",
        (14, 20),
    ),
    (
        "Welcoming cities day",
        "Our city is home to everyone who lives here. On this day the cities open their doors to newcomers and "
        "residents alike: welcome points, shared meals, guided walks.",
        (6, 20),
        0,
        "Welcome-point banner and leaflet: https://example.org/welcoming-day/kit\n"
        "Short video “Welcome to our city” with subtitles in twelve languages: https://example.org/welcoming-day/video",
        (8, 14),
    ),
    (
        "Diversity in business month",
        "Diversity is good for business. Through the month the cities show the firms of entrepreneurs of every "
        "origin, and firms show what a diverse staff brings them.",
        (3, 1),
        30,
        "Guide for employers on diversity-aware recruitment: https://example.org/diversity-business/guide\n"
        "Template of a business-diversity award: https://example.org/diversity-business/award",
        (9, 16),
    ),
)
"""Title, message, (month, day) of the start in the year before ``as_of``, length in days after the first,
materials, (fewest, most) participating cities."""

ACTIONS = {
    "Anti-rumour week": (
        "Street actions of the anti-rumour agents in three districts and a quiz in the libraries.",
        "A debate at the city hall with local media on the rumours of the year, and posters on public transport.",
        "Workshops in secondary schools and a social-media campaign with the city's youth council.",
    ),
    "Welcoming cities day": (
        "Welcome points at the main station and the city hall, with volunteers speaking eight languages.",
        "A shared meal in the central square prepared by neighbourhood associations.",
        "Guided walks for newcomers to the services of their district.",
    ),
    "Diversity in business month": (
        "Open days at twelve firms run by entrepreneurs of migrant origin.",
        "A business-diversity award given by the mayor and the chamber of commerce.",
        "Meetings between employers and job seekers of every origin at the employment office.",
    ),
}

BODIES = (
    (
        "National agency for integration and diversity",
        GovernanceBody.Level.NATIONAL,
        "NO",
        "A national agency that funds and advises the municipalities' integration work.",
        ("oslo", "bergen", "drammen", "kristiansand", "stavanger", "trondheim"),
    ),
    (
        "Ministry of inclusion — intercultural policy unit",
        GovernanceBody.Level.NATIONAL,
        "ES",
        "The national ministry's unit that works with the Spanish network of intercultural cities.",
        ("barcelona", "bilbao", "donostia-san-sebastian", "getxo", "sabadell", "zaragoza", "malaga"),
    ),
    (
        "Regional government of the Basque Country — migration office",
        GovernanceBody.Level.REGIONAL,
        "ES",
        "The regional office for the reception of newcomers and coexistence, partner of the region's cities.",
        ("bilbao", "donostia-san-sebastian", "getxo"),
    ),
    (
        "Ministry of the interior — department for foreigners and integration",
        GovernanceBody.Level.NATIONAL,
        "PL",
        "The national department in charge of foreigners' residence and of integration programmes.",
        ("lublin",),
    ),
    (
        "Regional government of Emilia-Romagna — migration office",
        GovernanceBody.Level.REGIONAL,
        "IT",
        "The regional office that co-funds the intercultural centres of the region's municipalities.",
        ("reggio-emilia", "ravenna", "forli", "casalecchio-di-reno", "novellara", "savignano-sul-rubicone"),
    ),
    (
        "National office for the reception and integration of newcomers",
        GovernanceBody.Level.NATIONAL,
        "PT",
        "A national office that runs the local support centres for the integration of migrants with the cities.",
        ("lisbon", "amadora", "cascais", "loures", "setubal", "braga", "coimbra"),
    ),
)
"""Invented bodies: name, level, country, description, the cities they work with."""


def _unit(*names: object) -> float:
    """A deterministic number in [0, 1) from names."""
    digest = hashlib.sha256("/".join(map(str, names)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _pick(n: int, items: list, *names: object) -> list:
    """``n`` of ``items`` in a deterministic order of ``names``."""
    return sorted(items, key=lambda item: _unit(*names, getattr(item, "slug", item)))[:n]


def clear() -> None:
    for model in (TrainingSession, DepartmentStaff, SelfAssessment, Campaign, GovernanceBody):
        model.objects.filter(is_demo=True).delete()


def _departments(slug: str) -> list[tuple[str, int]]:
    """The four to six departments of a city with demo training records."""
    return sorted(_pick(4 + int(_unit("n", slug) * 3), list(DEPARTMENTS), "departments", slug))


def _training(cities: dict[str, City], as_of: datetime) -> tuple[int, int]:
    years = (as_of.year - 2, as_of.year - 1)
    sessions: list[TrainingSession] = []
    staff: list[DepartmentStaff] = []
    for slug in CITIES:
        city = cities.get(slug)
        if city is None:
            continue
        scale = 0.5 + 1.5 * _unit("scale", slug)
        for name, typical in _departments(slug):
            for year in years:
                count = max(5, round(typical * scale * (0.95 + 0.1 * _unit("staff", slug, name, year))))
                staff.append(DepartmentStaff(city=city, department=name, staff=count, year=year, is_demo=True))
                for i in range(1 + int(_unit("sessions", slug, name, year) * 3)):
                    held = date(year, 1, 15) + timedelta(days=int(_unit("day", slug, name, year, i) * 330))
                    if held >= as_of.date():
                        continue
                    sessions.append(
                        TrainingSession(
                            city=city,
                            held=held,
                            title=TITLES[int(_unit("title", slug, name, year, i) * len(TITLES))],
                            department=name,
                            participants=max(4, round(min(35, count * 0.4) * (0.4 + 0.6 * _unit("p", slug, name, i)))),
                            hours=Decimal((3, 4, 6, 7.5, 12, 14)[int(_unit("hours", slug, name, year, i) * 6)]),
                            is_demo=True,
                        )
                    )
    TrainingSession.objects.bulk_create(sessions)
    DepartmentStaff.objects.bulk_create(staff)
    return len(sessions), len(staff)


def _answer(base: float, *names: object) -> int:
    return max(1, min(5, round(base + (_unit("answer", *names) - 0.5) * 2.0)))


def _assessments(cities: dict[str, City], as_of: datetime) -> int:
    rows: list[SelfAssessment] = []
    year = as_of.year - 1
    for slug in ASSESSING:
        city = cities.get(slug)
        if city is None:
            continue
        departments = sorted(_pick(2 + int(_unit("sa-n", slug) * 2), [d for d, _n in _departments(slug)], "sa", slug))
        for department in departments:
            start = date(year, 2, 1) + timedelta(days=int(_unit("sa-start", slug, department) * 200))
            gain = 0.3 + 0.7 * _unit("gain", slug, department)
            for phase, n, offset, lift in (("before", 6, 0, 0.0), ("after", 5, 60, gain)):
                n += int(_unit("sa-size", slug, department, phase) * 6)
                for i in range(n):
                    base = 2.5 + 0.8 * _unit("level", slug, department, i) + lift
                    answers = {
                        s.id: _answer(
                            base + (0.3 if s.dimension == "attitudes" else 0.0), slug, department, phase, i, s.id
                        )
                        for s in competence.STATEMENTS
                    }
                    taken = datetime.combine(start + timedelta(days=offset + i), time(10), tzinfo=as_of.tzinfo)
                    rows.append(
                        SelfAssessment(
                            user=None,
                            city=city,
                            department=department,
                            phase=phase,
                            taken=taken,
                            answers=answers,
                            is_demo=True,
                        )  # fmt: skip
                    )
    SelfAssessment.objects.bulk_create(rows)
    return len(rows)


def _campaigns(members: list[City], as_of: datetime) -> tuple[int, int]:
    n_rows = 0
    year = as_of.year - 1
    for title, message, (month, day), length, materials, (low, high) in CAMPAIGNS:
        starts = date(year, month, day)
        campaign = Campaign.objects.create(
            title=title,
            message=message,
            starts=starts,
            ends=starts + timedelta(days=length) if length else None,
            materials=materials,
            is_demo=True,
        )
        n = low + int(_unit("campaign-size", title) * (high - low + 1))
        rows = []
        for city in _pick(n, members, "campaign", title):
            u = _unit("reach", title, city.slug)
            texts = ACTIONS[title]
            rows.append(
                CampaignCity(
                    campaign=campaign,
                    city=city,
                    actions=texts[int(_unit("action", title, city.slug) * len(texts))],
                    reach=None if u < 0.1 else int(round(300 + 24_700 * u**2, -1)),
                )
            )
        CampaignCity.objects.bulk_create(rows)
        n_rows += len(rows)
    return len(CAMPAIGNS), n_rows


def _bodies(cities: dict[str, City]) -> int:
    events = list(Event.objects.filter(kind=Event.Kind.GOVERNANCE).order_by("-starts")[:3])
    if not events:
        events = list(Event.objects.order_by("-starts")[:2])
    for i, (name, level, country, description, slugs) in enumerate(BODIES):
        body = GovernanceBody.objects.create(
            name=name, level=level, country_code=country, description=description, is_demo=True
        )
        body.cities.set([cities[s] for s in slugs if s in cities])
        if events:
            body.events.set(events[: 1 + i % len(events)])
    return len(BODIES)


@transaction.atomic
def load(as_of: datetime) -> dict[str, int]:
    """Load (or reset) the demo training records, self-assessments, joint campaigns and governance bodies."""
    clear()
    members = list(City.objects.filter(is_member=True).order_by("slug"))
    wanted = set(CITIES) | {s for b in BODIES for s in b[4]}
    cities = {c.slug: c for c in City.objects.filter(slug__in=wanted)}
    sessions, staff = _training(cities, as_of)
    campaigns, participations = _campaigns(members, as_of)
    return {
        "training_sessions": sessions,
        "staff_counts": staff,
        "self_assessments": _assessments(cities, as_of),
        "campaigns": campaigns,
        "campaign_cities": participations,
        "governance_bodies": _bodies(cities),
    }
