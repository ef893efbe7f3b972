"""From article text to records: language segments -> spaCy pipelines -> entity and triple
records with document-level offsets; and :func:`run`, the whole job behind ``relextract run``.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
class _SegmentOut:
    """The records of one processed segment (sentence numbers local to it)."""

    sentences: int
    words: int
    entities: list[EntityRecord] = field(default_factory=list)
    triples: list[TripleRecord] = field(default_factory=list)


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
        detector: threading.Thread | None = None
        failed: list[BaseException] = []
        if self.lang is None:
            from . import langid

            def warm_up() -> None:
                try:
                    langid.segment(_WARM_UP)
                except BaseException as exc:  # re-raised below, in the caller's thread
                    failed.append(exc)

            # the detector loads its language models on first use, in native code: beside the
            # pipelines loading here (a second or two less to wait)
            detector = threading.Thread(target=warm_up, name="relextract-langid", daemon=True)
            detector.start()
        try:
            for lang in self.languages:
                nlp = self.nlp(lang)
                nlp(_WARM_UP)  # components that load their data lazily do it now
                info[lang] = model_summary(nlp)
        finally:
            if detector is not None:
                detector.join()
        if failed:
            raise failed[0]
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
        # each Doc becomes records as soon as the pipeline yields it (a long article's Docs,
        # with their tensors, are never all kept); sentence numbers are made document-wide
        # once every segment is done, in text order (languages are processed one after the
        # other)
        done: dict[tuple[int, int], _SegmentOut] = {}
        for seg_lang, items in todo.items():
            nlp = self.nlp(seg_lang)
            texts = (chunk[i].text[seg_lists[i][j].start : seg_lists[i][j].end] for i, j in items)
            for key, doc in zip(items, nlp.pipe(texts, batch_size=self.batch_size), strict=True):
                i, j = key
                done[key] = self._segment_records(
                    chunk[i].doc_id, seg_lang, seg_lists[i][j].start, doc
                )
        for i, art in enumerate(chunk):
            yield art, self._records(seg_lists[i], done, i)

    def _records(
        self, segs: list[Any], done: dict[tuple[int, int], _SegmentOut], i: int
    ) -> Result:
        result = Result()
        sent_base = 0
        for j, seg in enumerate(segs):
            out = done.pop((i, j), None)
            if out is None:
                result.segments.append(SegmentInfo(seg.start, seg.end, seg.lang, False))
                continue
            result.segments.append(
                SegmentInfo(seg.start, seg.end, seg.lang, True, out.sentences, out.words)
            )
            if sent_base:
                result.entities.extend(
                    replace(e, sent_index=e.sent_index + sent_base) for e in out.entities
                )
                result.triples.extend(
                    replace(t, sent_index=t.sent_index + sent_base) for t in out.triples
                )
            else:
                result.entities.extend(out.entities)
                result.triples.extend(out.triples)
            sent_base += out.sentences
        return result

    def _segment_records(self, doc_id: str, lang: str, offset: int, doc: Doc) -> _SegmentOut:
        """The records of one segment's Doc, sentences numbered from 0 in the segment."""
        sents = _sentences(doc)
        out = _SegmentOut(len(sents), _words(doc))
        starts = [s.start for s in sents]

        def sent_of(token_index: int) -> int:
            return max(bisect_right(starts, token_index) - 1, 0)

        for ent in doc.ents:
            out.entities.append(
                EntityRecord(
                    doc_id=doc_id,
                    lang=lang,
                    sent_index=sent_of(ent.start),
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
                    sent_index=k,
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
        return out


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
    """What ``run`` did (also written, in more detail, to ``manifest.json``).

    Counts are those of the output (reused documents included); ``processed_*`` and
    ``words_per_second`` are this run's own work."""

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
    processed_documents: int = 0
    processed_words: int = 0
    reused_documents: int = 0
    workers: int = 1
    engine: str = "local"
    shards: int = 0

    @property
    def words_per_second(self) -> float:
        return self.processed_words / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class Progress:
    """A progress report: documents, words and input bytes done since the last one, inputs
    skipped meanwhile; ``reused`` for documents taken from an earlier run (``resume``)."""

    docs: int = 0
    words: int = 0
    bytes: int = 0
    skipped: tuple[tuple[str, str], ...] = ()
    reused: bool = False


#: called with each progress report
ProgressCallback = Callable[[Progress], None]
#: called once the work is planned (and, in-process, the models loaded): total input bytes
StartCallback = Callable[[int], None]


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


def default_workers() -> int:
    return os.cpu_count() or 1


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
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    shard_docs: int | None = None,
    shard_bytes: int | None = None,
    on_progress: ProgressCallback | None = None,
    on_start: StartCallback | None = None,
) -> RunSummary:
    """Read ``inputs`` (files or folders), extract, write ``triples.*``, ``entities.*`` and
    ``manifest.json`` into ``out_dir``. Raises :class:`RelextractError` on a config problem
    (before anything is written); outputs appear under their final names only on success.

    The input is cut into shards (:mod:`relextract.parallel`) processed by ``workers``
    processes (default: one per core; ``1``: in this process) with ``engine="local"``, or on
    a Dask cluster with ``engine="dask"`` (``scheduler`` address, else a local cluster).
    Finished shards are journaled in ``out_dir/.relextract``; with ``resume`` documents
    already done with the same models and options are not processed again (new and changed
    files are; deleted files leave the output). The output bytes do not depend on
    ``workers`` or ``engine``."""
    from . import parallel as par
    from .io import discover
    from .writers import OutputWriter, check_formats, prepare_out_dir

    fmts = check_formats(formats)
    paths = [Path(p) for p in inputs]
    if not paths:
        raise RelextractError("[E301] no input given")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise RelextractError(f"[E302] input not found: {', '.join(missing)}")
    if engine not in par.ENGINES:
        raise RelextractError(f"[E303] unknown engine {engine!r}: use {', '.join(par.ENGINES)}")
    n_workers = default_workers() if workers is None else int(workers)
    if n_workers < 1:
        raise RelextractError("[E304] workers must be at least 1")
    if lang is not None and lang not in LANGUAGES:
        raise RelextractError(f"[E110] unsupported language {lang!r}: use one of {LANGUAGES}")
    if batch_size < 1:
        raise RelextractError("[E112] batch_size must be at least 1")
    shard_docs = shard_docs or par.SHARD_DOCS
    shard_bytes = shard_bytes or par.SHARD_BYTES
    settings = par.make_settings(
        models,
        lang=lang,
        languages=(lang,) if lang else LANGUAGES,
        open_relations=open_relations,
        min_confidence=min_confidence,
        batch_size=batch_size,
        max_bytes=max_bytes,
    )
    out = Path(out_dir)
    prepare_out_dir(out, force=force or resume)

    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    key = par.processing_key(settings)
    work = par.WorkDir(out)
    if resume:
        work.open()
        done, stored = work.load(key)
    else:
        work.reset()
        done, stored = {}, None
    work.write_state(
        {
            "cwd": os.getcwd(),
            "inputs": [str(p) for p in paths],
            "options": {
                "lang": lang,
                "models": dict(models or {}),
                "formats": list(fmts),
                "open_relations": open_relations,
                "min_confidence": min_confidence,
                "max_bytes": max_bytes,
                "batch_size": batch_size,
            },
            "key": key,
        }
    )

    summary = RunSummary(out_dir=out, files={}, engine=engine)
    out_abs = out.resolve()
    files, discovery_skips = discover(paths)
    files = [f for f in files if not _is_within(f.path, out_abs)]
    skipped_first = [
        (str(s.source), str(s.reason))
        for s in discovery_skips
        if not _is_within(Path(str(s.source)), out_abs)
    ]
    units = par.plan_units(
        files, shard_docs=shard_docs, shard_bytes=shard_bytes, hash_files=bool(done)
    )
    located: list[par.Done | None] = []
    todo: list[par.Unit] = []
    for u in units:
        k = u.key(u.sha256)
        hit = done.get(k) if k else None
        located.append(hit)
        if hit is None:
            todo.append(u)
    run_id = par.new_run_id()
    tasks = [
        par.ShardTask(f"{run_id}-{i:06d}", tuple(group), settings, str(work.parts.resolve()), key)
        for i, group in enumerate(
            par.make_shards(todo, shard_docs=shard_docs, shard_bytes=shard_bytes)
        )
    ]
    n_eff = max(1, min(n_workers, len(tasks)))
    in_process = engine == "local" and n_eff == 1
    summary.workers, summary.shards = n_eff, len(tasks)

    load_seconds = 0.0
    if in_process and (tasks or stored is None):
        loaded = par.load_extractor(settings)  # load before the bar shows (a failure: no bar)
        load_seconds, loaded.reported = loaded.seconds, True
        stored = {"models": loaded.models, "load_warnings": loaded.warnings}
    plan_seconds = time.perf_counter() - t0 - load_seconds
    if on_start is not None:
        on_start(sum(u.size for u in units))

    def report(docs: int, words: int, nbytes: int, skipped: list[tuple[str, str]]) -> None:
        summary.processed_documents += docs
        summary.processed_words += words
        if on_progress is not None:
            on_progress(Progress(docs, words, nbytes, tuple(map(tuple, skipped))))  # type: ignore[arg-type]

    if on_progress is not None:
        if skipped_first:
            on_progress(Progress(skipped=tuple(skipped_first)))
        reused = [(u, h) for u, h in zip(units, located, strict=True) if h is not None]
        if reused:
            on_progress(
                Progress(
                    docs=sum(h.unit["documents"] for _, h in reused),
                    words=sum(h.unit["words"] for _, h in reused),
                    bytes=sum(u.size for u, _ in reused),
                    reused=True,
                )
            )

    by_shard: dict[str, dict[str, Any]] = {}
    load_times: list[float] = []

    def on_done(entry: dict[str, Any]) -> None:
        by_shard[entry["shard"]] = entry
        if entry.get("load_seconds"):
            load_times.append(entry["load_seconds"])

    t1 = time.perf_counter()
    engine_info: dict[str, Any] = {}
    if in_process:
        par.run_in_process(tasks, report, on_done)
    elif engine == "local":
        par.run_local_pool(tasks, n_eff, report, on_done)
    else:
        engine_info = par.run_dask(tasks, n_eff, scheduler, report, on_done)
    process_seconds = time.perf_counter() - t1
    if load_times:
        load_seconds = max(load_times)
    index = {id(u): i for i, u in enumerate(units)}
    for task in tasks:  # where this run's units are
        entry = by_shard[task.shard_id]
        for u, uj in zip(task.units, entry["units"], strict=True):
            located[index[id(u)]] = par.Done(task.shard_id, uj)
    if stored is None:
        first = next(iter(by_shard.values()), None)
        if first is not None:
            stored = {"models": first["models"], "load_warnings": first["load_warnings"]}
        else:  # nothing to process and nothing journaled: load to describe the models
            loaded = par.load_extractor(settings)
            stored = {"models": loaded.models, "load_warnings": loaded.warnings}
    model_info: dict[str, dict[str, Any]] = stored["models"]
    summary.warnings = list(stored["load_warnings"])

    # -- merge, in document order ------------------------------------------------------
    t2 = time.perf_counter()
    per_file: dict[str, FileStats] = {}
    langs: dict[str, dict[str, int]] = {}
    summary.skipped = list(skipped_first)
    reader = par.PartReader(work)
    keep: set[str] = set()
    seen_ids: dict[str, int] = {}
    last_path = None
    with OutputWriter(out, fmts) as writer:
        try:
            for u, hit in zip(units, located, strict=True):
                assert hit is not None
                keep.add(hit.shard)
                uj = hit.unit
                for table, _cols in par.TABLES:
                    start, end, rows = uj["ranges"][table]
                    cs, ce, _ = uj["ranges"][f"{table}.csv"]
                    writer.write_part(
                        table,
                        reader.read(hit.shard, table, start, end),
                        rows,
                        reader.read(hit.shard, f"{table}.csv", cs, ce) if "csv" in fmts else None,
                    )
                summary.skipped.extend((s, r) for s, r in uj["skipped"])
                if u.path != last_path:
                    seen_ids, last_path = {}, u.path
                unit_warnings = par.merge_warnings(uj, seen_ids)
                if uj["documents"]:
                    st = per_file.get(u.path)
                    if st is None:
                        st = per_file[u.path] = FileStats(u.path, uj["sha256"], uj["encoding"])
                    st.documents += uj["documents"]
                    st.entities += uj["entities"]
                    st.triples += uj["triples"]
                    st.warnings.extend(unit_warnings)
                for lg, counts in uj["languages"].items():
                    c = langs.setdefault(lg, {})
                    for k, v in counts.items():
                        c[k] = c.get(k, 0) + v
                summary.documents += uj["documents"]
                summary.entities += uj["entities"]
                summary.triples += uj["triples"]
                summary.words += uj["words"]
        finally:
            reader.close()
        summary.reused_documents = summary.documents - summary.processed_documents
        summary.seconds = process_seconds
        summary.languages = {k: dict(v) for k, v in sorted(langs.items())}
        for st in per_file.values():
            summary.warnings.extend(f"{st.source}: {w}" for w in st.warnings)
        finished = datetime.now(timezone.utc)
        config: dict[str, Any] = {
            "lang": lang,
            "formats": list(fmts),
            "open_relations": open_relations,
            "min_confidence": min_confidence,
            "max_bytes": max_bytes,
            "batch_size": batch_size,
            "models": {
                k: {"name": v["name"], "version": v["version"]} for k, v in model_info.items()
            },
            "schema_version": SCHEMA_VERSION,
            "relextract_version": __version__,
        }
        merge_seconds = time.perf_counter() - t2
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
            "execution": {
                "engine": engine,
                **engine_info,
                "workers": n_eff,
                "shards": len(tasks),
                "resume": resume,
                "processing_key": key,
                "processed_documents": summary.processed_documents,
                "reused_documents": summary.reused_documents,
            },
            "timings": {
                "started": started.isoformat(timespec="seconds"),
                "finished": finished.isoformat(timespec="seconds"),
                "plan_seconds": round(plan_seconds, 3),
                "load_seconds": round(load_seconds, 3),
                "process_seconds": round(process_seconds, 3),
                "merge_seconds": round(merge_seconds, 3),
                "words_per_second": round(summary.words_per_second, 1),
            },
        }
        summary.files = writer.commit(manifest)
    work.collect_garbage(keep)
    return summary


