"""The demo data loader. Each app may have a ``demo`` module with a
``load()`` function returning ``{model: count}``; they run in the order of
INSTALLED_APPS, so later apps can use what earlier ones made. Loading twice
updates the same records instead of adding copies."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

from rongmei.core import audit


def demo_modules():
    for app_config in apps.get_app_configs():
        if app_config.name.startswith("rongmei.") and find_spec(f"{app_config.name}.demo"):
            yield import_module(f"{app_config.name}.demo")


def load_demo() -> dict[type, int]:
    summary: dict[type, int] = {}
    with transaction.atomic():
        for module in demo_modules():
            summary.update(module.load())
        audit.record("core.demo.load", data={model._meta.label: count for model, count in summary.items()})
    return summary


def is_empty() -> bool:
    """True before anyone has set the center up (no organisation yet)."""
    from rongmei.core.models import Organisation

    return not Organisation.objects.exists()
