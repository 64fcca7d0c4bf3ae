"""Chinese first, English complete: every string shown to a user is translated into Chinese."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS_WITH_CATALOGUES = sorted(p.parents[3].name for p in ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def parse_po(path: Path) -> list[dict]:
    """A small reader of .po files: each entry's msgid, plural, msgstr(s) and flags."""
    entries, entry, key = [], None, None

    def close():
        if entry is not None and ("msgid" in entry):
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            close()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r'^(msgid_plural|msgid|msgstr\[(\d+)\]|msgstr|msgctxt)\s+"(.*)"$', line)
            if match:
                key = match.group(1)
                value = match.group(3)
                if key.startswith("msgstr"):
                    index = int(match.group(2)) if match.group(2) else 0
                    entry["msgstr"][index] = value
                    key = ("msgstr", index)
                else:
                    entry[key] = value
            elif line.startswith('"') and key is not None:
                value = line[1:-1]
                if isinstance(key, tuple):
                    entry["msgstr"][key[1]] += value
                else:
                    entry[key] += value
    close()
    return [e for e in entries if e.get("msgid") != ""]


def untranslated(entries: list[dict]) -> list[str]:
    return [e["msgid"] for e in entries if "fuzzy" in e["flags"] or not all(e["msgstr"].values()) or not e["msgstr"]]


def test_there_are_catalogues():
    assert {"core", "audit", "workbench", "public"} <= set(APPS_WITH_CATALOGUES)


@pytest.mark.parametrize("app", APPS_WITH_CATALOGUES)
def test_catalogue_is_fully_translated_and_compiled(app):
    po = ROOT / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = parse_po(po)
    assert entries, f"{po} is empty"
    assert untranslated(entries) == []
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run make messages"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in entries:
        if "msgid_plural" in entry or "msgctxt" in entry:
            continue
        msgid = entry["msgid"].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        expected = entry["msgstr"][0].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        assert catalogue.gettext(msgid) == expected, f"{app}: the .mo is older than the .po ({msgid!r})"


@pytest.mark.skipif(shutil.which("xgettext") is None and not os.environ.get("CI"), reason="GNU gettext is not installed")
@pytest.mark.parametrize("app", APPS_WITH_CATALOGUES)
def test_no_string_in_the_source_is_missing_from_the_catalogue(app, tmp_path):
    """makemessages over a copy of the app finds nothing that the catalogue does not translate."""
    copy = tmp_path / app
    shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "sciday.settings_test"}
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    entries = parse_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert untranslated(entries) == []
