"""Loads and validates the scripts library (clear file:line errors)."""

from agent_tui.library.loader import LibraryError, Problem, load_library

__all__ = ["LibraryError", "Problem", "load_library"]
