"""Language routing per paragraph.

A document is split into paragraphs (lines, split on ``"\\n"``; surrounding whitespace is left
out of the offsets). Each paragraph's language is detected with lingua
(``lingua-language-detector``) restricted to the target languages (``it``, ``en``) plus a handful
of other European languages (:data:`OTHER_LANGUAGES`), so that a French or Russian paragraph is
recognised -- and skipped by the extractor -- instead of being forced into Italian or English.
Text in a script none of these languages use (CJK, Arabic, Greek...) gets ``"und"``.

A paragraph of a dozen words or more whose function words are clearly Italian or clearly
English (``resources/langid/function_words.yml``: words no other language of the detector has)
gets that language without the detector, which is the costly part (:data:`FAST_PATH`).

Short or low-confidence paragraphs (headings, list items, bylines) take the language of their
neighbours: the previous paragraph, else the next confidently detected one, else the document
majority; when both neighbours exist and disagree, the one the paragraph itself scores higher
wins. Consecutive paragraphs of one language are then merged into :class:`Segment` s of at most
``max_chars`` characters. ``benchmarks/LANGID.md`` says why lingua (high-accuracy mode) and why
these thresholds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from lingua import LanguageDetector

__all__ = [
    "DEFAULT_LANGUAGES",
    "OTHER_LANGUAGES",
    "Segment",
    "detect_language",
    "detect_paragraphs",
    "get_detector",
    "paragraphs",
    "segment",
]

#: the languages relextract extracts from
DEFAULT_LANGUAGES: tuple[str, ...] = ("it", "en")
#: also known to the detector so that such text is recognised and skipped, not forced to it/en
OTHER_LANGUAGES: tuple[str, ...] = ("fr", "de", "es", "pt", "ru")
#: code for text in none of the detector's languages / scripts (or with no letters at all)
UNDETERMINED = "und"

# Thresholds (lingua high-accuracy confidences; measured in benchmarks/LANGID.md: on UD/gold
# lines under 40 characters, a top confidence >= 0.5 is right 99 % of the time).
#: paragraphs with fewer characters than this are "short": they also need SHORT_MIN_LETTERS
#: letters and SHORT_MIN_CONFIDENCE to keep their own language, else follow their neighbours
SHORT_CHARS = 40
#: confidence an it/en (``languages``) guess needs for the paragraph to keep it
MIN_CONFIDENCE = 0.5
#: confidence a short paragraph needs (also at least MIN_CONFIDENCE / OTHER_MIN_CONFIDENCE)
SHORT_MIN_CONFIDENCE = 0.5
#: confidence a guess outside ``languages`` (fr, de...) needs: such text is rare in our input
OTHER_MIN_CONFIDENCE = 0.8
#: a short paragraph needs at least this many letters to be trusted at all
SHORT_MIN_LETTERS = 12
#: detection looks at most at this many characters of a paragraph (head + middle)
SAMPLE_CHARS = 2000

# Cyrillic is the only non-Latin script among the detector's languages (ru)
_LETTER = re.compile(r"[^\W\d_]")
# a letter of neither script (CJK, Arabic, Greek...)
_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0400-\u052f]")
# words of the fast path (apostrophes split: "dell'Italia" -> "dell", "italia")
_WORD = re.compile(r"[^\W\d_]+")
# text the fast path may judge: ASCII plus the Latin-1 letters Italian uses (other diacritics,
# such as Spanish ñ, Portuguese ã/õ, German ß, go to the detector)
_LATIN1_TEXT = re.compile(r"[\x00-\x7f\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb"
                          r"àèéìíòóùÀÈÉÌÒÙ°€£]*")
#: first look at a paragraph's function words (resources/langid/function_words.yml), and only
#: when they leave a doubt ask the detector (benchmarks/LANGID.md: same routing, less time)
FAST_PATH = True
# end of a sentence followed by whitespace (the next character is checked to be upper case)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")


@dataclass(frozen=True)
class Segment:
    """A run of the document text in one language: ``text[start:end]``."""

    start: int
    end: int
    lang: str


@functools.lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    langs = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is None:
            raise ValueError(f"unknown ISO 639-1 language code {code!r}")
        langs.append(Language.from_iso_code_639_1(iso))
    # high-accuracy mode: much better on short paragraphs (headings, list items) than the
    # low-accuracy mode, and fast enough (benchmarks/LANGID.md). Models load lazily.
    return LanguageDetectorBuilder.from_languages(*langs).build()


def get_detector(languages: Sequence[str] = DEFAULT_LANGUAGES) -> LanguageDetector:
    """The cached lingua detector for ``languages`` + :data:`OTHER_LANGUAGES` (built once)."""
    codes = tuple(sorted({c.lower() for c in languages} | set(OTHER_LANGUAGES)))
    return _detector(codes)


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    half = SAMPLE_CHARS // 2
    mid = len(text) // 2
    return text[:half] + "\n" + text[mid : mid + half]


def _scores(text: str, languages: Sequence[str]) -> dict[str, float]:
    """Confidence per language code for ``text`` ({} when there is nothing to go by)."""
    return _analyse(_sample(text), languages)[0]


def _analyse(sample: str, languages: Sequence[str]) -> tuple[dict[str, float], int]:
    """:func:`_scores` of ``sample`` and how many letters it has."""
    letters = len(_LETTER.findall(sample))
    if letters == 0:
        return {}, 0
    if not sample.isascii() and len(_OTHER_SCRIPT.findall(sample)) > letters / 2:
        return {UNDETERMINED: 1.0}, letters
    if FAST_PATH:
        fast = _function_word_language(sample, languages)
        if fast is not None:
            return {fast: 1.0}, letters
    return _lingua_scores(sample, languages), letters


@dataclass(frozen=True)
class _FunctionWords:
    min_words: int
    min_hits: int
    min_share: float
    words: dict[str, frozenset[str]]


@functools.lru_cache(maxsize=1)
def _function_words() -> _FunctionWords:
    from .resources import load_yaml

    data = load_yaml("langid/function_words.yml")
    return _FunctionWords(
        int(data["min_words"]), int(data["min_hits"]), float(data["min_share"]),
        {lang: frozenset(str(w).lower() for w in ws) for lang, ws in data["words"].items()},
    )


def _function_word_language(text: str, languages: Sequence[str]) -> str | None:
    """The language of a paragraph whose function words leave no doubt (see
    ``resources/langid/function_words.yml``), else None (the detector decides). Only for the
    target ``languages`` with a word list; text with letters outside ASCII and Latin-1 (other
    alphabets, diacritics of other languages) always goes to the detector."""
    if not _LATIN1_TEXT.fullmatch(text):
        return None
    fw = _function_words()
    words = _WORD.findall(text.lower())
    if len(words) < fw.min_words:
        return None
    hits = {lang: sum(1 for w in words if w in fw.words[lang])
            for lang in languages if lang in fw.words}
    found = [lang for lang, n in hits.items() if n]
    if len(found) != 1:
        return None
    n = hits[found[0]]
    return found[0] if n >= fw.min_hits and n >= fw.min_share * len(words) else None


def _lingua_scores(sample: str, languages: Sequence[str]) -> dict[str, float]:
    values = get_detector(languages).compute_language_confidence_values(sample)
    scores: dict[str, float] = {}
    for v in values:
        iso = v.language.iso_code_639_1
        if iso is not None:
            scores[iso.name.lower()] = float(v.value)
    return scores


def detect_language(
    text: str, *, languages: Sequence[str] = DEFAULT_LANGUAGES
) -> tuple[str, float]:
    """The detector's best language for ``text`` and its confidence (``("und", 0.0)`` when
    the text has no letters). No neighbour smoothing: see :func:`detect_paragraphs`."""
    scores = _scores(text, languages)
    if not scores:
        return UNDETERMINED, 0.0
    lang = max(scores, key=lambda k: scores[k])
    return lang, scores[lang]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank line of ``text``, surrounding whitespace left out."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            out.append((start, start + len(stripped)))
        pos += len(line) + 1
    return out


def _reliable(length: int, letters: int, lang: str, conf: float, languages: Sequence[str]) -> bool:
    if lang == UNDETERMINED:
        return conf > 0  # a script none of our languages uses
    # other languages are rare in our input: they need more evidence than it/en
    need = MIN_CONFIDENCE if lang in languages else OTHER_MIN_CONFIDENCE
    if length >= SHORT_CHARS:
        return conf >= need
    return letters >= SHORT_MIN_LETTERS and conf >= max(need, SHORT_MIN_CONFIDENCE)


def _route(text: str, spans: list[tuple[int, int]], languages: Sequence[str]) -> list[str]:
    """Language per paragraph, with short/unsure paragraphs following their neighbours."""
    n = len(spans)
    scores: list[dict[str, float]] = []
    langs: list[str | None] = []
    for start, end in spans:
        sc, letters = _analyse(_sample(text[start:end]), languages)
        scores.append(sc)
        if not sc:
            langs.append(None)
            continue
        best = max(sc, key=lambda k: sc[k])
        reliable = _reliable(end - start, letters, best, sc[best], languages)
        langs.append(best if reliable else None)

    # document majority (characters) among confidently detected paragraphs
    weight: dict[str, int] = {}
    for (start, end), lang in zip(spans, langs, strict=True):
        if lang is not None:
            weight[lang] = weight.get(lang, 0) + (end - start)
    majority = max(weight, key=lambda k: weight[k]) if weight else None

    # next confidently detected language, for every position
    next_lang: list[str | None] = [None] * n
    following: str | None = None
    for i in range(n - 1, -1, -1):
        next_lang[i] = following
        if langs[i] is not None:
            following = langs[i]

    out: list[str] = []
    for i in range(n):
        lang = langs[i]
        if lang is None:
            prev = out[i - 1] if i > 0 else None
            nxt = next_lang[i]
            sc = scores[i]
            if prev is not None and nxt is not None and prev != nxt:
                lang = nxt if sc.get(nxt, 0.0) > sc.get(prev, 0.0) else prev
            else:
                lang = prev or nxt or majority
            if lang is None:
                # nothing to lean on (e.g. a one-line document): best target language
                cands = [c for c in languages if sc.get(c, 0.0) > 0]
                lang = max(cands, key=lambda c: sc[c]) if cands else UNDETERMINED
        out.append(lang)
    return out


def detect_paragraphs(text: str, *, languages: Sequence[str] = DEFAULT_LANGUAGES) -> list[Segment]:
    """One :class:`Segment` per non-blank paragraph (line) of ``text``, with its routed
    language (after neighbour smoothing of short / low-confidence paragraphs)."""
    spans = paragraphs(text)
    if not spans:
        return []
    routed = _route(text, spans, languages)
    return [Segment(s, e, lang) for (s, e), lang in zip(spans, routed, strict=True)]


def _cut_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` (no surrounding whitespace) into pieces of at most ``max_chars``
    characters, at sentence ends, else at whitespace; only a whitespace-free run longer than
    ``max_chars`` is cut mid-run. Whitespace between pieces is left out; nothing else is lost."""
    pieces: list[tuple[int, int]] = []
    pos = start
    while end - pos > max_chars:
        limit = pos + max_chars
        cut = -1
        for m in _SENTENCE_END.finditer(text, pos, limit):
            if text[m.end()].isupper():
                cut = m.end()
        if cut < 0 or cut - pos < max_chars // 4:
            # no sentence end (or only a very early one): last whitespace in the window
            ws = limit
            while ws > pos and not text[ws].isspace():
                ws -= 1
            if ws > pos:
                cut = ws
            elif cut < 0:
                cut = limit  # one "word" longer than max_chars: no choice
        piece_end = cut
        while piece_end > pos and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((pos, piece_end))
        pos = cut
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        pieces.append((pos, end))
    return pieces


