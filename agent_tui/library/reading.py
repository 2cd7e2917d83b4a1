"""Reading one TOML file of the QA rubric or the training scenarios into its strict shape, with
every problem as ``file:line`` (the scripts library's own files go through ``loader``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

import msgspec
import tomli

from agent_tui.library.loader import Problem
from agent_tui.toml_lines import Lines
from agent_tui.toml_text import TooDeep, parse, read_text

T = TypeVar("T")
LANGUAGES = ("zh-CN", "en")
_AT_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_UNKNOWN = re.compile(r"unknown field `([^`]+)`")


class FileProblems:
    """The problems of one file, each with its line."""

    def __init__(self, path: Path, lines: Lines | None = None) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, line: int | None, key: str, **values: object) -> None:
        self.problems.append(Problem(str(self.path), line, key, values))

    def entry(self, table: str, index: int, key: str | None = None) -> int | None:
        if self.lines is None:
            return None
        return self.lines.key(table, index, key) if key else self.lines.entry(table, index)

    def setting(self, *location: str) -> int | None:
        return self.lines.setting(location) if self.lines is not None else None

    def both_languages(self, text: dict[str, str], line: int | None, what: str,
                       entry_id: str) -> None:
        for language in LANGUAGES:
            if not text.get(language, "").strip():
                self.add(line, "library.missing_translation", what=what, id=entry_id,
                         language=language)
        for extra in sorted(set(text) - set(LANGUAGES)):
            self.add(line, "library.unknown_language", id=entry_id, language=extra,
                     languages=", ".join(LANGUAGES))


def read_file(path: Path, shape: type[T], problems: FileProblems) -> T | None:
    """The file as ``shape``, or None with its problem added."""
    try:
        text = read_text(path)
        data = parse(text)
    except UnicodeDecodeError:
        problems.add(None, "library.not_text")
        return None
    except tomli.TOMLDecodeError as error:
        problems.add(error.lineno, "library.syntax", reason=str(error))
        return None
    except TooDeep as error:
        problems.add(error.line, "library.too_deep")
        return None
    except OSError as error:
        problems.add(None, "library.unreadable", reason=error.strerror or str(error))
        return None
    problems.lines = Lines(text)
    try:
        return msgspec.convert(data, shape, strict=True)
    except msgspec.ValidationError as error:
        problems.add(_line_of_error(str(error), problems.lines), "library.bad_entry",
                     reason=str(error))
        return None


def _line_of_error(message: str, lines: Lines) -> int | None:
    """msgspec names the bad value by path (``$.agenda[2].on``, ``$.persona.mood``)."""
    at = _AT_PATH.search(message)
    if not at:
        return None
    parts = re.findall(r"\.([\w-]+)|\[(\d+)\]", at["path"])
    names = [(name, int(index) if index else None) for name, index in parts]
    if not names or names[0][0] == "":
        return None
    table = names[0][0]
    unknown = _UNKNOWN.search(message)  # an unknown key: its own line, not its entry's
    if len(names) > 1 and names[1][1] is not None:
        key = names[2][0] if len(names) > 2 else (unknown[1] if unknown else None)
        return lines.key(table, names[1][1], key) if key else lines.entry(table, names[1][1])
    keys = [name for name, index in names if index is None and name]
    return lines.setting(tuple(keys[:2])) or lines.tables.get(table)
