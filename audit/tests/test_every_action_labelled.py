"""Every action a service audits reads as words on the log page: each literal code ``app.model.event`` in the
source, and the codes made from a variable part (f-strings) with each value that part takes, has a label."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from audit.labels import action_label

ROOT = Path(settings.BASE_DIR)
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_]+\.[a-z_.]+)"')
# Codes written with a variable event, and every value it takes (see each module).
VARIABLE = {
    "rollup.record": ("select", "decline", "reopen"),  # rollup.services.record_decide: TRANSITIONS' actions
    "transfer.upload": ("complete", "failed", "abandoned", "pruned"),  # states reached; upload_abandon reasons
}


def _source_codes() -> set[str]:
    codes = set()
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "node_modules", "tests", "migrations"}:
            continue
        codes.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_audited_action_has_a_chinese_label():
    codes = _source_codes() | {f"{prefix}.{event}" for prefix, events in VARIABLE.items() for event in events}
    assert len(codes) > 100  # the scan found the services
    with translation.override("zh-hans"):
        unlabelled = sorted(code for code in codes if action_label(code) == code)
        untranslated = sorted(code for code in codes if re.search(r"：[A-Za-z]", action_label(code)))
    assert unlabelled == []
    assert untranslated == []


def test_an_unknown_event_stays_its_code():
    assert action_label("rollup.package.no_such_event") == "rollup.package.no_such_event"
