"""One very large article through ``relextract run``: time, peak memory, and a check that
nothing was truncated.

The article (one ``.txt`` file, paragraphs of sentences sampled from
``../shared/gold/*/{it,en}/*.txt``, Italian and English paragraphs mixed) is written to a
temporary folder (never kept), run with ``relextract run -j 1`` in a subprocess, and checked:

- the run succeeds and the article is not skipped;
- every entity and triple record slices back out of the article
  (``text[start_char:end_char] == text``);
- records reach the end of the article (the last 1 % of it has entities), so it was not cut;
- the number of words counted equals the words of the article.

Usage::

    python benchmarks/big_article.py --mb 50 --blank      # 50 MB, tokeniser-only pipelines
    python benchmarks/big_article.py --mb 5               # 5 MB, the bundled models
    python benchmarks/big_article.py --mb 5 --write benchmarks/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from throughput import REPO, sentences  # the same sentence pool (benchmarks/ is on sys.path)


def make_article(path: Path, mb: float, seed: int = 5) -> int:
    rng = random.Random(seed)
    pools = {"it": sentences("it"), "en": sentences("en")}
    target = int(mb * 2**20)
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < target:
            lang = "it" if rng.random() < 0.6 else "en"
            para = " ".join(rng.sample(pools[lang], rng.randint(2, 6))) + "\n\n"
            fh.write(para)
            size += len(para.encode("utf-8"))
    return size


def peak_rss(pid: int, stop: threading.Event, out: list[int]) -> None:
    import psutil

    proc = psutil.Process(pid)
    peak = 0
    while not stop.is_set():
        try:
            rss = proc.memory_info().rss + sum(
                c.memory_info().rss for c in proc.children(recursive=True)
            )
            peak = max(peak, rss)
        except psutil.Error:
            pass
        stop.wait(0.1)
    out.append(peak)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=50.0, help="size of the article in MiB")
    ap.add_argument("--blank", action="store_true", help="tokeniser-only pipelines")
    ap.add_argument("--write", type=Path, help="append/replace this run's line in the file")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="rx-big-"))
    try:
        src = tmp / "in"
        src.mkdir()
        article = src / "big.txt"
        nbytes = make_article(article, args.mb)
        text = article.read_text(encoding="utf-8")
        out = tmp / "out"
        models = []
        if args.blank:
            models = ["--model", "it=blank", "--model", "en=blank"]
        cmd = [sys.executable, "-m", "relextract", "run", str(src), "-o", str(out), "-j", "1",
               "-q", "--format", "jsonl", *models]  # fmt: skip
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stderr=subprocess.PIPE)
        stop = threading.Event()
        got: list[int] = []
        th = threading.Thread(target=peak_rss, args=(proc.pid, stop, got), daemon=True)
        th.start()
        _, err = proc.communicate()
        wall = time.perf_counter() - t0
        stop.set()
        th.join()
        if proc.returncode != 0:
            raise SystemExit(f"run failed ({proc.returncode}):\n{err.decode()}")
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        counts = manifest["counts"]
        problems: list[str] = []
        if counts["skipped"] or counts["documents"] != 1:
            problems.append(f"documents {counts['documents']}, skipped {counts['skipped']}")
        last_end = 0
        n_ent = n_tri = 0
        for name in ("entities.jsonl", "triples.jsonl"):
            with (out / name).open(encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    if name == "entities.jsonl":
                        n_ent += 1
                        last_end = max(last_end, rec["end_char"])
                        if text[rec["start_char"] : rec["end_char"]] != rec["text"]:
                            problems.append(f"entity offsets {rec['start_char']}")
                    else:
                        n_tri += 1
                        if not 0 <= rec["start_char"] < rec["end_char"] <= len(text):
                            problems.append(f"triple offsets {rec['start_char']}")
        if last_end < 0.99 * len(text):
            problems.append(f"last entity ends at {last_end:,} of {len(text):,} characters")
        words = len(re.findall(r"\w+", text))
        verdict = "all offsets slice back"
        if problems:
            verdict = "PROBLEMS: " + "; ".join(problems[:5])
        line = (
            f"- {nbytes / 2**20:.0f} MiB article ({len(text):,} characters, about {words:,} "
            f"words; {'blank pipelines' if args.blank else 'models/it, models/en'}): "
            f"{wall:.0f} s wall, peak RSS {got[0] / 2**20:,.0f} MiB, "
            f"{counts['words']:,} words processed, {n_ent:,} entities, {n_tri:,} triples, "
            f"last entity ends {len(text) - last_end:,} characters before the end; "
            f"{verdict}"
            f" (`python benchmarks/big_article.py {' '.join(sys.argv[1:])}`, "
            f"{time.strftime('%Y-%m-%d')})"
        )
        print(line)
        if args.write:
            write_line(args.write, line, args.blank)
        if problems:
            raise SystemExit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_line(path: Path, line: str, blank: bool) -> None:
    """Keep one line per pipeline kind under ``## Large articles`` in ``path``."""
    text = path.read_text(encoding="utf-8")
    head = "## Large articles"
    intro = (
        f"{head}\n\nOne article of many MiB (issue #2: processed in chunks, not truncated, "
        "without running out of memory); `benchmarks/big_article.py`.\n\n"
    )
    if head not in text:
        text = text.rstrip("\n") + "\n\n" + intro
    start = text.index(head)
    m = re.search(r"^## ", text[start + len(head) :], flags=re.M)
    end = start + len(head) + m.start() if m else len(text)
    section = text[start:end]
    kind = "blank pipelines" if blank else "models/it, models/en"
    kept = [ln for ln in section.splitlines() if ln.startswith("- ") and kind not in ln]
    body = intro + "\n".join(sorted([*kept, line])) + "\n"
    text = text[:start] + body + ("\n" + text[end:] if end < len(text) else "")
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
