"""`icc serve` (what `make run` starts) shows the pages a visitor gets: styled error pages, never Django's debug
pages; its secret key is made once and kept in the data directory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from support.servers import ROOT, free_port

SETUP = """
import django
django.setup()
from django.core.management import call_command
from icc.web.network.models import City
call_command("migrate", verbosity=0)
City.objects.create(slug="oslo", name="Oslo", country_code="NO", is_member=True)
"""


def test_serve_shows_styled_error_pages_and_keeps_one_secret_key(tmp_path):
    env = {**os.environ, "ICC_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "icc.web.settings"}
    for name in ("ICC_DEBUG", "ICC_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    made = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr[-2000:]  # a city: serve loads no demo network
    port = free_port()
    icc = os.path.join(os.path.dirname(sys.executable), "icc")
    server = subprocess.Popen([icc, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)
            raise AssertionError("a missing page answered 200")
        except urllib.error.HTTPError as e:
            page = e.read().decode()
            assert e.code == 404
        assert "Page not found · Intercultural Cities Index" in page and "DEBUG = True" not in page
    finally:
        server.terminate()
        server.wait(timeout=20)
    key = tmp_path / "secret-key"
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
    first = key.read_text()
    from icc.cli.demo import _local_secret_key

    os.environ["ICC_DATA_DIR"], before = str(tmp_path), os.environ.get("ICC_DATA_DIR")
    try:
        assert _local_secret_key().read_text() == first  # kept, not made anew
    finally:
        if before is None:
            os.environ.pop("ICC_DATA_DIR")
        else:
            os.environ["ICC_DATA_DIR"] = before
