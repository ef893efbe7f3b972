from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relextract import Extractor, read_entities, read_triples
from relextract.cli import app

runner = CliRunner()
BLANK_ARGS = ["--model", "it=blank", "--model", "en=blank"]


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def test_run_success(articles_dir: Path, tmp_path: Path, no_model_env: None) -> None:
    out = tmp_path / "out"
    res = invoke("run", articles_dir, "-o", out, *BLANK_ARGS, "--format", "jsonl,csv")
    assert res.exit_code == 0, res.output
    assert "documents" in res.stdout and "triples" in res.stdout
    assert "image.png" in res.stderr and "unsupported" in res.stderr  # the skipped file, named
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))  # .relextract
    assert names == [
        "entities.csv", "entities.jsonl", "manifest.json", "triples.csv", "triples.jsonl",
    ]  # fmt: skip
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["counts"]["documents"] == 4 and m["counts"]["skipped"] == 1
    assert m["skipped"][0]["source"].endswith("image.png")
    assert {f["source"].rsplit("/", 1)[-1]: f["documents"] for f in m["files"]} == {
        "en.txt": 1, "it.txt": 1, "two.jsonl": 2,
    }  # fmt: skip
    assert all(len(f["sha256"]) == 64 for f in m["files"])
    assert m["models"]["it"]["name"] == "blank" and m["models"]["en"]["name"] == "blank"
    assert set(m["languages"]) == {"it", "en"}
    assert m["languages"]["it"]["words"] > 10
    assert m["config"]["formats"] == ["jsonl", "csv"] and len(m["config_hash"]) == 16
    assert m["timings"]["words_per_second"] >= 0 and m["relextract_version"]
    assert m["outputs"] == {
        "triples.jsonl": 0, "triples.csv": 0, "entities.jsonl": m["counts"]["entities"],
        "entities.csv": m["counts"]["entities"],
    }  # fmt: skip
    assert read_triples(out).empty or set(read_triples(out)["lang"]) <= {"it", "en"}
    assert len(read_entities(out / "entities.csv")) == m["counts"]["entities"]


def test_existing_output_refused_then_force(articles_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "triples.jsonl").write_text("old\n")
    res = invoke("run", articles_dir, "-o", out, *BLANK_ARGS, "-q")
    assert res.exit_code == 1
    assert "--force" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert (out / "triples.jsonl").read_text() == "old\n"
    res = invoke("run", articles_dir, "-o", out, *BLANK_ARGS, "-q", "--force")
    assert res.exit_code == 0, res.output
    assert res.stdout == ""
    assert "1 input(s) skipped" in res.stderr
    assert (out / "manifest.json").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["run", "does/not/exist", "-o", "{out}"],
        ["run", "{in}", "-o", "{out}", "--model", "it"],
        ["run", "{in}", "-o", "{out}", "--model", "fr=blank"],
        ["run", "{in}", "-o", "{out}", "--format", "xml"],
        ["run", "{in}", "-o", "{out}", "--lang", "de"],
        ["run", "{in}", "-o", "{out}", "--min-confidence", "2"],
        ["run"],
        ["evaluate", "nope.jsonl", "{in}"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(articles_dir: Path, tmp_path: Path, args: list[str]) -> None:
    args = [
        a.replace("{in}", str(articles_dir)).replace("{out}", str(tmp_path / "o")) for a in args
    ]
    res = invoke(*args)
    assert res.exit_code == 2, res.output
    assert not (tmp_path / "o").exists()


def test_missing_model_exits_1_with_instructions(
    articles_dir: Path, tmp_path: Path, no_model_env: None
) -> None:
    res = invoke("run", articles_dir, "-o", tmp_path / "o", "--model", "it=not_a_model_pkg", "-q")
    assert res.exit_code == 1
    assert "E202" in res.stderr and "make models" in res.stderr
    assert not (tmp_path / "o" / "manifest.json").exists()


def test_out_dir_is_a_file(articles_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "file.txt"
    f.write_text("x")
    res = invoke("run", articles_dir, "-o", f, *BLANK_ARGS, "-q")
    assert res.exit_code in (1, 2)


def test_info(no_model_env: None) -> None:
    res = invoke("info", *BLANK_ARGS)
    assert res.exit_code == 0, res.output
    assert "blank" in res.stdout and "rule sets" in res.stdout
    res = invoke("info", *BLANK_ARGS, "--json")
    data = json.loads(res.stdout)
    assert [m["lang"] for m in data["models"]] == ["it", "en"]
    assert data["languages"] == ["it", "en"]


def test_evaluate_command(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "doc": "a",
                "lang": ["en"],
                "subject": ["Ann Lee"],
                "relation": "met",
                "object": ["Bo"],
                "required": True,
            }
        )
        + "\n"
    )
    pred = tmp_path / "triples.jsonl"
    pred.write_text(
        json.dumps(
            {
                "doc_id": "a.txt",
                "lang": "en",
                "subject": "Lee",
                "relation": "met",
                "object": "Bo",
                "sentence": "Lee met Bo.",
            }
        )
        + "\n"
        + json.dumps(
            {
                "doc_id": "a.txt",
                "lang": "en",
                "subject": "Bo",
                "relation": "thanked",
                "object": "Lee",
                "sentence": "Bo thanked Lee.",
            }
        )
        + "\n"
    )
    res = invoke("evaluate", gold, pred, "--errors")
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[-1] == "F1 0.667 P 0.500 R 1.000"
    assert any(ln.startswith("WRONG") and "Bo thanked Lee." in ln for ln in lines)
    res = invoke("evaluate", gold, tmp_path / "gold.jsonl.d")
    assert res.exit_code == 2  # no such path
    (tmp_path / "empty").mkdir()
    res = invoke("evaluate", gold, tmp_path / "empty")  # a folder without triples
    assert res.exit_code == 1 and "no predictions" in res.stderr


