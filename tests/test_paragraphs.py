"""Line breaks end sentences (components/paragraphs.py), with and without a trained parser."""

from __future__ import annotations

import pytest
import spacy

from conftest import models_present
from relextract.components.paragraphs import FACTORY


def sents(nlp: spacy.language.Language, text: str) -> list[str]:
    return [s.text for s in nlp(text).sents]


def test_every_line_starts_a_sentence() -> None:
    nlp = spacy.blank("it")
    nlp.add_pipe(FACTORY)
    doc = nlp("Titolo senza punto\nIl Congresso ha presentato la legge. \n\n  Mario ha parlato.")
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["Titolo", "Il", "Mario"]
    # the whitespace of a break stays in the sentence before it
    assert all(t.is_sent_start is False for t in doc if t.is_space)
    # inside a line nothing is decided: the parser (or sentencizer) does it
    assert doc[1].is_sent_start is None


def test_blank_lines_only_for_hard_wrapped_text() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe(FACTORY, config={"min_newlines": 2})
    doc = nlp("A line that goes\non here.\n\nNext paragraph.")
    assert [t.text for t in doc if t.is_sent_start] == ["A", "Next"]
    with pytest.raises(ValueError, match="E301"):
        spacy.blank("en").add_pipe(FACTORY, config={"min_newlines": 0})


def test_text_without_breaks_and_parsed_docs_are_left_alone() -> None:
    nlp = spacy.blank("en")
    comp = nlp.add_pipe(FACTORY)
    doc = nlp("One sentence. Two sentences.")
    assert all(t.is_sent_start in (None, True) for t in doc)
    parsed = spacy.tokens.Doc(nlp.vocab, words=["A", "\n", "B"], heads=[0, 0, 0],
                              deps=["ROOT", "dep", "dep"])
    assert [t.is_sent_start for t in comp(parsed)] == [True, False, False]


def test_added_to_every_pipeline(blank_env: dict[str, str]) -> None:
    from relextract.pipelines import load_pipeline

    nlp = load_pipeline("en")
    assert nlp.pipe_names.index(FACTORY) == nlp.pipe_names.index("sentencizer") + 1
    assert sents(nlp, "Headline\nThe text goes on. It ends.") == [
        "Headline\n", "The text goes on.", "It ends."]


@pytest.mark.models
@pytest.mark.skipif(not models_present(), reason="models/it and models/en are not built")
def test_trained_parser_keeps_line_breaks(no_model_env: None) -> None:
    from relextract.pipelines import load_pipeline

    for lang, text in (
        ("it", "Una decisione attesa da mesi\nIl Senato ha approvato la legge sul clima."),
        ("en", "A decision months in the making\nThe Senate passed the climate bill."),
    ):
        nlp = load_pipeline(lang)
        assert nlp.pipe_names[0] == FACTORY
        doc = nlp(text)
        assert [s.text.strip() for s in doc.sents][:2] == text.split("\n")
        verb = next(t for t in doc if t.lower_ in ("approvato", "passed"))
        obj = next(t for t in doc if t.lower_ in ("legge", "bill"))
        assert (obj.head, obj.dep_) == (verb, "obj")
