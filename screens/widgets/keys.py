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
from screens.widgets.textual_private import set_bindings


def bindings_for(action_ids: Iterable[str], catalog: Catalog,
                 unlisted: Iterable[str] = ()) -> list[Binding]:
    """``unlisted``: ids whose keys work but are not shown in the key bar."""
    unlisted = set(unlisted)
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
                show=action_id not in unlisted,
            )
        )
        bindings.extend(Binding(alias, entry.action, show=False, priority=entry.priority)
                        for alias in terminal_aliases(entry.keys))
    return bindings


def terminal_aliases(keys: str) -> list[str]:
    """What a real terminal sends for the shifted F-keys among ``keys``: shift+F2 arrives as
    ESC[1;2Q, which Textual names "f14" (the F-key twelve above), so a binding of "shift+f2"
    works under Pilot and never in a terminal. The alias carries no id: help lists the key as
    the agent presses it, and a [keymap] remap moves that key (the alias stays)."""
    aliases = []
    for key in keys.split(","):
        key = key.strip()
        if key.startswith("shift+f") and key[7:].isdigit() and 1 <= int(key[7:]) <= 12:
            aliases.append(f"f{int(key[7:]) + 12}")
    return aliases


# Focus moves are resolved by the app before it forwards the next key, not after the focused
# widget has let Tab bubble back up: otherwise keys that arrive in one burst (a fast typist, or
# several keys in one SSH packet) go to the field being left. Type-ahead is never lost.
FOCUS_BINDINGS = (
    Binding("tab", "focus_next", show=False, priority=True),
    Binding("shift+tab", "focus_previous", show=False, priority=True),
)
# Textual's own: ctrl+c explains how to quit instead of killing a call in progress.
APP_SYSTEM_BINDINGS = (Binding("ctrl+c", "help_quit", show=False, system=True),)
# Textual's own, kept on every screen: copy the selected text.
SCREEN_SYSTEM_BINDINGS = (Binding("ctrl+c,super+c", "screen.copy_text", show=False),)


def install_bindings(
    node: DOMNode,
    action_ids: Iterable[str],
    catalog: Catalog,
    extra: Iterable[Binding] = (),
    unlisted: Iterable[str] = (),
) -> None:
    """Replace ``node``'s bindings with the translated ones for ``action_ids``, plus ``extra``."""
    set_bindings(node, BindingsMap([*bindings_for(action_ids, catalog, unlisted), *extra]))
