"""The knowledge base's search (issue 18): p95 on 10,000 articles, against a LIKE scan of the
same articles for the same queries in the same run.

The 10,000 are made from the shipped ones: each a shipped article under a new id, its paragraphs
shuffled and one paragraph of another article of its language added, so the index holds 10,000
different texts with the bank's own vocabulary (and a query matches many of them, as it would).
The queries are what agents type: two-character Chinese words (挂失, 密码), longer phrases, English
words; each is timed through ``store.kb.search``, the function the screen and ``kb search`` call.
The baseline finds the same words with ``LIKE '%word%'`` over title and body, with no ranking and
no snippet: what a search without an index costs.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from random import Random

import msgspec

from bench.figures import Figure, p95, summary

ARTICLES = 10_000
TARGET_MS = 30.0
QUERIES = ("挂失", "密码", "手续费", "银行卡丢了", "信用卡年费", "冻结", "转账限额", "诈骗",
           "安全账户", "投诉", "利率", "大额存单", "提前还款", "验证码", "lost card", "fee",
           "password reset", "fraud", "complaint", "deposit rates")


def generated_articles(count: int = ARTICLES):
    """``count`` published articles made from the shipped ones (deterministic)."""
    from agent_tui.library import load_library
    from scripts_library import LIBRARY_DIR

    shipped = [a for a in load_library(LIBRARY_DIR).articles if a.published]
    by_lang = {lang: [a for a in shipped if a.lang == lang] for lang in ("zh-CN", "en")}
    rng = Random(18)
    made = []
    for number in range(count):
        base = shipped[number % len(shipped)]
        paragraphs = base.body.split("\n\n")
        rng.shuffle(paragraphs)
        other = rng.choice(by_lang[base.lang])
        paragraphs.append(rng.choice(other.body.split("\n\n")))
        made.append(msgspec.structs.replace(base, id=f"{base.id}-{number}",
                                            body="\n\n".join(paragraphs)))
    return made


def kb_figures(quick: bool):
    count = 1_000 if quick else ARTICLES  # the smoke run proves the figures, not the target
    ours = Figure("kb_search_p95_ms", f"knowledge base search, {count:,} articles, p95", "ms",
                  TARGET_MS)
    baseline = Figure("kb_search_like_p95_ms", "the same words by LIKE scan (no index), p95",
                      "ms")
    build = Figure("kb_index_build_s", f"index {count:,} articles (rjieba + FTS5)", "s")
    pulling = 200 if quick else PULLED  # the smoke run proves the figure, in little time
    pulled = Figure("kb_pull_apply_s", f"apply {pulling:,} articles pulled from the hub", "s")

    def measure() -> None:
        from agent_tui.store import Store, kb

        folder = Path(tempfile.mkdtemp(prefix="agent-tui-bench-kb-"))
        try:
            store = Store.open(folder / "store.db", create=True)
            connection = store.connection()
            articles = generated_articles(count)
            started = time.perf_counter()
            kb.publish(connection, articles)
            build.measured = time.perf_counter() - started
            rounds = 3 if quick else 15
            found: list[int] = []
            mine: list[float] = []
            scans: list[float] = []
            for _ in range(rounds):  # interleaved: the machine's drift hits both alike
                for query in QUERIES:
                    started = time.perf_counter()
                    hits = kb.search(connection, query, None, 20)
                    mine.append((time.perf_counter() - started) * 1000)
                    found.append(len(hits))
                    terms = kb.query_terms(connection, query)  # the words the search seeks
                    started = time.perf_counter()
                    connection.execute(
                        "SELECT id, lang, title FROM kb_articles WHERE "
                        + " AND ".join("(title LIKE ? OR body LIKE ?)" for _ in terms)
                        + " LIMIT 20",
                        [value for term in terms for value in (f"%{term}%", f"%{term}%")],
                    ).fetchall()
                    scans.append((time.perf_counter() - started) * 1000)
            pulled.measured = _apply_pulled(connection, articles[:pulling])
            store.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        ours.measured, ours.detail = p95(mine), summary(mine)
        baseline.measured, baseline.detail = p95(scans), summary(scans)
        ours.note = (f"{len(mine)} searches of {len(QUERIES)} queries (zh and en), top 20 ranked "
                     f"by bm25 with highlighted title and snippet; median "
                     f"{sorted(found)[len(found) // 2]} hits")
        baseline.note = "LIKE '%word%' over title and body, first 20, no ranking: the baseline"
        build.note = "each article cut by rjieba into words and ideographs, one transaction"
        pulled.note = (f"new versions of {pulling:,} of the {count:,} with the words the hub "
                       "cut (checked, not cut here), one pull's transaction (store.kb_hub.keep "
                       "each): compare the whole index's build above")

    return [ours, baseline, build, pulled], measure


PULLED = 1_000


def _apply_pulled(connection, articles) -> float:
    """Seconds to apply ``articles`` as the hub's pull sends them: each a newer version of one
    the store holds, with the words the hub cut when it published it, replacing it in the table
    and the index, all in one transaction."""
    from agent_tui.domain.kb import WORD_FIELDS, cut_words, searched_texts
    from agent_tui.store import kb_hub
    from agent_tui.store.database import transaction

    changes = [{**msgspec.to_builtins(article), "version": article.version + 1,
                "status": "published", **dict(zip(WORD_FIELDS, cut_words(searched_texts(
                    article.title, article.keywords, article.body)), strict=True))}
               for article in articles]
    started = time.perf_counter()
    with transaction(connection):
        applied = sum(kb_hub.keep(connection, change) for change in changes)
    elapsed = time.perf_counter() - started
    assert applied == len(changes), applied
    return elapsed
