"""The demo network on top of the shipped one: published results, demo answers, scores and users (the top of the
web layer: it may import every app). Frameworks and member cities are loaded by :mod:`icc.web.network.loading`.

Each loader is all-or-nothing (one transaction) and idempotent; progress is reported through an optional
``progress(step, done, total)`` callback so the CLI can draw a progress bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.db import transaction

from icc.data import demo
from icc.data.published import fold, member_key, read_published
from icc.framework import load_shipped
from icc.framework.answers import format_number
from icc.web.accounts.models import CityAssignment, Role, User
from icc.web.learning import demo_data as learning_demo
from icc.web.network.loading import load_members, sync_frameworks
from icc.web.network.models import City, CityFact, Edition, FactKind, StoredFramework
from icc.web.questionnaire.models import Answer, Response, ResponseEvent
from icc.web.results.models import PublicDataVersion, PublishedResult, Score
from icc.web.results.publishing import store_answered_facts
from icc.web.results.rescoring import rescore_edition
from icc.web.results.robustness import publish_study

Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    cities: tuple[str, ...] = ()
    coordinator: bool = False
    label: str = ""


DEMO_USERS = (
    DemoUser("secretariat", "icc-secretariat", Role.SECRETARIAT, label="ICC secretariat (administrator)"),
    DemoUser(
        "expert",
        "icc-expert",
        Role.EXPERT,
        ("oslo", "bilbao", "lublin"),
        label="Expert assigned to Oslo, Bilbao, Lublin",
    ),
    DemoUser("oslo", "icc-oslo", Role.OFFICIAL, ("oslo",), coordinator=True, label="Coordinator of Oslo"),
    DemoUser(
        "oslo-education", "icc-oslo-edu", Role.OFFICIAL, ("oslo",), label="Official of Oslo (education department)"
    ),
    DemoUser("bilbao", "icc-bilbao", Role.OFFICIAL, ("bilbao",), coordinator=True, label="Coordinator of Bilbao"),
)


@transaction.atomic
def load_published_results() -> int:
    """Replace the historical published results with the shipped file's rows, linked to member cities."""
    cities = {fold(c.name_as_listed): c for c in City.objects.all()}
    PublishedResult.objects.all().delete()
    objs = []
    for row in read_published():
        key = member_key(row.city)
        fields = asdict(row)
        fields["city_name"] = fields.pop("city")
        objs.append(PublishedResult(city=cities.get(key) if key else None, **fields))
    PublishedResult.objects.bulk_create(objs)
    PublicDataVersion.bump()  # bulk_create sends no signals
    return len(objs)


@transaction.atomic
def load_demo_users() -> list[DemoUser]:
    for du in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=du.username)
        user.role = du.role
        user.email = f"{du.username}@demo.icc.invalid"
        user.is_staff = du.role == Role.SECRETARIAT
        user.is_superuser = du.role == Role.SECRETARIAT
        user.set_password(du.password)
        user.save()
        CityAssignment.objects.filter(user=user).delete()
        for slug in du.cities:
            CityAssignment.objects.create(user=user, city=City.objects.get(slug=slug), coordinator=du.coordinator)
    return list(DEMO_USERS)


def _clear_demo() -> None:
    Score.objects.filter(is_demo=True).delete()
    Answer.objects.filter(response__is_demo=True).delete()
    Response.objects.filter(is_demo=True).delete()
    Edition.objects.filter(is_demo=True, responses__isnull=True).delete()
    CityFact.objects.filter(is_demo=True).delete()


OPEN_EDITION = 2026
OPEN_CITIES = ("oslo", "bilbao", "lublin")


def open_demo_edition(framework: StoredFramework, as_of: datetime) -> int:
    """An open edition with empty draft responses for the demo officials' and expert's cities."""
    edition, _ = Edition.objects.update_or_create(
        year=OPEN_EDITION,
        defaults={
            "framework": framework,
            "status": Edition.Status.OPEN,
            "is_demo": True,
            "opens": date(OPEN_EDITION, 1, 15),
            "closes": date(OPEN_EDITION, 6, 30),
            "results_released_at": None,  # still open: nothing of it is public until the secretariat releases it
            "results_released_by": None,
        },
    )
    n = 0
    for city in City.objects.filter(slug__in=OPEN_CITIES):
        response = Response.objects.create(city=city, edition=edition, is_demo=True)
        ResponseEvent.objects.create(
            response=response, from_status="", to_status=response.status, at=as_of, comment="invited"
        )
        n += 1
    return n


