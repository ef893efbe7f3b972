from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from conftest import models_present
from relextract import pipelines
from relextract.pipelines import ModelNotFoundError, load_pipeline, pipeline_info, resolve_model


@pytest.fixture
def no_bundled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_model_env: None) -> Path:
    """No bundled models anywhere: the repo's models/ and ./models point at empty folders."""
    monkeypatch.setattr(pipelines, "REPO_MODELS_DIR", tmp_path / "repo-models")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_blank_is_loaded_once(blank_env: dict[str, str]) -> None:
    a = load_pipeline("it")
    b = load_pipeline("it", "blank")
    assert a is b
    assert a.lang == "it" and "sentencizer" in a.pipe_names
    assert load_pipeline("en") is not a


def test_missing_model_says_what_to_do(no_bundled: Path) -> None:
    with pytest.raises(ModelNotFoundError) as exc:
        resolve_model("it")
    msg = str(exc.value)
    assert "make models" in msg and "--model it=it_core_news_lg" in msg
    assert "RELEXTRACT_MODEL_IT" in msg


@pytest.mark.parametrize("name", ["no_such_pipeline_xyz", "./nowhere/it", "nowhere/it"])
def test_unknown_names_and_paths(no_bundled: Path, name: str) -> None:
    with pytest.raises(ModelNotFoundError, match=r"E202.*make models"):
        resolve_model("it", name)


def test_env_variable(no_bundled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELEXTRACT_MODEL_EN", "blank")
    spec = resolve_model("en")
    assert (spec.kind, spec.origin) == ("blank", "env")
    monkeypatch.setenv("RELEXTRACT_MODEL_EN", "nope_not_here")
    with pytest.raises(ModelNotFoundError, match="RELEXTRACT_MODEL_EN=nope_not_here"):
        resolve_model("en")


def test_pipeline_folder_and_bundled_lookup(no_bundled: Path) -> None:
    folder = no_bundled / "models" / "it"
    folder.parent.mkdir(parents=True)
    spacy.blank("it").to_disk(folder)
    spec = resolve_model("it", str(folder))
    assert (spec.kind, spec.path) == ("path", folder.resolve())
    bundled = resolve_model("it")  # ./models/it in the working directory
    assert (bundled.kind, bundled.origin, bundled.path) == ("path", "bundled", folder.resolve())
    nlp = load_pipeline("it")
    assert nlp.lang == "it"
    info = pipeline_info("it")
    assert info["path"] == str(folder.resolve()) and info["kind"] == "path"
    assert "error" in pipeline_info("en")


def test_wrong_language_is_refused(no_bundled: Path) -> None:
    folder = no_bundled / "en-model"
    spacy.blank("en").to_disk(folder)
    with pytest.raises(ModelNotFoundError, match="E203"):
        load_pipeline("it", str(folder))


def test_relextract_components_are_added(blank_env: dict[str, str]) -> None:
    nlp = load_pipeline("it")
    for comp, module in (
        ("relextract_entities", "relextract.components.entities"),
        ("relextract_relations", "relextract.components.relations"),
    ):
        try:
            __import__(module)
        except ModuleNotFoundError:
            continue
        assert comp in nlp.pipe_names
    assert nlp.pipe_names[0] == "sentencizer"


@pytest.mark.models
@pytest.mark.skipif(not models_present(), reason="models/it and models/en are not built")
def test_bundled_models_info(no_model_env: None) -> None:
    for lang in ("it", "en"):
        info = pipeline_info(lang)
        assert "error" not in info, info.get("error")
        assert info["origin"] == "bundled"
        assert {"parser", "ner"} <= set(info["components"])
        # held-out figures of benchmarks/models.py --write-meta travel with the model
        ud, ner = {
            "it": ("it_ud_test_isdt", "it_ner_test_kind_wn"),
            "en": ("en_ud_test_ewt", "en_ner_test_conll"),
        }[lang]
        assert 0.7 < info["held_out"][ud]["LAS"] < 1.0
        assert 0.6 < info["held_out"][ner]["NER F"] < 1.0


@pytest.mark.models
@pytest.mark.skipif(not models_present(), reason="models/it and models/en are not built")
def test_origin_is_that_of_the_request_not_of_the_cache(no_model_env: None) -> None:
    # the same folder asked for by --model, then by default: loaded once, reported as asked
    folder = str(pipelines.REPO_MODELS_DIR / "it")
    assert pipeline_info("it", folder)["origin"] == "option"
    assert pipeline_info("it")["origin"] == "bundled"
