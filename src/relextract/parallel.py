"""Sharded, resumable execution of ``relextract run``: in this process, in local worker
processes or on a Dask cluster.

How a run goes (:func:`relextract.extract.run` drives it):

1. **Plan.** :func:`plan_units` turns the discovered files (in :func:`relextract.io.discover`
   order) into *units*: one per text/HTML file, one per line range of a JSON Lines file (a big
   JSONL file is cut at line boundaries every :data:`SHARD_DOCS` lines or :data:`SHARD_BYTES`
   bytes, so it is not a single shard). :func:`make_shards` groups consecutive units into
   *shards* of at most :data:`SHARD_DOCS` documents / :data:`SHARD_BYTES` bytes. Planning
   depends on the input only, never on the number of workers.
2. **Process.** :func:`process_shard` reads the shard's documents, runs them through the
   :class:`~relextract.extract.Extractor` (loaded once per process and cached), and writes two
   part files into ``OUT_DIR/.relextract/parts/``: ``<shard>.entities.jsonl`` and
   ``<shard>.triples.jsonl`` (rows serialised exactly as in the final ``*.jsonl``), then
   ``<shard>.json``: the shard's journal entry, written atomically last, with each unit's key
   (file path, document id, byte range, sha256), counts, warnings, skip reasons and byte
   ranges in the part files. A shard without its ``.json`` never happened: a run killed
   mid-shard loses that shard only.
3. **Merge.** The parent copies each unit's byte ranges from the part files into the final
   outputs in unit (= document) order, so the output bytes are the same whatever the number
   of workers or the engine, and whichever run produced each shard.

The journal entries carry a *processing key* (:func:`processing_key`: relextract's version and
source, the models' names, versions and content, and the options that change records). With
``resume=True`` a unit whose key (same file content) is in a journal entry with the same
processing key is not processed again; new and changed files are; deleted files simply drop
out of the merge; entries no longer referenced are removed after a successful run.

Engines: ``local`` (``workers == 1``: this process; otherwise ``spawn`` worker processes fed
from a queue, reporting progress through another) and ``dask`` (``distributed.Client`` on a
scheduler address, or a ``LocalCluster``; the same :func:`process_shard` runs on each worker,
which must see the input and output folders at the same paths: a shared filesystem).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing as mp
import os
import pickle
import queue
import shutil
import signal
import threading
import time
import traceback
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .io import Article, InputFile, Skipped, read_file, read_jsonl_range
from .pipelines import ModelSpec, RelextractError, model_summary, resolve_model
from .schema import ENTITY_COLUMNS, SCHEMA_VERSION, TRIPLE_COLUMNS
from .writers import csv_lines, jsonl_line

if TYPE_CHECKING:
    from .extract import Extractor, Result
    from .records import EntityRecord, TripleRecord

#: a shard holds at most this many documents (files or JSON Lines) ...
SHARD_DOCS = 128
#: ... and at most this many input bytes (a unit bigger than that is a shard on its own)
SHARD_BYTES = 1 << 20
#: hidden working folder inside OUT_DIR (part files, journal, run state)
WORK_DIR = ".relextract"
JOURNAL_VERSION = 2  # 2: CSV part files beside the JSON Lines ones
ENGINES: tuple[str, ...] = ("local", "dask")
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entities", ENTITY_COLUMNS),
    ("triples", TRIPLE_COLUMNS),
)
#: the part-file streams of a shard: each table as JSON Lines ("entities") and as CSV rows
#: without header ("entities.csv"), so the merge copies bytes for both default formats
STREAMS: tuple[str, ...] = tuple(t for table, _ in TABLES for t in (table, f"{table}.csv"))


def _part_name(stream: str) -> str:
    return stream if stream.endswith(".csv") else f"{stream}.jsonl"
#: seconds between two progress reports of one worker
REPORT_EVERY = 0.2
_HASH_CHUNK = 1 << 20


# -- planning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A piece of input processed as a whole: a file, or a line range of a JSON Lines file.

    ``path``/``root`` are as discovered (they name the source in the manifest); ``abspath`` /
    ``absroot`` are what workers open (they may run in another folder or on another machine).
    ``end is None`` means the whole file.
    """

    path: str
    root: str
    prefix: str
    abspath: str
    absroot: str
    size: int
    start: int = 0
    end: int | None = None
    first_line: int = 1
    docs: int = 1
    sha256: str | None = None

    @property
    def doc_id(self) -> str:
        return InputFile(Path(self.path), Path(self.root), self.prefix).doc_id

    def key(self, sha256: str | None) -> str | None:
        """Identity of this unit's content for resuming (None: unknown, never reused)."""
        if sha256 is None:
            return None
        return json.dumps([self.abspath, self.doc_id, self.start, self.end, sha256])


