"""Pulling: the changes a principal may read, after its cursor, in commit order (SYNC.md).

The cursor is opaque to the client:
- ``""``: start from nothing. The hub sends a snapshot of what the principal may read (its cases,
  their notes, their customers), page by page (``s:<feed head>:<last case id>``), the open
  callbacks it may work and the QA reviews of its calls with the last page, the knowledge
  base's published and withdrawn articles page by page (``k:<feed head>:<last id/lang>``), then
  the feed from the head it noted before the first page. A snapshot cursor is never pruned, so a reset
  cannot loop.
- ``<seq>`` on SQLite, where one writer commits in sequence order.
- ``<txid>.<seq>`` on PostgreSQL: sequence values commit out of order, so a plain sequence cursor
  can step over a row that commits later. Only rows of transactions older than every transaction
  still running are read, and the cursor is the pair.

A cursor older than the pruned part of the log gets ``reset``: the client rebuilds its copies of
server-owned rows from a snapshot (never touching its outbox).
"""

from __future__ import annotations

import re

import msgspec
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)

from agent_tui.domain.cases import CALLBACK_FIELDS, CASE_FIELDS
from agent_tui.hub import changes, faults, kb_articles, qa
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import is_postgres, reading
from agent_tui.hub.schema import callbacks, case_notes, cases, change_log, devices, hub_meta
from agent_tui.sync.protocol import Change, PullPage

FLOOR_KEY = "change_log_floor"  # the lowest seq still held after pruning
MAX_LIMIT = 1000


class BadCursor(ValueError):
    pass


_STANDING = select(
    select(devices.c.last_mutation_seq).where(
        devices.c.device_id == bindparam("device_id")).scalar_subquery(),
    select(hub_meta.c.value).where(hub_meta.c.key == FLOOR_KEY).scalar_subquery())


