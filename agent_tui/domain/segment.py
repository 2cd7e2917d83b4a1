"""Chinese for SQLite FTS5: the words (rjieba) and the characters, as the index and the query see
them.

FTS5's own tokenizers cannot search Chinese: unicode61 keeps a run of ideographs as one token
("银行卡挂失手续" is a single word, so 挂失 is never found), and trigram cannot match a query
shorter than three characters (挂失, 密码). Outside SQLite, in Python, rjieba cuts the text into
words; the pieces are joined with U+200B, which unicode61 treats as a separator and the screens
drop, so a snippet reads exactly as written. A second column holds every ideograph as its own
token: a query word that rjieba cut differently in the article (挂失 inside 临时挂失手续) is still
found as a phrase of its characters. bm25 weighs the word columns above the character ones.
"""

from __future__ import annotations

import re

import rjieba

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


def words(text: str) -> str:
    """``text`` cut into words with U+200B between them; removing U+200B gives ``text`` back."""
    return SEPARATOR.join(piece for piece in rjieba.cut(text) if piece)


def characters(text: str) -> str:
    """Every ideograph a token of its own; other words as they are."""
    return _IDEOGRAPH.sub(rf"{SEPARATOR}\1{SEPARATOR}", text)


def readable(indexed: str) -> str:
    return indexed.replace(SEPARATOR, "")


def query_terms(query: str) -> list[str]:
    """The words of a query worth looking for, in order, without repeats."""
    terms: list[str] = []
    for piece in rjieba.cut(query.lower()):
        for token in _TOKEN.findall(piece):
            if token not in _STOP and token not in terms:
                terms.append(token)
    return terms


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
