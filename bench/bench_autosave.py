"""Autosave under load: 50 simulated officials saving answers at once (prints a table; not a pass/fail test).

For each database (SQLite, and PostgreSQL when reachable) the script prepares a fresh database with 50 draft
responses and 50 city coordinators, starts the platform under gunicorn on 127.0.0.1, and lets 50 client threads
each log in and autosave answers as the questionnaire page does (version + edit key; every 5th save is sent twice,
as a double-submitted request would be; some answers are changed a second time). It reports latency percentiles
and then counts, in the database, lost and duplicated writes.

Run: `make bench` or `python bench/bench_autosave.py [--officials 50] [--saves 30]`.
PostgreSQL: `ICC_BENCH_PG_URL` (default postgres://icc:icc@127.0.0.1:5432/icc_bench; the role needs CREATEDB).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid

from _server import PY, ROOT, gunicorn, percentile

YEAR = 2030
PASSWORD = "bench-password-1"


def setup(n: int) -> None:
    """(In a subprocess with the target database) migrate and create the draft responses and their coordinators."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icc.web.settings")
    django.setup()
    from datetime import UTC, datetime

    from django.core.management import call_command

    from icc.framework import load_shipped
    from icc.web.accounts.models import CityAssignment, Role, User
    from icc.web.network.loading import load_members, sync_frameworks
    from icc.web.network.models import City, Edition
    from icc.web.questionnaire.models import Response

    call_command("migrate", interactive=False, verbosity=0)
    now = datetime.now(UTC)
    frameworks = sync_frameworks(now)
    load_members()
    edition = Edition.objects.create(year=YEAR, framework=frameworks["icc-2019"], status=Edition.Status.OPEN)
    fw = load_shipped("icc-2019")
    questions = [
        loc.question.id
        for loc in fw.scored_questions()
        if loc.question.type == "yes_partly_no" and not loc.question.applies_if
    ]
    out = []
    for i, city in enumerate(City.objects.order_by("slug")[:n]):
        r = Response.objects.create(city=city, edition=edition)
        u = User.objects.create_user(f"bench{i}", password=PASSWORD, role=Role.OFFICIAL)
        CityAssignment.objects.create(user=u, city=city, coordinator=True)
        out.append({"user": u.username, "response": r.pk})
    print(json.dumps({"officials": out, "questions": questions}))


