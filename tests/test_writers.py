from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from relextract import read_entities, read_triples
from relextract.extract import Result
from relextract.pipelines import RelextractError
from relextract.records import EntityRecord, TripleRecord
from relextract.schema import ENTITY_COLUMNS, TRIPLE_COLUMNS
from relextract.writers import (
    AtomicFile,
    OutputExistsError,
    OutputWriter,
    check_formats,
    prepare_out_dir,
)

TRICKY = [
    'Roma, "la capitale"',
    "line one\nline two",
    "carriage\rreturn and\r\nCRLF",
    "Aliyev–Putin: “incontro” à Dushanbe — ünïcødé 北京",
    "NA",
    "None",
    "",
    "  padded  ",
    "semi;colon\ttab",
]


def _triple(i: int, text: str) -> TripleRecord:
    return TripleRecord(
        doc_id=f"dir/{i}.txt", lang="it" if i % 2 else "en", sent_index=i, sentence=text,
        subject=text or "x", relation="met", object="Mosca", subject_text=text,
        object_text="Mosca, Russia", subject_type="PERSON", object_type="STATE",
        subject_id="Q1" if i % 2 else None, object_id=None,
        event_type="CONSULT" if i % 3 else None, trigger="incontrato", modality="reported",
        negated=bool(i % 2), confidence=i / 10, rule="it-met-1", start_char=i, end_char=i + 5,
    )  # fmt: skip


def _res(entities: list[EntityRecord], triples: list[TripleRecord]) -> Result:
    return Result(entities=entities, triples=triples)


