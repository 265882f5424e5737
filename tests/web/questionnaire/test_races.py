"""Racing requests against a real multi-process server: every transition happens once (one event, one e-mail),
and no save is acknowledged after the response was submitted.

The platform runs under gunicorn (4 worker processes × 4 threads) on a fresh database — SQLite, or a new
PostgreSQL database when ``DATABASE_URL`` points at PostgreSQL — and many client threads fire the same request at
once, released together by a barrier. E-mails go to the console backend; the server's output is counted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from support.servers import Gunicorn, Visitor, production_env

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "race-password-1"
YEAR = 2031
CITIES = ["agadir", "bergen", "botkyrka", "dublin", "lublin"]

SETUP = r"""
import json, os, uuid, django
django.setup()
from datetime import UTC, datetime
from django.core.management import call_command
from icc.data import demo
from icc.framework import load_shipped
from icc.framework.answers import applicable
from icc.web.accounts.models import CityAssignment, Role, User
from icc.web.network.loading import load_members, sync_frameworks
from icc.web.network.models import City, Edition
from icc.web.questionnaire.editing import save_answer
from icc.web.questionnaire.models import Response

call_command("migrate", interactive=False, verbosity=0)
now = datetime.now(UTC)
frameworks = sync_frameworks(now)
load_members()
edition = Edition.objects.create(year=%(year)d, framework=frameworks["icc-2019"], status=Edition.Status.OPEN)
fw = load_shipped("icc-2019")
User.objects.create_user("race-secretariat", password="%(password)s", role=Role.SECRETARIAT, email="s@race.invalid")
expert = User.objects.create_user("race-expert", password="%(password)s", role=Role.EXPERT, email="e@race.invalid")
out = {}
for slug in %(cities)r:
    city = City.objects.get(slug=slug)
    r = Response.objects.create(city=city, edition=edition)
    u = User.objects.create_user(
        "race-" + slug, password="%(password)s", role=Role.OFFICIAL, email=slug + "@race.invalid"
    )
    CityAssignment.objects.create(user=u, city=city, coordinator=True)
    CityAssignment.objects.create(user=expert, city=city)
    row = demo.generate_answers(fw, [slug], %(year)d).iloc[0]
    values = {
        q: ("dont_know" if v is None or v != v else (v if isinstance(v, str) else f"{v:g}")) for q, v in row.items()
    }
    shown = applicable(fw, values)
    for qid, value in values.items():
        if shown[qid]:
            save_answer(r, qid, u, changes={"value": value}, base_version=0, edit_key=uuid.uuid4(), now=now)
    out[slug] = {"response": r.pk, "name": city.name}
