"""The explorer's data endpoints under 20 concurrent clients, on SQLite with the demo network (prints a table).

The demo network is loaded into a fresh SQLite database, the platform runs under gunicorn (2 workers × 8 threads,
`ICC_DEBUG=0`) on 127.0.0.1, and 20 client threads request, back to back, the JSON and CSV data behind the
explorer's charts (API pages and explorer downloads with various filters). Run: `python bench/bench_explorer.py`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _server import PY, ROOT, gunicorn, percentile  # noqa: E402

URLS = [
    "/api/v1/scores?edition=2025&item=index_core&page_size=200",
    "/api/v1/scores?edition=2022&level=area&country=IT",
    "/api/v1/scores?city=oslo",
    "/api/v1/cities?country=ES",
    "/api/v1/editions",
    "/explore/download.csv?chart=ranking&edition=2025&item=language",
    "/explore/download.csv?chart=scatter&edition=2019&x=population&size=pop-200k-500k",
    "/explore/download.csv?chart=progress&cities=oslo,bilbao,odessa",
    "/explore/download.csv?chart=city&city=bilbao&edition=2025",
    "/explore/download.csv?chart=core-extended&edition=2025&diversity=fb-10-15",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="requests per client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "icc.web.settings",
            "ICC_DATA_DIR": tmp,
            "ICC_DEBUG": "0",
            "ICC_SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "ICC_ALLOWED_HOSTS": "127.0.0.1",
        }
        env.pop("DATABASE_URL", None)
        subprocess.run([PY, "-m", "icc.cli", "demo"], env=env, check=True, cwd=ROOT, capture_output=True)
        with gunicorn(env, threads=8, ready_path=URLS[-1]) as base:  # the first request also warms caches
            for url in URLS:
                urllib.request.urlopen(base + url, timeout=10).read()
            latencies: dict[str, list[float]] = {u: [] for u in URLS}
            errors: list[str] = []
            lock = threading.Lock()

            def client(k: int) -> None:
                for i in range(args.requests):
                    url = URLS[(k + i) % len(URLS)]
                    t0 = time.perf_counter()
                    try:
                        with urllib.request.urlopen(base + url, timeout=30) as r:
                            r.read()
                    except OSError as exc:
                        errors.append(f"{url}: {exc}")
                    with lock:
                        latencies[url].append(time.perf_counter() - t0)

            threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0

    everything = [x for v in latencies.values() for x in v]
    print(
        f"# Explorer data endpoints: {args.clients} concurrent clients × {args.requests} requests, SQLite, demo "
        f"network, gunicorn 2 workers × 8 threads, client and server on one machine ({os.cpu_count()} cores)"
    )
    print()
    print("| endpoint | requests | median | p95 | p99 |")
    print("|---|---|---|---|---|")
    for url, v in latencies.items():
        print(
            f"| `{url}` | {len(v)} | {statistics.median(v) * 1000:.1f} ms | "
            f"{percentile(v, 95):.1f} ms | {percentile(v, 99):.1f} ms |"
        )
    print(
        f"| **all** | {len(everything)} | {statistics.median(everything) * 1000:.1f} ms | "
        f"{percentile(everything, 95):.1f} ms | {percentile(everything, 99):.1f} ms |"
    )
    print()
    print(f"Throughput {len(everything) / wall:.0f} requests/s; errors: {len(errors)}")


if __name__ == "__main__":
    main()