def feed_head(connection: Connection) -> str:
    """Where the feed stands now: a snapshot read after this sees everything before it."""
    if is_postgres(connection):
        xmin = connection.execute(text(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text")).scalar()
        return f"{xmin}.0"
    return str(connection.execute(select(func.coalesce(func.max(change_log.c.seq), 0))).scalar())


_DIGITS = re.compile(r"[0-9]{1,20}")
_MAX_SEQ = 2**63 - 1  # a BIGINT (SQLite's INTEGER): a cursor beyond it was never given out
_MAX_TXID = 2**64 - 1  # an xid8


def _number(text: str, largest: int) -> int:
    if not _DIGITS.fullmatch(text) or int(text) > largest:
        raise BadCursor(text)
    return int(text)


def _parse_feed(cursor: str, postgres: bool) -> tuple[int, int]:
    """(txid, seq) of a feed cursor; ``BadCursor`` for anything the hub never gave out, so a
    forged one is a 400, not a database error."""
    if postgres:
        txid, _, seq = cursor.partition(".")
        return _number(txid, _MAX_TXID), _number(seq or "0", _MAX_SEQ)
    return 0, _number(cursor, _MAX_SEQ)


def read_feed(connection: Connection, audiences: tuple[str, ...], cursor: str, limit: int
              ) -> tuple[list[Change], str, bool]:
    """Changes after ``cursor`` for ``audiences``, oldest first; one row per change."""
    postgres = is_postgres(connection)
    txid, seq = _parse_feed(cursor, postgres)
    columns = [change_log.c.seq, change_log.c.entity, change_log.c.entity_id,
               change_log.c.version, change_log.c.op, change_log.c.data]
    query = select(*columns).where(change_log.c.audience.in_(audiences))
    if postgres:
        txid_column = literal_column("change_log.txid")
        query = select(*columns, text("change_log.txid::text AS txid")).where(
            change_log.c.audience.in_(audiences),
            tuple_(txid_column, change_log.c.seq) > tuple_(
                text(f"'{txid}'::xid8"), seq),
            text("change_log.txid < pg_snapshot_xmin(pg_current_snapshot())"),
        ).order_by(txid_column, change_log.c.seq)
    else:
        query = query.where(change_log.c.seq > seq).order_by(change_log.c.seq)
    rows = connection.execute(query.limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    found: list[Change] = []
    seen: set[int] = set()
    for row in rows:
        if row.seq in seen:
            continue
        seen.add(row.seq)
        found.append(Change(row.entity, row.entity_id, row.version, row.op,
                            msgspec.json.decode(row.data)))
    if rows:
        last = rows[-1]
        cursor = f"{last.txid}.{last.seq}" if postgres else str(last.seq)
    return found, cursor, has_more


def _visible_cases(principal: Principal):
    mine = or_(cases.c.assigned_to == principal.agent_id,
               cases.c.created_by == principal.agent_id)
    if principal.role == "supervisor" and principal.team:
        return or_(mine, cases.c.team == principal.team)
    return mine


def _snapshot_page(connection: Connection, principal: Principal, head: str, after: str,
                   limit: int) -> PullPage:
    if not principal.real_data:  # a trainer: no real case, whoever it is assigned to
        return PullPage([], head, True, 0)
    rows = connection.execute(
        select(*(cases.c[name] for name in CASE_FIELDS)).where(
            _visible_cases(principal), cases.c.id > after).order_by(cases.c.id).limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    found: list[Change] = []
    ids = [row.id for row in rows]
    notes = connection.execute(select(
        case_notes.c.id, case_notes.c.case_id, case_notes.c.at, case_notes.c.agent_id,
        case_notes.c.text).where(case_notes.c.case_id.in_(ids)).order_by(case_notes.c.id)
    ).all() if ids else []
    for row in rows:
        data = dict(row._mapping)
        data["customer"] = changes.customer_row(connection, row.customer_id)
        found.append(Change("case", row.id, row.version, "upsert", data))
    for note in notes:
        found.append(Change("case_note", note.id, 1, "upsert", dict(note._mapping)))
    if has_more:
        return PullPage(found, f"s:{head}:{ids[-1]}", True, 0)
    found.extend(_beside_the_cases(connection, principal))
    return PullPage(found, f"k:{head}:", True, 0)  # the articles, then the feed since the head


def _beside_the_cases(connection: Connection, principal: Principal) -> list[Change]:
    """What a workstation starting from nothing (a new device, a handover) needs beside the
    cases and would otherwise never get, the feed holding only what changed after it: the open
    callbacks it may work (its own; a supervisor's, the team's) and the QA reviews of its calls.
    A handful per agent: sent with the last page."""
    mine = callbacks.c.agent_id == principal.agent_id
    if principal.role == "supervisor" and principal.team:
        mine = or_(mine, callbacks.c.team == principal.team)
    found = []
    for row in connection.execute(select(callbacks).where(
            mine, callbacks.c.status == "scheduled").order_by(callbacks.c.id)).mappings():
        data = {name: row[name] for name in CALLBACK_FIELDS}
        data["customer"] = changes.customer_row(connection, row["customer_id"])
        found.append(Change("callback", row["id"], row["version"], "upsert", data))
    found.extend(Change("qa_review", review.id, review.version, "upsert",
                        msgspec.to_builtins(review))
                 for review in qa.reviews_of(connection, principal.agent_id))
    return found


def pull(engine: Engine, principal: Principal, device_id: str, cursor: str, limit: int
         ) -> PullPage:
    limit = max(1, min(limit, MAX_LIMIT))
    with reading(engine) as connection:
        # The device's counter and the log's floor in one round trip.
        last_seq, floor = connection.execute(_STANDING, {"device_id": device_id}).one()
        last_seq = last_seq or 0
        if cursor == "" or cursor.startswith("s:"):
            if cursor:
                _, head, after = cursor.split(":", 2)
                _parse_feed(head, is_postgres(connection))
            else:
                head, after = feed_head(connection), ""
            page = _snapshot_page(connection, principal, head, after, limit)
            faults.maybe("mid_pull")
            return msgspec.structs.replace(page, last_mutation_seq=last_seq)
        if cursor.startswith("k:"):
            return _articles_page(connection, cursor, limit, last_seq)
        _, seq = _parse_feed(cursor, is_postgres(connection))
        if floor and seq + 1 < int(floor):
            return PullPage([], "", True, last_seq, reset=True)
        found, new_cursor, has_more = read_feed(connection, principal.audiences, cursor, limit)
        faults.maybe("mid_pull")
        return PullPage(found, new_cursor, has_more, last_seq)


def _articles_page(connection: Connection, cursor: str, limit: int, last_seq: int) -> PullPage:
    """The snapshot's knowledge base (``k:<feed head>:<last id/lang>``): each article's latest
    published or withdrawn version, after the cases; then the feed from the head."""
    _, head, after = cursor.split(":", 2)
    _parse_feed(head, is_postgres(connection))
    found, going_on = kb_articles.snapshot(connection, after, limit)
    return PullPage(found, f"k:{head}:{going_on}" if going_on else head, True, last_seq)


def prune(engine: Engine, keep_after_seq: int) -> int:
    """Drop change-log rows up to ``keep_after_seq`` (old data goes cheaply; clients whose
    cursor is older get a reset)."""
    with engine.begin() as connection:
        result = connection.execute(change_log.delete().where(
            change_log.c.seq <= keep_after_seq))
        connection.execute(hub_meta.delete().where(hub_meta.c.key == FLOOR_KEY))
        connection.execute(hub_meta.insert().values(key=FLOOR_KEY, value=str(keep_after_seq + 1)))
    return result.rowcount



