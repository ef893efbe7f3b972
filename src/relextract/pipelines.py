"""One spaCy pipeline per language, resolved, loaded once per process, with relextract's
components added.

Resolution order for language ``lang`` (``it`` or ``en``):

1. the name given by the caller (``--model it=PATH_OR_NAME``),
2. the environment variable ``RELEXTRACT_MODEL_IT`` / ``RELEXTRACT_MODEL_EN``,
3. the bundled pipeline ``models/<lang>`` next to the package source (a source checkout), then
   ``./models/<lang>`` in the working directory.

A name is a folder holding a spaCy pipeline (``config.cfg``), an installed pipeline package
(``it_core_news_lg``, ``en_core_web_trf``), or ``blank``: ``spacy.blank(lang)`` plus a
sentencizer (tokenisation and sentences only; used by the tests). Nothing is ever downloaded.
"""

from __future__ import annotations

import importlib
import os
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

LANGUAGES: tuple[str, ...] = ("it", "en")
BLANK = "blank"
ENTITY_COMPONENT = "relextract_entities"
RELATION_COMPONENT = "relextract_relations"
#: sets sentence starts at line breaks, before the parser (components/paragraphs.py)
PARAGRAPH_COMPONENT = "relextract_paragraph_breaks"
_COMPONENT_MODULES = {
    PARAGRAPH_COMPONENT: "relextract.components.paragraphs",
    ENTITY_COMPONENT: "relextract.components.entities",
    RELATION_COMPONENT: "relextract.components.relations",
}
#: the package ships no models; a source checkout has them here (``make models``)
REPO_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
#: suggested installable pipeline per language, for error messages
SUGGESTED = {"it": "it_core_news_lg", "en": "en_core_web_lg"}


class RelextractError(Exception):
    """An error the CLI reports in one line (exit code 1)."""


class ModelNotFoundError(RelextractError):
    """No spaCy pipeline could be found for a language; the message says what to do."""


@dataclass(frozen=True)
class ModelSpec:
    """Where the pipeline of one language comes from.

    ``kind`` is ``"blank"``, ``"path"`` or ``"package"``; ``origin`` says who chose it
    (``"option"``, ``"env"`` or ``"bundled"``).
    """

    lang: str
    name: str
    kind: str
    path: Path | None
    origin: str


def env_var(lang: str) -> str:
    return f"RELEXTRACT_MODEL_{lang.upper()}"


def bundled_candidates(lang: str) -> list[Path]:
    """Folders where a bundled pipeline for ``lang`` may be (in the order they are tried)."""
    cands = [REPO_MODELS_DIR / lang, Path.cwd() / "models" / lang]
    out: list[Path] = []
    for c in cands:
        if c.resolve() not in {o.resolve() for o in out}:
            out.append(c)
    return out


def _is_pipeline_dir(path: Path) -> bool:
    return path.is_dir() and (path / "config.cfg").is_file()


def _is_package(name: str) -> bool:
    import spacy.util

    return spacy.util.is_package(name)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def resolve_model(lang: str, name: str | None = None) -> ModelSpec:
    """Decide which pipeline serves ``lang``; raises :class:`ModelNotFoundError`."""
    origin = "option"
    if not name:
        name = os.environ.get(env_var(lang)) or None
        origin = "env"
    if name:
        return _resolve_name(lang, name, origin)
    for cand in bundled_candidates(lang):
        if _is_pipeline_dir(cand):
            return ModelSpec(lang, _display(cand), "path", cand.resolve(), "bundled")
    where = " or ".join(_display(c) for c in bundled_candidates(lang))
    raise ModelNotFoundError(
        f"[E201] no spaCy pipeline for '{lang}': none at {where} and {env_var(lang)} is not set. "
        f"Build the bundled ones with `make models` (see training/README.md), or install one "
        f"(python -m spacy download {SUGGESTED.get(lang, lang)}) and pass "
        f"`--model {lang}={SUGGESTED.get(lang, lang)}` (or `--model {lang}=blank` for "
        f"tokenisation only)"
    )


