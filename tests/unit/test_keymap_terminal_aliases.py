"""screens.widgets.keys.terminal_aliases: a shifted F-key as a real terminal sends it."""

from __future__ import annotations

from agent_tui.i18n import Catalog
from agent_tui.keymap import ACTIONS_BY_ID
from screens.widgets.keys import bindings_for, terminal_aliases


def test_a_shifted_f_key_is_also_bound_to_the_f_key_twelve_above():
    assert terminal_aliases("shift+f5,ctrl+w") == ["f17"]
    assert terminal_aliases("shift+f12") == ["f24"]
    assert terminal_aliases("f5,ctrl+shift+f5,shift+tab") == []


def test_every_shifted_f_key_of_the_keymap_gets_its_hidden_alias():
    shifted = [entry.id for entry in ACTIONS_BY_ID.values() if "shift+f" in entry.keys]
    assert shifted  # the keymap has some (conflicts, the screen pop, QA reviews)
    bindings = bindings_for(shifted, Catalog.load("en"))
    aliases = {binding.key: binding for binding in bindings if binding.id is None}
    for action_id in shifted:
        entry = ACTIONS_BY_ID[action_id]
        for alias in terminal_aliases(entry.keys):
            assert aliases[alias].action == entry.action and not aliases[alias].show
