"""Translated, remappable bindings built from the core keymap table (agent_tui.keymap).

Each screen names the action ids it offers; the description and tooltip come from the catalog in
the agent's language, and every binding keeps its id so ``[keymap]`` in config can remap it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from agent_tui.i18n import Catalog
from agent_tui.keymap import ACTIONS_BY_ID


def bindings_for(action_ids: Iterable[str], catalog: Catalog) -> list[Binding]:
    bindings = []
    for action_id in action_ids:
        entry = ACTIONS_BY_ID[action_id]
        bindings.append(
            Binding(
                entry.keys,
                entry.action,
                catalog.text(entry.label_key),
                tooltip=catalog.text(entry.help_key),
                id=entry.id,
                priority=entry.priority,
            )
        )
    return bindings


def install_bindings(node: DOMNode, action_ids: Iterable[str], catalog: Catalog) -> None:
    """Replace ``node``'s bindings with the translated ones for ``action_ids``."""
    node._bindings = BindingsMap(bindings_for(action_ids, catalog))
