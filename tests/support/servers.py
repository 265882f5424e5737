"""The platform as it runs in production, for tests that need real processes: gunicorn on a fresh data directory,
and a visitor with its own cookies talking to it over HTTP (no test client, no shared memory)."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(data_dir: Path, *, sqlite: bool = True, **extra: str) -> dict[str, str]:
    """The environment of a production deployment on ``data_dir`` (debug off, its own secret key). ``sqlite``:
    drop ``DATABASE_URL`` so that every process shares the SQLite file of ``data_dir``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icc.web.settings",
        "ICC_DATA_DIR": str(data_dir),
        "ICC_DEBUG": "0",
        "ICC_SECRET_KEY": "test-" + uuid.uuid4().hex,
        "ICC_ALLOWED_HOSTS": "127.0.0.1",
        **extra,
    }
    if sqlite:
        env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


class Gunicorn:
    """``with Gunicorn(env, workers=2) as base:`` — a server in its own process group, ready when entered;
    stopped (SIGTERM, then SIGKILL) on leaving. :meth:`kill` stops it outright, as a crash would."""

    def __init__(self, env: dict[str, str], *, workers: int = 2, threads: int = 1, output: IO[str] | None = None):
        self.env, self.workers, self.threads, self.output = env, workers, threads, output
        self.base = f"http://127.0.0.1:{free_port()}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> str:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "icc.web.wsgi:application",
            "-b",
            self.base.removeprefix("http://"),
        ]
        command += ["-w", str(self.workers), "--threads", str(self.threads), "--timeout", "120"]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            start_new_session=True,  # its own process group: the workers stop with the master
            stdout=self.output or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self.output else subprocess.DEVNULL,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(self.base + "/accounts/login/", timeout=5).read()
                return self.base
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn stopped with code {self.process.returncode}") from None
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer within 30 s")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no shutdown, no flush."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def __exit__(self, *exc: object) -> None:
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302 is the answer itself
        return None


class Visitor:
    """One person's browser as far as the server can tell: its own cookies (session, CSRF); redirects are not
    followed (a 302 is an answer)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as r:
            return r.read().decode()

    def post(self, path: str, data: dict, *, htmx: bool = False) -> tuple[int, str]:
        """POST a form (lists as repeated fields) with the CSRF token; ``(status, body)``."""
        if not any(c.name == "csrftoken" for c in self.jar):
            self.get("/accounts/login/")
        csrf = next(c.value for c in self.jar if c.name == "csrftoken")
        headers = {"X-CSRFToken": csrf, "Referer": self.base + "/"}
        if htmx:
            headers["HX-Request"] = "true"
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST", headers=headers)
        try:
            with self.opener.open(request, timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def login(self, user: str, password: str) -> None:
        status, _ = self.post("/accounts/login/", {"username": user, "password": password})
        assert status == 302, f"{user} could not sign in ({status})"
