"""The default keymap of DESIGN.md: one entry per action id, with an F-key and a ctrl alternative.

The app builds its Textual bindings from this table; config may remap any id (``[keymap]``), and the
help screen and command palette list it. Later capabilities (calls, cases, sync) add their rows.
"""

from __future__ import annotations

import msgspec


class KeyAction(msgspec.Struct, frozen=True):
    id: str
    keys: str  # comma-separated Textual key names, the F-key first
    action: str  # the Textual action it runs
    label_key: str  # catalog key of its short name (footer and palette)
    help_key: str  # catalog key of its one-line description (tooltip, help, palette)
    app_level: bool = True  # works from every screen
    # Checked before the focused widget's own keys (a table's PageDown must page the list).
    priority: bool = True


DEFAULT_KEYMAP: tuple[KeyAction, ...] = (
    KeyAction("help", "f1,ctrl+g", "help", "keys.help", "keys.help_tip"),
    KeyAction("search", "f2,ctrl+f", "search", "keys.search", "keys.search_tip"),
    KeyAction("back", "f3,escape", "back", "keys.back", "keys.back_tip"),
    KeyAction("queue", "f4,ctrl+o", "queue", "keys.queue", "keys.queue_tip"),
    KeyAction("palette", "f10,ctrl+p", "command_palette", "keys.palette", "keys.palette_tip"),
    KeyAction("quit", "ctrl+q", "quit", "keys.quit", "keys.quit_tip"),
    KeyAction("new_call", "ctrl+n", "new_call", "keys.new_call", "keys.new_call_tip"),
    KeyAction("sync_now", "f5,ctrl+r", "sync_now", "keys.sync_now", "keys.sync_now_tip"),
    # Not in DESIGN's table (F9 is the knowledge base's): what the hub refused, to redo or drop.
    KeyAction("conflicts", "shift+f5,ctrl+w", "conflicts", "keys.conflicts",
              "keys.conflicts_tip"),
    # Screen-level actions: bound by the screens that offer them.
    KeyAction(
        "open", "enter", "open", "keys.open", "keys.open_tip", app_level=False, priority=False
    ),
    KeyAction(
        "next_page", "pagedown,ctrl+down", "next_page", "keys.next_page", "keys.next_page_tip",
        app_level=False,
    ),
    KeyAction(
        "previous_page", "pageup,ctrl+up", "previous_page", "keys.previous_page",
        "keys.previous_page_tip", app_level=False,
    ),
    # The call workspace's. Priority: they must work while the agent types in the notes.
    KeyAction(
        "next_stage", "f6,ctrl+right", "next_stage", "keys.next_stage", "keys.next_stage_tip",
        app_level=False,
    ),
    KeyAction(
        "stage_form", "f7,ctrl+l", "stage_form", "keys.stage_form", "keys.stage_form_tip",
        app_level=False,
    ),
    KeyAction(
        "use_phrase", "f8,ctrl+t", "use_phrase", "keys.use_phrase", "keys.use_phrase_tip",
        app_level=False,
    ),
    KeyAction(
        "step_up", "f12,ctrl+u", "step_up", "keys.step_up", "keys.step_up_tip", app_level=False,
    ),
    KeyAction("save", "ctrl+s", "save", "keys.save", "keys.save_tip", app_level=False),
    # Cases: opened from the call workspace or a 360; worked on the case screen.
    KeyAction(
        "new_case", "f11,ctrl+e", "new_case", "keys.new_case", "keys.new_case_tip",
        app_level=False,
    ),
    KeyAction(
        "case_action", "f7,ctrl+l", "case_action", "keys.case_action", "keys.case_action_tip",
        app_level=False,
    ),
)

# The conflicts screen's: redo on the act key (F7, as a case's actions), drop on Delete.
DEFAULT_KEYMAP = (*DEFAULT_KEYMAP,
    KeyAction("conflict_redo", "f7,ctrl+l", "redo", "conflicts.redo_key", "conflicts.redo",
              app_level=False),
    KeyAction("conflict_drop", "delete,ctrl+d", "drop", "conflicts.drop_key", "conflicts.drop",
              app_level=False),
)

# The training replay's (issue 15): step through an attempt, a line or an event at a time.
DEFAULT_KEYMAP = (*DEFAULT_KEYMAP,
    KeyAction("replay_next", "right,space", "next_step", "training_keys.next",
              "training_keys.next_tip", app_level=False),
    KeyAction("replay_previous", "left,backspace", "previous_step", "training_keys.previous",
              "training_keys.previous_tip", app_level=False),
    # The training call's (its workspace is the call's, F12 the step-up): the end, at once.
    # No shifted F-key: terminals send shift+F12 as F24, which Textual names "f24".
    KeyAction("training_end", "ctrl+d", "end_run", "training_keys.end",
              "training_keys.end_tip", app_level=False),
)

# The training scenarios' difficulty picker (issue 15): one easier, one harder, before Enter.
DEFAULT_KEYMAP = (*DEFAULT_KEYMAP,
    KeyAction("training_easier", "left,minus", "easier", "training_difficulty.easier",
              "training_difficulty.easier_tip", app_level=False),
    KeyAction("training_harder", "right,plus", "harder", "training_difficulty.harder",
              "training_difficulty.harder_tip", app_level=False),
)

