"""The small-group rule: a group of fewer than MIN_GROUP respondents is never shown broken down.

``guard`` is the one function that decides. The results (page, API, .docx report) and the raw
exports all pass their counts through it; nothing else compares a count with MIN_GROUP.
"""

from collections.abc import Hashable, Mapping

MIN_GROUP = 5


def guard(counts: Mapping[Hashable, int], *, total: int | None = None) -> dict[Hashable, int | None]:
    """Each count, or None where it must not be shown.

    A count of 1..MIN_GROUP-1 is hidden (0 may be shown: it describes nobody). When ``total`` is
    shown and the counts add up to it, a single hidden count could be recovered by subtraction, so
    the next smallest count is hidden too (secondary suppression). A ``total`` itself below
    MIN_GROUP hides everything.
    """
    if total is not None and 0 < total < MIN_GROUP:
        return dict.fromkeys(counts)
    shown: dict[Hashable, int | None] = {key: (n if n == 0 or n >= MIN_GROUP else None) for key, n in counts.items()}
    hidden = [key for key, value in shown.items() if value is None]
    if total is not None and len(hidden) == 1 and sum(counts.values()) == total:
        candidates = sorted((n, str(key), key) for key, n in counts.items() if shown[key])
        if candidates:
            shown[candidates[0][2]] = None
    return shown


def is_small(n: int) -> bool:
    """Whether a group of ``n`` respondents is too small to show (the guard's rule, for one group)."""
    return guard({"group": n})["group"] is None