def test_rules_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = pytest.importorskip("relextract.rules")
    problem = rules.Problem("patterns/it/x.yml", 3, "unknown relation 'meet'")
    monkeypatch.setattr(rules, "validate_all", lambda: [problem])
    res = invoke("rules", "validate")
    assert res.exit_code == 1
    assert "patterns/it/x.yml:3: unknown relation 'meet'" in res.stdout
    monkeypatch.setattr(rules, "validate_all", lambda: [])
    assert invoke("rules", "validate").exit_code == 0


def test_python_dash_m(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "relextract", "--version"], capture_output=True, text=True
    )
    assert res.returncode == 0 and res.stdout.startswith("relextract ")
    res = subprocess.run([sys.executable, "-m", "relextract", "run"], capture_output=True)
    assert res.returncode == 2


def test_seed_english_headlines_are_routed_to_en(
    shared_dir: Path, tmp_path: Path, no_model_env: None
) -> None:
    seeds = sorted((shared_dir / "seeds").glob("000_*.txt"))
    if not seeds:
        pytest.skip("no Italian seed")
    out = tmp_path / "out"
    res = invoke("run", seeds[0], "-o", out, *BLANK_ARGS, "-q")
    assert res.exit_code == 0, res.output
    langs = json.loads((out / "manifest.json").read_text())["languages"]
    assert langs["it"]["segments"] >= 1 and langs["en"]["segments"] >= 2
    assert langs["it"]["words"] > 5 * langs["en"]["words"]
    text = seeds[0].read_text(encoding="utf-8")
    result = Extractor(models={"it": "blank", "en": "blank"}).extract(text)
    headlines = [
        "Cool politics, warm market: Azerbaijan-Russia trade keeps growing in 2025",
        "Plane crash in Aktau: Russia-Azerbaijan relations and the compensation dispute",
        "Multipolar world: the US, China, Russia, SCO, BRICS and peace between Azerbaijan",
    ]
    for h in headlines:
        start = text.index(h)
        seg = next(s for s in result.segments if s.start <= start < s.end)
        assert seg.lang == "en", h
    body = text.index("Nel vertice della CSI a Dushanbe")
    assert next(s for s in result.segments if s.start <= body < s.end).lang == "it"


def test_max_bytes_skips_everything_but_still_writes(articles_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = invoke("run", articles_dir, "-o", out, *BLANK_ARGS, "--max-bytes", "20")
    assert res.exit_code == 0, res.output
    m = json.loads((out / "manifest.json").read_text())
    assert m["counts"]["documents"] == 0 and m["counts"]["skipped"] == 5
    assert any("too large" in s["reason"] for s in m["skipped"])
    assert (out / "triples.jsonl").read_text() == ""


def test_run_dying_halfway_leaves_no_output(
    articles_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relextract import extract

    calls = {"n": 0}
    real = extract.Extractor._records

    def flaky(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(extract.Extractor, "_records", flaky)
    out = tmp_path / "out"
    res = invoke("run", articles_dir, "-o", out, *BLANK_ARGS, "--batch-size", "1", "-q")
    assert res.exit_code == 1
    assert "disk on fire" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert [p.name for p in out.iterdir()] == [".relextract"]  # only the resumable work


def test_output_inside_the_input_folder_is_not_read_back(articles_dir: Path) -> None:
    out = articles_dir / "out"
    for _ in range(2):
        res = invoke("run", articles_dir, "-o", out, *BLANK_ARGS, "-q", "--force")
        assert res.exit_code == 0, res.output
        m = json.loads((out / "manifest.json").read_text())
        assert m["counts"]["documents"] == 4 and m["counts"]["skipped"] == 1
