"""One meaning per message (issue 14 item 5): Django merges every app's catalogue into one, so a msgid
translated differently in two apps takes whichever catalogue comes first everywhere (「数值题」, a survey
question type, in the report where 「数量」 was meant). A word with two meanings needs a pgettext context
(or a distinct msgid) in one of the apps."""

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRY = re.compile(r'(?:^msgctxt ((?:".*"\n)+))?^msgid ((?:".*"\n)+)^msgstr ((?:".*"\n)+)', re.M)


def _join(quoted: str | None) -> str | None:
    if quoted is None:
        return None
    return "".join(re.findall(r'"(.*)"', quoted))


def catalogue_entries():
    for po in sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")):
        text = po.read_text(encoding="utf-8")
        for block in text.split("\n\n"):
            if "#, fuzzy" in block:
                continue
            lines = "\n".join(line for line in block.splitlines() if not line.startswith("#")) + "\n"
            match = ENTRY.search(lines)
            if match and _join(match.group(2)) and _join(match.group(3)):
                yield po.parts[-5], _join(match.group(1)), _join(match.group(2)), _join(match.group(3))


def clashes() -> dict:
    seen = defaultdict(lambda: defaultdict(set))
    for app, context, msgid, msgstr in catalogue_entries():
        seen[(context, msgid)][msgstr].add(app)
    return {key: {k: sorted(v) for k, v in found.items()} for key, found in seen.items() if len(found) > 1}


def test_the_scan_reads_the_catalogues():
    entries = list(catalogue_entries())
    assert len(entries) > 1000
    assert any(app == "surveys" for app, *_rest in entries)


def test_no_msgid_has_two_translations_across_the_apps():
    found = clashes()
    assert not found, "\n".join(f"{key}: {value}" for key, value in sorted(found.items(), key=str))