print(json.dumps(out))
"""

COUNT = r"""
import json, django
django.setup()
from icc.web.questionnaire.models import AnswerChange, Response, ResponseEvent
from icc.web.results.models import Score
r = Response.objects.get(pk=%(pk)d)
events = list(ResponseEvent.objects.filter(response=r).values_list("to_status", flat=True))
scores = list(Score.objects.filter(edition=r.edition).values_list("city_id", "item", "level"))
print(json.dumps({
    "status": r.status, "events": events,
    "changes": AnswerChange.objects.filter(answer__response=r, field="evidence_text").count(),
    "scores": len(scores), "distinct_scores": len(set(scores)),
}))
"""


def _database(tmp_path: Path) -> tuple[dict[str, str], object]:
    """Environment for a fresh database, and a function that drops it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    env = production_env(
        tmp_path,
        sqlite=not url.startswith("postgres"),
        ICC_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    if not url.startswith("postgres"):
        return env, lambda: None
    import psycopg

    base, _, _name = url.rpartition("/")
    name = "icc_race_" + uuid.uuid4().hex[:8]
    with psycopg.connect(base + "/postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{base}/{name}"

    def drop() -> None:
        with psycopg.connect(base + "/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return env, drop


def _python(env: dict[str, str], code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("race")
    env, drop = _database(tmp)
    plan = _python(env, SETUP % {"year": YEAR, "password": PASSWORD, "cities": CITIES})
    log = open(tmp / "server.out", "w+")
    try:
        with Gunicorn(env, workers=4, threads=4, output=log) as base:
            yield {"base": base, "plan": plan, "env": env, "log": tmp / "server.out"}
    finally:
        log.close()
        drop()


def race(server, user: str, path: str, data: dict, n: int = 8) -> list[int]:
    """``n`` logged-in clients send the same POST at the same moment; their status codes."""
    clients = []
    for _ in range(n):
        c = Visitor(server["base"])
        c.login(user, PASSWORD)
        clients.append(c)
    barrier = threading.Barrier(n)
    codes: list[int] = []

    def go(c: Visitor) -> None:
        barrier.wait()
        codes.append(c.post(path, data)[0])

    threads = [threading.Thread(target=go, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return codes


def mails(server, city: str, status: str) -> int:
    """How many copies of the status e-mail the most-served recipient got (each person gets their own message:
    exactly 1 means the transition e-mailed once); 0 when nobody got it."""
    time.sleep(0.5)  # console e-mails are written after the commit, maybe just after the response
    subject = f"Subject: [ICC Index] {city} {YEAR}: {status}"
    per_recipient: dict[str, int] = {}
    for message in server["log"].read_text().split("\n-------")[:-1] or [server["log"].read_text()]:
        if subject in message:
            to = next((line for line in message.splitlines() if line.startswith("To: ")), "To: ?")
            per_recipient[to] = per_recipient.get(to, 0) + 1
    return max(per_recipient.values(), default=0)


def counts(server, pk: int) -> dict:
    return _python(server["env"], COUNT % {"pk": pk})


def test_racing_submits_submit_once_with_one_event_and_one_email(server):
    city = server["plan"]["agadir"]
    codes = race(server, "race-agadir", f"/responses/{city['response']}/submit/", {"comment": "ready"})
    # the losers are sent back to the page with a message (302), or told it is already submitted (409)
    assert 302 in codes and set(codes) <= {302, 409}, codes
    state = counts(server, city["response"])
    assert state["status"] == "submitted" and state["events"].count("submitted") == 1
    assert mails(server, city["name"], "Submitted") == 1


def test_no_save_is_acknowledged_after_the_submission(server):
    city = server["plan"]["bergen"]
    pk = city["response"]
    before = counts(server, pk)["changes"]
    savers = []
    for _ in range(6):
        c = Visitor(server["base"])
        c.login("race-bergen", PASSWORD)
        savers.append(c)
    submitter = Visitor(server["base"])
    submitter.login("race-bergen", PASSWORD)
    submitted_at: list[float] = []
    results: list[tuple[float, int]] = []
    stop = threading.Event()

    from icc.framework import load_shipped

    own = [loc.question.id for loc in load_shipped("icc-2019").scored_questions() if not loc.question.applies_if]

    def save_loop(c: Visitor, i: int) -> None:
        qid, version, n = own[i], 1, 0  # each client changes its own answer (saved once by the setup)
        while not stop.is_set() and n < 60:
            sent = time.monotonic()
            code, _ = c.post(
                f"/responses/{pk}/answers/{qid}/",
                {"version": version, "edit_key": uuid.uuid4().hex, "dont_know": "1", "evidence_text": f"{i}-{n}"},
            )
            results.append((sent, code))
            version += code == 200
            n += 1

    threads = [threading.Thread(target=save_loop, args=(c, i)) for i, c in enumerate(savers)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    assert submitter.post(f"/responses/{pk}/submit/", {})[0] == 302
    submitted_at.append(time.monotonic())
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    late = [code for sent, code in results if sent > submitted_at[0]]
    assert late and all(code == 403 for code in late), late[:20]
    assert sum(1 for sent, code in results if code == 200 and sent < submitted_at[0]) > 0
    # the saves that were acknowledged are all stored, each once
    acknowledged = sum(1 for _sent, code in results if code == 200)
    assert counts(server, pk)["changes"] - before == acknowledged
    assert counts(server, pk)["events"].count("submitted") == 1


def test_racing_review_endings_and_publications_happen_once(server):
    city = server["plan"]["dublin"]
    pk = city["response"]
    official = Visitor(server["base"])
    official.login("race-dublin", PASSWORD)
    assert official.post(f"/responses/{pk}/submit/", {})[0] == 302
    codes = race(server, "race-expert", f"/responses/{pk}/review-done/", {})
    assert 302 in codes and set(codes) <= {302, 409}, codes
    state = counts(server, pk)
    assert state["status"] == "validated" and state["events"].count("validated") == 1
    assert mails(server, city["name"], "Validated") == 1

    codes = race(server, "race-secretariat", f"/responses/{pk}/publish/", {"confirm": "1"})
    state = counts(server, pk)
    assert state["status"] == "published" and state["events"].count("published") == 1
    assert state["scores"] > 0 and state["scores"] == state["distinct_scores"]
    assert mails(server, city["name"], "Published") == 1