def resume(out_dir: str | Path, **overrides: Any) -> RunSummary:
    """Finish or update the run whose output is ``out_dir``, with the inputs and options it
    was started with (``overrides``: other :func:`run` arguments, e.g. ``workers``)."""
    from .parallel import WorkDir

    state = WorkDir(Path(out_dir)).read_state()
    if state is None:
        raise RelextractError(
            f"[E305] {out_dir} holds no relextract run to resume (no .relextract/state.json): "
            f"give the inputs: relextract run INPUT... -o {out_dir} --resume"
        )
    inputs, options = resolve_state(state)
    options.update(overrides)
    return run(inputs, out_dir, resume=True, **options)


def resolve_state(state: Mapping[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Inputs and options of a saved run state, relative paths made relative to the folder
    the run was started in."""
    cwd = Path(str(state.get("cwd") or "."))
    here = Path.cwd().resolve()

    def rebase(p: str) -> str:
        if os.path.isabs(p) or cwd.resolve() == here:
            return p
        return str(cwd / p)

    inputs = [rebase(str(p)) for p in state.get("inputs") or []]
    options = dict(state.get("options") or {})
    models = dict(options.get("models") or {})
    for lg, name in models.items():
        if (cwd / name).exists() and not (Path(name).is_absolute()):
            models[lg] = rebase(name)
    options["models"] = models
    return inputs, options


def _command_line() -> str | None:
    import sys

    argv = getattr(sys, "argv", None)
    if not argv:
        return None
    prog = os.path.basename(argv[0])
    return " ".join(["relextract" if prog in ("relextract", "__main__.py") else prog, *argv[1:]])
