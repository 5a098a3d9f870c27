"""Demo data of the analytics area (``manage.py load_demo``): each feature package may have
a ``demo`` module with ``load(units)``, loaded in the order of ``DEMO_FEATURES``."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from accounts.models import OrgUnit

# Figures before the goals that measure progress by them; the report and the records export
# of the figures and posts last.
DEMO_FEATURES = ("metrics", "goals", "reports", "records")


def load(units: dict[str, OrgUnit]) -> None:
    for feature in DEMO_FEATURES:
        module = f"analytics.{feature}.demo"
        if find_spec(module) is not None:
            import_module(module).load(units)