@transaction.atomic
def load_demo(as_of: datetime, progress: Progress = _quiet) -> dict[str, int]:
    """Load (or reset) the whole demo network: members, frameworks, demo answers for five editions, scores,
    published historical results and demo users. Deterministic: the same data every time."""
    counts: dict[str, int] = {}
    progress("frameworks", 0, 1)
    frameworks = sync_frameworks(as_of)
    counts["cities"] = load_members()
    _clear_demo()
    cities = list(City.objects.filter(is_member=True).order_by("slug"))
    slugs = [c.slug for c in cities]
    by_slug = {c.slug: c for c in cities}
    population = dict(CityFact.objects.filter(kind=FactKind.POPULATION).values_list("city__slug", "value"))
    # the demo responses answer the fact questions (the member list's population, an invented foreign-born share);
    # publishing stores those answers as the cities' facts of each edition, as it does for real responses
    foreign_born = {
        (c.slug, year): demo.foreign_born_share(c.slug, c.country_code, population.get(c.slug), year)
        for year in demo.DEMO_EDITIONS
        for c in cities
    }
    answers_total = 0
    editions = []
    steps = len(demo.DEMO_EDITIONS)
    for i, (year, fid) in enumerate(demo.DEMO_EDITIONS.items()):
        progress(f"edition {year}", i, steps)
        edition, _ = Edition.objects.update_or_create(
            year=year,
            defaults={
                "framework": frameworks[fid],
                "status": Edition.Status.PUBLISHED,
                "is_demo": True,
                "opens": date(year, 1, 15),
                "closes": date(year, 6, 30),
                # the historical editions' results are released as a whole, so they are the public site's
                "results_released_at": datetime(year, 9, 1, 12, 0, tzinfo=as_of.tzinfo),
                "results_released_by": None,
            },
        )
        editions.append(edition)
        framework = load_shipped(fid)
        fact_questions = {q.id for q in framework.facts}
        wide = demo.generate_answers(framework, slugs, year)
        responses = Response.objects.bulk_create(
            [Response(city=by_slug[s], edition=edition, status=Response.Status.PUBLISHED, is_demo=True) for s in slugs]
        )
        stamp = datetime(year, 5, 31, 12, 0, tzinfo=as_of.tzinfo)
        objs = []
        for resp, (_, row) in zip(responses, wide.iterrows(), strict=True):
            for qid, value in row.items():
                if value is None or (isinstance(value, float) and value != value):
                    continue
                text = value if isinstance(value, str) else f"{value:g}"
                objs.append(Answer(response=resp, question_id=qid, value=text, updated_at=stamp))
            for fact_q, fact_value in (
                ("fact-population", population.get(resp.city.slug)),
                ("fact-foreign-born", foreign_born[resp.city.slug, year]),
            ):
                if fact_value is not None and fact_q in fact_questions:  # stored as the answer validator writes it
                    objs.append(
                        Answer(response=resp, question_id=fact_q, value=format_number(fact_value), updated_at=stamp)
                    )
        Answer.objects.bulk_create(objs, batch_size=5000)
        answers_total += len(objs)
        counts["facts"] = counts.get("facts", 0) + store_answered_facts(responses)
    counts["answers"] = answers_total
    counts["responses"] = len(slugs) * steps
    counts["scores"] = 0
    for i, edition in enumerate(editions):
        progress(f"scoring {edition.year}", i, len(editions))
        counts["scores"] += rescore_edition(edition, as_of)
        progress(f"robustness {edition.year}", i, len(editions))
        publish_study(edition, as_of)  # released editions carry their rank intervals, as a real release stores them
    counts["open_responses"] = open_demo_edition(frameworks["icc-2019"], as_of)
    counts["published_results"] = load_published_results()
    counts["users"] = len(load_demo_users())
    progress("learning network", steps, steps)
    counts.update({f"learning_{k}": v for k, v in learning_demo.load(as_of).items()})
    progress("done", steps, steps)
    return counts
