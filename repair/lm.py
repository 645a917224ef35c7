"""A trigram language model as a gate: does the canonical read better than the spun form here?

The bigram table (:mod:`repair.plausibility`) is too thin to tell a spun word from an original
one. The CMU US-English trigram model that PyPI ``pocketsphinx`` ships (``en-us.lm.bin``,
BSD-2-Clause, about 2 M bigrams and 1.7 M trigrams, memory-mapped) is queried in process: an
edit of a weak tier (``likely``, ``context``) is applied only where the window of text around it
(two words either side, within the sentence) is more probable with the canonical than with the
spun form, by at least :data:`MARGIN` (natural log). Each query takes under a microsecond and is
asked only for edits in documents found spun.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from functools import lru_cache

import regex

MARGIN = 0.0
"""Natural-log gain the canonical window must exceed over the spun one."""
_LN_UNIT = math.log(1.0001)  # pocketsphinx reports log-probabilities in units of log base 1.0001
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)*")
_STOP = regex.compile(r"[.!?;:\n\"“”()\[\]]")  # a sentence or clause ends: the window stops there
SIDE = 2  # context words on each side


@lru_cache(maxsize=1)
def model() -> object | None:
    """The shipped trigram model, loaded once per process (None where pocketsphinx is missing or
    ``REPAIR_LM=0``: edits are then not gated)."""
    if os.environ.get("REPAIR_LM", "1") == "0":
        return None
    try:
        import pocketsphinx
    except ImportError:
        return None
    path = os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin")
    try:
        pocketsphinx.set_loglevel("FATAL")
        return pocketsphinx.NGramModel.readfile(path)
    except (OSError, RuntimeError, ValueError):
        return None


def available() -> bool:
    return model() is not None


def _words(phrase: str) -> list[str]:
    return [w.replace("’", "'").lower() for w in _WORD.findall(phrase)]


def left_context(text: str, start: int) -> list[str]:
    """Up to :data:`SIDE` words before ``start`` in its sentence, ``<s>`` where it begins."""
    lo = max(0, start - 80)
    chunk = text[lo:start]
    stop = None
    for stop in _STOP.finditer(chunk):
        pass
    begins = stop is not None or lo == 0
    if stop is not None:
        chunk = chunk[stop.end():]
    words = _words(chunk)[-SIDE:]
    if len(words) < SIDE and begins:
        words = ["<s>", *words]
    return words


def right_context(text: str, end: int) -> list[str]:
    """Up to :data:`SIDE` words after ``end`` in its sentence, ``</s>`` where it ends."""
    hi = min(len(text), end + 80)
    chunk = text[end:hi]
    stop = _STOP.search(chunk)
    ends = stop is not None or hi == len(text)
    if stop is not None:
        chunk = chunk[:stop.start()]
    words = _words(chunk)[:SIDE]
    if len(words) < SIDE and ends:
        words = [*words, "</s>"]
    return words


def logprob(lm: object, words: Sequence[str], first: int) -> float:
    """Natural-log probability of ``words[first:]``, each given the two words before it."""
    prob = lm.prob  # type: ignore[attr-defined]
    total = 0
    for i in range(max(first, 0), len(words)):
        total += prob([words[i], words[i - 1], words[i - 2]] if i >= 2 else words[i::-1])
    return total * _LN_UNIT


_MEMO: dict[tuple, float | None] = {}
MEMO = 50_000  # windows remembered (news repeats its phrases)


def gain(text: str, start: int, end: int, replacement: str) -> float | None:
    """How much more probable (natural log) the window around ``text[start:end]`` is with
    ``replacement`` in its place; None without a model or without words to compare. Only the
    words whose probability can change are scored: the phrase and the words after it."""
    lm = model()
    if lm is None:
        return None
    left, right = left_context(text, start), right_context(text, end)
    key = (tuple(left), text[start:end], replacement, tuple(right))
    found = _MEMO.get(key, _MEMO)
    if found is not _MEMO:
        return found  # type: ignore[return-value]
    old, new = _words(text[start:end]), _words(replacement)
    if not old or not new:
        found = None
    else:
        at = len(left)
        found = logprob(lm, [*left, *new, *right], at) - logprob(lm, [*left, *old, *right], at)
    if len(_MEMO) >= MEMO:
        _MEMO.clear()
    _MEMO[key] = found
    return found
