"""tests/whole.py, the check every 80x24 snapshot runs, finds what it says it finds: a word cut at
a panel's edge, an essential column out of sight, Chinese broken against its rules; and passes
the same text drawn by the workstation's own widgets (Prose, fitted columns, the key bar)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import fitting
from screens.widgets.line_broken import Prose
from tests.whole import defects

GREETING = "上午好，XX银行远程银行中心，工号1024，很高兴为您服务，请问有什么可以帮您？"
LONG = "x" * 30


class Shown(App[None]):
    def __init__(self, *widgets) -> None:
        super().__init__()
        self.widgets = widgets

    def compose(self) -> ComposeResult:
        yield from (make() for make in self.widgets)


async def _defects(*widgets, size=(40, 12)) -> list[str]:
    """What the check finds with ``widgets`` (each made by a callable, in the app) on screen."""
    app = Shown(*widgets)
    async with app.run_test(size=size) as pilot:
        for table in app.query(DataTable):
            table.add_row(*(["2026-11-23 09:12", LONG, "In progress → supervisor"]))
            fit_columns(table)
        await pilot.pause()
        return defects(app)


async def test_a_line_cut_at_the_edge_is_found():
    def one_line() -> Static:
        static = Static(Content("Seed a demo store (5000 customers) to start now"))
        static.styles.text_wrap = "nowrap"
        static.styles.text_overflow = "ellipsis"
        return static

    assert any("cut after" in found for found in await _defects(one_line))


async def test_text_too_tall_for_its_box_is_found():
    def box() -> Static:
        static = Static(Content("one two three four five six seven eight nine ten eleven"))
        static.styles.height = 1
        return static

    assert any("cut after" in found for found in await _defects(box))


async def test_chinese_wrapped_by_textual_is_found_and_by_prose_is_not():
    # 36 cells: Textual folds the greeting with "，" first on its second line.
    found = await _defects(lambda: Static(Content(GREETING)), size=(36, 6))
    assert any("starts with '，'" in line for line in found), found
    assert await _defects(lambda: Prose(Content(GREETING)), size=(36, 6)) == []


async def test_chinese_broken_at_a_space_with_room_left_is_found():
    text = "请问您是 王先生本人吗？我们需要核实您的身份信息，谢谢配合"
    found = await _defects(lambda: Static(Content(text)), size=(20, 6))
    assert any("not as the rules break it" in line for line in found), found
    assert await _defects(lambda: Prose(Content(text)), size=(20, 6)) == []


def _table(essential: tuple[str, ...] | None) -> DataTable:
    table: DataTable[object] = DataTable()
    columns = [("when", "Made"), ("why", "Hub's answer"), ("now", "Now at the hub")]
    if essential is None:
        table.add_columns(*(label for _, label in columns))
    else:
        add_columns(table, columns, essential=essential)
    return table


async def test_a_table_that_declares_nothing_is_found():
    assert any("declares no essential" in line for line in await _defects(lambda: _table(None)))


async def test_an_essential_column_out_of_sight_is_found():
    # The optional "why" sits between and is narrowed; with "now" first to go it would be cut.
    found = await _defects(lambda: _table(("when", "why", "now")), size=(50, 8))
    assert any("essential column 'Now at the hub' out of sight" in line for line in found)


async def test_optional_columns_give_way_to_essential_ones():
    assert await _defects(lambda: _table(("when", "now")), size=(50, 8)) == []


def test_the_key_bar_keeps_the_essential_keys_in_their_order():
    parts = [(0, Content("F1 Help")), (3, Content("F3 Back")), (2, Content("F6 Next")),
             (7, Content("^q Quit")), (1, Content("F10 Commands"))]
    kept = [part.plain for part in fitting(parts, 40)]
    assert kept == ["F1 Help", "F3 Back", "F6 Next", "F10 Commands"]
    assert [part.plain for part in fitting(parts, 200)] == [text.plain for _, text in parts]


async def test_a_placeholder_cut_at_the_edge_is_found():
    from textual.widgets import Input

    hint = "Mobile, ID number (or last 6), card/account (or last 4 + name), name or pinyin"
    found = await _defects(lambda: Input(placeholder=hint), size=(60, 6))
    assert any("placeholder cut" in line for line in found), found
    assert await _defects(lambda: Input(placeholder=hint[:40]), size=(60, 6)) == []
