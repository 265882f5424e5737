"""What the HTTP benchmarks share: a gunicorn server of the platform on a free port, and percentiles."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], threads: int, ready_path: str, workers: int = 2) -> Iterator[str]:
    """Serve ``icc.web.wsgi`` with gunicorn; yield its base URL once ``ready_path`` answers; stop it afterwards."""
    port = free_port()
    command = [PY, "-m", "gunicorn", "icc.web.wsgi:application", "-b", f"127.0.0.1:{port}"]
    command += ["-w", str(workers), "--threads", str(threads), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + ready_path, timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not answer {ready_path} within 20 s")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of latencies in seconds, in milliseconds."""
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] * 1000