def _abs(p: Path) -> str:
    return os.path.abspath(p)


def sha256_file(path: str | Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(_HASH_CHUNK), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _jsonl_units(f: InputFile, size: int, shard_docs: int, shard_bytes: int) -> list[Unit]:
    """Line ranges of a JSON Lines file (one streaming pass, which also hashes it)."""

    def unit(**kw: Any) -> Unit:
        return Unit(str(f.path), str(f.root), f.doc_prefix, _abs(f.path), _abs(f.root), **kw)

    h = hashlib.sha256()
    ranges: list[tuple[int, int, int, int]] = []  # start, end, first line, documents
    start = pos = 0
    first = lineno = 1
    docs = 0
    try:
        with f.path.open("rb") as fh:
            for lineno, raw in enumerate(fh, start=1):
                h.update(raw)
                pos += len(raw)
                if raw.strip():
                    docs += 1
                if docs >= shard_docs or pos - start >= shard_bytes:
                    ranges.append((start, pos, first, docs))
                    start, first, docs = pos, lineno + 1, 0
    except OSError:
        return [unit(size=size)]  # the worker reports why it cannot be read
    if docs or not ranges:
        ranges.append((start, pos, first, docs))
    sha = h.hexdigest()
    if len(ranges) == 1:
        return [unit(size=pos, docs=max(ranges[0][3], 1), sha256=sha)]
    return [
        unit(size=e - s, start=s, end=e, first_line=ln, docs=max(n, 1), sha256=sha)
        for s, e, ln, n in ranges
    ]


def plan_units(
    files: Iterable[InputFile],
    *,
    shard_docs: int = SHARD_DOCS,
    shard_bytes: int = SHARD_BYTES,
    hash_files: bool = False,
) -> list[Unit]:
    """Units of the discovered ``files``, in order. JSON Lines files are always scanned
    (hashed and cut into line ranges); other files are hashed only when ``hash_files``
    (needed to look them up in a journal; otherwise the worker hashes what it reads)."""
    units: list[Unit] = []
    for f in files:
        try:
            size = f.path.stat().st_size
        except OSError:
            size = 0
        if f.kind == "jsonl":
            units.extend(_jsonl_units(f, size, shard_docs, shard_bytes))
            continue
        units.append(
            Unit(
                path=str(f.path), root=str(f.root), prefix=f.doc_prefix, abspath=_abs(f.path),
                absroot=_abs(f.root), size=size,
                sha256=sha256_file(f.path) if hash_files else None,
            )
        )  # fmt: skip
    return units


def make_shards(
    units: Sequence[Unit], *, shard_docs: int = SHARD_DOCS, shard_bytes: int = SHARD_BYTES
) -> list[list[Unit]]:
    """Consecutive units grouped into shards of at most ``shard_docs`` documents and
    ``shard_bytes`` bytes (a unit is never split)."""
    shards: list[list[Unit]] = []
    cur: list[Unit] = []
    docs = nbytes = 0
    for u in units:
        if cur and (docs + u.docs > shard_docs or nbytes + u.size > shard_bytes):
            shards.append(cur)
            cur, docs, nbytes = [], 0, 0
        cur.append(u)
        docs += u.docs
        nbytes += u.size
    if cur:
        shards.append(cur)
    return shards


# -- what a worker needs ------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelRef:
    """A resolved pipeline: what a worker loads (``target``: an absolute folder, a package
    name or ``blank``) and how the manifest names it (as resolved in the parent)."""

    lang: str
    target: str
    name: str
    kind: str
    path: str | None
    origin: str

    @classmethod
    def from_spec(cls, spec: ModelSpec) -> ModelRef:
        path = str(spec.path) if spec.path is not None else None
        target = path if spec.kind == "path" and path else spec.name
        return cls(spec.lang, target, spec.name, spec.kind, path, spec.origin)


@dataclass(frozen=True)
class Settings:
    """Everything that decides how documents are processed (hashable: the worker cache key)."""

    models: tuple[ModelRef, ...]
    lang: str | None = None
    open_relations: bool = False
    min_confidence: float = 0.0
    batch_size: int = 32
    max_bytes: int | None = None


def make_settings(
    models: Mapping[str, str] | None,
    *,
    lang: str | None,
    languages: Sequence[str],
    open_relations: bool,
    min_confidence: float,
    batch_size: int,
    max_bytes: int | None,
) -> Settings:
    """Resolve the pipelines now (raises ``ModelNotFoundError`` before anything is done)."""
    given = dict(models or {})
    refs = tuple(ModelRef.from_spec(resolve_model(lg, given.get(lg))) for lg in languages)
    return Settings(refs, lang, bool(open_relations), float(min_confidence), batch_size, max_bytes)


_FINGERPRINTS: dict[tuple[str, ...], str] = {}
#: modules that do not change what a document gives (left out of the code fingerprint)
_NOT_EXTRACTION = frozenset({"cli.py", "writers.py", "evaluate.py", "parallel.py", "__main__.py"})


def _tree_hash(root: Path, skip: frozenset[str] = frozenset()) -> str:
    h = hashlib.sha256()
    files = sorted(
        p for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        and not (p.parent == root and p.name in skip)
    )  # fmt: skip
    for p in files:
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(_HASH_CHUNK), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()[:16]


def code_fingerprint() -> str:
    """Hash of relextract's extraction code and data files (rules, lexicons, knowledge base):
    a changed rule must not be resumed from records made by the old one."""
    key = ("code",)
    if key not in _FINGERPRINTS:
        _FINGERPRINTS[key] = _tree_hash(Path(__file__).resolve().parent, _NOT_EXTRACTION)
    return _FINGERPRINTS[key]


def model_fingerprint(ref: ModelRef) -> dict[str, Any]:
    """Name, version and (for a folder) content hash of a pipeline, without loading it."""
    import spacy

    out: dict[str, Any] = {"kind": ref.kind, "name": ref.name}
    if ref.kind == "blank":
        out["spacy"] = spacy.__version__
    elif ref.kind == "package":
        from importlib import metadata

        try:
            out["version"] = metadata.version(ref.name)
        except metadata.PackageNotFoundError:
            out["version"] = None
    elif ref.path:
        root = Path(ref.path)
        try:
            meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        out.update(name=f"{meta.get('lang')}_{meta.get('name')}", version=meta.get("version"))
        key = ("model", str(root))
        if key not in _FINGERPRINTS:
            _FINGERPRINTS[key] = _tree_hash(root)
        out["content"] = _FINGERPRINTS[key]
    return out


def processing_key(settings: Settings) -> str:
    """What journal entries must share to be reused: everything that changes the records."""
    data = {
        "journal": JOURNAL_VERSION,
        "relextract": __version__,
        "schema": SCHEMA_VERSION,
        "code": code_fingerprint(),
        "models": {r.lang: model_fingerprint(r) for r in settings.models},
        "lang": settings.lang,
        "open_relations": settings.open_relations,
        "min_confidence": settings.min_confidence,
        "max_bytes": settings.max_bytes,
    }
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


# -- the worker side -----------------------------------------------------------------------------


@dataclass
class _Loaded:
    extractor: Extractor
    models: dict[str, dict[str, Any]]
    warnings: list[str]
    seconds: float
    reported: bool = False  # load time already returned with a shard


_LOADED: dict[Settings, _Loaded] = {}
_LOAD_LOCK = threading.Lock()


def load_extractor(settings: Settings) -> _Loaded:
    """The extractor for ``settings``, loaded once per process (pipelines warmed up)."""
    with _LOAD_LOCK:
        loaded = _LOADED.get(settings)
        if loaded is not None:
            return loaded
        from .extract import Extractor

        t0 = time.perf_counter()
        ex = Extractor(
            models={r.lang: r.target for r in settings.models},
            lang=settings.lang,
            open_relations=settings.open_relations,
            min_confidence=settings.min_confidence,
            batch_size=settings.batch_size,
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ex.load()
        infos: dict[str, dict[str, Any]] = {}
        for ref in settings.models:  # name the pipelines as the parent resolved them
            nlp = ex.nlp(ref.lang)
            nlp.meta.setdefault("relextract", {})["model"] = {
                "name": ref.name, "kind": ref.kind, "path": ref.path, "origin": ref.origin,
            }  # fmt: skip
            infos[ref.lang] = model_summary(nlp)
        loaded = _Loaded(
            ex, infos, sorted({str(w.message) for w in caught}), time.perf_counter() - t0
        )
        _LOADED[settings] = loaded
        return loaded


@dataclass(frozen=True)
class ShardTask:
    shard_id: str
    units: tuple[Unit, ...]
    settings: Settings
    parts_dir: str
    key: str


#: (documents, words, input bytes, skipped [(source, reason)]) since the last report
Report = Callable[[int, int, int, list[tuple[str, str]]], None]


class _Reporter:
    """Accumulates progress and hands it on at most every :data:`REPORT_EVERY` seconds."""

    def __init__(self, report: Report | None) -> None:
        self.report = report
        self.docs = self.words = self.bytes = 0
        self.skipped: list[tuple[str, str]] = []
        self.last = time.monotonic()

    def add(self, docs: int = 0, words: int = 0, nbytes: int = 0) -> None:
        self.docs += docs
        self.words += words
        self.bytes += nbytes
        if self.report is not None and time.monotonic() - self.last >= REPORT_EVERY:
            self.flush()

    def skip(self, source: str, reason: str) -> None:
        self.skipped.append((source, reason))

    def flush(self) -> None:
        if self.report is not None and (self.docs or self.bytes or self.skipped):
            self.report(self.docs, self.words, self.bytes, self.skipped)
        self.docs = self.words = self.bytes = 0
        self.skipped = []
        self.last = time.monotonic()


@dataclass
class _UnitOut:
    unit: Unit
    sha256: str | None = None
    encoding: str | None = None
    documents: int = 0
    entities: int = 0
    triples: int = 0
    words: int = 0
    warnings: list[str] = field(default_factory=list)
    skipped: list[list[str]] = field(default_factory=list)
    languages: dict[str, dict[str, int]] = field(default_factory=dict)
    ranges: dict[str, list[int]] = field(default_factory=dict)
    #: JSON Lines ranges: [line, doc id] of each article and the line of each warning, for
    #: the duplicate-id check across ranges (:func:`merge_warnings`)
    ids: list[list[Any]] = field(default_factory=list)
    warning_lines: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        u = self.unit
        sha = self.sha256 or u.sha256
        return {
            "key": u.key(sha),
            "path": u.path,
            "start": u.start,
            "end": u.end,
            "size": u.size,
            "sha256": sha,
            "encoding": self.encoding,
            "documents": self.documents,
            "entities": self.entities,
            "triples": self.triples,
            "words": self.words,
            "warnings": self.warnings,
            "skipped": self.skipped,
            "languages": self.languages,
            "ranges": {t: self.ranges.get(t, [0, 0, 0]) for t in STREAMS},
            **({"ids": self.ids, "warning_lines": self.warning_lines} if u.end is not None else {}),
        }


def merge_warnings(unit: Mapping[str, Any], seen: dict[str, int]) -> list[str]:
    """A unit's warnings, with those for ids already used earlier in the same JSON Lines
    file (``seen``: id -> first line, updated) where a whole-file read would put them."""
    if "ids" not in unit:
        return list(unit["warnings"])
    dups: list[tuple[int, str]] = []
    for line, doc_id in unit["ids"]:
        if doc_id in seen:
            dups.append((line, f"{doc_id}: duplicate id {doc_id!r} (first at line {seen[doc_id]})"))
        else:
            seen[doc_id] = line
    if not dups:
        return list(unit["warnings"])
    own = list(zip(unit["warning_lines"], unit["warnings"], strict=True))
    return [w for _, w in sorted(own + dups, key=lambda t: t[0])]  # stable: own ones first


def _read_unit(u: Unit, max_bytes: int | None) -> Iterator[Article | Skipped]:
    f = InputFile(Path(u.abspath), Path(u.absroot), u.prefix)
    if u.end is None:
        yield from read_file(f, max_bytes=max_bytes)
    else:
        assert u.sha256 is not None
        yield from read_jsonl_range(f, u.start, u.end, u.first_line, u.sha256, max_bytes=max_bytes)


def _display_source(source: str, u: Unit) -> str:
    """A reader's source (absolute path, maybe ``:LINE``) named as the input was given."""
    if u.abspath != u.path and source.startswith(u.abspath):
        return u.path + source[len(u.abspath) :]
    return source


def _fsync_close(fh: Any) -> None:
    fh.flush()
    os.fsync(fh.fileno())
    fh.close()


def write_json_durable(path: Path, data: Any) -> None:
    """Write JSON under a temporary name, fsync, rename: the file is whole or absent."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def process_shard(task: ShardTask, report: Report | None = None) -> dict[str, Any]:
    """Process one shard: part files and the journal entry in ``task.parts_dir``; returns the
    entry. Runs in this process, a worker process or a Dask worker alike."""
    loaded = load_extractor(task.settings)
    load_seconds = 0.0
    if not loaded.reported:
        loaded.reported = True
        load_seconds = loaded.seconds
    t0 = time.perf_counter()
    parts = Path(task.parts_dir)
    tag = f"{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    tmp = {t: parts / f".{task.shard_id}.{_part_name(t)}.{tag}" for t in STREAMS}
    handles = {t: open(p, "wb") for t, p in tmp.items()}  # noqa: SIM115
    pos = {t: 0 for t in STREAMS}
    outs = [_UnitOut(u) for u in task.units]
    rep = _Reporter(report)
    owner: deque[int] = deque()
    max_bytes = task.settings.max_bytes

    def items() -> Iterator[Any]:
        for i, u in enumerate(task.units):
            for item in _read_unit(u, max_bytes):
                owner.append(i)
                yield item

    try:
        current = -1
        for art, result in loaded.extractor.process(items()):
            i = owner.popleft()
            if i != current:
                for done in range(current + 1, i):  # units without any item (blank lines)
                    rep.add(nbytes=outs[done].unit.size)
                if current >= 0:
                    rep.add(nbytes=outs[current].unit.size)
                current = i
            out = outs[i]
            if isinstance(art, Skipped):
                source = _display_source(str(art.source), out.unit)
                out.skipped.append([source, str(art.reason)])
                rep.skip(source, str(art.reason))
                continue
            _add_result(out, art, result, handles, pos)
            rep.add(docs=1, words=result.words)
        for done in range(current + 1, len(outs)):
            rep.add(nbytes=outs[done].unit.size)
        if current >= 0:
            rep.add(nbytes=outs[current].unit.size)
        for fh in handles.values():
            _fsync_close(fh)
        for t, p in tmp.items():
            os.replace(p, parts / f"{task.shard_id}.{_part_name(t)}")
    except BaseException:
        for fh in handles.values():
            fh.close()
        for p in tmp.values():
            with contextlib.suppress(OSError):
                p.unlink()
        raise
    entry = {
        "version": JOURNAL_VERSION,
        "shard": task.shard_id,
        "key": task.key,
        "models": loaded.models,
        "load_warnings": loaded.warnings,
        "sizes": pos,
        "units": [o.to_json() for o in outs],
        "seconds": round(time.perf_counter() - t0, 3),
    }
    write_json_durable(parts / f"{task.shard_id}.json", entry)
    rep.flush()
    return {**entry, "load_seconds": load_seconds}


def _add_result(
    out: _UnitOut, art: Any, result: Result, handles: dict[str, Any], pos: dict[str, int]
) -> None:
    if out.documents == 0:
        out.sha256 = getattr(art, "sha256", None)
        out.encoding = getattr(art, "encoding", None)
    out.documents += 1
    out.entities += len(result.entities)
    out.triples += len(result.triples)
    out.words += result.words
    ranged = out.unit.end is not None
    if ranged:
        out.ids.append([art.line, art.doc_id])
    for w in getattr(art, "warnings", None) or []:
        out.warnings.append(f"{art.doc_id}: {w}" if art.doc_id else str(w))
        if ranged:
            out.warning_lines.append(art.line)
    for seg in result.segments:
        c = out.languages.setdefault(seg.lang, {})
        c["segments"] = c.get("segments", 0) + 1
        c["chars"] = c.get("chars", 0) + seg.end - seg.start
        c["sentences"] = c.get("sentences", 0) + seg.sentences
        c["words"] = c.get("words", 0) + seg.words
        if not seg.processed:
            c["skipped_segments"] = c.get("skipped_segments", 0) + 1
    for table, cols in TABLES:
        records: Sequence[EntityRecord | TripleRecord] = (
            result.entities if table == "entities" else result.triples
        )
        rows = [r.to_dict() for r in records]
        for stream in (table, f"{table}.csv"):
            rng = out.ranges.setdefault(stream, [pos[stream], pos[stream], 0])
            if not rows:
                continue
            if stream == table:
                text = "".join(jsonl_line(r, cols) for r in rows)
            else:
                text = csv_lines(rows, cols)
            data = text.encode("utf-8")
            handles[stream].write(data)
            pos[stream] += len(data)
            rng[1] = pos[stream]
            rng[2] += len(rows)


# -- engines ---------------------------------------------------------------------------------------

#: called with each finished shard's journal entry (as returned by :func:`process_shard`)
OnDone = Callable[[dict[str, Any]], None]


def run_in_process(tasks: Sequence[ShardTask], report: Report, on_done: OnDone) -> None:
    for task in tasks:
        on_done(process_shard(task, report))


class WorkerError(RelextractError):
    """A worker process died or failed without an exception that could be passed back."""


class _RemoteTraceback(Exception):
    def __init__(self, tb: str) -> None:
        super().__init__(tb)
        self.tb = tb

    def __str__(self) -> str:
        return f'\n"""\n{self.tb}"""'


def _worker_main(task_q: Any, result_q: Any, parent_pid: int) -> None:
    """A local worker: shards from ``task_q`` until ``None``; everything it says goes to
    ``result_q`` (``progress``, ``done``, ``error``). Ctrl-C is the parent's business."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def orphaned() -> bool:
        if os.getppid() == parent_pid:
            return False
        # the parent is gone (killed): nobody reads the queue any more, so do not wait at
        # exit for what is left in it to be written into a full pipe
        result_q.cancel_join_thread()
        return True

    def report(docs: int, words: int, nbytes: int, skipped: list[tuple[str, str]]) -> None:
        if not orphaned():
            result_q.put(("progress", docs, words, nbytes, skipped))

    while True:
        if orphaned():  # stop quietly (the shard in hand, if any, was journaled)
            return
        try:
            task = task_q.get(timeout=1.0)
        except queue.Empty:
            continue
        if task is None:
            return
        try:
            entry = process_shard(task, report)
        except BaseException as exc:
            tb = traceback.format_exc()
            try:
                payload = pickle.dumps(exc)
            except Exception:
                payload = pickle.dumps(WorkerError(f"{type(exc).__name__}: {exc}"))
            result_q.put(("error", task.shard_id, payload, tb))
            return
        result_q.put(("done", task.shard_id, entry))


@contextlib.contextmanager
def _single_threaded_children() -> Iterator[None]:
    """Workers inherit one BLAS/OpenMP thread each (unless the user said otherwise): N
    processes on N cores, not N x cores threads."""
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    added = [n for n in names if n not in os.environ]
    for n in added:
        os.environ[n] = "1"
    try:
        yield
    finally:
        for n in added:
            os.environ.pop(n, None)


def run_local_pool(
    tasks: Sequence[ShardTask], workers: int, report: Report, on_done: OnDone
) -> None:
    """``workers`` spawned processes; shards handed out in order from a queue."""
    ctx = mp.get_context("spawn")
    task_q = ctx.Queue()
    result_q = ctx.Queue()
    procs = [
        ctx.Process(
            target=_worker_main,
            args=(task_q, result_q, os.getpid()),
            name=f"relextract-worker-{i}",
            daemon=True,
        )
        for i in range(workers)
    ]
    try:
        with _single_threaded_children():
            for p in procs:
                p.start()
        for t in tasks:
            task_q.put(t)
        for _ in procs:
            task_q.put(None)
        pending = {t.shard_id for t in tasks}
        while pending:
            try:
                msg = result_q.get(timeout=0.5)
            except queue.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if not dead and not all(p.exitcode == 0 for p in procs):
                    continue
                try:  # what a worker said just before it exited may still be on its way
                    msg = result_q.get(timeout=2.0)
                except queue.Empty:
                    code = dead[0].exitcode if dead else 0
                    raise WorkerError(
                        f"[E322] a worker process died (exit code {code}); finished shards "
                        f"are kept: run again with --resume to go on"
                    ) from None
            if msg[0] == "progress":
                report(*msg[1:])
            elif msg[0] == "done":
                pending.discard(msg[1])
                on_done(msg[2])
            elif msg[0] == "error":
                exc = pickle.loads(msg[2])
                raise exc from _RemoteTraceback(msg[3])
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=10)
        for q in (task_q, result_q):
            q.cancel_join_thread()
            q.close()


def run_dask(
    tasks: Sequence[ShardTask],
    workers: int,
    scheduler: str | None,
    report: Report,
    on_done: OnDone,
) -> dict[str, Any]:
    """The shards on a Dask cluster: ``scheduler`` (``tcp://host:8786``) or a
    ``LocalCluster`` of ``workers`` single-threaded processes. Progress per finished shard.
    Returns a description of the cluster for the manifest."""
    try:
        import logging

        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise RelextractError(
            "[E321] --engine dask needs dask.distributed: pip install 'relextract[dask]'"
        ) from exc
    cluster = None
    with _single_threaded_children():
        if scheduler:
            try:
                client = Client(scheduler, timeout="30s")
            except OSError as exc:
                raise RelextractError(
                    f"[E323] cannot reach the Dask scheduler {scheduler}: {exc}"
                ) from exc
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
    try:
        info = {"scheduler": scheduler or "LocalCluster",
                "dask_workers": len(client.scheduler_info().get("workers", {}))}  # fmt: skip
        futures = [
            client.submit(process_shard, t, key=f"relextract-{t.shard_id}", pure=False)
            for t in tasks
        ]
        try:
            for fut in as_completed(futures):
                entry = fut.result()
                docs = sum(u["documents"] for u in entry["units"])
                words = sum(u["words"] for u in entry["units"])
                nbytes = sum(u["size"] for u in entry["units"])
                skipped = [(s, r) for u in entry["units"] for s, r in u["skipped"]]
                report(docs, words, nbytes, skipped)
                on_done(entry)
        except BaseException:
            client.cancel(futures)
            raise
        return info
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# -- the journal --------------------------------------------------------------------------------


@dataclass
class Done:
    """Where a finished unit's records are: the shard's part files and byte ranges."""

    shard: str
    unit: dict[str, Any]


class WorkDir:
    """``OUT_DIR/.relextract``: ``state.json`` (the run's inputs and options, for
    ``run --resume OUT``) and ``parts/`` (part files and journal entries)."""

    def __init__(self, out_dir: Path) -> None:
        self.root = out_dir / WORK_DIR
        self.parts = self.root / "parts"
        self.state_path = self.root / "state.json"

    def reset(self) -> None:
        """A fresh run: forget earlier work."""
        if self.root.exists():
            shutil.rmtree(self.root)
        self.parts.mkdir(parents=True)

    def open(self) -> None:
        self.parts.mkdir(parents=True, exist_ok=True)
        for p in self.parts.glob(".*.tmp"):  # part files of shards that never finished
            with contextlib.suppress(OSError):
                p.unlink()

    def write_state(self, state: Mapping[str, Any]) -> None:
        write_json_durable(self.state_path, dict(state))

    def read_state(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def part(self, shard: str, stream: str) -> Path:
        return self.parts / f"{shard}.{_part_name(stream)}"

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every whole journal entry (part files present, of the recorded sizes)."""
        for p in sorted(self.parts.glob("*.json")):
            try:
                entry = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not isinstance(entry, dict) or entry.get("version") != JOURNAL_VERSION:
                continue
            shard = str(entry.get("shard"))
            try:
                ok = all(self.part(shard, t).stat().st_size == entry["sizes"][t] for t in STREAMS)
            except (OSError, KeyError, TypeError):
                ok = False
            if ok:
                yield entry

    def load(self, key: str) -> tuple[dict[str, Done], dict[str, Any] | None]:
        """Finished units made with processing key ``key`` (by unit key), and one entry's
        model summary and load warnings (for a run that loads nothing)."""
        done: dict[str, Done] = {}
        models: dict[str, Any] | None = None
        for entry in self.entries():
            if entry.get("key") != key:
                continue
            if models is None:
                models = {"models": entry["models"], "load_warnings": entry["load_warnings"]}
            for u in entry["units"]:
                if u.get("key") and u["key"] not in done:
                    done[u["key"]] = Done(entry["shard"], u)
        return done, models

    def collect_garbage(self, keep: set[str]) -> None:
        """Remove the shards no longer referenced (after a successful run)."""
        for p in list(self.parts.iterdir()):
            name = p.name
            if name.startswith("."):
                continue
            shard = name.split(".", 1)[0]
            if shard not in keep:
                with contextlib.suppress(OSError):
                    p.unlink()


class PartReader:
    """Byte ranges of part files (a few kept open)."""

    def __init__(self, work: WorkDir, max_open: int = 16) -> None:
        self.work = work
        self.max_open = max_open
        self.open: dict[tuple[str, str], Any] = {}

    def read(self, shard: str, table: str, start: int, end: int) -> str:
        if end <= start:
            return ""
        key = (shard, table)
        fh = self.open.pop(key, None)
        if fh is None:
            if len(self.open) >= self.max_open:
                oldest = next(iter(self.open))
                self.open.pop(oldest).close()
            fh = open(self.work.part(shard, table), "rb")  # noqa: SIM115
        self.open[key] = fh  # most recently used last
        fh.seek(start)
        data = fh.read(end - start)
        if len(data) != end - start:
            raise RelextractError(
                f"[E324] part file {self.work.part(shard, table)} is shorter than its journal "
                f"says: delete {self.work.root} and run again"
            )
        return data.decode("utf-8")

    def close(self) -> None:
        for fh in self.open.values():
            fh.close()
        self.open.clear()


def new_run_id() -> str:
    """Prefix of this run's shard ids: sortable by time, unique across runs and machines."""
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
