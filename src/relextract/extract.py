"""From article text to records: language segments -> spaCy pipelines -> entity and triple
records with document-level offsets; and :func:`run`, the whole job behind ``relextract run``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import warnings
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .pipelines import LANGUAGES, RelextractError, load_pipeline, model_summary
from .records import EntityRecord, TripleRecord
from .schema import OTHER_RELATION, SCHEMA_VERSION

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span


DEFAULT_BATCH_SIZE = 32
#: articles are processed in chunks of at most this many characters (and ``batch_size`` docs)
CHUNK_CHARS = 500_000
_WARM_UP = "The minister met the ambassador.\nIl ministro ha incontrato l'ambasciatore."


@dataclass(frozen=True)
class _TextArticle:
    doc_id: str
    text: str


@dataclass(frozen=True)
class SegmentInfo:
    """One language segment of a document and what happened to it."""

    start: int
    end: int
    lang: str
    processed: bool
    sentences: int = 0
    words: int = 0


@dataclass
class Result:
    """What the extractor found in one document."""

    entities: list[EntityRecord] = field(default_factory=list)
    triples: list[TripleRecord] = field(default_factory=list)
    segments: list[SegmentInfo] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.segments)


def _sentences(doc: Doc) -> list[Span]:
    try:
        return list(doc.sents)
    except ValueError:  # no sentence boundaries at all: the whole segment is one sentence
        return [doc[:]] if len(doc) else []


def _words(doc: Doc) -> int:
    return sum(1 for t in doc if not (t.is_space or t.is_punct))


class Extractor:
    """Entities and relation triples from Italian and English text.

    ``models`` maps a language to a pipeline name or folder (see
    :mod:`relextract.pipelines`; ``"blank"`` for a tokeniser-only pipeline) or to a loaded
    ``spacy.Language``; unset languages use ``RELEXTRACT_MODEL_<LANG>`` or the bundled model.
    ``lang`` forces one language for every text instead of detecting it per paragraph.
    Pipelines are loaded on first use.
    """

    def __init__(
        self,
        models: Mapping[str, str | Language] | None = None,
        lang: str | None = None,
        open_relations: bool = False,
        min_confidence: float = 0.0,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        if lang is not None and lang not in LANGUAGES:
            raise RelextractError(f"[E110] unsupported language {lang!r}: use one of {LANGUAGES}")
        for key in models or {}:
            if key not in LANGUAGES:
                raise RelextractError(
                    f"[E111] model given for unsupported language {key!r}: use one of {LANGUAGES}"
                )
        if batch_size < 1:
            raise RelextractError("[E112] batch_size must be at least 1")
        self.models: dict[str, str | Language] = dict(models or {})
        self.lang = lang
        self.open_relations = open_relations
        self.min_confidence = float(min_confidence)
        self.batch_size = batch_size
        self._pipelines: dict[str, Language] = {}

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this extractor processes (others are skipped)."""
        return (self.lang,) if self.lang else LANGUAGES

    def nlp(self, lang: str) -> Language:
        """The pipeline for ``lang`` (loaded on first call; raises ``ModelNotFoundError``)."""
        nlp = self._pipelines.get(lang)
        if nlp is None:
            given = self.models.get(lang)
            if given is not None and not isinstance(given, str):
                nlp = given
            else:
                nlp = load_pipeline(
                    lang,
                    given,
                    open_relations=self.open_relations,
                    min_confidence=self.min_confidence,
                )
            self._pipelines[lang] = nlp
        return nlp

    def load(self) -> dict[str, dict[str, Any]]:
        """Load every pipeline (and the language detector) now; the pipelines' summaries
        (name, version, path, components)."""
        info: dict[str, dict[str, Any]] = {}
        for lang in self.languages:
            nlp = self.nlp(lang)
            nlp(_WARM_UP)  # components that load their data lazily do it now
            info[lang] = model_summary(nlp)
        if self.lang is None:
            from . import langid

            langid.segment(_WARM_UP)  # the detector loads its language models on first use
        return info

    # -- public API ---------------------------------------------------------------------

    def extract(self, text: str, lang: str | None = None, doc_id: str = "text") -> Result:
        """Entities and triples of one text (``lang`` forces its language)."""
        art = _TextArticle(doc_id, text)
        return next(self._process_chunk([art], lang or self.lang))[1]

    def process(self, articles: Iterable[Any]) -> Iterator[tuple[Any, Result]]:
        """Stream ``(article, result)`` pairs in input order; objects without ``text``
        (e.g. :class:`relextract.io.Skipped`) pass through with an empty result."""
        chunk: list[Any] = []
        chars = 0
        for art in articles:
            chunk.append(art)
            chars += len(getattr(art, "text", "") or "")
            if len(chunk) >= self.batch_size or chars >= CHUNK_CHARS:
                yield from self._process_chunk(chunk, self.lang)
                chunk, chars = [], 0
        if chunk:
            yield from self._process_chunk(chunk, self.lang)

    # -- internals ----------------------------------------------------------------------

    def _process_chunk(
        self, chunk: Sequence[Any], lang: str | None
    ) -> Iterator[tuple[Any, Result]]:
        from . import langid

        wanted = (lang,) if lang else self.languages
        seg_lists: list[list[Any]] = []
        todo: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, art in enumerate(chunk):
            text: str = getattr(art, "text", None) or ""
            segs = sorted(langid.segment(text, lang=lang), key=lambda s: s.start) if text else []
            seg_lists.append(segs)
            for j, seg in enumerate(segs):
                if seg.lang in wanted and text[seg.start : seg.end].strip():
                    todo[seg.lang].append((i, j))
        docs: dict[tuple[int, int], Doc] = {}
        for seg_lang, items in todo.items():
            nlp = self.nlp(seg_lang)
            texts = (chunk[i].text[seg_lists[i][j].start : seg_lists[i][j].end] for i, j in items)
            for key, doc in zip(items, nlp.pipe(texts, batch_size=self.batch_size), strict=True):
                docs[key] = doc
        for i, art in enumerate(chunk):
            yield art, self._records(art, seg_lists[i], docs, i)

    def _records(
        self, art: Any, segs: list[Any], docs: dict[tuple[int, int], Doc], i: int
    ) -> Result:
        result = Result()
        sent_base = 0
        for j, seg in enumerate(segs):
            doc = docs.get((i, j))
            if doc is None:
                result.segments.append(SegmentInfo(seg.start, seg.end, seg.lang, False))
                continue
            sents = _sentences(doc)
            result.segments.append(
                SegmentInfo(seg.start, seg.end, seg.lang, True, len(sents), _words(doc))
            )
            self._doc_records(art.doc_id, seg.lang, seg.start, sent_base, doc, sents, result)
            sent_base += len(sents)
        return result

    def _doc_records(
        self,
        doc_id: str,
        lang: str,
        offset: int,
        sent_base: int,
        doc: Doc,
        sents: list[Span],
        out: Result,
    ) -> None:
        starts = [s.start for s in sents]

        def sent_of(token_index: int) -> int:
            return max(bisect_right(starts, token_index) - 1, 0)

        for ent in doc.ents:
            out.entities.append(
                EntityRecord(
                    doc_id=doc_id,
                    lang=lang,
                    sent_index=sent_base + sent_of(ent.start),
                    text=ent.text,
                    label=ent.label_,
                    canonical=ent._.canonical or ent.text,
                    kb_id=ent._.kb_id or None,
                    country=ent._.country or None,
                    start_char=offset + ent.start_char,
                    end_char=offset + ent.end_char,
                )
            )
        for rel in getattr(doc._, "relations", None) or []:
            if rel.relation == OTHER_RELATION and not self.open_relations:
                continue
            if rel.confidence < self.min_confidence:
                continue
            k = sent_of(rel.trigger.start)
            subj, obj = rel.subject, rel.object
            out.triples.append(
                TripleRecord(
                    doc_id=doc_id,
                    lang=lang,
                    sent_index=sent_base + k,
                    sentence=sents[k].text.strip() if sents else doc.text.strip(),
                    subject=subj._.canonical or subj.text,
                    relation=rel.relation,
                    object=obj._.canonical or obj.text,
                    subject_text=subj.text,
                    object_text=obj.text,
                    subject_type=subj.label_,
                    object_type=obj.label_,
                    subject_id=subj._.kb_id or None,
                    object_id=obj._.kb_id or None,
                    event_type=rel.event_type or None,
                    trigger=rel.trigger.text,
                    modality=rel.modality,
                    negated=bool(rel.negated),
                    confidence=float(rel.confidence),
                    rule=rel.rule,
                    start_char=offset + rel.start_char,
                    end_char=offset + rel.end_char,
                )
            )