def _resolve_name(lang: str, name: str, origin: str) -> ModelSpec:
    if name == BLANK:
        return ModelSpec(lang, BLANK, "blank", None, origin)
    path = Path(name).expanduser()
    if _is_pipeline_dir(path):
        return ModelSpec(lang, name, "path", path.resolve(), origin)
    looks_like_path = os.sep in name or name.startswith(".") or path.exists()
    if not looks_like_path and _is_package(name):
        return ModelSpec(lang, name, "package", None, origin)
    given = f"{env_var(lang)}={name}" if origin == "env" else f"--model {lang}={name}"
    if path.exists():
        why = f"{name} exists but holds no spaCy pipeline (no config.cfg)"
    elif looks_like_path:
        why = f"there is no folder {name}"
    else:
        why = f"{name} is neither a folder nor an installed spaCy pipeline package"
    raise ModelNotFoundError(
        f"[E202] no spaCy pipeline for '{lang}' from {given}: {why}. Pass a pipeline folder "
        f"or an installed package (python -m spacy download {SUGGESTED.get(lang, lang)}), "
        f"or build the bundled one with `make models`"
    )


def relation_config(open_relations: bool = False, min_confidence: float = 0.0) -> dict[str, Any]:
    return {"open_relations": bool(open_relations), "min_confidence": float(min_confidence)}


_CACHE: dict[tuple[str, str, str, bool, float], Language] = {}
_LOCK = threading.Lock()


def load_pipeline(
    lang: str,
    name: str | None = None,
    *,
    open_relations: bool = False,
    min_confidence: float = 0.0,
) -> Language:
    """The pipeline for ``lang`` with relextract's components, loaded once per process."""
    spec = resolve_model(lang, name)
    key = (
        lang,
        spec.kind,
        str(spec.path or spec.name),
        bool(open_relations),
        float(min_confidence),
    )
    with _LOCK:
        nlp = _CACHE.get(key)
        if nlp is None:
            nlp = _load(spec, relation_config(open_relations, min_confidence))
            _CACHE[key] = nlp
        _stamp(nlp, spec)  # the same folder may be asked for by option, env or default
    return nlp


def _stamp(nlp: Language, spec: ModelSpec) -> None:
    """Record in the pipeline's meta how it was chosen (read by ``model_summary``)."""
    nlp.meta.setdefault("relextract", {})["model"] = {
        "name": spec.name,
        "kind": spec.kind,
        "path": str(spec.path) if spec.path else None,
        "origin": spec.origin,
    }


def _load(spec: ModelSpec, rel_cfg: dict[str, Any]) -> Language:
    import spacy

    from . import extensions  # noqa: F401  (registers Span._.canonical etc.)

    available = _import_components()
    if spec.kind == "blank":
        nlp = spacy.blank(spec.lang)
        nlp.add_pipe("sentencizer")
        nlp.meta["name"] = BLANK
    else:
        target: str | Path = spec.path if spec.path is not None else spec.name
        try:
            nlp = spacy.load(target)
        except OSError as exc:  # corrupt folder, missing weights...
            raise ModelNotFoundError(
                f"[E204] could not load the spaCy pipeline {spec.name} for '{spec.lang}': {exc}"
            ) from exc
        if nlp.lang not in (spec.lang, "xx"):
            raise ModelNotFoundError(
                f"[E203] the pipeline {spec.name} is for language '{nlp.lang}', "
                f"not '{spec.lang}': pass `--model {spec.lang}=...` with a '{spec.lang}' pipeline"
            )
        if RELATION_COMPONENT in nlp.pipe_names:
            saved = nlp.get_pipe_config(RELATION_COMPONENT)
            if any(saved.get(k) != v for k, v in rel_cfg.items()):
                overrides = {f"components.{RELATION_COMPONENT}.{k}": v for k, v in rel_cfg.items()}
                nlp = spacy.load(target, config=overrides)
    _stamp(nlp, spec)
    if PARAGRAPH_COMPONENT in available and PARAGRAPH_COMPONENT not in nlp.pipe_names:
        # before the parser (first); in a blank pipeline after the sentencizer it refines
        if "sentencizer" in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPH_COMPONENT, after="sentencizer")
        else:
            nlp.add_pipe(PARAGRAPH_COMPONENT, first=True)
    configs = {
        ENTITY_COMPONENT: {"lang": spec.lang},
        RELATION_COMPONENT: {"lang": spec.lang, **rel_cfg},
    }
    for comp, cfg in configs.items():
        if comp in nlp.pipe_names or comp not in available:
            continue
        nlp.add_pipe(comp, config=cfg)
    return nlp


