"""Small synthetic corpora for the parallel / resume / Dask tests (blank pipelines: the
gazetteer still finds entities, so the output files are not empty)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BLANK = {"it": "blank", "en": "blank"}
EN = [
    "Vladimir Putin met Ilham Aliyev in Dushanbe on Thursday.",
    "The United States and Russia discussed the PEACE Act in Washington.",
    "Azerbaijan thanked Turkey for its support during the summit.",
    "NATO officials criticised Iran after the talks in Geneva.",
]
IT = [
    "Il presidente russo Vladimir Putin ha incontrato Ilham Aliyev a Dushanbe.",
    "L'Azerbaigian ha ringraziato la Turchia per il sostegno durante il vertice.",
    "La Russia e gli Stati Uniti hanno discusso a Ginevra della crisi in Ucraina.",
    "Il ministro degli Esteri italiano ha visitato Baku e Ankara la settimana scorsa.",
]


def article(i: int) -> str:
    """A few paragraphs, Italian or English first, the other language in a later one."""
    first, second = (IT, EN) if i % 2 else (EN, IT)
    paras = [
        " ".join(first[(i + k) % 4] for k in range(2)),
        first[(i + 2) % 4],
        second[i % 4] + " " + second[(i + 1) % 4],
    ]
    return "\n\n".join(paras) + "\n"


def make_corpus(root: Path, n_txt: int = 10, n_lines: int = 9) -> Path:
    """``root/in``: ``n_txt`` text files (one in a sub-folder), a JSON Lines file with
    ``n_lines`` lines (one malformed, one without id, a duplicate id), an unsupported file."""
    d = root / "in"
    (d / "sub").mkdir(parents=True)
    for i in range(n_txt):
        target = d / "sub" if i == 3 else d
        (target / f"doc{i:03d}.txt").write_text(article(i), encoding="utf-8")
    lines: list[str] = []
    for j in range(n_lines):
        obj: dict[str, Any] = {"id": f"j{j}", "text": article(100 + j)}
        if j == 2:
            lines.append("{not json")
            continue
        if j == 4:
            obj.pop("id")
        if j == 6:
            obj["id"] = "j1"
        lines.append(json.dumps(obj, ensure_ascii=False))
    (d / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    return d


OUTPUTS = ("entities.jsonl", "triples.jsonl", "entities.csv", "triples.csv")
#: manifest keys that may differ between runs of the same input
VOLATILE = {"created", "command", "timings", "execution"}


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def manifest(out: Path) -> dict[str, Any]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k not in VOLATILE}


def execution(out: Path) -> dict[str, Any]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return dict(data["execution"])
