"""The forbidden-phrase guard on one text being typed (a case note, a case form's description):
what it holds now, and how many words were caught as they were typed.

The call keeps its own record of catches (``CallSession.notes_changed``, as call events); this is
the same rule for every other box: a word typed is caught once, typing before it does not catch
it again, typing it a second time does; what was there when the box opened (a restored draft, a
description prefilled from the call's notes) was counted where it was typed, not again.
"""

from __future__ import annotations

from agent_tui.domain.phrasing import Hit, PhraseGuard, new_catches


class Catches:
    def __init__(self, guard: PhraseGuard, text: str = "") -> None:
        self.guard = guard
        self.hits: list[Hit] = guard.check(text)
        self.caught = 0

    def changed(self, text: str) -> list[Hit]:
        """Check ``text`` again; the words newly typed (each one caught, and counted)."""
        hits = self.guard.check(text)
        fresh = new_catches(self.hits, hits)
        self.hits = hits
        self.caught += len(fresh)
        return fresh
