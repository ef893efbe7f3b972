"""Canonical names for entity mentions (helpers of ``relextract_entities``).

Everything here is a deterministic function of the mention text, the document's other
mentions and the knowledge base, so the same surface gets the same name in every document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from ..kb import normalize

_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")


def clean_surface(text: str) -> str:
    """Whitespace collapsed, possessive and surrounding punctuation removed."""
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    return text.strip(" \t\"'“”‘’«»,;:.-–—") or text.strip()


def strip_titles(words: Sequence[str], titles: frozenset[str]) -> list[str]:
    """Drop leading words found in ``titles`` (lower-cased); keep at least one word."""
    i = 0
    while i < len(words) - 1 and (words[i].lower() in titles or words[i].lower().rstrip(".") in
                                  titles):
        i += 1
    return list(words[i:])


def law_canonical(text: str) -> str:
    """``"la PEACE Act (H.R.5632)"`` -> ``"PEACE Act"``."""
    return _PAREN.sub("", text).strip() or text


def _name_key(name: str) -> str:
    """Transliteration-tolerant key: ``Aliev``, ``Aliyev``, ``Əliyev`` -> ``aliev``."""
    key = normalize(name).replace("y", "i").replace("ii", "i").replace("j", "i")
    return re.sub(r"(.)\1", r"\1", key)


@lru_cache(maxsize=65536)
def similar_names(a: str, b: str, threshold: float = 0.85) -> bool:
    """Same person name up to transliteration (``Aliev`` ~ ``Aliyev``, ``Zelensky`` ~
    ``Zelenskyy``). Cached: a document compares the same few names again and again."""
    ka, kb = _name_key(a), _name_key(b)
    if ka == kb:
        return True
    la, lb = len(ka), len(kb)
    if 2 * min(la, lb) < threshold * (la + lb):  # the ratio cannot reach the threshold
        return False
    return SequenceMatcher(None, ka, kb).ratio() >= threshold


def merge_person_names(names: Iterable[str]) -> dict[str, str]:
    """Map each person name of one document to the fullest name seen for it there.

    A name maps to the longest other name whose last words match it (``Aliyev`` ->
    ``Ilham Aliyev``; ``Aliev`` -> ``Ilham Aliyev``). When several full names fit, the one
    that occurs first in ``names`` wins (deterministic), unless they disagree: then the short
    name is left alone.
    """
    uniq = list(dict.fromkeys(n for n in names if n))
    out: dict[str, str] = {}
    for name in uniq:
        words = name.split()
        best: list[str] = []
        for other in uniq:
            owords = other.split()
            if len(owords) <= len(words):
                continue
            tail = owords[-len(words):]
            if all(similar_names(a, b) for a, b in zip(words, tail, strict=True)):
                best.append(other)
        # the longest fitting name wins; rival full names that disagree leave it alone
        best.sort(key=lambda n: -len(n.split()))
        consistent = all(
            all(similar_names(a, b) for a, b in zip(
                cand.split(), best[0].split()[-len(cand.split()):], strict=True))
            for cand in best[1:]
        )
        out[name] = best[0] if best and consistent else name
    return out
