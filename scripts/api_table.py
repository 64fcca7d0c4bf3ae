"""Rewrite the operations table of docs/api.md from the OpenAPI schema (run after adding an operation):

    DJANGO_SETTINGS_MODULE=sciday.settings_test .venv/bin/python scripts/api_table.py

api/tests/test_openapi.py fails while the table and the schema disagree."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciday.settings_test")

import django  # noqa: E402

django.setup()

from api.urls import api  # noqa: E402

HEADER = "| method | path | codes |\n|---|---|---|\n"


def main() -> None:
    schema = api.get_openapi_schema()
    rows = [f"| {method.upper()} | `{path.removeprefix('/api/v1')}` | {', '.join(sorted(op['responses']))} |"
            for path, operations in schema["paths"].items() for method, op in operations.items()]
    doc = ROOT / "docs" / "api.md"
    text = doc.read_text(encoding="utf-8")
    start = text.index(HEADER)
    end = start + len(HEADER)
    lines = text[end:].split("\n")
    while lines and lines[0].startswith("| "):
        lines.pop(0)
    doc.write_text(text[:start] + HEADER + "\n".join(rows) + "\n" + "\n".join(lines), encoding="utf-8")
    print(f"{len(rows)} operations")


if __name__ == "__main__":
    main()
