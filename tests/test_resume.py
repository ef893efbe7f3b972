"""Resumable and incremental runs: interrupted runs finish without duplicates or losses,
changed / new / deleted inputs, other options, `run --resume OUT`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from relextract import extract, parallel
from relextract.cli import app
from relextract.extract import run
from scale_corpus import BLANK, article, execution, make_corpus, manifest, outputs

runner = CliRunner()


@pytest.fixture(autouse=True)
def _fixed_code_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Edits to the rules in this checkout while a test runs must not look like a new
    version of relextract (which, rightly, resumes nothing)."""
    monkeypatch.setattr(parallel, "code_fingerprint", lambda: "test")


def _parts(out: Path) -> list[str]:
    return sorted(p.name for p in (out / ".relextract" / "parts").iterdir())


def _fail_after(monkeypatch: pytest.MonkeyPatch, n: int) -> None:  # (a MonkeyPatch.context())
    """The n-th document processed (in this process) raises."""
    calls = {"n": 0}
    real = extract.Extractor._records

    def flaky(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == n:
            raise RuntimeError("power cut")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(extract.Extractor, "_records", flaky)


def test_resume_after_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_model_env: None
) -> None:
    d = make_corpus(tmp_path)
    clean = tmp_path / "clean"
    run([d], clean, models=BLANK, workers=1, shard_docs=3)
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as mp, pytest.raises(RuntimeError, match="power cut"):
        _fail_after(mp, 8)  # in the third shard
        run([d], out, models=BLANK, workers=1, shard_docs=3, batch_size=1)
    assert not (out / "manifest.json").exists() and not (out / "triples.jsonl").exists()
    assert len([p for p in _parts(out) if p.endswith(".json")]) == 2  # two shards journaled
    summary = run([d], out, models=BLANK, workers=1, shard_docs=3, resume=True)
    # two shards: lines 1-3 (one malformed) and 4-6 of batch.jsonl
    assert summary.reused_documents == 5 and summary.processed_documents == 13
    assert outputs(out) == outputs(clean)
    assert manifest(out) == manifest(clean)
    ex = execution(out)
    assert ex["resume"] and ex["reused_documents"] == 5 and ex["processed_documents"] == 13
    # nothing left to do: nothing processed, nothing loaded, the same bytes
    again = run([d], out, models=BLANK, workers=2, shard_docs=3, resume=True)
    assert again.processed_documents == 0 and again.shards == 0
    assert outputs(out) == outputs(clean)


_KILLED_RUN = """
import sys, time
from relextract import extract, parallel
parallel.code_fingerprint = lambda: "test"
real = extract.Extractor._records
def slow(self, *a, **k):
    time.sleep(0.15)
    return real(self, *a, **k)
extract.Extractor._records = slow
extract.run([sys.argv[1]], sys.argv[2], models={"it": "blank", "en": "blank"}, workers=1,
            shard_docs=2, batch_size=1)
"""


def test_resume_after_kill_9(tmp_path: Path, no_model_env: None) -> None:
    d = make_corpus(tmp_path)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_RUN, str(d), str(out)])
    parts = out / ".relextract" / "parts"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if parts.is_dir() and len(list(parts.glob("*.json"))) >= 2:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "manifest.json").exists()
    finished = {p.name.split(".")[0] for p in parts.glob("*.json")}
    assert 2 <= len(finished) < 9
    summary = run([d], out, models=BLANK, workers=1, shard_docs=2, resume=True)
    assert summary.reused_documents >= 3 and summary.documents == 18
    clean = tmp_path / "clean"
    run([d], clean, models=BLANK, workers=1)
    assert outputs(out) == outputs(clean)  # no duplicates, nothing lost
    assert manifest(out) == manifest(clean)
    assert not [p for p in parts.iterdir() if p.name.endswith(".tmp")]


