"""Hooks: how the plumbing and lower apps tell higher apps that something happened,
without importing them (imports only point down: inquiries -> buyers -> catalogue ->
exporters -> pti_bridge).

A higher app registers a function in its AppConfig.ready(); the lower layer fires the
event by name. This is for a few named events of the business flow, called explicitly
by services (no Django signals, so a reader of the service sees the call):

- "renditions_saved" (model_label, pk): new renditions of an image row were stored
  (pti_bridge.renditions.refresh_renditions);
- "exporter_renamed" (exporter_id): an exporter's name changed; fired after commit by
  exporters.services;
- "buyer_deleting" (buyer_id): a buyer's account is being deleted; fired inside the
  deletion's transaction by buyers.services.buyer_delete, so what a higher app erases
  commits or rolls back with it.
"""

import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

_registry: dict[str, list[Callable]] = defaultdict(list)


def register(event: str, function: Callable) -> None:
    """Call `function(**kwargs)` whenever `event` fires (registering twice keeps one)."""
    if function not in _registry[event]:
        _registry[event].append(function)


def fire(event: str, **kwargs) -> None:
    """Call every function registered for `event`, now, in registration order."""
    for function in list(_registry.get(event, ())):
        function(**kwargs)


def fire_after_commit(event: str, **kwargs) -> None:
    """Fire `event` once the current transaction commits (at once outside a transaction).

    A failing hook is logged and does not undo what committed; its repair is the hook
    owner's business (e.g. `manage.py catalogue_refresh_search`).
    """

    def run():
        try:
            fire(event, **kwargs)
        except Exception:
            logger.exception("hook %s%r failed", event, kwargs)

    transaction.on_commit(run)
