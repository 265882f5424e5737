"""Fold French translations written as JSON ({"msgid": "msgstr", ...}) into django.po and compile the .mo.

Temporary intake while several people add strings at once: each writes src/icc/web/locale/intake/<name>.json
and runs `make messages`; the .po stays the one source (the intake files are folded in and removed before a
release). A plural entry: {"singular msgid": {"plural": "plural msgid", "fr": ["un", "plusieurs"]}}.
"""

import fcntl
import json
import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "src" / "icc" / "web" / "locale"
PO = ROOT / "fr" / "LC_MESSAGES" / "django.po"


def main() -> None:
    with open("/tmp/icc-po.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        po = polib.pofile(str(PO))
        by_id = {(e.msgctxt, e.msgid): e for e in po}
        for path in sorted((ROOT / "intake").glob("*.json")):
            table = json.loads(path.read_text(encoding="utf-8"))
            for msgid, msgstr in table.items():
                if isinstance(msgstr, dict):  # {"plural": "...", "fr": ["one", "many"]}
                    entry = by_id.get((None, msgid)) or polib.POEntry(msgid=msgid, msgid_plural=msgstr["plural"])
                    entry.msgid_plural = msgstr["plural"]
                    entry.msgstr_plural = dict(enumerate(msgstr["fr"]))
                else:
                    entry = by_id.get((None, msgid)) or polib.POEntry(msgid=msgid)
                    entry.msgstr = msgstr
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                if (None, msgid) not in by_id:
                    po.append(entry)
                    by_id[(None, msgid)] = entry
        po.save()
        po.save_as_mofile(str(PO.with_suffix(".mo")))
    print(f"{PO.relative_to(ROOT.parents[3])}: {len(po)} entries, {len(po.untranslated_entries())} untranslated")


if __name__ == "__main__":
    sys.exit(main())
