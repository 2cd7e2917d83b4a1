"""The hostile corpus written behind the app's back: plain sqlite3 on the store file, the config
and a copy of the scripts library, as an old file, another program or a sync bug could leave them.

Every string of the corpus goes into every text and code column of every table (``COVERED``),
across rows: row ``i`` of a table carries string ``i``. Codes outside their enum go in past the
schema's CHECKs; a lone surrogate goes in as the bytes Python's "surrogatepass" writes (not
UTF-8). Times and keys stay readable (``EXEMPT`` says why), so every screen can be reached; JSON
columns hold valid JSON with the strings inside. The caller the pty walk verifies is
``CALLER_ID``: clean where verification compares, hostile everywhere else, with every table row
of the 360 pointing at them.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

CALLER_ID = "H-CALLER"  # sorts first among the hostile customers, all sharing one mobile
MOBILE = "13700000000"
ID_NUMBER = "11010519600101002X"
CALLER_NAME_TYPED = "王五"  # the caller's stored name is the corpus' "ANSI clear screen" + 王五
AGENT = "A1024"
KB_WORD = "敌意测试"  # in every hostile article the hub published: the walk searches for it
UNREACHABLE_HUB = "http://127.0.0.1:9"  # offline: a sync runs, fails, and counts the conflicts
CASE_WITH_NOTES = "HK00"  # category "consultation": also the case form's "already open" offer
CLEAN_CARDS = {"HA-ACTIVE": ("active", "6225880000000\x1b[2J"),  # last 4: a clear-screen
               "HA-FROZEN": ("frozen", "622588000000\u202e123")}  # last 4: a bidi override

# Columns that keep a readable value, and why. Everything else that holds text gets the corpus.
EXEMPT = {
    "keys": {"id", "customer_id", "account_id", "case_id", "call_id", "product_code", "code",
             "key", "mutation_id", "callback_id", "attempt_id",
             "agent_id@qa_reviews"},  # what joins and finds rows (the agent's own reviews)
    "times": {"birth_date", "customer_since", "opened_on", "at", "opened_at", "due_at",
              "updated_at", "first_response_due", "first_response_at", "paused_since",
              "breached_at", "started_at", "ended_at", "created_at", "done_at", "saved_at",
              "received_at", "resolved_at", "cleared_at", "expires_at", "synced_at"},  # damaged times: test_damaged_rows
    "json": {"detail", "args_json", "current_json", "body"},  # JSON with the corpus inside
    "internal": {"meta", "sync_state"},  # the store's and sync's own bookkeeping (tables)
    # The knowledge base: kb_articles is rewritten from the scripts library's kb/ when the store
    # opens (a row written here never reaches a screen); kb_feedback holds ids, a language code
    # and the agent the app wrote, and is never drawn.
    "library": {"kb_articles", "kb_feedback"},
    # A risk assessment's level is C1-C5 by the table's CHECK (nothing else can be stored), and
    # its time is what the verdict is worked out from: a damaged one from the hub is dropped
    # before it is kept (tests/unit/test_suitability_store.py).
    # A pulled article's status is published | withdrawn by the table's CHECK; its language and
    # category are refused unless known before it is kept (store/kb_hub.keep); its id keys it.
    "checked": {"level@risk_assessments", "assessed_at@risk_assessments",
                "status@kb_hub_articles", "lang@kb_hub_articles", "category@kb_hub_articles"},
}


def _exempt(table: str, column: str) -> bool:
    return (table in EXEMPT["internal"] or table in EXEMPT["library"]
            or f"{column}@{table}" in EXEMPT["keys"] or f"{column}@{table}" in EXEMPT["checked"]
            or column in EXEMPT["keys"] or column in EXEMPT["times"])


def text_columns(connection: sqlite3.Connection) -> dict[str, set[str]]:
    """Every TEXT column of every table, as the schema declares them."""
    tables = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {table: {row[1] for row in connection.execute(f"PRAGMA table_info({table})")
                    if row[2].upper() == "TEXT"} for table in tables}


def _time(i: int) -> str:
    return datetime(2026, 11, 1 + i % 20, 9, i % 60).isoformat()


def _recent(hours: int) -> str:
    """A time ``hours`` from now: the app in the pty runs on the real clock, and the case form
    offers an open case for attaching only within a few days of its opening."""
    return (datetime.now() + timedelta(hours=hours)).isoformat(timespec="seconds")


def _rows(corpus: list[str]) -> dict[str, list[dict]]:
    """Row ``i`` of each table with string ``i`` in each of its hostile columns."""
    rows: dict[str, list[dict]] = {table: [] for table in (
        "customers", "products", "accounts", "transactions", "interactions", "cases",
        "case_notes", "case_events", "callbacks", "calls", "call_events", "customer_flags",
        "audit_log", "outbox", "sync_conflicts", "callback_attempts", "sealed_copies",
        "customer_signals", "training_attempts", "qa_reviews", "risk_assessments",
        "kb_hub_articles")}
    for i, text in enumerate(corpus):
        detail = json.dumps({"reason": text, "what": [text]}, ensure_ascii=False)
        rows["customers"].append(dict(
            id=f"H{i:02d}", name=text, name_pinyin=text, name_initials=text, gender=text,
            birth_date="1960-01-01", id_number=text, id_last6=text, mobile=MOBILE, segment=text,
            is_elderly=i % 2, is_disabled=int(i % 3 == 0), risk_level=1 + i % 5, address=text,
            occupation=text, customer_since="2010-01-01", branch=text))
        rows["customers"].append(dict(rows["customers"][-1], id=f"HZ{i:02d}", mobile=text))
        rows["products"].append(dict(code=f"HP{i:02d}", kind=text, name_zh=text, name_en=text,
                                     risk_level=1 + i % 5))
        rows["accounts"].append(dict(
            id=f"HA{i:02d}", customer_id=CALLER_ID, kind=text, product_code=f"HP{i:02d}",
            number=text, last4=text, status=text, balance_cents=100 * i, opened_on="2015-01-01"))
        rows["transactions"].append(dict(
            customer_id=CALLER_ID, account_id="HA-ACTIVE", at=_time(i), kind=text,
            amount_cents=-100 * (i + 1), counterparty=text, channel=text, description=text))
        rows["interactions"].append(dict(
            id=f"HI{i:02d}", customer_id=CALLER_ID, at=_time(i), channel=text, category=text,
            agent_id=text, summary=text, outcome=text))
        for prefix, status, agent in (("HK", "new", AGENT), ("HX", text, text)):
            rows["cases"].append(dict(  # open and listed; and with bad codes
                id=f"{prefix}{i:02d}", number=f"HK{i:02d}{text}" if prefix == "HK" else text,
                customer_id=CALLER_ID, channel=text, priority=text,
                category="consultation" if f"{prefix}{i:02d}" == CASE_WITH_NOTES else text,
                status=status, title=text, opened_at=_recent(-24), due_at=_recent(i),
                updated_at=_recent(-24), assigned_to=agent, sub_category=text,
                description=text, created_by=text, escalated_to=text, escalation_reason=text))
        rows["case_notes"].append(dict(id=f"HN{i:02d}", case_id=CASE_WITH_NOTES, at=_time(i),
                                       agent_id=text, text=text))
        rows["case_events"].append(dict(
            id=f"HE{i:02d}", case_id=CASE_WITH_NOTES, at=_time(i), agent_id=text, kind=text,
            from_status=text, to_status=text, detail=detail))
        for prefix, status, agent in (("HB", "scheduled", AGENT), ("HY", text, text)):
            rows["callbacks"].append(dict(
                id=f"{prefix}{i:02d}", customer_id=CALLER_ID, agent_id=agent,
                due_at=_recent(48 + i), reason=text, status=status,  # after the cases
                created_at=_time(i)))
        rows["callback_attempts"].append(dict(
            id=f"HT{i:02d}", callback_id=f"HB{i:02d}", call_id=None, agent_id=text,
            at=_time(i), outcome=text))
        # A live store holds no training attempt (a training store does): written all the same,
        # so a column added to the table is not forgotten here.
        rows["training_attempts"].append(dict(
            attempt_id=f"HA{i:02d}", trainee=text, scenario_id=text, language=text,
            difficulty=text, started_at=_time(i), ended_at=_time(i), outcome=text, score=50.0,
            passed=0, body=json.dumps({"attempt_id": f"HA{i:02d}", "trainee": text},
                                      ensure_ascii=False), synced_at=None, sync_refusal=text))
        # The caller's risk assessments (shift+F6, the products): the answers' version hostile.
        rows["risk_assessments"].append(dict(
            id=f"HR{i:02d}", customer_id=CALLER_ID, level="C3",
            assessed_at=(datetime.now() - timedelta(days=30 + i)).isoformat(timespec="seconds"),
            answers_version=text))
        # Articles the hub published (supervisors wrote them: not the library's own text), put
        # into the search index when the store opens; every one found by KB_WORD (F9).
        rows["kb_hub_articles"].append(dict(
            id=f"hostile-{i:02d}", lang=("zh-CN", "en")[i % 2], version=1, status="published",
            title=text, category="procedure", request_types=text,
            keywords=text, body=f"{text}\n\n{KB_WORD}：{text}", author=text,
            approved_by=text, approved_at=text, withdrawn_by=text, withdrawn_at=text))
        # The agent's QA reviews (shift+F4): the reviewer, a comment, the answer, all hostile.
        rows["qa_reviews"].append(dict(
            id=f"HQ{i:02d}", call_id=f"HC{i:02d}", agent_id=AGENT, created_at=_time(i),
            status=text, version=1, body=json.dumps({
                "id": f"HQ{i:02d}", "call_id": f"HC{i:02d}", "agent_id": AGENT,
                "reviewer_id": text, "marks": {"opening.greet": {"fraction": 0.5, "comment": text}},
                "score": 50.0, "compliance": 50.0, "passed": False, "fatal": [text],
                "created_at": _time(i), "status": "disputed", "reason": text},
                ensure_ascii=False)))
        # Neither is drawn as stored: a sealed copy is opened by a caller's answers (this one
        # cannot be, it is no sealed copy at all), a signal's kind is checked against the known.
        rows["sealed_copies"].append(dict(customer_id=f"H{i:02d}",
                                          expires_at="2099-01-01T00:00:00", body=text))
        rows["customer_signals"].append(dict(customer_id=f"H{i:02d}", at=_time(i), body=json.dumps(
            [{"kind": text, "first_at": _time(i), "last_at": text, "event_ids": [i]}],
            ensure_ascii=False)))
        rows["calls"].append(dict(
            id=f"HC{i:02d}", agent_id=text, customer_id=CALLER_ID, started_at=_time(i),
            request_type=text, verification=text, wrap_up=text, notes=text))
        rows["call_events"].append(dict(call_id=f"HC{i:02d}", at=_time(i), kind=text,
                                        stage=text, step=text, detail=detail))
        rows["customer_flags"].append(dict(
            id=f"HF{i:02d}", customer_id=CALLER_ID, flag=text, at=_time(i), agent_id=text,
            call_id=text, reason=text))
        rows["audit_log"].append(dict(id=f"HL{i:02d}", at=_time(i), agent_id=text, action=text,
                                      customer_id=CALLER_ID, detail=detail))
        rows["outbox"].append(dict(mutation_id=f"HO{i:02d}", name=text, args_json=detail,
                                   created_at=_time(i)))
        rows["sync_conflicts"].append(dict(
            mutation_id=f"HM{i:02d}", seq=i, name=text,
            args_json=json.dumps({"case_id": text, "changes": {"status": text}},
                                 ensure_ascii=False),
            created_at=_time(i), status=text, reason=text,
            current_json=json.dumps({"status": text, "number": text, "escalated_to": text},
                                    ensure_ascii=False),
            received_at=_time(i), resolution=text))
    caller = dict(rows["customers"][0], id=CALLER_ID, mobile=MOBILE, name=corpus[_index(corpus, "\x1b[2J")],
                  name_pinyin="wangwu", name_initials="ww", id_number=ID_NUMBER,
                  id_last6=ID_NUMBER[-6:], segment="vip")
    rows["customers"].insert(0, caller)
    for account_id, (status, number) in CLEAN_CARDS.items():
        rows["accounts"].append(dict(
            id=account_id, customer_id=CALLER_ID, kind="debit_card", product_code="DC-STD",
            number=number, last4=number[-4:], status=status, balance_cents=12345,
            opened_on="2016-01-01"))
    return rows


def _index(corpus: list[str], start: str) -> int:
    return next(i for i, text in enumerate(corpus) if text.startswith(start))


def _bind(value: object) -> object:
    # Text goes in as its bytes, so a lone surrogate becomes what "surrogatepass" writes.
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value


def _drafts(corpus: list[str], snapshot: dict) -> list[dict]:
    everything = "\n".join(corpus)
    form = {"customer_id": CALLER_ID, "channel": "phone", "category": "consultation",
            "sub_category": corpus[3], "priority": "normal", "title": corpus[9],
            "description": everything, "call_id": None, "customer_label": corpus[10]}
    return [*(dict(key=f"HD{i:02d}", kind=text, agent_id=text, saved_at=_time(i),
                   body=json.dumps({"text": text}, ensure_ascii=False))
              for i, text in enumerate(corpus)),
        dict(key="call:H-DRAFT", kind="call", agent_id=AGENT, saved_at="2026-11-23T09:00:00",
             body=json.dumps({**snapshot, "notes": everything, "inserted": corpus},
                             ensure_ascii=False)),
        # The note box is a TextArea, which draws its text as it is; its last lines (in view)
        # are the escape sequences.
        dict(key=f"case-note:{CASE_WITH_NOTES}", kind="case_note", agent_id=AGENT,
             saved_at="2026-11-23T09:01:00", body=json.dumps(
                 {"case_id": CASE_WITH_NOTES, "text": "\n".join(
                     [everything, *(text for text in corpus if "\x1b" in text)])},
                 ensure_ascii=False)),
        dict(key=f"case-form:{CALLER_ID}", kind="case_form", agent_id=AGENT,
             saved_at="2026-11-23T09:02:00", body=json.dumps(form, ensure_ascii=False)),
    ]


def write_store(store: Path, corpus: list[str], call_snapshot: dict) -> list[str]:
    """Write the corpus into ``store``. Returns the text columns that got neither every string
    of the corpus nor an exemption with a reason in ``EXEMPT``: the test wants none."""
    rows = _rows(corpus)
    rows["drafts"] = _drafts(corpus, call_snapshot)
    connection = sqlite3.connect(store)
    connection.execute("PRAGMA ignore_check_constraints = 1")
    written: dict[tuple[str, str], set[object]] = {}
    with connection:
        for table, records in rows.items():
            for record in records:
                columns = ", ".join(record)
                marks = ", ".join("CAST(? AS TEXT)" if isinstance(value, str) else "?"
                                  for value in record.values())
                connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                                   [_bind(value) for value in record.values()])
                for column, value in record.items():
                    written.setdefault((table, column), set()).add(value)
    declared = text_columns(connection)
    connection.close()
    everything = set(corpus)
    return sorted(
        f"{table}.{column}" for table, columns in declared.items() for column in columns
        if not _exempt(table, column)
        and not (column in EXEMPT["json"] and (table, column) in written)
        and not everything <= written.get((table, column), set()))


_LIBRARY_TEXT = re.compile(r'((?:zh-CN|en|replacement) = ")((?:[^"\\]|\\.)*)(")')


def _toml(text: str) -> str:
    """``text`` as the inside of a TOML basic string: escapes for quotes, backslashes and
    every control character."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def write_library(source: Path, target: Path, corpus: list[str]) -> None:
    """A copy of the scripts library with corpus strings appended to every text (phrases,
    stage and step names, procedures, forbidden phrases' replacements and reasons). Strings a
    library cannot hold are left out: braces are variables, surrogates are not TOML."""
    usable = [text for text in corpus
              if "{" not in text and "}" not in text and text.strip()
              and not any("\ud800" <= char <= "\udfff" for char in text) and len(text) < 100]
    shutil.copytree(source, target)
    count = 0
    for path in sorted(target.glob("*.toml")):
        def append(match: re.Match) -> str:
            nonlocal count
            count += 1
            return match[1] + match[2] + _toml(usable[count % len(usable)]) + match[3]

        path.write_text(_LIBRARY_TEXT.sub(append, path.read_text(encoding="utf-8")),
                        encoding="utf-8")


def write_config(path: Path, store: Path, library: Path, language: str, corpus: list[str]
                 ) -> None:
    """The agent's and the bank's names from the corpus; an unreachable hub (offline)."""
    def quoted(text: str) -> str:
        return f'"{_toml(text)}"'

    osc52, title = corpus[_index(corpus, "\x1b]52")], corpus[_index(corpus, "\x1b]0")]
    path.write_text(
        f'[agent]\nid = "{AGENT}"\nname = {quoted(osc52 + "李娜")}\nstaff_number = "1024"\n'
        f"[bank]\nname = {quoted(title + 'XX银行')}\nname_en = {quoted(chr(0x202E) + 'XX Bank')}\n"
        f'[store]\npath = "{store}"\n[scripts]\npath = "{library}"\n'
        f'[ui]\nlanguage = "{language}"\ncursor_blink = false\nmouse = false\n'
        f'[hub]\nurl = "{UNREACHABLE_HUB}"\ntoken = "t"\ninterval_seconds = 3600\n',
        encoding="utf-8")
