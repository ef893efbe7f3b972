"""Writing the output folder (atomically) and reading it back into pandas.

``OUT_DIR`` gets ``triples.<fmt>`` and ``entities.<fmt>`` for each requested format
(``jsonl``, ``csv``, ``parquet``) and ``manifest.json``. Every file is first written to a
hidden temporary file in the same folder and moved to its final name with ``os.replace`` only
when the whole run succeeded, so a run that dies halfway leaves nothing half-written under
the final names (``manifest.json`` is removed first and written last: it marks a complete run).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .pipelines import RelextractError
from .records import BOOL_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, NULLABLE_COLUMNS
from .schema import ENTITY_COLUMNS, TRIPLE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from .extract import Result

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")
TABLES: dict[str, tuple[str, ...]] = {"triples": TRIPLE_COLUMNS, "entities": ENTITY_COLUMNS}
MANIFEST = "manifest.json"
_TMP_SUFFIX = ".tmp"


class OutputExistsError(RelextractError):
    """OUT_DIR already holds files and ``force`` was not given."""


def output_names() -> list[str]:
    """Every file name relextract may write into OUT_DIR."""
    return [f"{t}.{f}" for t in TABLES for f in FORMATS] + [MANIFEST]


def check_formats(formats: Sequence[str] | str) -> tuple[str, ...]:
    """Validate and normalise a format list (``"jsonl,csv"`` or a sequence)."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    out: list[str] = []
    for f in (x.strip().lower() for x in items):
        if not f:
            continue
        if f not in FORMATS:
            raise RelextractError(f"[E310] unknown output format {f!r}: use {', '.join(FORMATS)}")
        if f not in out:
            out.append(f)
    if not out:
        raise RelextractError("[E311] no output format given")
    if "parquet" in out:
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise RelextractError(
                "[E312] --format parquet needs pyarrow: pip install 'relextract[parquet]'"
            ) from exc
    return tuple(out)


def prepare_out_dir(out_dir: Path, *, force: bool) -> None:
    """Refuse a non-empty OUT_DIR without ``force``; remove stale temporary files.

    Hidden files (``.gitkeep``, temporaries of an interrupted run) do not count as content.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise RelextractError(f"[E313] output path {out_dir} exists and is not a folder")
    if out_dir.is_dir():
        visible = sorted(p.name for p in out_dir.iterdir() if not p.name.startswith("."))
        if visible and not force:
            shown = ", ".join(visible[:3]) + (", ..." if len(visible) > 3 else "")
            raise OutputExistsError(
                f"[E314] output folder {out_dir} is not empty ({shown}): pass --force to "
                f"overwrite relextract's files there, or choose another -o"
            )
        for p in out_dir.iterdir():
            if _is_our_temp(p.name):
                p.unlink(missing_ok=True)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RelextractError(f"[E315] cannot create output folder {out_dir}: {exc}") from exc
    if not os.access(out_dir, os.W_OK):
        raise RelextractError(f"[E316] output folder {out_dir} is not writable")


def _is_our_temp(name: str) -> bool:
    return (
        name.startswith(".")
        and name.endswith(_TMP_SUFFIX)
        and any(name.startswith(f".{n}.") for n in output_names())
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AtomicFile:
    """A file written under a temporary name beside ``path`` and moved there on ``commit``.

    As a context manager: commits on success, discards on an exception.
    """

    def __init__(self, path: str | Path, mode: str = "w", **open_kwargs: Any) -> None:
        self.path = Path(path)
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=_TMP_SUFFIX
        )
        self.tmp_path = Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; final files get the usual mode
        if "b" not in mode:
            open_kwargs.setdefault("encoding", "utf-8")
        self.fh: IO[Any] = os.fdopen(fd, mode, **open_kwargs)
        self.done = False

    def close_temp(self) -> None:
        if not self.fh.closed:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()

    def commit(self) -> Path:
        self.close_temp()
        os.replace(self.tmp_path, self.path)
        self.done = True
        return self.path

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        if not self.done:
            self.tmp_path.unlink(missing_ok=True)
        self.done = True

    def __enter__(self) -> IO[Any]:
        return self.fh

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def write_json_atomic(path: str | Path, data: Any) -> Path:
    with AtomicFile(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return Path(path)


def jsonl_line(row: Mapping[str, Any], columns: Sequence[str]) -> str:
    """One JSON Lines row (with its ``"\\n"``), columns in schema order: the only serialiser of
    ``*.jsonl`` rows, so that part files written by workers and merged byte for byte read the
    same as rows written directly."""
    return json.dumps({c: row[c] for c in columns}, ensure_ascii=False) + "\n"


def csv_lines(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV rows (no header) exactly as :class:`CsvSink` writes them, for part files that the
    merge copies byte for byte."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([_csv_cell(row[c]) for c in columns])
    return buf.getvalue()


# -- sinks: one output table in one format ------------------------------------------------


class _Sink:
    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = path
        self.columns = columns
        self.rows = 0

    def write(self, row: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def write_jsonl(self, data: str, rows: int) -> None:
        """Rows already serialised by :func:`jsonl_line` (``rows`` of them)."""
        for line in data.split("\n"):  # not splitlines(): U+2028 & co. may be inside strings
            if line:
                self.write(json.loads(line))

    def finish(self) -> None:
        """Flush everything to the temporary file (before the commits)."""

    def commit(self) -> Path:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError


class JsonlSink(_Sink):
    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        super().__init__(path, columns)
        self.file = AtomicFile(path)

    def write(self, row: Mapping[str, Any]) -> None:
        self.file.fh.write(jsonl_line(row, self.columns))
        self.rows += 1

    def write_jsonl(self, data: str, rows: int) -> None:
        self.file.fh.write(data)
        self.rows += rows

    def finish(self) -> None:
        self.file.close_temp()

    def commit(self) -> Path:
        return self.file.commit()

    def discard(self) -> None:
        self.file.discard()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class CsvSink(JsonlSink):
    """RFC 4180 CSV (UTF-8, header, minimal quoting, CRLF rows; fields with commas, quotes
    or line breaks are quoted). Null -> empty cell; booleans -> true/false."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        _Sink.__init__(self, path, columns)
        self.file = AtomicFile(path, newline="")
        self.writer = csv.writer(self.file.fh, quoting=csv.QUOTE_MINIMAL)
        self.writer.writerow(columns)

    def write(self, row: Mapping[str, Any]) -> None:
        self.writer.writerow([_csv_cell(row[c]) for c in self.columns])
        self.rows += 1

    def write_jsonl(self, data: str, rows: int) -> None:
        _Sink.write_jsonl(self, data, rows)

    def write_csv(self, data: str, rows: int) -> None:
        """Rows already serialised by :func:`csv_lines` (``rows`` of them)."""
        self.file.fh.write(data)
        self.rows += rows