def _entity(i: int, text: str) -> EntityRecord:
    return EntityRecord(
        doc_id=f"{i:03d}", lang="it", sent_index=i, text=text, label="PERSON",
        canonical=text.upper(), kb_id=None if i % 2 else "Q42", country="ITA" if i % 2 else None,
        start_char=10 * i, end_char=10 * i + len(text),
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_round_trip_through_read_triples(tmp_path: Path, fmt: str) -> None:
    triples = [_triple(i, t) for i, t in enumerate(TRICKY)]
    entities = [_entity(i, t) for i, t in enumerate(TRICKY)]
    with OutputWriter(tmp_path, [fmt]) as w:
        w.write(_res(entities, triples))
        w.commit({"test": True})
    df = read_triples(tmp_path / f"triples.{fmt}")
    assert list(df.columns) == list(TRIPLE_COLUMNS)
    assert len(df) == len(triples)
    for col in TRIPLE_COLUMNS:
        got = [None if pd.isna(v) else v for v in df[col].tolist()]
        assert got == [t.to_dict()[col] for t in triples], col
    assert str(df["sent_index"].dtype) == "Int64"
    assert str(df["start_char"].dtype) == "Int64"
    assert df["negated"].dtype == bool
    assert df["confidence"].dtype == "float64"
    assert isinstance(df["subject_id"].dtype, pd.StringDtype)
    assert df["subject_id"].isna().sum() == sum(t.subject_id is None for t in triples)
    ents = read_entities(tmp_path)
    assert list(ents.columns) == list(ENTITY_COLUMNS)
    assert ents["text"].tolist() == TRICKY
    assert ents["doc_id"].tolist()[0] == "000"  # ids stay strings


def test_read_from_folder_and_empty_tables(tmp_path: Path) -> None:
    with OutputWriter(tmp_path, ["csv", "jsonl"]) as w:
        w.commit()
    for fmt in ("jsonl", "csv"):
        df = read_triples(tmp_path / f"triples.{fmt}")
        assert df.empty and list(df.columns) == list(TRIPLE_COLUMNS)
    assert read_entities(tmp_path).empty
    with pytest.raises(FileNotFoundError):
        read_triples(tmp_path / "nope")


def test_csv_is_plain_csv(tmp_path: Path) -> None:
    with OutputWriter(tmp_path, ["csv"]) as w:
        w.write(_res([], [_triple(1, 'a, "b"\nc')]))
        w.commit()
    raw = (tmp_path / "triples.csv").read_bytes().decode("utf-8")
    assert raw.startswith(",".join(TRIPLE_COLUMNS) + "\r\n")
    assert '"a, ""b""\nc"' in raw
    assert ",true," in raw  # booleans as true/false, nulls as empty cells
    df = pd.read_csv(tmp_path / "triples.csv")  # what a user would do without relextract
    assert df.loc[0, "sentence"] == 'a, "b"\nc'


def test_atomic_file_discards_on_exception(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    with pytest.raises(RuntimeError), AtomicFile(target) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    with AtomicFile(target) as fh:
        fh.write("whole")
    assert target.read_text() == "whole"


def test_writer_dying_mid_run_leaves_no_final_file(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), OutputWriter(tmp_path, ["jsonl", "csv", "parquet"]) as w:
        w.write(_res([_entity(0, "A")], [_triple(0, "A")]))
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_dying_run_keeps_the_previous_complete_output(tmp_path: Path) -> None:
    with OutputWriter(tmp_path, ["jsonl"]) as w:
        w.write(_res([], [_triple(0, "old")]))
        w.commit({"run": 1})
    with pytest.raises(RuntimeError), OutputWriter(tmp_path, ["jsonl"]) as w:
        w.write(_res([], [_triple(0, "new"), _triple(1, "new")]))
        raise RuntimeError("killed")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "entities.jsonl", "manifest.json", "triples.jsonl",
    ]  # fmt: skip
    assert read_triples(tmp_path)["sentence"].tolist() == ["old"]


def test_commit_writes_manifest_last_and_removes_stale_formats(tmp_path: Path) -> None:
    with OutputWriter(tmp_path, ["jsonl", "csv"]) as w:
        w.commit({"run": 1})
    (tmp_path / "notes.txt").write_text("mine")
    with OutputWriter(tmp_path, ["jsonl"]) as w:
        w.write(_res([_entity(0, "A")], []))
        files = w.commit({"run": 2})
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["entities.jsonl", "manifest.json", "notes.txt", "triples.jsonl"]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["run"] == 2
    assert manifest["outputs"] == {"triples.jsonl": 0, "entities.jsonl": 1}
    assert set(files) == {"triples.jsonl", "entities.jsonl", "manifest.json"}


def test_prepare_out_dir(tmp_path: Path) -> None:
    out = tmp_path / "out"
    prepare_out_dir(out, force=False)  # created
    (out / ".gitkeep").write_text("")
    (out / ".triples.jsonl.abc.tmp").write_text("left by a killed run")
    prepare_out_dir(out, force=False)  # hidden files do not count
    assert not (out / ".triples.jsonl.abc.tmp").exists()
    assert (out / ".gitkeep").exists()
    (out / "triples.jsonl").write_text("")
    with pytest.raises(OutputExistsError, match="--force"):
        prepare_out_dir(out, force=False)
    prepare_out_dir(out, force=True)
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(RelextractError, match="not a folder"):
        prepare_out_dir(f, force=True)


def test_check_formats() -> None:
    assert check_formats("jsonl, CSV,jsonl") == ("jsonl", "csv")
    with pytest.raises(RelextractError, match="unknown output format"):
        check_formats(["xml"])
    with pytest.raises(RelextractError):
        check_formats("")


def test_part_rows_are_copied_byte_for_byte(tmp_path: Path) -> None:
    """Rows serialised ahead (jsonl_line / csv_lines, as workers write part files) give the
    same files as rows written one by one."""
    from relextract.writers import csv_lines, jsonl_line

    triples = [_triple(i, t) for i, t in enumerate(TRICKY)]
    entities = [_entity(i, t or "x") for i, t in enumerate(TRICKY)]
    direct, parts = tmp_path / "direct", tmp_path / "parts"
    for d in (direct, parts):
        d.mkdir()
    with OutputWriter(direct, ["jsonl", "csv"]) as w:
        w.write(_res(entities, triples))
        w.commit()
    with OutputWriter(parts, ["jsonl", "csv"]) as w:
        for table, cols, recs in (("entities", ENTITY_COLUMNS, entities),
                                  ("triples", TRIPLE_COLUMNS, triples)):  # fmt: skip
            rows = [r.to_dict() for r in recs]
            for half in (rows[:4], rows[4:]):
                w.write_part(table, "".join(jsonl_line(r, cols) for r in half), len(half),
                             csv_lines(half, cols))  # fmt: skip
        w.commit()
    for name in ("entities.jsonl", "triples.jsonl", "entities.csv", "triples.csv"):
        assert (parts / name).read_bytes() == (direct / name).read_bytes(), name