def _import_components() -> set[str]:
    """Import the component modules (registering their factories); names that are available.

    TEMPORARY: while a component module does not exist yet, it is skipped with a warning.
    """
    ok: set[str] = set()
    for comp, module in _COMPONENT_MODULES.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            warnings.warn(f"{module} is not available: pipelines run without {comp}", stacklevel=3)
            continue
        ok.add(comp)
    return ok


def model_summary(nlp: Language) -> dict[str, Any]:
    """Name, version, path, components of a loaded pipeline (for manifest.json and `info`)."""
    meta = nlp.meta
    rx = meta.get("relextract", {}).get("model", {})
    name = rx.get("name") or f"{meta.get('lang', nlp.lang)}_{meta.get('name', 'pipeline')}"
    return {
        "name": name,
        "package": f"{meta.get('lang', nlp.lang)}_{meta.get('name', 'pipeline')}",
        "version": meta.get("version"),
        "spacy_version": meta.get("spacy_version"),
        "kind": rx.get("kind"),
        "origin": rx.get("origin"),
        "path": rx.get("path"),
        "components": list(nlp.pipe_names),
        "license": meta.get("license") or None,
    }


def _accuracy(meta: Mapping[str, Any]) -> dict[str, float]:
    perf = meta.get("performance") or meta.get("accuracy") or {}
    return {k: float(v) for k, v in perf.items() if isinstance(v, int | float) and v is not None}


def pipeline_info(
    lang: str,
    name: str | None = None,
    *,
    open_relations: bool = False,
    min_confidence: float = 0.0,
) -> dict[str, Any]:
    """What ``relextract info`` shows for ``lang``: the resolved pipeline, its version,
    path, components, labels, accuracy (``performance`` in its meta.json: dev scores of the
    training) and held-out scores (``held_out``, written by ``benchmarks/models.py
    --write-meta``; empty for pipelines without them). On failure the
    dict has ``error`` (the message) instead."""
    try:
        nlp = load_pipeline(
            lang, name, open_relations=open_relations, min_confidence=min_confidence
        )
    except ModelNotFoundError as exc:
        return {"lang": lang, "error": str(exc)}
    info = {"lang": lang, **model_summary(nlp)}
    labels: dict[str, list[str]] = {}
    for comp, comp_labels in (nlp.meta.get("labels") or {}).items():
        if comp in ("ner", ENTITY_COMPONENT) and comp_labels:
            labels[comp] = list(comp_labels)
    if ENTITY_COMPONENT in nlp.pipe_names and ENTITY_COMPONENT not in labels:
        from .schema import ENTITY_LABELS

        labels[ENTITY_COMPONENT] = list(ENTITY_LABELS)
    info["labels"] = labels
    info["accuracy"] = _accuracy(nlp.meta)
    held_out = nlp.meta.get("held_out") or {}
    info["held_out"] = {
        test: {k: float(v) for k, v in scores.items() if isinstance(v, float)}
        for test, scores in (held_out.get("scores") or {}).items()
        if isinstance(scores, dict) and test != "speed"
    }
    info["sources"] = [s.get("name", str(s)) for s in nlp.meta.get("sources", []) or []]
    return info
