"""Reading input: files and folders of articles -> :class:`Article` (or :class:`Skipped`).

Supported files: ``.txt``, ``.md`` (text kept as is), ``.html`` / ``.htm`` (main text extracted
with trafilatura, paragraphs separated by ``"\\n"``) and ``.jsonl`` (one article per line: an
object with a ``text`` string and an optional ``id``; other fields go to ``meta``).

Text is decoded as UTF-8 (with or without BOM); anything else is detected with
charset-normalizer (biased towards the Western code pages that Italian and English text uses)
and the article carries a warning. Newlines are normalised to ``"\\n"``; every character offset
downstream indexes :attr:`Article.text`.

Nothing here raises for a bad file: it is reported as :class:`Skipped` with a one-line reason.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

__all__ = [
    "SUFFIXES",
    "Article",
    "InputFile",
    "Skipped",
    "decode_bytes",
    "discover",
    "html_to_text",
    "iter_articles",
    "read_file",
    "read_jsonl_range",
]

#: suffix (lower case) -> kind of reader
SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}

#: a decoded text whose first SNIFF_CHARS characters hold more than this share of control
#: characters is taken for binary data
BINARY_CONTROL_SHARE = 0.05
SNIFF_CHARS = 65_536


@dataclass(frozen=True)
class Article:
    """One input document."""

    doc_id: str
    text: str
    source: str
    sha256: str
    encoding: str
    meta: dict[str, Any]
    warnings: tuple[str, ...] = ()
    #: line number in a JSON Lines file (None for other files)
    line: int | None = None


@dataclass(frozen=True)
class Skipped:
    """An input that gave no article, and why (``source`` is ``path`` or ``path:LINE``)."""

    source: str
    reason: str


@dataclass(frozen=True)
class InputFile:
    """A file to read; its document id is ``doc_prefix + path relative to root``."""

    path: Path
    root: Path
    doc_prefix: str = ""

    @property
    def doc_id(self) -> str:
        try:
            rel = self.path.relative_to(self.root).as_posix()
        except ValueError:
            rel = self.path.name
        return self.doc_prefix + rel

    @property
    def kind(self) -> str | None:
        return SUFFIXES.get(self.path.suffix.lower())


# --------------------------------------------------------------------------------------------
# discovery


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: Path) -> list[Path]:
    """Every non-hidden file under ``folder`` (hidden folders pruned), sorted by relative path."""
    found: list[tuple[str, Path]] = []

    def onerror(_err: OSError) -> None:  # unreadable sub-folder: just not listed
        return None

    for dirpath, dirnames, filenames in os.walk(folder, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        base = Path(dirpath)
        for name in filenames:
            if not _hidden(name):
                p = base / name
                found.append((p.relative_to(folder).as_posix(), p))
    found.sort(key=lambda t: t[0])
    return [p for _, p in found]


def _prefixes(dirs: list[Path]) -> list[str]:
    """Shortest distinct tails of the (resolved) input folders: ``en``, or ``pud/en`` and
    ``conll-dev/en`` when two inputs share a folder name."""
    resolved = [d.resolve() for d in dirs]
    depth = [1] * len(dirs)

    def tail(i: int) -> str:
        parts = resolved[i].parts[1:] or ("root",)
        return "/".join(parts[-depth[i] :])

    for _ in range(64):
        seen: dict[str, set[Path]] = {}
        for i in range(len(dirs)):
            seen.setdefault(tail(i), set()).add(resolved[i])
        clash = False
        for i in range(len(dirs)):
            if len(seen[tail(i)]) > 1 and depth[i] < len(resolved[i].parts):
                depth[i] += 1
                clash = True
        if not clash:
            break
    return [tail(i) + "/" for i in range(len(dirs))]


def discover(inputs: Sequence[str | Path]) -> tuple[list[InputFile], list[Skipped]]:
    """Files to read from files and folders (recursive, sorted, hidden files/folders skipped).

    Document ids are paths relative to the input: a single folder gives plain relative paths,
    a single file its file name. With several inputs each id is prefixed by the input's own
    folder name (a file's parent folder), lengthened to ``parent/name`` where two inputs share
    a name: ``gold/pud/en gold/pud/it`` -> ``en/n01001011.txt``, ``it/n01001011.txt``.
    Unsupported suffixes and missing paths come back as :class:`Skipped`; a file reached twice
    is listed once.
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    files: list[InputFile] = []
    skipped: list[Skipped] = []
    existing: list[tuple[Path, bool]] = []  # (path, is_dir)
    for inp in inputs:
        p = Path(inp)
        if p.is_dir():
            existing.append((p, True))
        elif p.is_file():
            existing.append((p, False))
        elif p.exists():
            skipped.append(Skipped(str(inp), "not a regular file"))
        else:
            skipped.append(Skipped(str(inp), "not found"))

    multi = len(inputs) > 1
    prefixes = _prefixes([p if d else p.parent for p, d in existing]) if multi else []
    seen: set[Path] = set()
    for i, (p, is_dir) in enumerate(existing):
        prefix = prefixes[i] if multi else ""
        candidates = _walk(p) if is_dir else [p]
        root = p if is_dir else p.parent
        for f in candidates:
            try:
                key = f.resolve()
            except OSError:
                key = f.absolute()
            if key in seen:
                continue
            seen.add(key)
            suffix = f.suffix.lower()
            if suffix not in SUFFIXES:
                what = suffix if suffix else "(no suffix)"
                skipped.append(Skipped(str(f), f"unsupported file type {what}"))
                continue
            files.append(InputFile(path=f, root=root, doc_prefix=prefix))
    return files, skipped


# --------------------------------------------------------------------------------------------
# decoding

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# characters expected in Italian / English text beyond ASCII
_WESTERN_OK = frozenset("àèéìíîòóùúÀÈÉÌÍÒÓÙÚçÇñÑäöüÄÖÜß’‘“”«»—–…€°•·")
# Latin code pages that charset-normalizer may pick for Western text (cp1250 for Italian...)
_LATIN_LOOKALIKES = frozenset(
    {
        "latin_1", "iso8859_15", "cp1250", "cp1254", "cp1257", "cp1258", "iso8859_2",
        "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14",
        "iso8859_16", "mac_latin2", "mac_roman", "mac_iceland", "mac_turkish", "cp437",
        "cp850", "cp852", "cp858", "cp860", "cp863", "cp865",
    }
)  # fmt: skip
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _western_score(text: str) -> int:
    """Italian/English-likeness of a decoding: expected accented letters and typographic
    punctuation minus other non-ASCII characters."""
    good = sum(text.count(c) for c in _WESTERN_OK)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return good - (non_ascii - good)


def _detect(raw: bytes) -> tuple[str, str] | None:
    """(text, codec) for non-UTF-8 bytes, or None when nothing decodes them sensibly."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        return None
    enc = best.encoding
    text = str(best)
    if enc in _LATIN_LOOKALIKES:
        # Italian text in cp1252 / latin-1 is often taken for cp1250 & co: prefer the Western
        # decoding when it reads more like Italian / English
        score = _western_score(text)
        for alt in ("cp1252", "latin_1"):
            try:
                alt_text = raw.decode(alt)
            except UnicodeDecodeError:
                continue
            alt_score = _western_score(alt_text)
            if alt_score > score:
                text, enc, score = alt_text, alt, alt_score
    return text, enc


def _declared_html_charset(raw: bytes) -> str | None:
    m = _META_CHARSET.search(raw[:4096])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # as browsers do (WHATWG encoding standard): latin-1 / ascii labels mean windows-1252
    return "cp1252" if name in {"latin_1", "iso8859-1", "ascii"} else name


def decode_bytes(raw: bytes, *, html: bool = False) -> tuple[str, str, list[str]] | str:
    """Decode file bytes: ``(text, encoding, warnings)``, or a skip reason (str).

    UTF-8 (``"utf-8"``) or UTF-8 with BOM (``"utf-8-sig"``); a UTF-16/32 BOM is honoured;
    NUL bytes or a high share of control characters mean binary; anything else is detected
    (for HTML the ``<meta charset>`` is tried first). CRLF / CR become ``"\\n"``, a BOM is
    dropped.
    """
    warnings: list[str] = []
    text: str | None = None
    encoding = ""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                return "undecodable text"
            encoding = codec
            warnings.append(f"decoded as {codec} (byte-order mark), not UTF-8")
            break
    if text is None:
        if b"\x00" in raw:
            return "binary file (NUL bytes)"
        if raw.startswith(codecs.BOM_UTF8):
            try:
                text, encoding = raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
            except UnicodeDecodeError:
                text = None
        else:
            try:
                text, encoding = raw.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text = None
    if text is None and html:
        declared = _declared_html_charset(raw)
        if declared and declared not in {"utf-8", "utf_8"}:
            try:
                text, encoding = raw.decode(declared), declared
                warnings.append(f"decoded as {declared} (declared in the page), not UTF-8")
            except (UnicodeDecodeError, LookupError):
                text = None
    if text is None:
        detected = _detect(raw)
        if detected is None:
            return "undecodable text"
        text, encoding = detected
        warnings.append(f"decoded as {encoding} (detected), not UTF-8")
    sniff = text[:SNIFF_CHARS]
    if sniff and len(_CONTROL.findall(sniff)) > BINARY_CONTROL_SHARE * len(sniff):
        return "binary file (mostly non-text)"
    return _normalise(text), encoding, warnings


# --------------------------------------------------------------------------------------------
# HTML

_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    }
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _plain_html_text(html: str) -> str:
    """Every visible text of the page, one line per block element (stdlib html.parser)."""
    parser = _TextCollector()
    parser.feed(html)
    parser.close()
    return _tidy_lines("".join(parser.parts).split("\n"))


def _tidy_lines(lines: Iterable[str]) -> str:
    out = []
    for line in lines:
        line = " ".join(line.split())
        if line:
            out.append(line)
    return "\n".join(out)


def html_to_text(html: str) -> tuple[str, dict[str, Any], list[str]]:
    """Main text of an HTML page (trafilatura), its title/date/url, and warnings; falls back to
    all visible text when trafilatura finds no main text."""
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    text = ""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html,
            include_comments=False,
            favor_recall=True,
            include_tables=True,
            with_metadata=True,
        )
    except Exception as e:  # trafilatura/lxml on odd markup: fall back below
        doc = None
        warnings.append(f"trafilatura failed ({type(e).__name__}): used plain HTML-to-text")
    if doc is not None:
        text = _tidy_lines((getattr(doc, "text", None) or "").split("\n"))
        for key in ("title", "date", "url"):
            value = getattr(doc, key, None)
            if value:
                meta[key] = value
    if not text:
        if not warnings:
            warnings.append("trafilatura found no main text: used plain HTML-to-text")
        try:
            text = _plain_html_text(html)
        except Exception:  # html.parser is lenient; this is only belt and braces
            text = ""
    return text, meta, warnings


# --------------------------------------------------------------------------------------------
# reading


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _os_reason(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "not found"
    if isinstance(e, PermissionError):
        return "permission denied"
    return f"unreadable ({e.strerror or type(e).__name__})"


def read_file(f: InputFile, *, max_bytes: int | None = None) -> Iterator[Article | Skipped]:
    """One :class:`Article` per ``.txt``/``.md``/``.html``/``.htm`` file, one per JSONL line;
    :class:`Skipped` for anything unusable. Never raises for a bad file.

    ``max_bytes`` limits the size of a text/HTML file, and of each JSONL line (a JSONL file is
    streamed line by line, whatever its size)."""
    source = str(f.path)
    kind = f.kind
    if kind is None:
        yield Skipped(source, f"unsupported file type {f.path.suffix.lower() or '(no suffix)'}")
        return
    if kind == "jsonl":
        try:
            yield from _read_jsonl(f, max_bytes)
        except OSError as e:
            yield Skipped(source, _os_reason(e))
        except Exception as e:  # last resort: a bad file must not stop a run
            yield Skipped(source, f"error reading file: {type(e).__name__}: {e}")
        return
    try:
        size = f.path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            yield Skipped(source, f"file too large ({size} bytes > --max-bytes {max_bytes})")
            return
        raw = f.path.read_bytes()
    except OSError as e:
        yield Skipped(source, _os_reason(e))
        return
    try:
        yield _article(f, raw, kind)
    except Exception as e:  # last resort: a bad file must not stop a run
        yield Skipped(source, f"error reading file: {type(e).__name__}: {e}")


def _article(f: InputFile, raw: bytes, kind: str) -> Article | Skipped:
    source = str(f.path)
    if not raw.strip():
        return Skipped(source, "empty file")
    decoded = decode_bytes(raw, html=kind == "html")
    if isinstance(decoded, str):
        return Skipped(source, decoded)
    text, encoding, warnings = decoded
    meta: dict[str, Any] = {}
    if kind == "html":
        text, meta, html_warnings = html_to_text(text)
        warnings.extend(html_warnings)
        if not text.strip():
            return Skipped(source, "empty file (no text in the HTML page)")
    elif not text.strip():
        return Skipped(source, "empty file")
    return Article(
        doc_id=f.doc_id,
        text=text,
        source=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        meta=meta,
        warnings=tuple(warnings),
    )


def read_jsonl_range(
    f: InputFile,
    start: int,
    end: int,
    first_line: int,
    sha256: str,
    *,
    max_bytes: int | None = None,
) -> Iterator[Article | Skipped]:
    """The articles of the lines of a JSON Lines file between byte offsets ``start`` and
    ``end`` (line boundaries; ``first_line`` is the number of the line at ``start``), for
    reading one big file in parallel pieces. ``sha256`` is the whole file's hash. Duplicate
    ids are not looked for (they may be in other ranges: the caller checks, with
    :attr:`Article.line`). Never raises for bad content."""
    source = str(f.path)
    try:
        yield from _read_jsonl(
            f, max_bytes, start=start, end=end, first_line=first_line, sha=sha256,
            check_duplicates=False,
        )  # fmt: skip
    except OSError as e:
        yield Skipped(source, _os_reason(e))
    except Exception as e:  # last resort: a bad file must not stop a run
        yield Skipped(source, f"error reading file: {type(e).__name__}: {e}")


def _read_jsonl(
    f: InputFile,
    max_bytes: int | None,
    *,
    start: int = 0,
    end: int | None = None,
    first_line: int = 1,
    sha: str | None = None,
    check_duplicates: bool = True,
) -> Iterator[Article | Skipped]:
    source = str(f.path)
    if sha is None:  # a first streaming pass: every article carries the file's hash
        sha = _sha256_file(f.path)
    base_id = f.doc_id
    seen_ids: dict[str, int] = {}
    any_line = False
    with f.path.open("rb") as fh:
        if start:
            fh.seek(start)
        pos = start
        for lineno, raw in enumerate(fh, start=first_line):
            if end is not None:
                if pos >= end:
                    break
                pos += len(raw)
            where = f"{source}:{lineno}"
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if not raw.strip():
                continue
            any_line = True
            if max_bytes is not None and len(raw) > max_bytes:
                yield Skipped(where, f"line too large ({len(raw)} bytes > --max-bytes {max_bytes})")
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield Skipped(where, f"undecodable text at line {lineno} (JSON Lines are UTF-8)")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield Skipped(where, f"malformed JSON at line {lineno}: {e.msg} (column {e.colno})")
                continue
            except RecursionError:
                yield Skipped(where, f"malformed JSON at line {lineno}: nested too deeply")
                continue
            if not isinstance(obj, dict):
                yield Skipped(where, f"line {lineno} is not a JSON object")
                continue
            text = obj.get("text")
            if text is None:
                yield Skipped(where, "missing 'text' field")
                continue
            if not isinstance(text, str):
                yield Skipped(where, f"'text' field is not a string ({type(text).__name__})")
                continue
            text = _normalise(text)
            if not text.strip():
                yield Skipped(where, "empty 'text' field")
                continue
            warnings: list[str] = []
            raw_id = obj.get("id")
            if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id):
                doc_id = str(raw_id)
            else:
                doc_id = f"{base_id}:{lineno}"
                if raw_id is not None:
                    warnings.append(f"unusable 'id' {raw_id!r}: id from file and line instead")
            if not check_duplicates:
                pass
            elif doc_id in seen_ids:
                warnings.append(f"duplicate id {doc_id!r} (first at line {seen_ids[doc_id]})")
            else:
                seen_ids[doc_id] = lineno
            yield Article(
                doc_id=doc_id,
                text=text,
                source=source,
                sha256=sha,
                encoding="utf-8",
                meta={k: v for k, v in obj.items() if k not in ("text", "id")},
                warnings=tuple(warnings),
                line=lineno,
            )
    if not any_line and start == 0 and end is None:
        yield Skipped(source, "empty file")


def iter_articles(
    inputs: Sequence[str | Path], *, max_bytes: int | None = None
) -> Iterator[Article | Skipped]:
    """:func:`discover` then :func:`read_file` for each file, in order (the paths discovery
    skipped come first)."""
    files, skipped = discover(inputs)
    yield from skipped
    for f in files:
        yield from read_file(f, max_bytes=max_bytes)
