"""One translation source: src/icc/web/locale/fr/LC_MESSAGES/django.po, edited by hand and refreshed by
`make messages` (Django's makemessages). Every string the code and templates mark for translation is in it,
translated and not fuzzy; it holds no string the code no longer uses; the compiled .mo matches it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

WEB = Path(__file__).resolve().parents[3] / "src" / "icc" / "web"
PO = WEB / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The catalogue as makemessages makes it now from a copy of the web layer (the tree is not touched)."""
    if shutil.which("xgettext") is None:  # .ci/run installs gettext
        pytest.fail("xgettext (GNU gettext) is needed to check the translations: apt-get install gettext")
    copy = tmp_path_factory.mktemp("po") / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    command = [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-obsolete", "--no-wrap"]
    out = subprocess.run(command, cwd=copy, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    return polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))


def test_every_string_marked_for_translation_is_translated_in_french(extracted):
    missing = [
        f"{e.msgid!r} ({e.occurrences[0][0] if e.occurrences else '?'})" for e in extracted.untranslated_entries()
    ]
    assert not missing, "untranslated (add them to django.po, then `make messages`):\n" + "\n".join(missing[:40])


def test_no_french_string_is_fuzzy(extracted):
    fuzzy = [repr(e.msgid) for e in polib.pofile(str(PO)).fuzzy_entries() + extracted.fuzzy_entries()]
    assert not fuzzy, "fuzzy translations (check them, then remove the fuzzy flag):\n" + "\n".join(fuzzy[:40])


def test_the_catalogue_holds_no_string_the_code_no_longer_uses(extracted):
    stale = {_key(e) for e in polib.pofile(str(PO)) if not e.obsolete} - {_key(e) for e in extracted}
    assert not stale, "run `make messages` to drop them:\n" + "\n".join(repr(m) for _c, m in sorted(stale)[:40])


def test_the_compiled_catalogue_matches_the_source():
    po, mo = polib.pofile(str(PO)), polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {_key(e): e.msgstr or e.msgstr_plural for e in mo}
    for entry in po.translated_entries():
        assert compiled.get(_key(entry)) == (entry.msgstr or entry.msgstr_plural), (
            f"run `make messages`: {entry.msgid!r}"
        )
