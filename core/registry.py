"""How capabilities plug into shared pages without editing them: an app may define

- ``<app>/navigation.py`` with ``NAV = [(permission, url_name, label), ...]`` for the top menu;
- ``<app>/workbench.py`` with ``todos(user) -> list[dict(text=..., url=...)]`` for the workbench;
- ``<app>/demo.py`` with ``load_demo_data(stdout) -> list[(username, role)]`` for ``load_demo``;
- ``<app>/reference.py`` with ``ensure_reference_data()``: idempotently restores what the app's data
  migrations seed (the test suite calls it, since transactional tests flush the database).

They are found in INSTALLED_APPS order.
"""

from functools import cache
from importlib import import_module

from django.apps import apps


@cache
def app_hooks(module: str, attribute: str) -> tuple:
    found = []
    for app_config in apps.get_app_configs():
        try:
            mod = import_module(f"{app_config.name}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_config.name}.{module}":
                raise
            continue
        if hasattr(mod, attribute):
            found.append(getattr(mod, attribute))
    return tuple(found)
