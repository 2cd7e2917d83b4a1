"""A sync failure's code as a sentence for the agent: the same words in the app and the CLI."""

from __future__ import annotations

from agent_tui.i18n import Catalog


def describe_error(catalog: Catalog, code: str) -> str:
    """A sync failure's code as a sentence that says what to do."""
    key = f"sync.error.{code}"
    return catalog.text(key) if key in catalog.messages else catalog.text("sync.error.other",
                                                                           code=code)
