"""Sharded runs: planning, the same output bytes whatever the number of workers, progress,
errors from worker processes."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relextract import parallel
from relextract.extract import Progress, run
from relextract.io import discover, read_file, read_jsonl_range
from relextract.pipelines import RelextractError
from scale_corpus import BLANK, make_corpus, manifest, outputs

runner = CliRunner()


def test_jsonl_is_cut_into_line_ranges(tmp_path: Path) -> None:
    d = make_corpus(tmp_path, n_txt=0, n_lines=9)
    files, _ = discover([d])
    (f,) = [f for f in files if f.kind == "jsonl"]
    units = parallel.plan_units([f], shard_docs=2, shard_bytes=1 << 20)
    assert len(units) == 5 and units[0].start == 0 and units[-1].end == f.path.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(units))
    assert [u.first_line for u in units] == [1, 3, 5, 7, 9]
    assert len({u.sha256 for u in units}) == 1 and sum(u.size for u in units) == units[-1].end
    whole = list(read_file(f))
    pieces = [
        item
        for u in units
        for item in read_jsonl_range(f, u.start, u.end or 0, u.first_line, u.sha256 or "")
    ]
    # the same articles and skip reasons (with line numbers); duplicate ids across ranges are
    # the merge's business (parallel.merge_warnings)
    assert [(a.source, getattr(a, "doc_id", None)) for a in pieces] == [
        (a.source, getattr(a, "doc_id", None)) for a in whole
    ]
    assert any(getattr(a, "reason", "").startswith("malformed JSON at line 3") for a in pieces)
    assert any(getattr(a, "doc_id", "") == "batch.jsonl:5" for a in pieces)
    # a small JSON Lines file stays one unit, read whole
    (one,) = parallel.plan_units([f], shard_docs=100, shard_bytes=1 << 20)
    assert one.end is None and one.sha256 == units[0].sha256


def test_shards_depend_on_the_input_only(tmp_path: Path) -> None:
    d = make_corpus(tmp_path, n_txt=7, n_lines=5)
    files, skipped = discover([d])
    assert [s.source.rsplit("/", 1)[-1] for s in skipped] == ["picture.png"]
    units = parallel.plan_units(files, shard_docs=3, shard_bytes=1 << 20)
    shards = parallel.make_shards(units, shard_docs=3, shard_bytes=1 << 20)
    assert [u for s in shards for u in s] == units  # contiguous, in discovery order
    assert all(sum(u.docs for u in s) <= 3 for s in shards)
    assert parallel.make_shards(units, shard_docs=3, shard_bytes=600) != shards
    assert all(len(s) == 1 or sum(u.size for u in s) <= 600 for s in
               parallel.make_shards(units, shard_docs=3, shard_bytes=600))  # fmt: skip


def test_same_bytes_whatever_the_number_of_workers(
    tmp_path: Path, no_model_env: None
) -> None:
    d = make_corpus(tmp_path, n_txt=10, n_lines=9)
    one, two = tmp_path / "one", tmp_path / "two"
    events: list[Progress] = []
    totals: list[int] = []
    s1 = run([d], one, models=BLANK, workers=1, shard_docs=3,
             on_progress=events.append, on_start=totals.append)  # fmt: skip
    assert s1.workers == 1 and s1.shards > 2
    res = runner.invoke(
        __import__("relextract.cli", fromlist=["app"]).app,
        ["run", str(d), "-o", str(two), "-m", "it=blank", "-m", "en=blank", "--workers", "2",
         "--shard-size", "3", "-q"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    m2 = json.loads((two / "manifest.json").read_text())
    assert m2["execution"]["workers"] == 2 and m2["execution"]["shards"] == s1.shards
    assert outputs(one) == outputs(two)
    assert manifest(one) == manifest(two)
    assert b"Vladimir Putin" in outputs(one)["entities.jsonl"]
    # progress: every document and input byte once, the skipped inputs named
    assert sum(e.docs for e in events) == s1.documents == 18
    assert sum(e.bytes for e in events) == totals[0] > 0
    skipped = [s for e in events for s in e.skipped]
    assert len(skipped) == 2
    assert {r.split(" ")[0] for _, r in skipped} == {"unsupported", "malformed"}
    # document order of io.discover, whatever shard did what
    ids = [json.loads(x)["doc_id"] for x in (one / "entities.jsonl").read_text().splitlines()]
    order = [f.doc_id for f in discover([d])[0]]
    firsts = list(dict.fromkeys(i if not i.startswith("j") and ":" not in i else "batch.jsonl"
                                for i in ids))  # fmt: skip
    assert firsts == [o for o in order if o in firsts]


def test_worker_failure_is_reported(tmp_path: Path, no_model_env: None) -> None:
    d = make_corpus(tmp_path, n_txt=4, n_lines=0)
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp]\nlang = \"en\"\npipeline = [\"nope\"]\n")
    with pytest.raises(RelextractError, match="E204"):
        run([d], tmp_path / "out", models={"it": "blank", "en": str(broken)}, workers=2,
            shard_docs=1)  # fmt: skip
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_bad_arguments(tmp_path: Path) -> None:
    d = make_corpus(tmp_path, n_txt=1, n_lines=0)
    with pytest.raises(RelextractError, match="E303"):
        run([d], tmp_path / "o", models=BLANK, engine="spark")
    with pytest.raises(RelextractError, match="E304"):
        run([d], tmp_path / "o", models=BLANK, workers=0)
    app = __import__("relextract.cli", fromlist=["app"]).app
    res = runner.invoke(app, ["run", str(d), "-o", str(tmp_path / "o"), "--engine", "spark"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["run", str(d), "-o", str(tmp_path / "o"), "--scheduler", "x:1"])
    assert res.exit_code == 2
    assert not (tmp_path / "o").exists()
