"""Nothing lost: every autosave the server acknowledged is in the database after the server is killed outright.

The platform runs under gunicorn on a fresh SQLite database (WAL, synchronous=FULL); an official autosaves
answers; right after the last acknowledgement the whole server process group gets SIGKILL (no shutdown, no
flush); a new process then reads the database file and must find every acknowledged answer at its version.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

from support.servers import Gunicorn, Visitor, production_env

ROOT = Path(__file__).resolve().parents[3]
SETUP = ROOT / "bench" / "bench_autosave.py"  # its --setup / --verify modes prepare and read a database


def run_json(env: dict[str, str], *args: str) -> dict:
    out = subprocess.run([sys.executable, str(SETUP), *args], env=env, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_acknowledged_autosaves_survive_a_killed_server(tmp_path):
    env = production_env(tmp_path)  # the crash is the platform's concern on its own SQLite file
    plan = run_json(env, "--setup", "1")
    official, response = plan["officials"][0]["user"], plan["officials"][0]["response"]
    acknowledged: dict[str, int] = {}
    server = Gunicorn(env, workers=2)
    with server as base:
        client = Visitor(base)
        client.login(official, "bench-password-1")
        client.get(f"/responses/{response}/sections/commitment/")
        try:
            for i, qid in enumerate(plan["questions"][:20]):
                for version in (0, 1):  # every answer changed twice: the second save carries the new version
                    data = {
                        "version": version,
                        "edit_key": uuid.uuid4().hex,
                        "value": ["yes", "partly", "no"][(i + version) % 3],
                    }
                    status, body = client.post(f"/responses/{response}/answers/{qid}/", data, htmx=True)
                    assert status == 200 and 'class="state saved"' in body, (qid, status, body[:300])
                    acknowledged[qid] = version + 1
        finally:
            server.kill()  # right after the last acknowledgement: no shutdown, no flush

    stored = run_json(env, "--verify")["versions"]
    assert {k.split(":", 1)[1]: v for k, v in stored.items()} == acknowledged
