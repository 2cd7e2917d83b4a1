"""What a trainee's line means: the intents it says, in zh-CN or en.

A line says an intent when it holds one of the intent's examples: exactly, or nearly (a typo, a
word put in between: rapidfuzz's ratio over the line's words, cut into words by rjieba for
Chinese). A line can say several (a greeting that offers help); they come in the order said.
The values of the account the persona lists as private are recognised too: saying one is a
disclosure ("disclose"), whatever words it comes in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import rjieba
from rapidfuzz import fuzz, process

from agent_tui.domain.localized import in_language
from agent_tui.domain.scenario import Intent
from agent_tui.domain.text import to_halfwidth

DISCLOSE = "disclose"
_SPACES = re.compile(r"\s+")
_EN_WORD = re.compile(r"[a-z0-9']+")
_FUZZY_CUTOFF = 86.0
_MIN_FUZZY = {"zh-CN": 4, "en": 8}  # shorter examples only match exactly: too many near misses
_WINDOW = {"zh-CN": 5, "en": 5}  # words per candidate span
# A spoken line is a sentence or two; a pasted page is matched exactly only past this many words,
# so its reply stays as quick as any other.
MAX_FUZZY_WORDS = 200


def normalise(text: str) -> str:
    text = to_halfwidth(text).lower().replace("’", "'").replace("‘", "'")
    return _SPACES.sub(" ", text).strip()


def _digits(text: str) -> str:
    return re.sub(r"[\s,，]", "", text)


class Recogniser:
    def __init__(self, intents: Sequence[Intent], language: str,
                 private: Sequence[str] = ()) -> None:
        self.language = language
        # Chinese is cut into words by rjieba and matched anywhere; English by whole words.
        self._chinese = in_language(language, True, False)
        self._examples: list[tuple[str, str]] = [
            (normalise(example), intent.id) for intent in intents
            for example in intent.examples(language) if example.strip()]
        self._fuzzy = [(example, intent_id) for example, intent_id in self._examples
                       if len(example) >= _MIN_FUZZY[language]]
        self._fuzzy_texts = [example for example, _ in self._fuzzy]
        self._private = [_digits(normalise(value)) for value in private if value.strip()]

    def _words(self, text: str) -> list[tuple[int, str]]:
        """The line's words with where each starts."""
        if self._chinese:
            found, position = [], 0
            for word in rjieba.cut(text):
                found.append((position, word))
                position += len(word)
            return [(at, word) for at, word in found if word.strip()]
        return [(match.start(), match[0]) for match in _EN_WORD.finditer(text)]

    def recognise(self, text: str) -> tuple[str, ...]:
        line = normalise(text)
        if not line:
            return ()
        first: dict[str, int] = {}
        for example, intent_id in self._examples:
            at = line.find(example)
            if at >= 0 and (self._chinese or _whole_words(line, at, len(example))):
                first[intent_id] = min(at, first.get(intent_id, at))
        self._near(line, first)
        bare = _digits(line)
        for value in self._private:
            if value and value in bare:
                first.setdefault(DISCLOSE, bare.index(value))
        return tuple(sorted(first, key=lambda intent_id: (first[intent_id], intent_id)))

    def _near(self, line: str, first: dict[str, int]) -> None:
        """Examples said nearly: each span of a few words against every longer example."""
        if not self._fuzzy:
            return
        words = self._words(line)[:MAX_FUZZY_WORDS]
        joiner = "" if self._chinese else " "
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + _WINDOW[self.language]) + 1):
                span = joiner.join(word for _, word in words[start:end])
                if len(span) < _MIN_FUZZY[self.language] - 1:
                    continue
                for _example, score, index in process.extract(
                        span, self._fuzzy_texts, scorer=fuzz.ratio, limit=None,
                        score_cutoff=_FUZZY_CUTOFF):
                    intent_id = self._fuzzy[index][1]
                    at = words[start][0]
                    if score and at < first.get(intent_id, len(line) + 1):
                        first[intent_id] = at


def _whole_words(line: str, at: int, length: int) -> bool:
    """An English example starts and ends on word boundaries ("this is" not in "thisis")."""
    before = line[at - 1] if at > 0 else " "
    after = line[at + length] if at + length < len(line) else " "
    return not (before.isalnum() or after.isalnum())