# The knowledge base: F9 from anywhere (DESIGN's table); on its screens, F8 quotes the article into
# the call's notes (as F8 puts a phrase there), + and - tell the authors whether it helped (ctrl+j
# and ctrl+x where a terminal sends no + or -: ctrl+y is the KPIs', ctrl+o the queue's).
DEFAULT_KEYMAP = (*DEFAULT_KEYMAP,
    KeyAction("knowledge_base", "f9,ctrl+k", "knowledge_base", "kb.open_key", "kb.open_tip"),
    KeyAction("kb_quote", "f8,ctrl+t", "quote", "kb.insert_key", "kb.insert_tip",
              app_level=False),
    KeyAction("kb_helpful", "plus,ctrl+j", "helpful", "kb.helpful_key", "kb.helpful_tip",
              app_level=False, priority=False),
    KeyAction("kb_not_helpful", "minus,ctrl+x", "not_helpful", "kb.not_helpful_key",
              "kb.not_helpful_tip", app_level=False, priority=False),
)

# The screen pop (issue 18): a call that rang while the agent was busy (a call open, a dialog up,
# text being typed) waits as a banner; this shows it. Offered only while one waits (otherwise
# ctrl+a goes on to the input's own "line start").
DEFAULT_KEYMAP = (*DEFAULT_KEYMAP,
    KeyAction("cti_take", "shift+f2,ctrl+a", "cti_take", "cti.take_key", "cti.take_tip"),
)

# Team leads and agents (issue 17): the team board, and one's own (or the team's) KPIs.
DEFAULT_KEYMAP = (*DEFAULT_KEYMAP,
    KeyAction("team_board", "ctrl+b", "team_board", "board.key", "board.key_tip"),
    KeyAction("kpis", "ctrl+y", "kpis", "kpi_view.key", "kpi_view.key_tip"),
    # The agent's QA reviews (beside F4, the queue), and on that screen their answer to one.
    KeyAction("qa_reviews", "shift+f4", "qa_reviews", "qa_view.key", "qa_view.key_tip"),
    KeyAction("qa_acknowledge", "f7,ctrl+l", "acknowledge", "qa_view.acknowledge",
              "qa_view.acknowledge_tip", app_level=False),
    KeyAction("qa_dispute", "f8,ctrl+t", "dispute", "qa_view.dispute", "qa_view.dispute_tip",
              app_level=False),
)

# QA review (issue 17), a supervisor's: the week's sample of the team's calls (shift+F8;
# shift+F4 is the agent's own reviews, shift+F6 the products); on a call's record F7 scores it,
# F8 scores it blind as the second (calibration) reviewer; on the form 0, 5 and 1 give the
# highlighted item 0, 0.5 or 1 (not priority: typed in the comment box they are text), ctrl+s
# sends it.
DEFAULT_KEYMAP = (*DEFAULT_KEYMAP,
    KeyAction("qa_sample", "shift+f8", "qa_sample", "qa_desk.key", "qa_desk.key_tip"),
    KeyAction("qa_score", "f7,ctrl+l", "score", "qa_desk.score", "qa_desk.score_tip",
              app_level=False),
    KeyAction("qa_calibrate", "f8,ctrl+t", "calibrate", "qa_desk.calibrate",
              "qa_desk.calibrate_tip", app_level=False),
    KeyAction("qa_mark_missed", "0", "mark(0.0)", "qa_desk.mark_missed",
              "qa_desk.mark_missed_tip", app_level=False, priority=False),
    KeyAction("qa_mark_part", "5", "mark(0.5)", "qa_desk.mark_part", "qa_desk.mark_part_tip",
              app_level=False, priority=False),
    KeyAction("qa_mark_done", "1", "mark(1.0)", "qa_desk.mark_done", "qa_desk.mark_done_tip",
              app_level=False, priority=False),
)

# Product suitability (issue 18): from a customer's 360 or the call (offered only there), the
# products with their risk and this customer's verdict (shift+F6; no ctrl letter is left that
# no input needs: ctrl+z is the notes' undo, ctrl+v their paste); there, F7 sells (refused at once when the engine refuses), F8
# asks for an override with the reason typed (queued for the hub, never granted here).
DEFAULT_KEYMAP = (*DEFAULT_KEYMAP,
    KeyAction("products", "shift+f6", "products", "products.key", "products.key_tip"),
    KeyAction("product_sell", "f7,ctrl+l", "sell", "products.sell", "products.sell_tip",
              app_level=False),
    KeyAction("product_override", "f8,ctrl+t", "override", "products.override",
              "products.override_tip", app_level=False),
)

# A customer's reassessment (issue 18): from the products screen (F6, where F7 and F8 are taken),
# the questionnaire; there a letter picks the customer's answer to the highlighted question (the
# options are lettered as the printed form letters them), ctrl+s sends it.
DEFAULT_KEYMAP = (*DEFAULT_KEYMAP,
    KeyAction("reassess", "f6,ctrl+e", "reassess", "reassess.key", "reassess.key_tip",
              app_level=False),
    *(KeyAction(f"reassess_answer_{letter}", letter, f"answer('{letter.upper()}')",
                f"reassess.answer_{letter}", "reassess.answer_tip", app_level=False,
                priority=False) for letter in "abcdef"),
)

ACTIONS_BY_ID = {entry.id: entry for entry in DEFAULT_KEYMAP}


def is_valid_key_list(keys: str) -> bool:
    """A comma-separated list of non-empty key names, like ``f2,ctrl+f``."""
    parts = [part.strip() for part in keys.split(",")]
    return bool(parts) and all(part and " " not in part for part in parts)
