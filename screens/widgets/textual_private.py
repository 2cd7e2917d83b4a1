"""Every use of Textual's private API, in this one module, each with why.

Textual offers no public way to do these things, and each is worth doing (a terminal that never
obeys data, a crash that shows no customer data, a notes box that redraws only what changed, a
help screen that lists a dialog's keys). Textual is pinned exactly in pyproject.toml; an upgrade
that moves or renames any of them fails tests/functional/test_textual_private.py, which checks every name
used here still exists in Textual, and that no other module (app, screens, tests) uses one.

Everything else imports what it needs from here: the app layer and the tests too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingsMap

# TextArea.edit takes an Edit, and an undo batch is a list of them; Textual exports no public name.
from textual.document._edit import Edit
from textual.dom import DOMNode
from textual.filter import LineFilter
from textual.strip import Strip
from textual.widgets import DataTable, Select, TextArea

# The open list of a Select: the wrap-up codes open on the first code, not the blank line.
from textual.widgets._select import SelectOverlay

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.app import App
    from textual.color import Color
    from textual.notifications import Notification
    from textual.screen import Screen

    # Markdown's block classes, which Textual exports only from its private module: the
    # knowledge base's articles subclass the paragraph and the heading to wrap them by the
    # rules of Chinese. Loaded when first asked for (``__getattr__``): the module brings
    # pygments, 43 ms of every start for a screen most sessions never open.
    from textual.widgets._markdown import MarkdownBlock, MarkdownHeader, MarkdownParagraph

__all__ = [
    "Edit", "HookedSelect", "HookedTextArea", "MarkdownBlock", "MarkdownHeader",
    "MarkdownParagraph", "MeasuredTable", "SelectOverlay", "UnhandledExceptionHook",
    "bindings_of", "css_state", "mount_unseen", "notifications", "rendered_lines", "set_bindings", "set_exit_message",
    "skip_line_filter_when",
]


# -- bindings -------------------------------------------------------------------------------------


def bindings_of(node: DOMNode) -> list[Binding]:
    """A node's own bindings, one per key: ``active_bindings`` stops at a modal screen, and the
    help screen and the key bar show the app's priority keys (F1, F3) over a dialog too."""
    return [binding for _key, binding in node._bindings]


def set_bindings(node: DOMNode, bindings: BindingsMap) -> None:
    """Replace a node's bindings at run time with the translated, remapped keymap (BINDINGS is
    read once per class; the keymap is the agent's config and language)."""
    node._bindings = bindings


# -- what reaches the terminal ----------------------------------------------------------------------


def skip_line_filter_when(clean: Callable[[Strip, LineFilter], bool]) -> None:
    """Wrap ``Strip.apply_filter`` so a line ``clean`` says the filter would not change is passed
    through as it is: Textual makes a new Strip (seven caches) for every line a filter sees,
    which was 8-10% of the CPU of opening a 360. Installed once, whoever calls it again."""
    original = Strip.apply_filter
    if getattr(original, "skips_clean_lines", False):
        return

    def apply_filter(strip: Strip, filter: LineFilter, background: Color) -> Strip:
        return strip if clean(strip, filter) else original(strip, filter, background)

    apply_filter.skips_clean_lines = True  # type: ignore[attr-defined]
    Strip.apply_filter = apply_filter  # type: ignore[method-assign]


class UnhandledExceptionHook:
    """Mixed into the App: ``App._handle_exception`` is where every unhandled error lands (there
    is no public hook); after Textual's own handling, ``unhandled_exception`` is called."""

    def _handle_exception(self, error: Exception) -> None:
        super()._handle_exception(error)  # type: ignore[misc]
        self.unhandled_exception(error)

    def unhandled_exception(self, error: Exception) -> None:
        pass


def set_exit_message(app: App, message: RenderableType) -> None:
    """What Textual prints once the terminal is restored (after a crash: its traceback with
    every frame's locals, customer records included): ``message`` alone instead."""
    app._exit_renderables[:] = [message]


# -- widgets ----------------------------------------------------------------------------------------


