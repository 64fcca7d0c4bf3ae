"""What each stored file belongs to, so that it is served by its owner's permission rule.

Every app whose models hold files (a ForeignKey or ManyToManyField to uploads.Asset) declares, in
``<app>/files.py``::

    FILE_OWNERS = [
        # (model label, field holding the file, permission in accounts.permissions.RULES,
        #  path from the model to the object that rule is asked about, "" for the row itself)
        ("summaries.Attachment", "asset", "summary.view", "summary"),
    ]

``asset_owner_rules(asset)`` finds the rows that hold the file and yields (permission, object) for
each; a test holds every relation to Asset in the model graph to a declaration, so a new kind of
file cannot slip past the rule.
"""

from collections.abc import Iterator
from functools import cache
from operator import attrgetter

from django.apps import apps

from core.registry import app_hooks


@cache
def owner_specs() -> tuple[tuple, ...]:
    specs = []
    for declared in app_hooks("files", "FILE_OWNERS"):
        for label, field, permission, path in declared:
            specs.append((apps.get_model(label), field, permission, path))
    return tuple(specs)


def asset_owner_rules(asset) -> Iterator[tuple[str, object]]:
    """(permission, object) for every row that holds ``asset``: one query per kind of owner."""
    for model, field, permission, path in owner_specs():
        related = [part for part in path.split(".") if part]
        rows = model.objects.filter(**{field: asset})
        if related:
            rows = rows.select_related("__".join(related))
        for row in rows[:20]:
            yield permission, attrgetter(path)(row) if path else row
