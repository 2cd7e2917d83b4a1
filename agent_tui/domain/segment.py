"""Chinese for SQLite FTS5: the words (rjieba) and the characters, as the index and the query see
them.

FTS5's own tokenizers cannot search Chinese: unicode61 keeps a run of ideographs as one token
("银行卡挂失手续" is a single word, so 挂失 is never found), and trigram cannot match a query
shorter than three characters (挂失, 密码). Outside SQLite, in Python, rjieba cuts the text into
words; the pieces are joined with U+200B, which unicode61 treats as a separator and the screens
drop, so a snippet reads exactly as written. A second column holds every ideograph as its own
token: a query word that rjieba cut differently in the article (挂失 inside 临时挂失手续) is still
found as a phrase of its characters. bm25 weighs the word columns above the character ones.

rjieba is loaded only to index an article (``words``), never to read a query: its dictionary is
33 MB and 0.15 s, paid by every session that imported it, 100 times on a shared SSH host. A query
is cut against the index's own words instead (``query_terms``, forward longest match over the
words the index holds, which the store looks up): a query word the index does not hold as a word
can only be found through the characters' columns anyway, so its characters are what is sought.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

SEPARATOR = "\u200b"
_IDEOGRAPH = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])")
_TOKEN = re.compile(r"[\w\u3400-\u9fff]+")
# Words that say nothing about what is being looked for (a query is often typed as a question).
# The greeting and thanks that approved phrases put into the notes say nothing either.
_STOP = frozenset("的 了 吗 呢 吧 啊 是 我 你 他 她 您 要 想 在 和 与 及 或 怎么 怎么办 如何 什么 "
                  "可以 能 能否 请问 一下 您好 你好 早上好 下午好 晚上好 谢谢 感谢 很 高兴 为 服务 "
                  "帮 帮您 工号 远程 中心 有 这 那 "
                  "a an the of to is are how what do does can i my me for in on and or it "
                  "that this be with you your we our us please thank thanks good morning "
                  "afternoon evening calling help today staff number speaking pleasure hello "
                  "let go ahead time".split())


_IDEOGRAPHS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LONGEST_WORD = 8  # the longest word a query is cut into (rjieba's are shorter but for names)


def words(text: str) -> str:
    """``text`` cut into words with U+200B between them; removing U+200B gives ``text`` back."""
    import rjieba  # here, not at the top: only indexing needs its dictionary (see above)

    return SEPARATOR.join(piece for piece in rjieba.cut(text) if piece)


def load_dictionary() -> None:
    """Load rjieba's dictionary now (a session server, before it forks, so its sessions share
    it should they index an article)."""
    words("挂失")


def characters(text: str) -> str:
    """Every ideograph a token of its own; other words as they are."""
    return _IDEOGRAPH.sub(rf"{SEPARATOR}\1{SEPARATOR}", text)


def readable(indexed: str) -> str:
    return indexed.replace(SEPARATOR, "")


def candidates(query: str) -> set[str]:
    """Every run of two to ``LONGEST_WORD`` ideographs in ``query``: the words it could hold."""
    found = set()
    for run in _IDEOGRAPHS.findall(query):
        for start in range(len(run) - 1):
            for end in range(start + 2, min(len(run), start + LONGEST_WORD) + 1):
                found.add(run[start:end])
    return found


def query_terms(query: str, known: Callable[[Collection[str]], Collection[str]]) -> list[str]:
    """The words of a query worth looking for, in order, without repeats. ``known`` answers
    which of some candidate words the index holds; Chinese is cut at the longest known (or stop)
    word, an ideograph no known word starts is a term of its own, other text by its words."""
    text = query.lower()
    held = set(known(candidates(text))) | _STOP
    terms: list[str] = []
    for token in _TOKEN.findall(text):
        for piece in _cut(token, held):
            if piece not in _STOP and piece not in terms:
                terms.append(piece)
    return terms


def _cut(token: str, held: set[str]) -> list[str]:
    """``token`` cut into the longest held words from the left. Ideographs no held word starts
    stay together, up to the next held word or stop word: a word the index does not know (丢卡,
    a name) is sought as the phrase of its characters, as rjieba would have kept it whole.
    Letters and digits stay as they are."""
    pieces: list[str] = []
    unknown, at = "", 0
    while at < len(token):
        if not _IDEOGRAPH.fullmatch(token[at]):
            end = at
            while end < len(token) and not _IDEOGRAPH.fullmatch(token[end]):
                end += 1
            word = token[at:end]
        else:
            end = next((end for end in range(min(len(token), at + LONGEST_WORD), at + 1, -1)
                        if token[at:end] in held), at + 1)
            word = token[at:end]
            if end == at + 1 and word not in held:
                unknown += word
                at = end
                continue
        if unknown:
            pieces.append(unknown)
            unknown = ""
        pieces.append(word)
        at = end
    if unknown:
        pieces.append(unknown)
    return pieces


def match_expression(terms: list[str], word_columns: str, char_columns: str,
                     every: bool = True) -> str:
    """An FTS5 MATCH for ``terms``: each term as a word, or as the phrase of its characters.

    ``every``: all terms must be found (AND); otherwise any (OR), for suggestions from notes.
    Each term is quoted, so nothing the agent types is read as FTS5 syntax.
    """
    clauses = []
    for term in terms:
        spaced = " ".join(_IDEOGRAPH.sub(r" \1 ", term).split())
        clauses.append(f'({{{word_columns}}} : "{term}" OR {{{char_columns}}} : "{spaced}")')
    return (" AND " if every else " OR ").join(clauses)