class HookedTextArea(TextArea):
    """TextArea with public names for the private steps the notes box builds on: redrawing only
    the rows a change touched (TextArea repaints all of itself) and drawing the guard's hits as
    highlights in a style of its own."""

    def _watch_selection(self, previous_selection: Any, selection: Any) -> None:
        super()._watch_selection(previous_selection, selection)
        self.selection_moved(previous_selection, selection)

    def _undo_batch(self, edits: list[Edit]) -> None:
        super()._undo_batch(edits)
        self.history_applied()

    def _redo_batch(self, edits: list[Edit]) -> None:
        super()._redo_batch(edits)
        self.history_applied()

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        self.highlights_built(self._highlights)

    def _set_theme(self, theme: str) -> None:
        super()._set_theme(theme)
        self._theme = self.theme_set(self._theme)

    def rebuild_highlights(self) -> None:
        """Build the highlight map again (``highlights_built`` adds to it) and redraw nothing."""
        self._build_highlight_map()

    def selection_moved(self, previous_selection: Any, selection: Any) -> None:
        pass

    def history_applied(self) -> None:
        pass

    def highlights_built(self, highlights: dict[int, list[tuple[int, int, str]]]) -> None:
        """``highlights``: per row, (start byte, end byte, highlight name); add to it."""

    def theme_set(self, theme: Any) -> Any:
        """The TextAreaTheme in use: return it, or a changed copy."""
        return theme


class HookedSelect(Select[str]):
    """Select with a public name for the moment its list opens or closes (``expanded`` is
    watched privately by Select itself)."""

    def _watch_expanded(self, expanded: bool) -> None:
        super()._watch_expanded(expanded)
        self.expanded_changed(expanded)

    def expanded_changed(self, expanded: bool) -> None:
        pass



class MeasuredTable(DataTable):
    """A DataTable that draws its rows again once it has measured them.

    DataTable measures new rows and changed cells when it is next idle, and caches each drawn row
    under a count (``_update_count``) that measuring does not change. A row drawn before it was
    measured (the screen painted first, as it does under load) kept the columns' old widths, the
    headers' ("王*…", "185…"), until something else happened to change the count: seen in one
    snapshot run in five on two busy CPUs, and on an agent's screen it stays until a key is
    pressed. Counting a measurement as an update draws the rows again in their measured widths."""

    def _update_dimensions(self, new_rows: Any) -> None:
        super()._update_dimensions(new_rows)
        self._update_count += 1
        self.refresh()


# -- styles ----------------------------------------------------------------------------------------


def css_state(app: App) -> tuple[object, ...]:
    """What a screen's styles depend on besides its own widgets: the app's CSS generation (a
    theme or stylesheet change counts one, ``_css_update_count``, which Textual itself compares
    to restyle a screen of another mode), the app's classes and pseudo-classes, the size. Equal
    before and after a screen was away: its styles are still right."""
    return app._css_update_count, app.classes, app.pseudo_classes, app.size


def mount_unseen(app: App, screen: Screen) -> None:
    """Build ``screen`` (its CSS file read, composed, mounted and styled) without showing it:
    Textual does this only inside ``push_screen``, which shows it too (``_get_screen``)."""
    app._load_screen_css(screen)
    app._register(app, screen)


# -- for tests: what the app shows --------------------------------------------------------------------


def notifications(app: App) -> list[Notification]:
    """The notifications on screen now (Textual keeps them privately)."""
    return list(app._notifications)


def rendered_lines(screen: Screen) -> list[Strip]:
    """The screen's lines as the compositor would send them, without a terminal."""
    return screen._compositor.render_strips()


def table_measured(table: DataTable) -> bool:
    """Whether a DataTable has measured what was added to it. It measures new rows and changed
    cells when it is next idle; until then it draws them in the columns' old widths (a snapshot
    taken then shows names cut to "王*…"). No public attribute says so."""
    return not (table._require_update_dimensions or table._new_rows or table._updated_cells)


_LOADED_WHEN_USED = {"MarkdownBlock": "textual.widgets._markdown",
                     "MarkdownHeader": "textual.widgets._markdown",
                     "MarkdownParagraph": "textual.widgets._markdown"}


def __getattr__(name: str) -> Any:
    """The private names loaded when first used (PEP 562), not when this module is."""
    if name in _LOADED_WHEN_USED:
        import importlib

        return getattr(importlib.import_module(_LOADED_WHEN_USED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
