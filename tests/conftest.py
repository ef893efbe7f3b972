"""Shared fixtures: blank pipelines (no trained model needed), the shared/ folder, sample input."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BLANK = {"it": "blank", "en": "blank"}


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture
def blank_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Use blank pipelines for both languages, through the environment variables."""
    monkeypatch.setenv("RELEXTRACT_MODEL_IT", "blank")
    monkeypatch.setenv("RELEXTRACT_MODEL_EN", "blank")
    return dict(BLANK)


@pytest.fixture
def no_model_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RELEXTRACT_MODEL_IT", raising=False)
    monkeypatch.delenv("RELEXTRACT_MODEL_EN", raising=False)


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """A small input folder: Italian, English, a JSONL with two articles, one unsupported file."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "it.txt").write_text(
        "Il ministro degli Esteri ha incontrato l'ambasciatore a Roma.\n\n"
        "La riunione è durata due ore e si è conclusa con una dichiarazione comune.\n",
        encoding="utf-8",
    )
    (d / "en.txt").write_text(
        "The foreign minister met the ambassador in London on Monday.\n\n"
        "The meeting lasted two hours and ended with a joint statement.\n",
        encoding="utf-8",
    )
    (d / "two.jsonl").write_text(
        '{"id": "a1", "text": "The parliament approved the budget bill after a long debate."}\n'
        '{"id": "a2", "text": "Il parlamento ha approvato la legge di bilancio dopo un lungo '
        'dibattito."}\n',
        encoding="utf-8",
    )
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return d


def models_present() -> bool:
    return all((REPO / "models" / lang / "config.cfg").is_file() for lang in ("it", "en"))


# -- a toy pipeline with entities and relations (no trained model) ------------------------


def _toy_ents(doc):  # type: ignore[no-untyped-def]
    """Every run of capitalised alphabetic tokens is a PERSON; canonical = upper-cased text."""
    from spacy.tokens import Span

    spans = []
    for sent in doc.sents:
        start = None
        for tok in sent:
            cap = tok.is_alpha and tok.text[:1].isupper()
            if cap and start is None:
                start = tok.i
            elif not cap and start is not None:
                spans.append(Span(doc, start, tok.i, label="PERSON"))
                start = None
        if start is not None:
            spans.append(Span(doc, start, sent.end, label="PERSON"))
    doc.ents = spans
    for ent in doc.ents:
        ent._.canonical = ent.text.upper()
        ent._.kb_id = "Q1" if len(ent.text) % 2 else None
    return doc


def _toy_relations(doc):  # type: ignore[no-untyped-def]
    """For each sentence with two entities: a `met` triple (0.7) and an `other` one (0.2)."""
    from relextract.relation import Relation

    rels = []
    for sent in doc.sents:
        ents = [e for e in doc.ents if e.start >= sent.start and e.end <= sent.end]
        if len(ents) >= 2:
            a, b = ents[0], ents[1]
            trigger = doc[a.end : a.end + 1] if a.end < b.start else doc[b.start : b.start + 1]
            rels.append(Relation(a, "met", b, trigger, "CONSULT", confidence=0.7, rule="toy-met"))
            rels.append(Relation(b, "other", a, trigger, None, confidence=0.2, rule="toy-other"))
    doc._.relations = rels
    return doc


def make_toy_pipeline(lang: str):  # type: ignore[no-untyped-def]
    import spacy
    from spacy.language import Language

    import relextract.extensions  # noqa: F401

    if "relextract_test_ents" not in Language.factories:
        Language.component("relextract_test_ents", func=_toy_ents)
        Language.component("relextract_test_relations", func=_toy_relations)
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("relextract_test_ents")
    nlp.add_pipe("relextract_test_relations")
    return nlp


@pytest.fixture(scope="session")
def toy_models():  # type: ignore[no-untyped-def]
    return {"it": make_toy_pipeline("it"), "en": make_toy_pipeline("en")}
