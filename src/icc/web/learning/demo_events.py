"""Demo events, registrations, expert visits with recommendations and the expert roster, written for the
demonstration (no real meetings, people or reports). Deterministic: the same rows every time; ``as_of`` decides
which events are past (those carry attendance)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction

from icc.web.accounts.models import CityAssignment, User
from icc.web.network.models import City

from . import practices
from .models import Event, ExpertProfile, ExpertVisit, Registration, VisitRecommendation

Kind = Event.Kind


@dataclass(frozen=True)
class DemoEvent:
    kind: str
    title: str
    starts: date
    days: int
    host: str  # a member city's slug
    venue: str
    areas: tuple[str, ...]
    capacity: int | None
    programme: str
    who: tuple[str, ...]  # demo usernames registered


OFFICIALS = ("oslo", "oslo-education", "bilbao")
EVERYONE = (*OFFICIALS, "expert")

EVENTS = (
    DemoEvent(
        Kind.COORDINATORS, "Coordinators' meeting 2024", date(2024, 3, 12), 2, "strasbourg", "Council of Europe",
        ("commitment", "leadership"), 120,
        "Day 1: the network's year, new members, the next Index edition.\nDay 2: working groups by Index area.",
        EVERYONE,
    ),
    DemoEvent(
        Kind.WORKSHOP, "Welcoming newcomers in the first hundred days", date(2024, 5, 22), 1, "bilbao",
        "City hall, council chamber", ("welcoming", "public-services"), 40,
        "Morning: how three cities organise the first contact with the administration.\n"
        "Afternoon: drafting a welcome checklist together.",
        ("oslo", "bilbao"),
    ),
    DemoEvent(
        Kind.ACADEMY, "Intercultural Academy: the diversity advantage in practice", date(2024, 10, 8), 3, "lisbon",
        "Municipal training centre", ("business", "interaction", "mediation"), 60,
        "Three days of lectures, site visits and exercises for new coordinators and heads of department.",
        ("oslo-education", "expert"),
    ),
    DemoEvent(
        Kind.GOVERNANCE, "Multi-level governance group: national and local integration plans", date(2024, 11, 27),
        1, "strasbourg", "Online and at the Council of Europe", ("commitment", "participation"), None,
        "How national strategies and city plans can refer to each other; examples from four countries.",
        ("bilbao", "expert"),
    ),
    DemoEvent(
        Kind.TRAINING, "Intercultural competence for front-desk staff", date(2025, 2, 18), 2, "oslo",
        "Library, seminar rooms", ("public-services", "anti-discrimination"), 25,
        "Two days of practice with situations at the counter; a self-assessment before and after.",
        ("oslo", "oslo-education"),
    ),
    DemoEvent(
        Kind.STUDY_VISIT, "Study visit: mixed schools and parents' groups", date(2025, 4, 9), 2, "reggio-emilia",
        "Visits to two schools and the parents' centre", ("education",), 15,
        "Day 1: two primary schools and the parents' centre.\nDay 2: meeting with the school board.",
        ("oslo-education", "bilbao"),
    ),
    DemoEvent(
        Kind.COORDINATORS, "Coordinators' meeting 2025", date(2025, 6, 3), 2, "lublin", "Conference centre",
        ("commitment", "intelligence"), 120,
        "The 2025 Index results, peer learning in small groups, the year's joint campaign.",
        EVERYONE,
    ),
    DemoEvent(
        Kind.WORKSHOP, "Counting what matters: local data on diversity", date(2025, 9, 16), 1, "botkyrka",
        "Town hall", ("intelligence",), 30,
        "Which data a city can collect itself, how to publish it and how to use it in the Index questionnaire.",
        ("oslo",),
    ),
    DemoEvent(
        Kind.ACADEMY, "Intercultural Academy: public space and neighbourhoods", date(2025, 11, 4), 3, "mechelen",
        "Cultural centre", ("public-space", "neighbourhoods"), 50,
        "Walks in three neighbourhoods, a session with urban planners and a design exercise.",
        ("bilbao", "expert"),
    ),
    DemoEvent(
        Kind.TRAINING, "Training the anti-rumour agents", date(2026, 2, 24), 2, "barcelona", "Civic centre",
        ("anti-discrimination", "media"), 30,
        "How rumours spread, how to answer them with data and with empathy; role plays.",
        ("oslo", "bilbao"),
    ),
    DemoEvent(
        Kind.WORKSHOP, "Participation of residents without the vote", date(2026, 4, 21), 1, "oslo",
        "City hall, room 3", ("participation",), 3,
        "A small working session on consultative councils and participatory budgets.",
        ("oslo", "oslo-education", "bilbao"),  # full: every place is taken
    ),
    DemoEvent(
        Kind.COORDINATORS, "Coordinators' meeting 2026", date(2026, 6, 9), 2, "strasbourg", "Council of Europe",
        ("commitment", "leadership"), 120,
        "The 2026 edition of the Index, the new questionnaire sections, working groups.",
        ("oslo", "expert"),
    ),
    DemoEvent(
        Kind.GOVERNANCE, "Multi-level governance group: regions and cities", date(2026, 10, 13), 1, "bilbao",
        "Provincial council", ("commitment", "international"), None,
        "How regional governments support their cities' intercultural strategies.",
        ("bilbao",),
    ),
    DemoEvent(
        Kind.ACADEMY, "Intercultural Academy: business and diversity", date(2027, 3, 16), 3, "rotterdam",
        "Port authority conference hall", ("business", "language"), 60,
        "Entrepreneurs of diverse backgrounds, procurement, diversity in city-owned companies.",
        (),
    ),
    DemoEvent(
        Kind.STUDY_VISIT, "Study visit: welcoming centres", date(2027, 5, 11), 2, "valletta",
        "The city's welcome office", ("welcoming", "language"), 20,
        "A day at the welcome office and with language-course providers; a day of exchange.",
        (),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DemoVisit:
    city: str
    kind: str
    starts: date
    days: int
    stakeholders: str
    recommendations: tuple[tuple[str, int, str], ...]  # area, priority (1 high – 3 low), text


V = ExpertVisit.Kind

VISITS = (
    DemoVisit(
        "oslo", V.FOLLOW_UP, date(2024, 9, 17), 2,
        "Mayor's office\nEducation department\nA network of migrant associations\nThe public library",
        (
            ("education", 1, "Give every school a plan for the reception of pupils who arrive during the year."),
            ("participation", 2, "Open the consultative council's meetings to residents and publish its minutes."),
            ("intelligence", 3, "Publish the city's diversity data once a year in an open format."),
        ),
    ),
    DemoVisit(
        "bilbao", V.THEMATIC, date(2024, 11, 5), 1,
        "Employment agency\nChamber of commerce\nTwo neighbourhood associations",
        (
            ("business", 1, "Include diversity criteria in the city's support programme for new businesses."),
            ("neighbourhoods", 2, "Bring the neighbourhood offices together twice a year to share what works."),
        ),
    ),
    DemoVisit(
        "lublin", V.FOLLOW_UP, date(2025, 3, 11), 2,
        "Deputy mayor for social affairs\nUniversity international office\nHealth services\nLocal media",
        (
            ("welcoming", 1, "Create one welcome point for newcomers with information in their languages."),
            ("media", 2, "Offer local journalists a short training on reporting about diversity."),
            ("anti-discrimination", 1, "Set up a way for residents to report discrimination and follow the cases."),
            ("language", 3, "Support courses in the home languages of the largest groups of newcomers."),
        ),
    ),
    DemoVisit(
        "reggio-emilia", V.THEMATIC, date(2025, 6, 24), 1,
        "Schools' council\nIntercultural centre\nParents' representatives",
        (
            ("education", 2, "Extend the mixed parents' groups to secondary schools."),
            ("mediation", 2, "Train school mediators and make their service known to families."),
        ),
    ),
    DemoVisit(
        "botkyrka", V.FOLLOW_UP, date(2025, 10, 7), 2,
        "City council committee\nYouth services\nHousing company\nSports clubs\nPolice",
        (
            ("public-space", 2, "Involve young residents in the design of the renewed squares."),
            ("interaction", 1, "Support sports clubs that bring together young people of different backgrounds."),
            ("leadership", 3, "Report on the diversity of the city's staff at every level."),
            ("public-services", 2, "Test the services' forms with residents who are new to the language."),
            ("commitment", 1, "Adopt the intercultural strategy in the city council with a budget."),
        ),
    ),
    DemoVisit(
        "mechelen", V.THEMATIC, date(2025, 12, 2), 1,
        "Cultural department\nMuseum and theatre directors\nArtists' collective",
        (
            ("cultural-life", 2, "Make intercultural projects a criterion of the city's cultural grants."),
            ("international", 3, "Work with the cities of origin of the largest communities on joint projects."),
        ),
    ),
    DemoVisit(
        "kaunas", V.INTRODUCTORY, date(2026, 3, 17), 2,
        "Mayor\nHeads of department\nUniversity\nCivil-society organisations",
        (
            ("commitment", 1, "Name an intercultural coordinator and give the role a clear mandate."),
            ("intelligence", 2, "Collect the facts the Index questionnaire asks for before answering it."),
            ("welcoming", 2, "Map the services newcomers use in their first year."),
        ),
    ),
)  # fmt: skip

PROFILES = {
    "expert": (
        "en,fr,es",
        ["education", "welcoming", "participation", "anti-discrimination", "intelligence"],
        "An urban-policy researcher who has worked with cities on their intercultural strategies since 2010 and "
        "written several Index reports (demo profile).",
    ),
}


def _unit(*names: object) -> float:
    """A deterministic number in [0, 1) from names."""
    digest = hashlib.sha256("/".join(map(str, names)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _moment(day: date, as_of: datetime) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=as_of.tzinfo)


def clear() -> None:
    """Delete the demo events (with their registrations and materials), visits and profiles."""
    Event.objects.filter(is_demo=True).delete()
    ExpertVisit.objects.filter(is_demo=True).delete()
    ExpertProfile.objects.filter(is_demo=True).delete()


def _events(as_of: datetime, users: dict[str, User], cities: dict[str, City], own_city: dict[int, City]) -> dict:
    areas = dict(practices.area_choices("en"))
    counts = {"events": 0, "registrations": 0, "attended": 0}
    today = as_of.date()
    for e in EVENTS:
        host = cities.get(e.host)
        event = Event.objects.create(
            kind=e.kind,
            title=e.title,
            starts=e.starts,
            ends=e.starts + timedelta(days=e.days - 1),
            place=f"{host.name if host else e.host.title()}, {e.venue}",
            host=host,
            programme=e.programme,
            areas=[a for a in e.areas if a in areas],
            capacity=e.capacity,
            is_demo=True,
        )
        counts["events"] += 1
        for i, username in enumerate(e.who):
            user = users.get(username)
            if user is None:
                continue
            registered = min(_moment(e.starts - timedelta(days=40 - 3 * i), as_of), as_of)
            attended = None
            if event.ends < today:
                attended = _unit("attended", e.title, username) < 0.85
            Registration.objects.create(
                event=event, user=user, city=own_city.get(user.pk), registered=registered, attended=attended
            )
            counts["registrations"] += 1
            counts["attended"] += 1 if attended else 0
    return counts


def _visits(as_of: datetime, users: dict[str, User], cities: dict[str, City]) -> dict:
    areas = dict(practices.area_choices("en"))
    counts = {"expert_visits": 0, "recommendations": 0}
    expert = users.get("expert")
    for v in VISITS:
        city = cities.get(v.city)
        if city is None:
            continue
        visit = ExpertVisit.objects.create(
            city=city,
            kind=v.kind,
            starts=v.starts,
            ends=v.starts + timedelta(days=v.days - 1),
            stakeholders=v.stakeholders,
            created=min(_moment(v.starts - timedelta(days=30), as_of), as_of),
            created_by=users.get("secretariat"),
            is_demo=True,
        )
        if expert is not None:
            visit.experts.add(expert)
        recommendations = [
            VisitRecommendation(visit=visit, area=area, priority=priority, text=text)
            for area, priority, text in v.recommendations
            if area in areas
        ]
        VisitRecommendation.objects.bulk_create(recommendations)
        counts["expert_visits"] += 1
        counts["recommendations"] += len(recommendations)
    return counts


def _profiles(users: dict[str, User]) -> int:
    areas = dict(practices.area_choices("en"))
    n = 0
    for username, (languages, fields, biography) in PROFILES.items():
        user = users.get(username)
        if user is None:
            continue
        ExpertProfile.objects.update_or_create(
            user=user,
            defaults={
                "languages": languages,
                "areas": [a for a in fields if a in areas],
                "biography": biography,
                "is_demo": True,
            },
        )
        n += 1
    return n


@transaction.atomic
def load(as_of: datetime) -> dict[str, int]:
    """Load (or reset) the demo events, registrations of the demo users, expert visits and expert profiles."""
    clear()
    users = {u.username: u for u in User.objects.filter(username__in=[*EVERYONE, "secretariat"])}
    slugs = {e.host for e in EVENTS} | {v.city for v in VISITS}
    cities = {c.slug: c for c in City.objects.filter(slug__in=slugs)}
    own_city: dict[int, City] = {}
    for a in CityAssignment.objects.filter(user__username__in=OFFICIALS).select_related("city").order_by("pk"):
        own_city.setdefault(a.user_id, a.city)
    counts = _events(as_of, users, cities, own_city)
    counts.update(_visits(as_of, users, cities))
    counts["expert_profiles"] = _profiles(users)
    return counts