# -- the whole job ----------------------------------------------------------------------


@dataclass
class FileStats:
    source: str
    sha256: str | None = None
    encoding: str | None = None
    documents: int = 0
    entities: int = 0
    triples: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class RunSummary:
    """What ``run`` did (also written, in more detail, to ``manifest.json``)."""

    out_dir: Path
    files: dict[str, Path]
    documents: int = 0
    entities: int = 0
    triples: int = 0
    words: int = 0
    languages: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0


#: called once per input item: (article or skipped, its result or None)
ProgressCallback = Callable[[Any, "Result | None"], None]


def config_hash(config: Mapping[str, Any]) -> str:
    blob = json.dumps(config, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _is_within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is inside ``folder`` (an absolute, resolved path)."""
    try:
        path.resolve().relative_to(folder)
    except (ValueError, OSError):
        return False
    return True


def run(
    inputs: Sequence[str | Path],
    out_dir: str | Path = "data/out",
    *,
    force: bool = False,
    formats: Sequence[str] = ("jsonl", "csv"),
    lang: str | None = None,
    models: Mapping[str, str] | None = None,
    open_relations: bool = False,
    min_confidence: float = 0.0,
    max_bytes: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_item: ProgressCallback | None = None,
    on_loaded: Callable[[], None] | None = None,
) -> RunSummary:
    """Read ``inputs`` (files or folders), extract, write ``triples.*``, ``entities.*`` and
    ``manifest.json`` into ``out_dir``. Raises :class:`RelextractError` on a config problem
    (before anything is written); outputs appear under their final names only on success."""
    from .io import Skipped, iter_articles
    from .writers import OutputWriter, check_formats, prepare_out_dir

    fmts = check_formats(formats)
    paths = [Path(p) for p in inputs]
    if not paths:
        raise RelextractError("[E301] no input given")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise RelextractError(f"[E302] input not found: {', '.join(missing)}")
    out = Path(out_dir)
    prepare_out_dir(out, force=force)

    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    extractor = Extractor(
        models=models,
        lang=lang,
        open_relations=open_relations,
        min_confidence=min_confidence,
        batch_size=batch_size,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model_info = extractor.load()
    load_seconds = time.perf_counter() - t0
    run_warnings = sorted({str(w.message) for w in caught})
    if on_loaded is not None:
        on_loaded()

    config: dict[str, Any] = {
        "lang": lang,
        "formats": list(fmts),
        "open_relations": open_relations,
        "min_confidence": min_confidence,
        "max_bytes": max_bytes,
        "batch_size": batch_size,
        "models": {k: {"name": v["name"], "version": v["version"]} for k, v in model_info.items()},
        "schema_version": SCHEMA_VERSION,
        "relextract_version": __version__,
    }
    summary = RunSummary(out_dir=out, files={}, warnings=run_warnings)
    per_file: dict[str, FileStats] = {}
    langs: dict[str, Counter[str]] = defaultdict(Counter)

    out_abs = out.resolve()

    def items() -> Iterator[Any]:
        for item in iter_articles(paths, max_bytes=max_bytes):
            src = Path(str(item.source))
            if _is_within(src, out_abs):
                continue  # never read our own outputs back when OUT_DIR is inside an input
            if isinstance(item, Skipped):
                summary.skipped.append((str(item.source), str(item.reason)))
                if on_item is not None:
                    on_item(item, None)
                continue
            yield item

    t1 = time.perf_counter()
    with OutputWriter(out, fmts) as writer:
        for art, result in extractor.process(items()):
            writer.write(result)
            stats = per_file.get(str(art.source))
            if stats is None:
                stats = per_file[str(art.source)] = FileStats(
                    str(art.source), getattr(art, "sha256", None), getattr(art, "encoding", None)
                )
            stats.documents += 1
            stats.entities += len(result.entities)
            stats.triples += len(result.triples)
            for w in getattr(art, "warnings", None) or []:
                stats.warnings.append(f"{art.doc_id}: {w}" if art.doc_id else str(w))
            for seg in result.segments:
                c = langs[seg.lang]
                c["segments"] += 1
                c["chars"] += seg.end - seg.start
                c["sentences"] += seg.sentences
                c["words"] += seg.words
                if not seg.processed:
                    c["skipped_segments"] += 1
            summary.documents += 1
            summary.entities += len(result.entities)
            summary.triples += len(result.triples)
            summary.words += result.words
            if on_item is not None:
                on_item(art, result)
        summary.seconds = time.perf_counter() - t1
        summary.languages = {k: dict(v) for k, v in sorted(langs.items())}
        for st in per_file.values():
            summary.warnings.extend(f"{st.source}: {w}" for w in st.warnings)
        finished = datetime.now(timezone.utc)
        manifest = {
            "relextract_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "created": finished.isoformat(timespec="seconds"),
            "command": _command_line(),
            "config": config,
            "config_hash": config_hash(config),
            "models": model_info,
            "inputs": [str(p) for p in paths],
            "files": [vars(st) for st in per_file.values()],
            "skipped": [{"source": s, "reason": r} for s, r in summary.skipped],
            "warnings": summary.warnings,
            "languages": summary.languages,
            "counts": {
                "documents": summary.documents,
                "entities": summary.entities,
                "triples": summary.triples,
                "skipped": len(summary.skipped),
                "words": summary.words,
            },
            "timings": {
                "started": started.isoformat(timespec="seconds"),
                "finished": finished.isoformat(timespec="seconds"),
                "load_seconds": round(load_seconds, 3),
                "process_seconds": round(summary.seconds, 3),
                "words_per_second": round(summary.words_per_second, 1),
            },
        }
        summary.files = writer.commit(manifest)
    return summary


def _command_line() -> str | None:
    import sys

    argv = getattr(sys, "argv", None)
    if not argv:
        return None
    prog = os.path.basename(argv[0])
    return " ".join(["relextract" if prog in ("relextract", "__main__.py") else prog, *argv[1:]])
