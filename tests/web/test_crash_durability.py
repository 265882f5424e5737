"""Nothing lost: every autosave the server acknowledged is in the database after the server is killed outright.

The platform runs under gunicorn on a fresh SQLite database (WAL, synchronous=FULL); an official autosaves
answers; right after the last acknowledgement the whole server process group gets SIGKILL (no shutdown, no
flush); a new process then reads the database file and must find every acknowledged answer at its version.
"""

from __future__ import annotations

import http.cookiejar
import json
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

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "bench" / "bench_autosave.py"  # its --setup / --verify modes prepare and read a database


class Official:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as r:
            return r.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        csrf = next(c.value for c in self.jar if c.name == "csrftoken")
        req = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(data).encode(),
            method="POST",
            headers={"X-CSRFToken": csrf, "Referer": self.base + "/", "HX-Request": "true"},
        )
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


def run_json(env: dict[str, str], *args: str) -> dict:
    out = subprocess.run([sys.executable, str(SETUP), *args], env=env, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_acknowledged_autosaves_survive_a_killed_server(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icc.web.settings",
        "ICC_DATA_DIR": str(tmp_path),
        "ICC_DEBUG": "0",
        "ICC_SECRET_KEY": "crash-" + uuid.uuid4().hex,
        "ICC_ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DATABASE_URL", None)  # the crash is the platform's concern on its own SQLite file
    plan = run_json(env, "--setup", "1")
    official, response = plan["officials"][0]["user"], plan["officials"][0]["response"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "icc.web.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"],
        env=env,
        cwd=ROOT,
        start_new_session=True,  # its own process group, so that the workers die with the master
        stderr=subprocess.DEVNULL,
    )
    acknowledged: dict[str, int] = {}
    try:
        client = Official(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                client.get("/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        status, _ = client.post("/accounts/login/", {"username": official, "password": "bench-password-1"})
        assert status == 200
        client.get(f"/responses/{response}/sections/commitment/")
        for i, qid in enumerate(plan["questions"][:20]):
            for version in (0, 1):  # every answer changed twice: the second save carries the new version
                data = {
                    "version": version,
                    "edit_key": uuid.uuid4().hex,
                    "value": ["yes", "partly", "no"][(i + version) % 3],
                }
                status, body = client.post(f"/responses/{response}/answers/{qid}/", data)
                assert status == 200 and 'class="state saved"' in body, (qid, status, body[:300])
                acknowledged[qid] = version + 1
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=20)

    stored = run_json(env, "--verify")["versions"]
    assert {k.split(":", 1)[1]: v for k, v in stored.items()} == acknowledged
