"""relextract.io: discovery, decoding, HTML, JSONL and every kind of bad input."""

from __future__ import annotations

import codecs
import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest

import relextract.io as rio
from relextract.io import Article, InputFile, Skipped, discover, iter_articles, read_file

ITALIAN = (
    "Il presidente è arrivato a Roma. Perché? La città è già piena di turisti, però.\n"
    "L’incontro è stato “costruttivo” — ha detto il portavoce.\n"
)


def read_one(path: Path, **kw: object) -> Article | Skipped:
    items = list(read_file(InputFile(path=path, root=path.parent), **kw))  # type: ignore[arg-type]
    assert len(items) == 1
    return items[0]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


# ------------------------------------------------------------------------------- plain text


def test_utf8_text(tmp_path: Path) -> None:
    p = write(tmp_path / "a.txt", ITALIAN)
    a = read_one(p)
    assert isinstance(a, Article)
    assert a.text == ITALIAN
    assert a.encoding == "utf-8"
    assert a.warnings == ()
    assert a.meta == {}
    assert a.doc_id == "a.txt"
    assert a.source == str(p)
    assert a.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


def test_bom_is_stripped(tmp_path: Path) -> None:
    p = write(tmp_path / "bom.txt", codecs.BOM_UTF8 + ITALIAN.encode())
    a = read_one(p)
    assert isinstance(a, Article)
    assert a.text == ITALIAN
    assert a.encoding == "utf-8-sig"
    assert a.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()  # of the raw bytes, BOM too


def test_crlf_and_cr_are_normalised(tmp_path: Path) -> None:
    p = write(tmp_path / "crlf.txt", b"Prima riga\r\nSeconda riga\rTerza riga\r\n")
    a = read_one(p)
    assert isinstance(a, Article)
    assert a.text == "Prima riga\nSeconda riga\nTerza riga\n"
    assert "\r" not in a.text


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_other_encodings_are_detected(tmp_path: Path, codec: str) -> None:
    text = ITALIAN if codec == "cp1252" else ITALIAN.replace("’", "'").replace("“", '"')
    text = text.replace("”", '"').replace("—", "-")
    p = write(tmp_path / "legacy.txt", text.encode(codec).replace(b"\n", b"\r\n"))
    a = read_one(p)
    assert isinstance(a, Article)
    assert a.text == text  # è/à/é and curly quotes come out right, not as cp1250 č/ŕ
    assert a.encoding in {"cp1252", "latin_1"}
    assert any("not UTF-8" in w for w in a.warnings)


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = write(tmp_path / "u16.txt", ITALIAN.encode("utf-16"))
    a = read_one(p)
    assert isinstance(a, Article)
    assert a.text == ITALIAN
    assert a.warnings


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t\r\n  ", "empty file"),
        (codecs.BOM_UTF8 + b"\n \n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file (NUL bytes)"),
    ],
)
def test_empty_and_binary(tmp_path: Path, data: bytes, reason: str) -> None:
    s = read_one(write(tmp_path / "bad.txt", data))
    assert isinstance(s, Skipped)
    assert s.reason == reason
    assert s.source == str(tmp_path / "bad.txt")


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    data = bytes(b for b in range(1, 32) if b not in (9, 10, 13)) * 200 + b"ciao"
    s = read_one(write(tmp_path / "ctrl.txt", data))
    assert isinstance(s, Skipped)
    assert s.reason.startswith(("binary file", "undecodable"))


def test_undecodable_bytes(tmp_path: Path) -> None:
    data = bytes(range(1, 256)) * 40
    s = read_one(write(tmp_path / "noise.txt", data))
    assert isinstance(s, Skipped)
    assert s.reason.startswith(("binary file", "undecodable"))


def test_markdown_kept_as_is(tmp_path: Path) -> None:
    md = "# Titolo\n\n*Roma* — il **vertice** di [oggi](http://x.it).\n"
    a = read_one(write(tmp_path / "n.md", md))
    assert isinstance(a, Article)
    assert a.text == md


def test_uppercase_suffix_is_supported(tmp_path: Path) -> None:
    a = read_one(write(tmp_path / "N.TXT", "Ciao a tutti."))
    assert isinstance(a, Article)


