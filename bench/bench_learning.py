"""Good-practice search and study-visit matching, as the user gets them (the whole page), on SQLite and on
PostgreSQL, with the demo network plus 1,000 synthetic good practices (prints a table; not a pass/fail test).

For each database: a fresh database gets the demo network (``icc demo``) and 1,000 more published practices
(the demo records' sentences recombined, in English and French, spread over the member cities and areas); then
the practice list is requested with 20 search queries (one to three words, accents included, some with filters)
and the match page with 20 city × area pairs, each 10 times, in-process through Django's test client (one core:
rendering included, no network). Target: p95 < 200 ms for both.

Run: ``python bench/bench_learning.py`` (PostgreSQL: a running server reachable with ``--pg`` — default
``postgres://icc:icc@127.0.0.1:5432/postgres`` — where a database ``icc_bench_learning`` is made and dropped;
``--no-pg`` to skip it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _server import PY, ROOT, percentile  # noqa: E402

QUERIES = [
    "éducation", "school", "école", "language cafés", "anti-rumour", "welcome desk", "médiation", "police training",
    "festival", "participation council", "entrepreneurs", "femmes", "youth mentoring", "discrimination",
    "intercultural", "volunteers neighbourhood", "public space", "jeunes quartier", "media training", "refugees",
]  # fmt: skip
FILTERS = ["", "&language=fr", "&area=education", "&country=ES", ""]
PAIRS = [
    ("oslo", "education"), ("bilbao", "participation"), ("lublin", "anti-discrimination"), ("lyon", "media"),
    ("dublin", "welcoming"), ("tenerife", "language"), ("zurich", "business"), ("vinnytsia", "mediation"),
    ("rabat", "interaction"), ("paris", "public-space"), ("bergen", "cultural-life"), ("munich", "intelligence"),
    ("genova", "commitment"), ("cascais", "leadership"), ("patras", "neighbourhoods"), ("swansea", "public-services"),
    ("haifa", "international"), ("sabadell", "education"), ("turnhout", "language"), ("subotica", "welcoming"),
]  # fmt: skip
EXTRA = 1000
REPEAT = 10


def inner() -> None:
    """Runs in a process whose environment names the database: add the synthetic records, then time the pages."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icc.web.settings")
    django.setup()
    from datetime import UTC, datetime

    from django.contrib.auth.models import AnonymousUser
    from django.db import connection, transaction
    from django.test import Client

    from icc.web.learning import practices
    from icc.web.learning.models import GoodPractice
    from icc.web.network.models import City

    base = list(GoodPractice.objects.filter(is_demo=True).order_by("pk"))
    cities = list(City.objects.filter(is_member=True).order_by("slug"))
    areas = [a for a, _n in practices.area_choices("en")]
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with transaction.atomic():
        for i in range(EXTRA):
            a, b = base[i % len(base)], base[(i * 7 + 3) % len(base)]
            p = GoodPractice(
                city=cities[(i * 13) % len(cities)], title=f"{a.title} ({i})", language=a.language, start=2015 + i % 10,
                areas=[areas[i % len(areas)], areas[(i * 5 + 1) % len(areas)]][: 1 + i % 2],
                target_groups=a.target_groups, purpose=f"{a.purpose} {b.purpose}", actions=f"{b.actions} {a.actions}",
                results=a.results, evidence=b.evidence, cost=a.cost, status=GoodPractice.Status.PUBLISHED,
                published=now, is_demo=True,
            )  # fmt: skip
            practices.save(p, AnonymousUser(), now)
    total = GoodPractice.objects.filter(status=GoodPractice.Status.PUBLISHED).count()
    client = Client()
    out: dict[str, object] = {"vendor": connection.vendor, "practices": total}
    for name, urls in (
        ("search", [f"/practices/?q={q}{FILTERS[k % len(FILTERS)]}" for k, q in enumerate(QUERIES)]),
        ("matching", [f"/visits/match/?city={c}&area={a}" for c, a in PAIRS]),
    ):
        for url in urls:  # warm: templates compiled, caches filled
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(REPEAT):
            for url in urls:
                t0 = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - t0)
        out[name] = times
    print(json.dumps(out))


def run(env: dict[str, str]) -> dict:
    subprocess.run([PY, "-m", "icc.cli", "demo"], env=env, check=True, cwd=ROOT, capture_output=True)
    done = subprocess.run([PY, __file__, "--inner"], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pg", default="postgres://icc:icc@127.0.0.1:5432/postgres")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    if args.inner:
        inner()
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "icc.web.settings", "ICC_DATA_DIR": tmp, "ICC_DEBUG": "0",
               "ICC_SECRET_KEY": "bench-" + uuid.uuid4().hex, "ICC_ALLOWED_HOSTS": "testserver"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        results.append(run(env))
        if not args.no_pg:
            import psycopg

            name = "icc_bench_learning"
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
                conn.execute(f"CREATE DATABASE {name}")
            try:
                results.append(run({**env, "DATABASE_URL": args.pg.rsplit("/", 1)[0] + "/" + name}))
            finally:
                with psycopg.connect(args.pg, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    machine = platform.processor() or platform.machine()
    print(
        f"# Good-practice search and study-visit matching, {date.today()} ({machine}, {os.cpu_count()} cores; "
        f"whole pages through Django's test client, {REPEAT} rounds)"
    )
    print()
    print("| database | published practices | page | requests | p50 ms | p95 ms | max ms |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for r in results:
        for page in ("search", "matching"):
            t = r[page]
            print(
                f"| {r['vendor']} | {r['practices']:,} | {page} | {len(t)} | {statistics.median(t) * 1000:.0f} "
                f"| {percentile(t, 95):.0f} | {max(t) * 1000:.0f} |"
            )


if __name__ == "__main__":
    main()
