"""The knowledge base's mutation on the hub: an agent's feedback on an article, kept for the
authors (who sent it is the token's agent, never what the workstation says)."""

from __future__ import annotations

from agent_tui.domain.kb import LANGUAGES
from agent_tui.domain.mutation_args import KbFeedback
from agent_tui.hub.mutations import (
    ID_LIMIT,
    MutationContext,
    Outcome,
    Rejected,
    insert_if_absent,
    optional_id,
    text_arg,
)
from agent_tui.hub.schema import kb_feedback


def record_kb_feedback(context: MutationContext, args: KbFeedback) -> Outcome:
    lang = text_arg(args.lang, "lang", limit=8)
    if lang not in LANGUAGES or args.version < 1:
        raise Rejected("bad_field")
    insert_if_absent(context.connection, kb_feedback, {
        "id": text_arg(args.id, "id", limit=ID_LIMIT),
        "article_id": text_arg(args.article_id, "article_id", limit=100), "lang": lang,
        "version": args.version, "helpful": int(args.helpful),
        "agent_id": context.principal.agent_id, "at": context.time(args.at),
        "call_id": optional_id(args.call_id, "call_id")})
    return Outcome("applied")
