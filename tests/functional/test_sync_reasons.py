"""Every reason the hub can give for refusing a change is a stable code with a message, in zh-CN and
en, that says what happened and what the agent can do; the review screen shows it translated, and
an unknown code as a generic line, never the bare code."""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path

import pytest

from agent_tui.i18n import Catalog
from agent_tui.sync.reasons import FAMILIES, REASONS, catalog_entry, is_known
from screens.conflicts import ConflictsScreen
from tests.screen import screen_text, wait_for, wait_for_screen

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "agent_tui" / "hub"


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(
            node.values[0], ast.Constant):  # f"missing_{key}": its family
        return str(node.values[0].value) + "x"
    return None


def _answers(node: ast.AST) -> set[str | None]:
    """The strings an expression may evaluate to: a constant, either side of ``a if c else b``."""
    if isinstance(node, ast.IfExp):
        return _answers(node.body) | _answers(node.orelse)
    return {_literal(node)}


def _given_reasons() -> set[str]:
    """Every reason code written in the hub's source: Rejected("…"), reason="…", a conflict's
    reason, what the ``…_refusal`` functions answer and a mutation kind's refusal, and the
    refusals of spending a one-time code (``identity.use_code``)."""
    found: set[str] = set()
    for path in HUB.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "Rejected" and node.args:
                found.add(_literal(node.args[0]))
            elif name == "_conflict" and len(node.args) == 4:
                found.add(_literal(node.args[3]))
            for keyword in node.keywords:
                if keyword.arg == "reason" and name in ("Outcome", "Answer"):
                    found.add(_literal(keyword.value))
            if name == "MutationKind" and len(node.args) == 3:  # a role's refusal
                found.add(_literal(node.args[2]))
        for function in ast.walk(tree):  # what a ``…_refusal`` function answers
            if isinstance(function, ast.FunctionDef) and function.name.endswith("_refusal"):
                for returned in ast.walk(function):
                    if isinstance(returned, ast.Return) and returned.value is not None:
                        found |= _answers(returned.value)
        if path.name == "identity.py":
            use_code = next(node for node in ast.walk(tree) if isinstance(
                node, ast.FunctionDef) and node.name == "use_code")
            found |= {_literal(call.args[1]) for call in ast.walk(use_code) if isinstance(
                call, ast.Call) and getattr(call.func, "id", "") == "CallRefused"}
    found.discard(None)
    return found


def test_the_scan_finds_the_hubs_reasons():
    given = _given_reasons()
    assert {"not_assigned", "other_team", "bad_time", "stale", "missing_x",
            "step_up_expired", "unknown_mutation", "seq_already_used"} <= given


def test_every_reason_the_hub_gives_is_registered():
    unknown = {reason for reason in _given_reasons() if not is_known(reason)}
    assert not unknown, f"reason codes without an entry in agent_tui/sync/reasons.py: {unknown}"


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_every_registered_reason_has_a_message(language):
    catalog = Catalog.load(language)
    keys = {f"sync.reason.{reason}" for reason in REASONS} | {
        f"sync.reason.{family}field" for family in FAMILIES} | {"sync.reason.unknown"}
    for key in keys:
        message = catalog.messages.get(key)
        assert message and len(message) > 20, f"{language}: {key} has no message"
    for status in ("rejected", "conflict", "key_reuse"):
        assert f"conflicts.status.{status}" in catalog.messages


def test_both_languages_fill_in_the_same_values():
    english, chinese = Catalog.load("en"), Catalog.load("zh-CN")
    for key, message in english.messages.items():
        if key.startswith("sync.reason."):
            assert set(re.findall(r"{(\w+)}", message)) == set(
                re.findall(r"{(\w+)}", chinese.messages[key])), key


def test_a_family_names_its_field_and_an_unknown_code_is_generic():
    assert catalog_entry("missing_title") == ("sync.reason.missing_field", {"field": "title"})
    assert catalog_entry("too_long_id") == ("sync.reason.too_long_field", {"field": "id"})
    assert catalog_entry("not_assigned") == ("sync.reason.not_assigned", {})
    assert catalog_entry("quantum_flux") == ("sync.reason.unknown", {"code": "quantum_flux"})
    assert catalog_entry("missing_") == ("sync.reason.unknown", {"code": "missing_"})


def _refused(store: Path, rows: list[tuple[str, str, str]]) -> None:
    connection = sqlite3.connect(store)
    with connection:
        for index, (name, status, reason) in enumerate(rows, start=1):
            connection.execute(
                "INSERT INTO sync_conflicts (mutation_id, seq, name, args_json, created_at, "
                "status, reason, received_at) VALUES (?, ?, ?, '{}', '2026-11-23T10:00:00', ?, "
                "?, '2026-11-23T10:01:00')", (f"m-{index}", index, name, status, reason))
    connection.close()


@pytest.mark.parametrize("language, shown, generic", [
    ("en", "Refused: This case is now assigned to someone else", "does not know (quantum_flux)"),
    ("zh-CN", "被拒: 该工单已改派给他人", "本机无法识别(quantum_flux)"),
])
async def test_the_review_screen_explains_each_refusal(writable_store, make_app, language,
                                                         shown, generic):
    _refused(writable_store, [("case.add_note", "rejected", "not_assigned"),
                              ("case.open", "rejected", "quantum_flux"),
                              ("case.open", "rejected", "too_long_title")])
    app = make_app(writable_store, language)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: app.store is not None, 20)
        app.push_screen(ConflictsScreen())
        screen = await wait_for_screen(pilot, ConflictsScreen)
        await wait_for(pilot, lambda: len(screen.conflicts) == 3)
        text = screen_text(app)
        assert shown[:20] in text  # the table's cell: the start of it
        assert shown in screen.why(screen.conflicts[0])
        # The line under the table: the highlighted row's whole answer, with what to do.
        detail = str(screen.query_one("#conflicts-detail").render())
        assert detail == screen.why(screen.conflicts[0]) and len(detail) > len(shown) + 10
        assert generic in screen.why(screen.conflicts[1])
        assert "title" in screen.why(screen.conflicts[2])
        await pilot.press("down")
        await wait_for(pilot, lambda: generic in str(
            screen.query_one("#conflicts-detail").render()))
        for code in ("not_assigned", "too_long_title", "sync.reason"):
            assert code not in text