def arrow_schema(columns: tuple[str, ...]) -> Any:
    import pyarrow as pa

    def typ(c: str) -> Any:
        if c in INT_COLUMNS:
            return pa.int64()
        if c in BOOL_COLUMNS:
            return pa.bool_()
        if c in FLOAT_COLUMNS:
            return pa.float64()
        return pa.string()

    return pa.schema([pa.field(c, typ(c), nullable=c in NULLABLE_COLUMNS) for c in columns])


class ParquetSink(_Sink):
    BATCH = 10_000

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        import pyarrow.parquet as pq

        super().__init__(path, columns)
        self.file = AtomicFile(path, "wb")
        self.schema = arrow_schema(columns)
        self.writer = pq.ParquetWriter(self.file.fh, self.schema)
        self.buffer: list[Mapping[str, Any]] = []

    def write(self, row: Mapping[str, Any]) -> None:
        self.buffer.append(row)
        self.rows += 1
        if len(self.buffer) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.buffer:
            self.writer.write_table(pa.Table.from_pylist(self.buffer, schema=self.schema))
            self.buffer = []

    def finish(self) -> None:
        self._flush()
        self.writer.close()
        self.file.close_temp()

    def commit(self) -> Path:
        return self.file.commit()

    def discard(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()
        self.file.discard()


_SINKS: dict[str, type[_Sink]] = {"jsonl": JsonlSink, "csv": CsvSink, "parquet": ParquetSink}


class OutputWriter:
    """Streams results into temporary files in ``out_dir``; :meth:`commit` moves them to
    their final names and writes ``manifest.json``. Leaving the ``with`` block by an
    exception (or without commit) discards everything."""

    def __init__(self, out_dir: str | Path, formats: Sequence[str] = ("jsonl",)) -> None:
        self.out_dir = Path(out_dir)
        self.formats = check_formats(formats)
        self.sinks: dict[tuple[str, str], _Sink] = {}
        try:
            for table, cols in TABLES.items():
                for fmt in self.formats:
                    path = self.out_dir / f"{table}.{fmt}"
                    self.sinks[(table, fmt)] = _SINKS[fmt](path, cols)
        except BaseException:
            self.discard()
            raise
        self.committed = False
        self.counts = {t: 0 for t in TABLES}

    def write_part(self, table: str, jsonl: str, rows: int, csv_text: str | None) -> None:
        """Append ``rows`` rows serialised by :func:`jsonl_line` (``jsonl``: a worker's part
        file), copied as they are into ``*.jsonl``, and the same rows serialised by
        :func:`csv_lines` (``csv_text``), copied into ``*.csv``; formats without serialised
        rows (parquet, or CSV when ``csv_text`` is None) are converted from ``jsonl``."""
        if not jsonl:
            return
        for fmt in self.formats:
            sink = self.sinks[(table, fmt)]
            if csv_text is not None and isinstance(sink, CsvSink):
                sink.write_csv(csv_text, rows)
            else:
                sink.write_jsonl(jsonl, rows)
        self.counts[table] += rows

    def write_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        for fmt in self.formats:
            sink = self.sinks[(table, fmt)]
            for row in rows:
                sink.write(row)
        self.counts[table] += len(rows)

    def write(self, result: Result) -> None:
        self.write_rows("entities", [e.to_dict() for e in result.entities])
        self.write_rows("triples", [t.to_dict() for t in result.triples])

    def commit(self, manifest: Mapping[str, Any] | None = None) -> dict[str, Path]:
        """Finish all files and move them into place; returns ``{file name: path}``."""
        for sink in self.sinks.values():
            sink.finish()
        (self.out_dir / MANIFEST).unlink(missing_ok=True)  # the old run is no longer whole
        written: dict[str, Path] = {}
        for sink in self.sinks.values():
            path = sink.commit()
            written[path.name] = path
        for name in output_names():  # stale outputs of an earlier run in other formats
            if name not in written and name != MANIFEST:
                (self.out_dir / name).unlink(missing_ok=True)
        if manifest is not None:
            data = {**manifest, "outputs": {n: self.counts[n.split(".")[0]] for n in written}}
            written[MANIFEST] = write_json_atomic(self.out_dir / MANIFEST, data)
        self.committed = True
        return written

    def discard(self) -> None:
        for sink in self.sinks.values():
            with contextlib.suppress(Exception):
                sink.discard()

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None or not self.committed:
            self.discard()


# -- reading back -----------------------------------------------------------------------


def _find_table(path: str | Path, table: str) -> Path:
    p = Path(path)
    if p.is_dir():
        for fmt in FORMATS:
            cand = p / f"{table}.{fmt}"
            if cand.is_file():
                return cand
        raise FileNotFoundError(f"no {table}.jsonl, {table}.csv or {table}.parquet in {p}")
    if not p.is_file():
        raise FileNotFoundError(f"no such file: {p}")
    return p


def _iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: invalid JSON: {exc.msg}") from exc


def _typed(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    for c in columns:
        if c not in df.columns:
            df[c] = pd.NA
    df = df[list(columns)]
    dtypes: dict[str, Any] = {}
    for c in columns:
        if c in INT_COLUMNS:
            dtypes[c] = "Int64"
        elif c in BOOL_COLUMNS:
            df[c] = df[c].fillna(False)
            dtypes[c] = "bool"
        elif c in FLOAT_COLUMNS:
            dtypes[c] = "float64"
        else:
            dtypes[c] = pd.StringDtype()
    return df.astype(dtypes)


def read_table(path: str | Path, table: str) -> pd.DataFrame:
    """``triples`` or ``entities`` from a ``.jsonl``/``.csv``/``.parquet`` file or an output
    folder, as a DataFrame with the schema's columns: ints ``Int64``, ``negated`` ``bool``,
    ``confidence`` ``float64``, text ``string`` (null ids and event types are ``<NA>``)."""
    import pandas as pd

    columns = TABLES[table]
    src = _find_table(path, table)
    suffix = src.suffix.lower()
    if suffix == ".parquet":
        df = pd.read_parquet(src)
    elif suffix == ".csv":
        df = pd.read_csv(src, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
        for c in df.columns:
            if c in NULLABLE_COLUMNS or c in INT_COLUMNS or c in FLOAT_COLUMNS:
                df[c] = df[c].mask(df[c] == "")
        for c in BOOL_COLUMNS & set(df.columns):
            df[c] = df[c].str.lower().map({"true": True, "false": False, "1": True, "0": False})
        for c in (INT_COLUMNS | FLOAT_COLUMNS) & set(df.columns):
            df[c] = pd.to_numeric(df[c])
    else:
        df = pd.DataFrame.from_records(list(_iter_jsonl(src)), columns=list(columns))
    return _typed(df, columns)


def read_triples(path: str | Path) -> pd.DataFrame:
    """Triples from an output folder or a ``triples.{jsonl,csv,parquet}`` file."""
    return read_table(path, "triples")


def read_entities(path: str | Path) -> pd.DataFrame:
    """Entity mentions from an output folder or an ``entities.{jsonl,csv,parquet}`` file."""
    return read_table(path, "entities")