def test_max_bytes(tmp_path: Path) -> None:
    p = write(tmp_path / "big.txt", "parola " * 1000)
    s = read_one(p, max_bytes=100)
    assert isinstance(s, Skipped)
    assert s.reason.startswith("file too large (7000 bytes > --max-bytes 100")
    assert isinstance(read_one(p, max_bytes=7000), Article)


def test_unreadable_file_is_skipped_not_raised(tmp_path: Path) -> None:
    f = InputFile(path=tmp_path / "gone.txt", root=tmp_path)
    (s,) = list(read_file(f))
    assert isinstance(s, Skipped)
    assert s.reason == "not found"


def test_unsupported_suffix_in_read_file(tmp_path: Path) -> None:
    s = read_one(write(tmp_path / "x.pdf", b"%PDF-1.4"))
    assert isinstance(s, Skipped)
    assert s.reason == "unsupported file type .pdf"


# ------------------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html lang="it"><head>
<meta charset="utf-8">
<title>Vertice a Dushanbe | Notizie Esteri</title>
<meta property="og:title" content="Vertice a Dushanbe">
<meta property="og:url" content="https://example.org/esteri/vertice">
<meta name="date" content="2025-10-10">
<script>var tracking = "non deve comparire";</script>
<style>body { color: red; }</style>
</head><body>
<header><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/esteri">Esteri</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/login">Accedi</a></li>
</ul></nav></header>
<main><article>
<h1>Vertice a Dushanbe</h1>
<p>Nel vertice della CSI a Dushanbe si è svolto un atteso incontro tra il presidente azero
Ilham Aliyev e il presidente russo Vladimir Putin, secondo fonti ufficiali.</p>
<p>L'incontro è visto come un passo significativo per allentare le crescenti tensioni tra i
due paesi nell'ultimo anno, hanno spiegato gli osservatori a Baku e a Mosca.</p>
</article></main>
<aside><h3>Più letti</h3><ul><li><a href="/a">Meteo: torna il caldo</a></li></ul></aside>
<footer><p>© 2025 Example Srl — P.IVA 01234567890. Tutti i diritti riservati.</p>
<a href="/privacy">Privacy</a> <a href="/cookie">Cookie policy</a></footer>
</body></html>
"""


def test_html_main_text(tmp_path: Path) -> None:
    a = read_one(write(tmp_path / "page.html", PAGE))
    assert isinstance(a, Article)
    lines = a.text.split("\n")
    assert any(line.startswith("Nel vertice della CSI a Dushanbe") for line in lines)
    assert any(line.startswith("L'incontro è visto come") for line in lines)
    # one paragraph per line: the hard-wrapped <p> is joined
    assert "Ilham Aliyev e il presidente russo Vladimir Putin" in a.text
    for debris in ("Home", "Accedi", "Privacy", "Cookie", "diritti riservati", "tracking", "color"):
        assert debris not in a.text
    assert "\n\n" not in a.text
    assert a.meta.get("title", "").startswith("Vertice a Dushanbe")
    assert a.meta.get("url") == "https://example.org/esteri/vertice"
    assert a.meta.get("date") == "2025-10-10"


def test_html_fallback_when_trafilatura_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    a = read_one(write(tmp_path / "page.htm", PAGE))
    assert isinstance(a, Article)
    assert any("plain HTML-to-text" in w for w in a.warnings)
    lines = a.text.split("\n")
    assert "Vertice a Dushanbe" in lines
    assert any(line.startswith("Nel vertice della CSI") for line in lines)
    assert "tracking" not in a.text and "color: red" not in a.text
    assert all(line == line.strip() and line for line in lines)


def test_html_fallback_when_trafilatura_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    def boom(*a: object, **k: object) -> None:
        raise ValueError("broken")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    a = read_one(write(tmp_path / "page.html", PAGE))
    assert isinstance(a, Article)
    assert any("trafilatura failed" in w for w in a.warnings)


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    page = PAGE.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    page = page.replace("©", "(c)").replace("—", "-")
    a = read_one(write(tmp_path / "old.html", page.encode("latin-1")))
    assert isinstance(a, Article)
    assert "si è svolto" in a.text
    assert a.encoding == "cp1252"


def test_html_without_text(tmp_path: Path) -> None:
    s = read_one(write(tmp_path / "blank.html", "<html><head><title></title></head><body></body>"))
    assert isinstance(s, Skipped)
    assert s.reason.startswith("empty file")


# ------------------------------------------------------------------------------------ JSONL


def jsonl(*lines: object) -> str:
    return "".join(
        (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
    )


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    p = write(
        tmp_path / "news.jsonl",
        jsonl(
            {"id": "a1", "text": "Putin ha incontrato Aliyev.", "date": "2025-10-10"},
            '{"id": "a2", "text": "truncated',
            {"text": "Senza id.\r\nSeconda riga."},
            "",
            {"id": "a4", "title": "manca il testo"},
            {"id": "a5", "text": 42},
            [1, 2, 3],
            {"id": 7, "text": "Id numerico."},
            {"id": "a8", "text": "   "},
            {"id": "a1", "text": "Id ripetuto."},
        ),
    )
    items = list(read_file(InputFile(path=p, root=tmp_path)))
    sha = hashlib.sha256(p.read_bytes()).hexdigest()
    arts = [x for x in items if isinstance(x, Article)]
    skips = [x for x in items if isinstance(x, Skipped)]
    assert [a.doc_id for a in arts] == ["a1", "news.jsonl:3", "7", "a1"]
    assert arts[0].meta == {"date": "2025-10-10"}
    assert arts[1].text == "Senza id.\nSeconda riga."
    assert all(a.sha256 == sha and a.source == str(p) and a.encoding == "utf-8" for a in arts)
    assert any("duplicate id" in w for w in arts[3].warnings)
    reasons = {s.source: s.reason for s in skips}
    assert reasons[f"{p}:2"].startswith("malformed JSON at line 2")
    assert reasons[f"{p}:5"] == "missing 'text' field"
    assert reasons[f"{p}:6"].startswith("'text' field is not a string")
    assert reasons[f"{p}:7"] == "line 7 is not a JSON object"
    assert reasons[f"{p}:9"] == "empty 'text' field"
    assert len(skips) == 5
    # items come in line order
    order = [int(x.source.rsplit(":", 1)[1]) for x in skips]
    assert order == sorted(order)


def test_jsonl_bom_crlf_and_undecodable_line(tmp_path: Path) -> None:
    data = (
        codecs.BOM_UTF8
        + b'{"id": "x", "text": "Ciao"}\r\n'
        + '{"id": "y", "text": "Perché"}\r\n'.encode("cp1252")
        + b'{"id": "z", "text": "Fine"}\r\n'
    )
    p = write(tmp_path / "d.jsonl", data)
    items = list(read_file(InputFile(path=p, root=tmp_path)))
    assert [type(x).__name__ for x in items] == ["Article", "Skipped", "Article"]
    assert isinstance(items[1], Skipped)
    assert items[1].source == f"{p}:2"
    assert "undecodable" in items[1].reason


def test_jsonl_empty_file(tmp_path: Path) -> None:
    p = write(tmp_path / "e.jsonl", "\n\n")
    (s,) = list(read_file(InputFile(path=p, root=tmp_path)))
    assert isinstance(s, Skipped)
    assert s.reason == "empty file"


def test_jsonl_max_bytes_per_line(tmp_path: Path) -> None:
    p = write(tmp_path / "m.jsonl", jsonl({"text": "corto"}, {"text": "lungo " * 100}))
    items = list(read_file(InputFile(path=p, root=tmp_path), max_bytes=200))
    assert isinstance(items[0], Article)
    assert isinstance(items[1], Skipped)
    assert items[1].reason.startswith("line too large")


def test_jsonl_is_streamed(tmp_path: Path) -> None:
    line = json.dumps({"text": "Il presidente ha parlato a lungo. " * 150}) + "\n"  # ~5 KB
    p = tmp_path / "big.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        for _ in range(2000):  # ~10 MB
            fh.write(line)
    tracemalloc.start()
    try:
        n = 0
        for item in read_file(InputFile(path=p, root=tmp_path)):
            assert isinstance(item, Article)
            n += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert n == 2000
    assert peak < 4_000_000  # far below the file's 10 MB


# ---------------------------------------------------------------------------- discovery/ids


def make_tree(root: Path) -> None:
    write(root / "b.txt", "Bi")
    write(root / "a.txt", "A")
    write(root / "sub" / "c.md", "C")
    write(root / "sub" / "d.html", "<p>D</p>")
    write(root / "sub" / "e.jsonl", jsonl({"text": "E"}))
    write(root / "notes.pdf", b"%PDF")
    write(root / "README", "no suffix")
    write(root / ".hidden.txt", "hidden")
    write(root / ".git" / "x.txt", "hidden dir")
    write(root / "sub" / ".cache" / "y.txt", "hidden dir")


def test_single_folder(tmp_path: Path) -> None:
    make_tree(tmp_path / "in")
    files, skipped = discover([tmp_path / "in"])
    assert [f.doc_id for f in files] == ["a.txt", "b.txt", "sub/c.md", "sub/d.html", "sub/e.jsonl"]
    assert {Path(s.source).name: s.reason for s in skipped} == {
        "notes.pdf": "unsupported file type .pdf",
        "README": "unsupported file type (no suffix)",
    }


def test_single_file_and_string_input(tmp_path: Path) -> None:
    make_tree(tmp_path / "in")
    files, skipped = discover([str(tmp_path / "in" / "sub" / "c.md")])
    assert [f.doc_id for f in files] == ["c.md"]
    assert skipped == []
    files, _ = discover(str(tmp_path / "in" / "sub"))  # a bare str is one input, not characters
    assert [f.doc_id for f in files] == ["c.md", "d.html", "e.jsonl"]


def test_several_roots_are_prefixed(tmp_path: Path) -> None:
    for lang in ("en", "it"):
        write(tmp_path / "gold" / "pud" / lang / "n01001011.txt", f"{lang} text")
    files, _ = discover([tmp_path / "gold/pud/en", tmp_path / "gold/pud/it"])
    assert [f.doc_id for f in files] == ["en/n01001011.txt", "it/n01001011.txt"]
    arts = [a for a in iter_articles([tmp_path / "gold/pud/en", tmp_path / "gold/pud/it"])]
    assert [a.doc_id for a in arts if isinstance(a, Article)] == [
        "en/n01001011.txt",
        "it/n01001011.txt",
    ]


def test_several_roots_with_the_same_name(tmp_path: Path) -> None:
    write(tmp_path / "pud" / "en" / "x.txt", "x")
    write(tmp_path / "conll" / "en" / "x.txt", "x")
    write(tmp_path / "loose" / "y.txt", "y")
    files, _ = discover([tmp_path / "pud/en", tmp_path / "conll/en", tmp_path / "loose/y.txt"])
    assert [f.doc_id for f in files] == ["pud/en/x.txt", "conll/en/x.txt", "loose/y.txt"]


def test_missing_input_and_duplicates(tmp_path: Path) -> None:
    make_tree(tmp_path / "in")
    files, skipped = discover([tmp_path / "in", tmp_path / "nope", tmp_path / "in" / "a.txt"])
    assert Skipped(str(tmp_path / "nope"), "not found") in skipped
    assert sum(f.path.name == "a.txt" for f in files) == 1
    assert files[0].doc_id == "in/a.txt"


def test_iter_articles_never_raises(tmp_path: Path) -> None:
    root = tmp_path / "mess"
    write(root / "ok.txt", ITALIAN)
    write(root / "empty.txt", b"")
    write(root / "bin.txt", b"\x00\x01\x02")
    write(root / "cp.txt", ITALIAN.encode("cp1252"))
    write(root / "bad.jsonl", '{"text": "uno"}\n{oops\n{"text": "tre"}\n')
    write(root / "page.html", PAGE)
    write(root / "x.docx", b"PK\x03\x04")
    items = list(iter_articles([root, tmp_path / "missing"]))
    arts = {a.doc_id for a in items if isinstance(a, Article)}
    assert arts == {
        "mess/ok.txt",
        "mess/cp.txt",
        "mess/bad.jsonl:1",
        "mess/bad.jsonl:3",
        "mess/page.html",
    }
    assert sum(isinstance(x, Skipped) for x in items) == 5


def test_decode_bytes_api() -> None:
    assert rio.decode_bytes(b"a\r\nb") == ("a\nb", "utf-8", [])
    assert rio.decode_bytes(b"\x00abc") == "binary file (NUL bytes)"
