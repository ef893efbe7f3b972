"""relextract.langid: paragraph routing and segmentation."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relextract.langid as rl
from relextract.langid import Segment, detect_paragraphs, get_detector, paragraphs, segment

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

IT = (
    "Il presidente del Consiglio ha incontrato ieri a Palazzo Chigi il cancelliere tedesco "
    "per discutere della crisi energetica e delle sanzioni contro la Russia."
)
IT2 = (
    "Secondo fonti diplomatiche, i due leader hanno concordato di rafforzare la cooperazione "
    "nel settore della difesa entro la fine dell'anno."
)
EN = (
    "The foreign ministers met in Brussels on Monday to discuss new sanctions and the "
    "reconstruction of the country after the war."
)
FR = (
    "Le président français a rencontré hier le chancelier allemand à Paris pour parler "
    "de l'énergie et des sanctions."
)


def covered(segs: list[Segment], text: str) -> None:
    """In order, non-overlapping, inside the text, trimmed, covering every non-whitespace
    character of every paragraph."""
    prev_end = 0
    for s in segs:
        assert prev_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        prev_end = s.end
    inside = bytearray(len(text))
    for s in segs:
        inside[s.start : s.end] = b"\x01" * (s.end - s.start)
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert inside[i], f"character {i} ({ch!r}) not in any segment"


# ------------------------------------------------------------------------------ paragraphs


def test_paragraph_offsets_are_stripped() -> None:
    text = "  Titolo \n\n\tPrimo paragrafo.  \n \nSecondo\n"
    spans = paragraphs(text)
    assert [text[s:e] for s, e in spans] == ["Titolo", "Primo paragrafo.", "Secondo"]


def test_empty_text() -> None:
    assert segment("") == []
    assert segment(" \n\t\n") == []
    assert detect_paragraphs("\n\n") == []


def test_detector_is_cached() -> None:
    assert get_detector() is get_detector(("en", "it"))


def test_unknown_language_code() -> None:
    with pytest.raises(ValueError, match="xx"):
        get_detector(("it", "xx"))


# --------------------------------------------------------------------------------- routing


def test_italian_and_english_paragraphs() -> None:
    text = f"{IT}\n\n{EN}\n{IT2}\n"
    segs = detect_paragraphs(text)
    assert [s.lang for s in segs] == ["it", "en", "it"]
    assert [text[s.start : s.end] for s in segs] == [IT, EN, IT2]


def test_short_lines_follow_their_neighbours() -> None:
    text = f"Roma\n{IT}\n\nFoto: ANSA\n{IT2}\nTASS\n"
    assert [s.lang for s in detect_paragraphs(text)] == ["it"] * 5
    text = f"{EN}\nReuters\n{EN}"
    assert [s.lang for s in detect_paragraphs(text)] == ["en"] * 3


def test_other_languages_are_recognised_not_forced() -> None:
    text = f"{IT}\n{FR}\n{IT2}\n北京市是中华人民共和国的首都，也是政治和文化中心。\n"
    assert [s.lang for s in detect_paragraphs(text)] == ["it", "fr", "it", "und"]
    segs = segment(text)
    assert [s.lang for s in segs] == ["it", "fr", "it", "und"]


def test_one_short_line_document_gets_it_or_en() -> None:
    assert detect_paragraphs("Putin incontra Aliyev")[0].lang == "it"
    assert detect_paragraphs("Clinton visits Moscow")[0].lang == "en"
    assert detect_paragraphs("12345 678")[0].lang == "und"


def test_forced_language_skips_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_detection(*a: object, **k: object) -> None:
        raise AssertionError("detector called")

    monkeypatch.setattr(rl, "_lingua_scores", no_detection)
    text = f"{EN}\n{IT}\n{FR}"
    assert segment(text, lang="it") == [Segment(0, len(text), "it")]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not available")
def test_seed_article_routing() -> None:
    files = sorted(SEEDS.glob("000_*.txt"))
    if not files:
        pytest.skip("seed 000 not available")
    text = files[0].read_text(encoding="utf-8")
    segs = detect_paragraphs(text)
    by_text = {text[s.start : s.end]: s.lang for s in segs}
    headline = [t for t in by_text if t.startswith("Cool politics, warm market")]
    assert headline and all(by_text[t] == "en" for t in headline)
    italian = re.compile(r"\b(il|della|che|sono|nel|degli)\b")
    for t, lang in by_text.items():
        if len(italian.findall(t)) >= 2:
            assert lang == "it", t
    en = [t for t, lang in by_text.items() if lang == "en"]
    assert 1 <= len(en) <= 6  # only the English headlines
    # the segments alternate and cover the article
    out = segment(text)
    covered(out, text)
    assert {s.lang for s in out} == {"it", "en"}
    assert any(text[s.start : s.end].startswith("Cool politics") for s in out if s.lang == "en")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not available")
def test_english_seed_is_english() -> None:
    files = sorted(SEEDS.glob("003_*.txt"))
    if not files:
        pytest.skip("seed 003 not available")
    text = files[0].read_text(encoding="utf-8")
    assert {s.lang for s in segment(text)} == {"en"}


# ----------------------------------------------------------------------------- segmentation


def test_consecutive_paragraphs_merge() -> None:
    text = f"{IT}\n\n{IT2}\n{EN}\n{EN}"
    segs = segment(text)
    assert [s.lang for s in segs] == ["it", "en"]
    assert text[segs[0].start : segs[0].end] == f"{IT}\n\n{IT2}"


def test_max_chars_splits_merged_paragraphs() -> None:
    text = "\n".join([IT, IT2, IT, IT2])
    segs = segment(text, lang="it", max_chars=len(IT) + len(IT2) + 1)
    assert len(segs) == 2
    assert all(s.end - s.start <= len(IT) + len(IT2) + 1 for s in segs)
    covered(segs, text)


def test_long_paragraph_cut_at_sentence_ends() -> None:
    sentence = "Il ministro ha parlato a lungo con i giornalisti. "
    text = (sentence * 40).strip()
    segs = segment(text, lang="it", max_chars=300)
    covered(segs, text)
    assert len(segs) > 1
    for s in segs:
        piece = text[s.start : s.end]
        assert len(piece) <= 300
        assert piece.startswith("Il ministro") and piece.endswith(".")


def test_long_paragraph_cut_at_whitespace_never_mid_word() -> None:
    words = [f"parola{i}" for i in range(300)]
    text = " ".join(words)
    segs = segment(text, lang="it", max_chars=100)
    covered(segs, text)
    got = [w for s in segs for w in text[s.start : s.end].split()]
    assert got == words
    assert all(s.end - s.start <= 100 for s in segs)


def test_whitespace_free_run_is_hard_cut() -> None:
    text = "x" * 250
    segs = segment(text, lang="en", max_chars=100)
    assert [(s.start, s.end) for s in segs] == [(0, 100), (100, 200), (200, 250)]


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError):
        segment("ciao", max_chars=0)


def test_big_document_is_fast_enough() -> None:
    text = "\n".join([IT, IT2] * 5000)  # ~1.4 MB
    segs = segment(text, lang="it", max_chars=100_000)
    assert len(segs) == 15
    covered(segs, text)


# -------------------------------------------------------------------------------- properties

TOKENS = [*"ab cdE. F?!\n\n\t\r\u00a0\u2028\x1càé’Ж", "Il ", "The ", ". A", "parola ", "word "]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(TOKENS), max_size=150).map("".join),
)


def check(text: str, segs: list[Segment], max_chars: int) -> None:
    covered(segs, text)
    for a, b in itertools.pairwise(segs):
        gap = text[a.end : b.start]
        assert gap == "" or gap.isspace()
        if gap == "":  # only a whitespace-free run longer than max_chars is cut mid-run
            piece = text[a.start : a.end]
            assert len(piece) == max_chars and not any(c.isspace() for c in piece)
    for s in segs:
        assert s.end - s.start <= max_chars


@given(text=texts, max_chars=st.integers(min_value=1, max_value=60))
@settings(max_examples=300, deadline=None)
def test_segments_cover_text_forced(text: str, max_chars: int) -> None:
    check(text, segment(text, lang="it", max_chars=max_chars), max_chars)


@given(text=texts, max_chars=st.integers(min_value=20, max_value=500))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_segments_cover_text_detected(text: str, max_chars: int) -> None:
    segs = segment(text, max_chars=max_chars)
    check(text, segs, max_chars)
    assert all(s.lang in {"it", "en", "fr", "de", "es", "pt", "ru", "und"} for s in segs)


# -- the function-word fast path ------------------------------------------------------------

EN_PARA = ("The minister said on Monday that the talks with the opposition would resume after "
           "the elections, and that the government had not changed its position.")
IT_PARA = ("Il ministro ha detto lunedì che i colloqui con l'opposizione riprenderanno dopo le "
           "elezioni e che il governo non ha cambiato la sua posizione sulla riforma.")
FOREIGN = {
    "fr": "Le ministre a déclaré lundi que les négociations avec l'opposition reprendraient "
          "après les élections et que le gouvernement n'avait pas changé sa position.",
    "es": "El ministro dijo el lunes que las conversaciones con la oposición se reanudarían "
          "después de las elecciones y que el gobierno no había cambiado su posición.",
    "pt": "O ministro disse na segunda-feira que as conversas com a oposição seriam retomadas "
          "depois das eleições e que o governo não tinha mudado a sua posição.",
    "de": "Der Minister sagte am Montag, dass die Gespräche mit der Opposition nach den Wahlen "
          "wieder aufgenommen würden und die Regierung ihre Haltung nicht geändert habe.",
    "es2": "Según el portavoz, la reunión entre los dos presidentes fue muy positiva para ambos "
           "países y para toda la región del sur.",
}


def test_fast_path_decides_clear_paragraphs():
    from relextract.langid import _function_word_language

    assert _function_word_language(EN_PARA, ("it", "en")) == "en"
    assert _function_word_language(IT_PARA, ("it", "en")) == "it"
    assert _function_word_language(IT_PARA, ("en",)) is None  # only target languages
    # too short, or words of both languages: the detector decides
    assert _function_word_language("The minister said that it was over.", ("it", "en")) is None
    mixed = IT_PARA + " Lo ha scritto The Guardian, citando fonti della Casa Bianca."
    assert _function_word_language(mixed, ("it", "en")) is None


def test_fast_path_never_takes_other_languages():
    from relextract.langid import _function_word_language

    for code, text in FOREIGN.items():
        assert _function_word_language(text, ("it", "en")) is None, code


def test_fast_path_gives_the_detectors_routing():
    import relextract.langid as rl

    text = "\n".join([EN_PARA, IT_PARA, FOREIGN["fr"], "Short line", EN_PARA])
    fast = rl.detect_paragraphs(text)
    rl.FAST_PATH = False
    try:
        slow = rl.detect_paragraphs(text)
    finally:
        rl.FAST_PATH = True
    assert [s.lang for s in fast] == [s.lang for s in slow] == ["en", "it", "fr", "en", "en"]


def test_function_word_lists_are_valid():
    from relextract.langid import DEFAULT_LANGUAGES, _function_words

    fw = _function_words()
    assert set(fw.words) == set(DEFAULT_LANGUAGES)
    assert fw.min_words >= fw.min_hits >= 3 and 0 < fw.min_share < 1
    assert not fw.words["it"] & fw.words["en"]
    # common function words of French, German, Spanish and Portuguese: none may be listed
    foreign = {"il", "non", "la", "le", "les", "de", "des", "du", "et", "est", "un", "une",
               "del", "el", "los", "las", "que", "y", "con", "una", "ha", "por", "para", "solo",
               "quando", "o", "os", "as", "e", "da", "do", "dos", "em", "um", "dei", "der",
               "die", "das", "und", "ist", "was", "an", "in", "on", "will", "also", "her", "or",
               "but", "mit", "für", "sur", "pour", "au", "aux", "ai"}
    for lang, words in fw.words.items():
        assert words == {w.lower() for w in words}, lang
        assert not words & foreign, (lang, sorted(words & foreign))
