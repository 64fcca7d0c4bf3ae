"""The demo needs the official calendar (public notices count working days)."""

from .services import official_load


def load_demo_data(stdout=None) -> list[tuple[str, str]]:
    counts = official_load()
    if stdout is not None and counts["created"]:
        stdout.write(f"holiday calendar: {counts['created']} days of {counts['years']}")
    return []
