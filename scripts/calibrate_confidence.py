#!/usr/bin/env python3
"""Calibrate the relation layer's confidence per rule on the dev gold.

Run the extractor over the dev inputs first, e.g.::

    relextract run ../shared/gold/pud/en ../shared/gold/pud/it ../shared/gold/conll-dev/en \
        ../shared/gold/it-dev/it -o /tmp/dev --force
    python scripts/calibrate_confidence.py /tmp/dev/triples.jsonl

Every predicted triple of a dev document is marked correct or wrong with the matching rules of
``relextract.evaluate`` (those of ``shared/tools/score_triples.py``); pud counts only its dev
half (``pud-dev-ids.txt``). Then, per rule id (the part of a triple's ``rule`` before the first
``+``), confidence = smoothed precision: ``(correct + k * prior) / (n + k)`` with the prior of
the file's ``priors`` section (hand-set, never rewritten: the script is idempotent; a rule seen
a few times moves little). A factor (``+pro_drop``,
``+possessor``...) is the smoothed precision of the triples that used it divided by that of
their rules. Languages with enough triples of a rule that differ get a ``by_lang`` entry.
The file ``resources/patterns/confidence.yml`` is rewritten (``--dry-run`` prints it).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from relextract import evaluate, rules

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "gold"
OUT = REPO / "src/relextract/resources/patterns/confidence.yml"
#: (gold file, doc ids file or None)
DEV_SETS = {
    "pud": ("pud-dev.jsonl", "pud-dev-ids.txt"),
    "conll-dev": ("conll-dev.jsonl", None),
    "it-dev": ("it-dev.jsonl", None),
}


def judge(preds: list[dict[str, Any]], gold_dir: Path) -> list[tuple[dict[str, Any], bool]]:
    """(prediction, correct) for every prediction that falls in a dev document."""
    out: list[tuple[dict[str, Any], bool]] = []
    for gold_file, ids_file in DEV_SETS.values():
        gold = evaluate.load_gold(gold_dir / gold_file)
        docs = {g["doc"] for g in gold}
        if ids_file:
            docs = set(evaluate.read_doc_ids(gold_dir / ids_file))
        by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for g in gold:
            by_doc[g["doc"]].append(g)
        for p in preds:
            doc = evaluate.doc_key(p.get("doc_id", ""))
            if doc not in docs:
                continue
            lang = p.get("lang")
            cands = [g for g in by_doc[doc] if lang in g.get("lang", [lang])]
            out.append((p, any(evaluate.matches(g, p) for g in cands)))
    return out


def smooth(correct: int, n: int, prior: float, k: float) -> float:
    return (correct + k * prior) / (n + k)


def calibrate(
    judged: list[tuple[dict[str, Any], bool]], k: float, min_lang: int
) -> tuple[dict[str, Any], list[str]]:
    current = yaml.safe_load(OUT.read_text(encoding="utf-8")) or {}
    priors = current.get("priors") or {
        "rules": dict(current.get("rules") or {}),
        "factors": dict(current.get("factors") or {}),
    }
    default = float(current.get("default", 0.5))
    prior_rules: dict[str, float] = priors.get("rules") or {}
    prior_factors: dict[str, float] = priors.get("factors") or {}
    ids = sorted({p.id for lang in rules.LANGS for p in rules.load_rules(lang).patterns})
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    stats_lang: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    fstats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    fbase: dict[str, list[float]] = defaultdict(list)
    for p, ok in judged:
        parts = str(p.get("rule") or "").split("+")
        rid, factors = parts[0], parts[1:]
        if rid.endswith(".open"):
            continue
        stats[rid][0] += ok
        stats[rid][1] += 1
        stats_lang[(rid, str(p.get("lang")))][0] += ok
        stats_lang[(rid, str(p.get("lang")))][1] += 1
        for f in factors:
            fstats[f][0] += ok
            fstats[f][1] += 1
            fbase[f].append(rid)  # type: ignore[arg-type]
    new_rules: dict[str, float] = {}
    report: list[str] = []
    for rid in ids:
        c, n = stats.get(rid, [0, 0])
        prior = float(prior_rules.get(rid, default))
        val = round(smooth(c, n, prior, k), 3)
        new_rules[rid] = val
        report.append(f"{rid:28} {c:3}/{n:<3} prior {prior:.2f} -> {val:.3f}")
    by_lang: dict[str, dict[str, float]] = {}
    for (rid, lang), (c, n) in sorted(stats_lang.items()):
        if n < min_lang or rid not in new_rules or lang not in rules.LANGS:
            continue
        val = round(smooth(c, n, new_rules[rid], k), 3)
        if abs(val - new_rules[rid]) >= 0.05:
            by_lang.setdefault(lang, {})[rid] = val
            report.append(f"  {lang} {rid:25} {c:3}/{n:<3} -> {val:.3f}")
    new_factors: dict[str, float] = {}
    for f, prior in sorted(prior_factors.items()):
        c, n = fstats.get(f, [0, 0])
        if n:
            rule_prec = sum(new_rules.get(str(r), default) for r in fbase[f]) / n
            ratio = smooth(c, n, prior * rule_prec, k) / max(rule_prec, 1e-6)
            val = round(min(1.0, max(0.3, ratio)), 3)
        else:
            val = prior
        new_factors[f] = val
        report.append(f"factor {f:20} {c:3}/{n:<3} prior {prior:.2f} -> {val:.3f}")
    data = {
        "source": f"calibrated by scripts/calibrate_confidence.py on the dev gold, {date.today()}",
        "default": default,
        "rules": new_rules,
        "factors": new_factors,
        "priors": {"rules": prior_rules, "factors": prior_factors},
    }
    if by_lang:
        data["by_lang"] = by_lang
    return data, report


HEADER = """\
# Confidence of each rule (patterns/*/*.yml ids) and multiplicative factors for the
# inference steps a triple needed (rule "verb.obj+pro_drop" = rules[verb.obj] * factors[pro_drop]).
# Written by scripts/calibrate_confidence.py: smoothed precision of each rule on the dev gold
# (pud dev half, conll-dev, it-dev), with the previous values as priors.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pred", nargs="+", type=Path, help="triples.jsonl from `relextract run`")
    ap.add_argument("--gold-dir", type=Path, default=GOLD)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--k", type=float, default=4.0, help="prior weight (pseudo-count)")
    ap.add_argument("--min-lang", type=int, default=8, help="triples for a by_lang entry")
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args(argv)
    preds: list[dict[str, Any]] = []
    for f in a.pred:
        preds += evaluate.load_predictions(f)
    judged = judge(preds, a.gold_dir)
    if not judged:
        print("no prediction falls in a dev document: run `relextract run` on the dev inputs")
        return 1
    data, report = calibrate(judged, a.k, a.min_lang)
    text = HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    print("\n".join(report), file=sys.stderr)
    if a.dry_run:
        print(text)
        return 0
    a.out.write_text(text, encoding="utf-8")
    print(f"wrote {a.out} ({len(judged)} triples judged)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