def test_changed_new_and_deleted_inputs(tmp_path: Path, no_model_env: None) -> None:
    d = make_corpus(tmp_path)
    out = tmp_path / "out"
    run([d], out, models=BLANK, workers=1, shard_docs=4)
    before = _parts(out)
    (d / "doc001.txt").write_text("Joe Biden visited Kyiv.\n", encoding="utf-8")  # changed
    (d / "doc000.txt").unlink()  # deleted
    (d / "doc100.txt").write_text(article(7), encoding="utf-8")  # new
    (d / "sub" / "doc050.txt").write_text(article(8), encoding="utf-8")  # new, elsewhere
    summary = run([d], out, models=BLANK, workers=1, shard_docs=4, resume=True)
    assert summary.processed_documents == 3 and summary.reused_documents == 16
    fresh = tmp_path / "fresh"
    run([d], fresh, models=BLANK, workers=1)
    assert outputs(out) == outputs(fresh)
    assert manifest(out) == manifest(fresh)
    ents = (out / "entities.jsonl").read_text(encoding="utf-8")
    assert '"doc000.txt"' not in ents and '"Joe Biden"' in ents
    assert _parts(out) != before  # the shard of the deleted / changed files was replaced
    # a changed JSON Lines file is processed again, all its ranges
    with (d / "batch.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "j99", "text": article(3)}) + "\n")
    summary = run([d], out, models=BLANK, workers=1, shard_docs=4, resume=True)
    assert summary.processed_documents == 9 and summary.reused_documents == 11
    run([d], fresh, models=BLANK, workers=1, force=True)
    assert outputs(out) == outputs(fresh)


def test_other_options_or_models_are_not_reused(tmp_path: Path, no_model_env: None) -> None:
    d = make_corpus(tmp_path)
    out = tmp_path / "out"
    run([d], out, models=BLANK, workers=1)
    s = run([d], out, models=BLANK, workers=1, lang="en", resume=True)
    assert s.reused_documents == 0 and s.processed_documents == 18
    s = run([d], out, models=BLANK, workers=1, lang="en", resume=True)
    assert s.reused_documents == 18
    # formats and batch size do not change records: reused
    s = run([d], out, models=BLANK, workers=1, lang="en", resume=True, formats=["jsonl"],
            batch_size=5)  # fmt: skip
    assert s.reused_documents == 18 and not (out / "triples.csv").exists()
    # without --resume, a run starts afresh (and --force is needed for a non-empty OUT_DIR)
    s = run([d], out, models=BLANK, workers=1, lang="en", force=True)
    assert s.reused_documents == 0


def test_failed_resume_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_model_env: None
) -> None:
    d = make_corpus(tmp_path)
    out = tmp_path / "out"
    run([d], out, models=BLANK, workers=1)
    old = {**outputs(out), "manifest.json": (out / "manifest.json").read_bytes()}
    for i in range(3):
        (d / f"new{i}.txt").write_text(article(i), encoding="utf-8")
    _fail_after(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        run([d], out, models=BLANK, workers=1, resume=True, batch_size=1)
    assert {**outputs(out), "manifest.json": (out / "manifest.json").read_bytes()} == old


def test_cli_resume_out_dir(tmp_path: Path, no_model_env: None) -> None:
    d = make_corpus(tmp_path)
    out = tmp_path / "out"
    args = ["run", str(d), "-o", str(out), "-m", "it=blank", "-m", "en=blank", "--lang", "it"]
    res = runner.invoke(app, [*args, "--format", "jsonl", "-q", "-j", "1"])
    assert res.exit_code == 0, res.output
    (d / "extra.txt").write_text(article(1), encoding="utf-8")
    res = runner.invoke(app, ["run", "--resume", str(out), "-j", "1"])  # inputs, options: saved
    assert res.exit_code == 0, res.output
    m = json.loads((out / "manifest.json").read_text())
    assert m["config"]["lang"] == "it" and m["config"]["formats"] == ["jsonl"]
    assert m["execution"]["processed_documents"] == 1 and m["counts"]["documents"] == 19
    assert "19" in res.stdout
    # the same with INPUT -o OUT --resume
    res = runner.invoke(app, [*args, "--format", "jsonl", "--resume", "-q"])
    assert res.exit_code == 0, res.output
    assert json.loads((out / "manifest.json").read_text())["execution"]["processed_documents"] == 0
    # a folder without a run to resume is taken as input
    res = runner.invoke(app, ["run", "--resume", str(tmp_path / "nothing")])
    assert res.exit_code == 2
