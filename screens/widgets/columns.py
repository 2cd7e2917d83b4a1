"""A table's essential columns: what the agent must see on it at any width (80 columns included).

Each table says which of its columns are essential; they come first, so they stay in sight, and
optional ones may be narrowed or scrolled to. tests/whole.py fails on a table that says nothing,
or whose essential columns are out of sight at 80x24.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.widgets import DataTable

_ATTRIBUTE = "essential_column_keys"


def declare_essential(table: DataTable, keys: Iterable[str]) -> None:
    setattr(table, _ATTRIBUTE, frozenset(keys))


def essential_columns(table: DataTable) -> frozenset[str] | None:
    return getattr(table, _ATTRIBUTE, None)


# The narrowest an optional column is drawn (its cells end in "…"); with less room it is dropped.
OPTIONAL_MIN = 4


def add_columns(table: DataTable, columns: Iterable[tuple[str, str]],
                essential: Iterable[str]) -> None:
    """Add ``columns`` (key, label), saying which are essential."""
    declare_essential(table, essential)
    for key, label in columns:
        table.add_column(label, key=key)


def _needed(value: object) -> int:
    plain = getattr(value, "plain", str(value))
    return max((cell_len(line) for line in plain.split("\n")), default=0)


def fit_columns(table: DataTable) -> None:
    """After rows are added: the optional columns share what the essential ones leave of the
    table's width, in order; one that does not fit whole is narrowed (its cells end in "…"),
    one with less than OPTIONAL_MIN cells left is dropped to nothing. Call it after each fill."""
    essential = essential_columns(table) or frozenset()
    width = table.size.width
    if not width:
        return  # not laid out yet: nothing to fit to
    if table.row_count + int(table.show_header) > table.size.height:
        width -= table.styles.scrollbar_size_vertical  # a scrollbar will take its place
    padding = 2 * table.cell_padding
    rows = [table.get_row_at(index) for index in range(table.row_count)]
    columns = list(table.columns.values())
    needs = [max([_needed(column.label), *(_needed(row[index]) for row in rows
                                           if index < len(row))])
             for index, column in enumerate(columns)]
    left = width - sum(needs[index] + padding for index, column in enumerate(columns)
                       if column.key.value in essential)
    for index, column in enumerate(columns):
        if column.key.value in essential:
            continue
        room = left - padding
        if needs[index] <= room:
            column.auto_width, left = True, left - needs[index] - padding
        else:
            column.auto_width = False
            column.width = room if room >= OPTIONAL_MIN else 0
            left = max(0, left - column.width - padding)