def verify() -> None:
    """(In a subprocess) count answers and history rows per response."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icc.web.settings")
    django.setup()
    from django.db.models import Count

    from icc.web.questionnaire.models import Answer, AnswerChange

    answers = dict(
        Answer.objects.filter(response__edition__year=YEAR)
        .values_list("response_id")
        .annotate(n=Count("id"))
        .values_list("response_id", "n")
    )
    versions = {
        f"{r}:{q}": v
        for r, q, v in Answer.objects.filter(response__edition__year=YEAR).values_list(
            "response_id", "question_id", "version"
        )
    }
    changes = AnswerChange.objects.filter(answer__response__edition__year=YEAR).count()
    print(json.dumps({"answers": answers, "versions": versions, "changes": changes}))


class Official(threading.Thread):
    def __init__(self, base: str, user: str, response: int, questions: list[str], saves: int, barrier, think: float):
        super().__init__(daemon=True)
        self.think = think
        self.rng = random.Random(user)
        self.base, self.user, self.response = base, user, response
        self.questions, self.saves, self.barrier = questions, saves, barrier
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.expected: dict[str, int] = {}
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.jar = jar

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path: str, data: dict, headers: dict | None = None) -> tuple[int, float]:
        body = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(
            self.base + path,
            data=body,
            method="POST",
            headers={"X-CSRFToken": self.csrf(), "Referer": self.base + "/", **(headers or {})},
        )
        t0 = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as r:
                r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        return status, time.perf_counter() - t0

    def run(self) -> None:
        self.opener.open(self.base + "/accounts/login/", timeout=30).read()
        status, _ = self.post("/accounts/login/", {"username": self.user, "password": PASSWORD})
        self.opener.open(f"{self.base}/responses/{self.response}/sections/commitment/", timeout=30).read()
        self.barrier.wait()
        for i in range(self.saves):
            if self.think:  # a person answering: the page autosaves every second or so while they work
                time.sleep(self.rng.uniform(0.5 * self.think, 1.5 * self.think))
            qid = self.questions[i % len(self.questions)]
            version = self.expected.get(qid, 0)
            key = str(uuid.uuid4())
            data = {"version": version, "edit_key": key, "value": ["yes", "partly", "no"][(i + version) % 3]}
            status, dt = self.post(f"/responses/{self.response}/answers/{qid}/", data, {"HX-Request": "true"})
            self.latencies.append(dt)
            if status != 200:
                self.errors.append(f"{qid}: HTTP {status}")
                continue
            self.expected[qid] = version + 1
            if i % 5 == 0:  # the same request again, as a double-submitted autosave
                status, dt = self.post(f"/responses/{self.response}/answers/{qid}/", data, {"HX-Request": "true"})
                self.latencies.append(dt)
                if status != 200:
                    self.errors.append(f"{qid} (repeat): HTTP {status}")


def run_one(label: str, env: dict[str, str], officials: int, saves: int, think: float) -> dict:
    prepared = subprocess.run(
        [PY, __file__, "--setup", str(officials)], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    plan = json.loads(prepared.stdout.strip().splitlines()[-1])
    with gunicorn(env, threads=16, ready_path="/accounts/login/") as base:
        barrier = threading.Barrier(len(plan["officials"]))
        threads = [
            Official(base, o["user"], o["response"], plan["questions"], saves, barrier, think)
            for o in plan["officials"]
        ]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    checked = json.loads(
        subprocess.run([PY, __file__, "--verify"], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
        .stdout.strip()
        .splitlines()[-1]
    )
    lost = duplicated = 0
    expected_changes = 0
    for t in threads:
        for qid, version in t.expected.items():
            stored = checked["versions"].get(f"{t.response}:{qid}")
            expected_changes += version
            if stored is None or stored < version:
                lost += 1
            elif stored > version:
                duplicated += 1
    duplicated += max(0, checked["changes"] - expected_changes)
    lat = sorted(x for t in threads for x in t.latencies)
    errors = [e for t in threads for e in t.errors]

    return {
        "db": label,
        "requests": len(lat),
        "wall": wall,
        "p50": percentile(lat, 50),
        "p95": percentile(lat, 95),
        "p99": percentile(lat, 99),
        "max": lat[-1] * 1000,
        "mean": statistics.mean(lat) * 1000,
        "errors": len(errors),
        "lost": lost,
        "duplicated": duplicated,
        "sample_errors": errors[:3],
    }


def postgres_env(base_env: dict[str, str]) -> dict[str, str] | None:
    url = os.environ.get("ICC_BENCH_PG_URL", "postgres://icc:icc@127.0.0.1:5432/icc_bench")
    try:
        import psycopg

        parts = urllib.parse.urlparse(url)
        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            name = parts.path.lstrip("/")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no server, no role: skip PostgreSQL and say why
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return None
    return {**base_env, "DATABASE_URL": url}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=50)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean seconds between two autosaves of one official (0: back to back, a stress test)",
    )
    parser.add_argument("--setup", type=int)
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args()
    if args.setup:
        return setup(args.setup)
    if args.verify:
        return verify()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        base_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "icc.web.settings",
            "ICC_DATA_DIR": tmp,
            "ICC_DEBUG": "0",
            "ICC_SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "ICC_ALLOWED_HOSTS": "127.0.0.1",
        }
        base_env.pop("DATABASE_URL", None)
        results.append(run_one("SQLite", base_env, args.officials, args.saves, args.think))
        pg = postgres_env(base_env)
        if pg is not None:
            results.append(run_one("PostgreSQL", pg, args.officials, args.saves, args.think))
    print(
        f"# Autosave under load: {args.officials} officials × {args.saves} saves (every 5th sent twice), "
        f"{args.think:g} s mean think time between saves, "
        f"gunicorn 2 workers × 16 threads, client and server on one machine ({os.cpu_count()} cores)"
    )
    print()
    print("| database | requests | wall time | mean | p50 | p95 | p99 | max | errors | lost | duplicated |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['db']} | {r['requests']} | {r['wall']:.1f} s | {r['mean']:.1f} ms | {r['p50']:.1f} ms | "
            f"{r['p95']:.1f} ms | {r['p99']:.1f} ms | {r['max']:.1f} ms | {r['errors']} | {r['lost']} | "
            f"{r['duplicated']} |"
        )
        for e in r["sample_errors"]:
            print(f"  error: {e}")


if __name__ == "__main__":
    main()
