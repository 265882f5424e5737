"""The limits hold across processes and machines: two gunicorn servers (two workers each) on one database.

Failed sign-ins counted by one server pause the account on the other; password reset requests raced at both
servers at once send no more e-mails than the limit allows; the rate-limit counts lose no increment when several
processes count at once (Django's own database cache does: it reads, adds one and writes).
"""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from support.servers import ROOT, Gunicorn, Visitor, production_env

SETUP = """
import django
django.setup()
from django.core.management import call_command
from icc.web.accounts.models import User
call_command("migrate", verbosity=0)
User.objects.create_user("oslo", "oslo@example.invalid", "Oslo-2026-signin!")
User.objects.create_user("bilbao", "bilbao@example.invalid", "Bilbao-2026-signin!")
"""


class Browser(Visitor):
    """One visitor whose POSTs answer with their status only."""

    def post(self, path: str, data: dict, *, htmx: bool = False) -> int:  # type: ignore[override]
        return super().post(path, data, htmx=htmx)[0]


COUNT = """
import sys
import django
django.setup()
from django.core.cache import caches
cache = caches["rate-limits"]
if sys.argv[1] == "start":
    cache.add("count", 0, 3600)
elif sys.argv[1] == "read":
    print(cache.get("count"))
else:
    for _ in range(int(sys.argv[1])):
        cache.incr("count")
"""


def production(tmp_path) -> dict[str, str]:
    env = production_env(tmp_path)  # one SQLite file: the store every process shares
    setup = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, capture_output=True, text=True)
    assert setup.returncode == 0, setup.stderr[-2000:]
    return env


@pytest.fixture
def two_servers(tmp_path):
    env = production(tmp_path)
    outputs = [tmp_path / f"server-{name}.out" for name in ("a", "b")]
    with outputs[0].open("w") as out_a, outputs[1].open("w") as out_b:
        with Gunicorn(env, output=out_a) as a, Gunicorn(env, output=out_b) as b:
            yield [a, b], outputs


def test_failures_counted_by_one_server_pause_the_account_on_the_other(two_servers):
    (a, b), _ = two_servers
    at_a, at_b = Browser(a), Browser(b)
    assert [at_a.post("/accounts/login/", {"username": "oslo", "password": "wrong"}) for _ in range(4)] == [200] * 4
    assert at_b.post("/admin/login/", {"username": "ＯＳＬＯ", "password": "wrong"}) == 429  # the fifth, elsewhere
    for browser in (at_a, at_b, Browser(b)):
        assert browser.post("/accounts/login/", {"username": "oslo", "password": "Oslo-2026-signin!"}) == 429
    assert at_b.post("/accounts/login/", {"username": "bilbao", "password": "Bilbao-2026-signin!"}) == 302


def test_password_resets_raced_at_two_servers_send_no_more_e_mails_than_the_limit(two_servers):
    bases, outputs = two_servers
    browsers = [Browser(bases[i % 2]) for i in range(12)]

    def ask(browser: Browser) -> int:
        return browser.post("/accounts/password-reset/", {"email": "bilbao@example.invalid"})

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(ask, browsers))
    assert answers == [302] * 12  # the same answer whether an e-mail was sent or not
    time.sleep(0.5)
    sent = sum(path.read_text().count("To: bilbao@example.invalid") for path in outputs)
    assert sent == 3


def test_rate_limit_counts_lose_no_increment_when_processes_count_at_once(tmp_path):
    env = production(tmp_path)

    def count(*args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", COUNT, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE)

    assert count("start").wait() == 0
    racing = [count("100") for _ in range(4)]
    assert [p.wait(timeout=120) for p in racing] == [0] * 4
    assert count("read").communicate()[0].decode().strip() == "400"
