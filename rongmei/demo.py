"""The demo data loader. Each app may have a ``demo`` module with a
``load()`` function returning ``{model: count}``; they run in the order of
INSTALLED_APPS, so later apps can use what earlier ones made. Loading twice
updates the same records instead of adding copies.

A module that sets ``IN_BACKGROUND = True`` (the demo stories, which go
through the real review and take seconds) may be handed to the background
worker, so that ``rongmei up`` serves the platform without waiting for it."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

from rongmei.core import audit


def demo_modules():
    for app_config in apps.get_app_configs():
        if app_config.name.startswith("rongmei.") and find_spec(f"{app_config.name}.demo"):
            yield import_module(f"{app_config.name}.demo")


def load_demo(*, background: bool = False) -> tuple[dict[type, int], list[str]]:
    """Load every app's demo data; with ``background``, the modules marked
    ``IN_BACKGROUND`` are queued for the worker. Returns the counts loaded
    now and the names of the modules queued."""
    from rongmei.core.tasks import load_demo_modules

    summary: dict[type, int] = {}
    queued: list[str] = []
    with transaction.atomic():
        for module in demo_modules():
            if background and getattr(module, "IN_BACKGROUND", False):
                queued.append(module.__name__)
            else:
                summary.update(module.load())
        audit.record(
            "core.demo.load",
            data={
                **{model._meta.label: count for model, count in summary.items()},
                "queued": queued,
            },
        )
    if queued:
        load_demo_modules(queued)
    return summary, queued


def load_module(name: str) -> dict[type, int]:
    """One app's demo data (what the background worker runs)."""
    module = import_module(name)
    with transaction.atomic():
        summary = module.load()
        audit.record("core.demo.load", data={model._meta.label: count for model, count in summary.items()})
    return summary


def is_empty() -> bool:
    """True before anyone has set the center up (no organisation yet)."""
    from rongmei.core.models import Organisation

    return not Organisation.objects.exists()
