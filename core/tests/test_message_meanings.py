"""One meaning per message (issue 14 item 5): Django merges every app's catalogue into one, so a msgid
translated differently in two apps takes whichever catalogue comes first everywhere (「数值题」, a survey
question type, in the report where 「数量」 was meant). A word with two meanings needs a pgettext context
(or a distinct msgid) in one of the apps."""

import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
ENTRY = re.compile(r'(?:^msgctxt ((?:".*"\n)+))?^msgid ((?:".*"\n)+)(?:^msgid_plural (?:".*"\n)+)?'
                   r'^msgstr(?:\[0\])? ((?:".*"\n)+)', re.M)


def _join(quoted: str | None) -> str | None:
    if quoted is None:
        return None
    return "".join(re.findall(r'"(.*)"', quoted))


def catalogue_entries():
    """(app, context, msgid, translation) for every translated entry of every app's Chinese catalogue (a plural
    entry by its first form)."""
    for po in sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")):
        text = po.read_text(encoding="utf-8")
        for block in text.split("\n\n"):
            if "#, fuzzy" in block:
                continue
            lines = "\n".join(line for line in block.splitlines() if not line.startswith("#")) + "\n"
            match = ENTRY.search(lines)
            if match and _join(match.group(2)) and _join(match.group(3)):
                yield po.parts[-5], _join(match.group(1)), _join(match.group(2)), _join(match.group(3))


def clashes(entries=None) -> dict:
    seen = defaultdict(lambda: defaultdict(set))
    for app, context, msgid, msgstr in catalogue_entries() if entries is None else entries:
        seen[(context, msgid)][msgstr].add(app)
    return {key: {k: sorted(v) for k, v in found.items()} for key, found in seen.items() if len(found) > 1}


def test_the_scan_reads_the_catalogues():
    entries = list(catalogue_entries())
    assert len(entries) > 1000
    assert any(app == "surveys" for app, *_rest in entries)


def test_no_msgid_has_two_translations_across_the_apps():
    found = clashes()
    assert not found, "\n".join(f"{key}: {value}" for key, value in sorted(found.items(), key=str))


def test_the_scan_sees_contexts_and_plurals():
    entries = {(app, context, msgid): msgstr for app, context, msgid, msgstr in catalogue_entries()}
    assert entries[("surveys", "question type", "Number")] == "数值题"
    assert entries[("exhibitions", "visiting group", "Group")] == "团体"
    assert entries[("accounts", None, "You have %(n)s active token.")]


def test_a_clash_is_found():
    """The check can fail: two apps giving one msgid two translations are reported."""
    fake = [("a", None, "Group", "团体"), ("b", None, "Group", "分组"), ("a", "x", "Group", "团体"),
            ("b", "y", "Group", "分组"), ("a", None, "Save", "保存"), ("b", None, "Save", "保存")]
    assert clashes(fake) == {(None, "Group"): {"团体": ["a"], "分组": ["b"]}}


# Words whose meaning differs between the apps that use them: each use keeps its own Chinese in the catalogue
# Django merges at run time (context, msgid, Chinese).
KNOWN_MEANINGS = [
    ("visiting group", "Group", "团体"),  # exhibitions: a group booking a visit
    ("report group", "Group", "分组"),  # the report's breakdown tables
    ("video field", "Field", "领域"),  # publicity: a short video's field of science
    (None, "Field", "需求领域"),  # volunteering: the field a service request needs
    ("photo", "Next", "下一张"),  # the activity page's photo viewer
    ("photo", "Previous", "上一张"),
    (None, "Next", "下一页"),  # pagination
    (None, "Previous", "上一页"),
    ("question type", "Number", "数值题"),
    ("a count", "Number", "数量"),
    ("service record", "What was done", "服务内容"),  # volunteering: a service record
    (None, "What was done", "办理结果"),  # problems: how a problem was resolved
    ("person", "Name", "姓名"),
    (None, "Name", "名称"),
    ("survey period", "Open", "开放时间"),
    (None, "Open", "打开"),
    ("sort order", "Order", "排序"),
    (None, "Order", "序号"),
    ("a count", "Units", "单位总数"),
    (None, "Units", "单位"),
    ("time", "published", "发布时间"),
    (None, "published", "已发布"),
    ("article", "text", "正文"),
    (None, "text", "文本"),
    ("answer code", "used", "已使用"),
    (None, "used", "使用时间"),
]


@pytest.mark.parametrize(("context", "msgid", "chinese"), KNOWN_MEANINGS)
def test_each_meaning_reads_its_own_chinese_at_run_time(context, msgid, chinese):
    with translation.override("zh-hans"):
        shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert shown == chinese