def segment(
    text: str,
    *,
    lang: str | None = None,
    max_chars: int = 100_000,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
) -> list[Segment]:
    """Split ``text`` into language segments for the extractor.

    Consecutive paragraphs of the same (routed) language are merged into one segment
    (``text[start:end]``, including the newlines between them) of at most ``max_chars``
    characters; a longer paragraph is cut at sentence ends or whitespace. Segments are in text
    order, do not overlap and together cover every non-whitespace character of the text.
    ``lang`` forces every paragraph to that language (no detection).
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    spans = paragraphs(text)
    if not spans:
        return []
    routed = [lang] * len(spans) if lang else _route(text, spans, languages)

    out: list[Segment] = []
    cur: list[int] | None = None  # [start, end]
    cur_lang = ""
    for (start, end), plang in zip(spans, routed, strict=True):
        assert plang is not None
        if cur is not None and (plang != cur_lang or end - cur[0] > max_chars):
            out.append(Segment(cur[0], cur[1], cur_lang))
            cur = None
        if end - start > max_chars:
            out.extend(Segment(s, e, plang) for s, e in _cut_long(text, start, end, max_chars))
            continue
        if cur is None:
            cur = [start, end]
            cur_lang = plang
        else:
            cur[1] = end
    if cur is not None:
        out.append(Segment(cur[0], cur[1], cur_lang))
    return out
