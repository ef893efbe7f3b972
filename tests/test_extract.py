from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import models_present
from relextract import Extractor
from relextract.pipelines import RelextractError

IT = "Il presidente Sergio Mattarella ha ricevuto Ursula von der Leyen al Quirinale di Roma."
EN = "Prime Minister Keir Starmer met Chancellor Olaf Scholz in Berlin on Friday."
FR = "Le président de la République a reçu hier le chancelier allemand à l'Élysée pour un dîner."


def _check_offsets(text: str, result: Any) -> None:
    for e in result.entities:
        assert text[e.start_char : e.end_char] == e.text
    for t in result.triples:
        evidence = text[t.start_char : t.end_char]
        assert t.subject_text in evidence and t.object_text in evidence and t.trigger in evidence
        assert t.sentence in text
    idx = [e.sent_index for e in result.entities]
    assert idx == sorted(idx)


words = st.sampled_from(
    ["Roma", "Putin", "il", "ha", "incontrato", "the", "President", "met", "Élysée", "和平",
     "l’Azerbaigian", "—", ",", ".", "!", "?", "\n", "\n\n", " ", "  ", "\t", "Q1", "e"]
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.lists(words, max_size=60).map("".join),
        st.lists(words, max_size=40).map(" ".join),
        st.text(max_size=300),
    ),
    st.sampled_from([None, "it", "en"]),
)
def test_offsets_slice_back_to_the_text(toy_models: dict[str, Any], text: str, lang: Any) -> None:
    ex = Extractor(models=toy_models, open_relations=True)
    _check_offsets(text, ex.extract(text, lang=lang))


def test_segments_are_routed_and_sentences_numbered_across_them(toy_models: dict[str, Any]) -> None:
    text = f"{IT} Poi Mattarella ha salutato Leyen.\n\n{EN}\n\n{FR}\n\n{IT}"
    res = Extractor(models=toy_models).extract(text, doc_id="d1")
    langs = [(s.lang, s.processed) for s in res.segments]
    assert ("it", True) in langs and ("en", True) in langs
    assert any(lang not in ("it", "en") and not done for lang, done in langs)
    _check_offsets(text, res)
    en_start = text.index(EN)
    fr_start = text.index(FR)
    en_ents = [e for e in res.entities if en_start <= e.start_char < fr_start]
    assert en_ents and {e.lang for e in en_ents} == {"en"}
    assert not [e for e in res.entities if fr_start <= e.start_char < fr_start + len(FR)]
    # sentences: two in the first Italian paragraph, then the English one, then Italian again
    assert min(e.sent_index for e in en_ents) == 2
    last_it = [e for e in res.entities if e.start_char >= text.rindex(IT)]
    assert {e.sent_index for e in last_it} == {3}
    assert {e.doc_id for e in res.entities} == {"d1"}


def test_triple_records(toy_models: dict[str, Any]) -> None:
    text = f"Prima frase senza nomi.\n{EN}"
    res = Extractor(models=toy_models).extract(text)
    assert [t.relation for t in res.triples] == ["met"]  # `other` needs open_relations
    t = res.triples[0]
    assert t.subject == t.subject_text.upper() and t.subject_type == "PERSON"
    assert t.event_type == "CONSULT" and t.rule == "toy-met" and t.confidence == 0.7
    assert t.sentence == EN and t.lang == "en" and t.sent_index == 1
    assert text[t.start_char : t.end_char].startswith(t.subject_text)
    assert t.subject_id in (None, "Q1")

    opened = Extractor(models=toy_models, open_relations=True).extract(text)
    assert sorted(t.relation for t in opened.triples) == ["met", "other"]
    strict = Extractor(models=toy_models, open_relations=True, min_confidence=0.5).extract(text)
    assert [t.relation for t in strict.triples] == ["met"]


def test_forced_language(toy_models: dict[str, Any]) -> None:
    res = Extractor(models=toy_models, lang="it").extract(f"{EN}\n\n{IT}")
    assert {s.lang for s in res.segments} == {"it"}
    assert {e.lang for e in res.entities} == {"it"}


def test_process_streams_in_order(toy_models: dict[str, Any]) -> None:
    class Art:
        def __init__(self, doc_id: str, text: str) -> None:
            self.doc_id, self.text = doc_id, text

    arts = [Art(f"d{i}", [IT, EN, FR][i % 3]) for i in range(7)]
    ex = Extractor(models=toy_models, batch_size=2)
    out = list(ex.process(iter(arts)))
    assert [a.doc_id for a, _ in out] == [a.doc_id for a in arts]
    for art, res in out:
        _check_offsets(art.text, res)
        assert all(e.doc_id == art.doc_id for e in res.entities)
        assert bool(res.entities) == (art.text != FR)


def test_blank_pipelines_and_empty_text(blank_env: dict[str, str]) -> None:
    ex = Extractor()
    res = ex.extract(f"{IT}\n\n{EN}")
    assert res.words > 10 and not res.triples
    assert ex.extract("").segments == []
    assert ex.extract("   \n\n  ").entities == []


def test_bad_arguments() -> None:
    with pytest.raises(RelextractError):
        Extractor(lang="fr")
    with pytest.raises(RelextractError):
        Extractor(models={"de": "blank"})
    with pytest.raises(RelextractError):
        Extractor(batch_size=0)


@pytest.mark.models
@pytest.mark.skipif(not models_present(), reason="models/it and models/en are not built")
def test_bundled_models_end_to_end(no_model_env: None, repo_root: Any) -> None:
    from relextract.schema import ENTITY_LABELS, RELATIONS

    ex = Extractor()
    for path in sorted((repo_root / "data" / "raw").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        res = ex.extract(text, doc_id=path.name)
        _check_offsets(text, res)
        assert res.entities, path.name
        assert {e.label for e in res.entities} <= set(ENTITY_LABELS)
        assert {t.relation for t in res.triples} <= set(RELATIONS)
