"""Scoring triples against gold files (format and rules: ``shared/spec/SCHEMA.md``, "Gold files").

The matching rules are those of the reference scorer ``shared/tools/score_triples.py`` and
must give the same numbers on the same files (``tests/test_evaluate.py`` checks it):

- a prediction belongs to document ``Path(doc_id).stem``; only documents of the gold file
  (or of ``docs``) are scored, and with ``lang`` only gold lines expressed in that language and
  predictions in that language;
- subject and object match when any of the prediction's names (canonical or text) equals any
  gold name after normalisation (accents, case, punctuation, leading articles), or is a shorter
  name inside the gold name that keeps its last word (so a PERSON's surname matches), or a
  longer name holding the whole gold name and at most three more words;
- the relation is the gold relation or one of ``alt_relations``; symmetric relations match in
  either order; ``negated`` must agree, and a hypothetical/speculative gold line is not matched
  by an asserted prediction;
- precision: matched predictions / all predictions of the scored documents; recall: required
  gold lines matched by some prediction / required gold lines.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .pipelines import RelextractError
from .schema import SYMMETRIC_RELATIONS

ARTICLES = frozenset(
    {"il", "lo", "la", "i", "gli", "le", "l", "the", "un", "una", "uno", "a", "an", "del",
     "della", "dei"}
)  # fmt: skip
_APOS = re.compile(r"[’'`]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def norm(name: Any) -> list[str]:
    """Words of a name: ASCII-folded, lower case, punctuation removed, leading articles off."""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    words = _NON_ALNUM.sub(" ", _APOS.sub(" ", s)).split()
    while words and words[0] in ARTICLES:
        words = words[1:]
    return words


def arg_match(sys_names: Iterable[Any], gold_names: Iterable[Any]) -> bool:
    gold = [g for g in (norm(n) for n in gold_names) if g]
    for sn in sys_names:
        st = norm(sn)
        if not st:
            continue
        for gt in gold:
            if st == gt:
                return True
            # a shorter system name inside the gold name, keeping the gold's head (last) word
            if len(st) < len(gt) and set(st) <= set(gt) and gt[-1] in st:
                return True
            # a longer system name holding the whole gold name and at most three words more
            if len(st) > len(gt) and " ".join(gt) in " ".join(st) and len(st) - len(gt) <= 3:
                return True
    return False


def doc_key(doc_id: Any) -> str:
    return Path(str(doc_id)).stem


def modality_ok(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    if bool(gold.get("negated", False)) != bool(pred.get("negated", False)):
        return False
    gm, pm = gold.get("modality", "asserted"), pred.get("modality", "asserted")
    return not (gm in ("hypothetical", "speculative") and pm == "asserted")


def matches(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    rels = {gold["relation"], *gold.get("alt_relations", [])}
    if pred.get("relation") not in rels or not modality_ok(gold, pred):
        return False
    ps = [x for x in (pred.get("subject"), pred.get("subject_text")) if x]
    po = [x for x in (pred.get("object"), pred.get("object_text")) if x]
    if arg_match(ps, gold["subject"]) and arg_match(po, gold["object"]):
        return True
    return (
        gold["relation"] in SYMMETRIC_RELATIONS
        and arg_match(po, gold["subject"])
        and arg_match(ps, gold["object"])
    )


# -- results --------------------------------------------------------------------------------


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    gold_lines: int = 0
    required: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 0.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def line(self) -> str:
        """The reference scorer's last line: ``F1 0.xxx P 0.xxx R 0.xxx``."""
        return f"F1 {self.f1:.3f} P {self.precision:.3f} R {self.recall:.3f}"


@dataclass
class Agreement:
    """How far the triples of parallel documents agree across two languages: ``documents``
    parallel documents scored, ``a``/``b`` distinct triples in each language, ``shared`` the
    pairs matched one to one (same relation, names matching by the gold rules either way)."""

    langs: tuple[str, str]
    documents: int = 0
    a: int = 0
    b: int = 0
    shared: int = 0

    @property
    def jaccard(self) -> float:
        union = self.a + self.b - self.shared
        return self.shared / union if union else 0.0

    def line(self) -> str:
        la, lb = self.langs
        pa = f"{self.shared / self.a:.0%}" if self.a else "-"
        pb = f"{self.shared / self.b:.0%}" if self.b else "-"
        return (
            f"{la}/{lb} agreement on {self.documents} parallel documents: {la} {self.a} "
            f"triples, {lb} {self.b}, in both {self.shared} (Jaccard {self.jaccard:.2f}; "
            f"{pa} of the {la} triples are also in {lb}, {pb} of the {lb} ones in {la})"
        )


def _same_fact(x: Mapping[str, Any], y: Mapping[str, Any]) -> bool:
    if x.get("relation") != y.get("relation") or bool(x.get("negated")) != bool(y.get("negated")):
        return False

    def names(t: Mapping[str, Any], side: str) -> list[Any]:
        return [v for v in (t.get(side), t.get(f"{side}_text")) if v]

    def both(a: str, b: str) -> bool:  # (either one's names may be the shorter)
        return (arg_match(names(x, a), names(y, b)) or arg_match(names(y, b), names(x, a)))

    if both("subject", "subject") and both("object", "object"):
        return True
    return x.get("relation") in SYMMETRIC_RELATIONS and both("subject", "object") and both(
        "object", "subject"
    )


def agreement(
    preds: Sequence[Mapping[str, Any]], docs: Iterable[str], langs: tuple[str, str] = ("it", "en")
) -> Agreement:
    """Cross-language agreement of the predictions for the documents ``docs`` (ids without
    language folder or extension: ``pud/it/n01.txt`` and ``pud/en/n01.txt`` are one parallel
    document). Each language's triples are taken once per document (subject, relation, object,
    negation) and matched one to one."""
    ag = Agreement(langs)
    by: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for p in preds:
        by[(doc_key(p.get("doc_id", "")), str(p.get("lang")))].append(p)

    def distinct(ts: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        seen: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        for t in ts:
            key = (tuple(norm(t.get("subject"))), t.get("relation"), tuple(norm(t.get("object"))),
                   bool(t.get("negated")))
            seen.setdefault(key, t)
        return list(seen.values())

    for d in dict.fromkeys(docs):
        a, b = distinct(by.get((d, langs[0]), [])), distinct(by.get((d, langs[1]), []))
        ag.documents += 1
        ag.a += len(a)
        ag.b += len(b)
        free = list(b)
        for t in a:
            hit = next((u for u in free if _same_fact(t, u)), None)
            if hit is not None:
                free.remove(hit)
                ag.shared += 1
    return ag


@dataclass
class Evaluation(Scores):
    """Overall scores plus breakdowns; ``missed`` are required gold lines no prediction
    matched, ``wrong`` are predictions that match no gold line (each with its sentence)."""

    lang: str | None = None
    per_relation: dict[str, Scores] = field(default_factory=dict)
    per_lang: dict[str, Scores] = field(default_factory=dict)
    missed: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)
    #: it/en agreement on documents expressed in both (a parallel gold set such as pud)
    agreement: Agreement | None = None


# -- loading --------------------------------------------------------------------------------


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise RelextractError(f"[E401] no gold file at {p}") from exc
    out: list[dict[str, Any]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            g = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RelextractError(f"[E402] {p}:{n}: invalid JSON: {exc.msg}") from exc
        missing = [k for k in ("doc", "subject", "relation", "object") if k not in g]
        if missing:
            raise RelextractError(f"[E403] {p}:{n}: gold line without {', '.join(missing)}")
        out.append(g)
    return out


def load_predictions(path: str | Path) -> list[dict[str, Any]]:
    """Triples from an output folder or a ``triples.{jsonl,csv,parquet}`` file, as dicts."""
    from .writers import _find_table, _iter_jsonl, read_triples

    try:
        src = _find_table(path, "triples")
    except FileNotFoundError as exc:
        raise RelextractError(f"[E404] no predictions at {path}: {exc}") from exc
    try:
        if src.suffix.lower() in (".csv", ".parquet"):
            rows = read_triples(src).astype(object).to_dict(orient="records")
            return [{str(k): (None if _is_na(v) else v) for k, v in r.items()} for r in rows]
        return list(_iter_jsonl(src))
    except ValueError as exc:
        raise RelextractError(f"[E405] {exc}") from exc


def _is_na(v: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def read_doc_ids(path: str | Path) -> list[str]:
    return [ln.strip() for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln.strip()]


# -- scoring --------------------------------------------------------------------------------


def _select(
    gold: Sequence[Mapping[str, Any]],
    preds: Sequence[Mapping[str, Any]],
    lang: str | None,
    docs: Iterable[str] | None,
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    g = [x for x in gold if not lang or lang in x.get("lang", [lang])]
    doc_set = {x["doc"] for x in g}
    if docs is not None:
        doc_set = set(docs)
        g = [x for x in g if x["doc"] in doc_set]
    p = [x for x in preds if doc_key(x.get("doc_id", "")) in doc_set]
    if lang:
        p = [x for x in p if x.get("lang", lang) == lang]
    return g, p


def score(
    gold: Sequence[Mapping[str, Any]],
    preds: Sequence[Mapping[str, Any]],
    lang: str | None = None,
    docs: Iterable[str] | None = None,
) -> Evaluation:
    """Score loaded gold lines and predictions (see the module docstring for the rules)."""
    docs = list(docs) if docs is not None else None
    g_sel, p_sel = _select(gold, preds, lang, docs)
    gold_by_doc: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for g in g_sel:
        gold_by_doc[g["doc"]].append(g)
    pred_by_doc: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for p in p_sel:
        pred_by_doc[doc_key(p.get("doc_id", ""))].append(p)

    ev = Evaluation(lang=lang, gold_lines=len(g_sel), predicted=len(p_sel))
    rel: dict[str, Scores] = defaultdict(Scores)
    for p in p_sel:
        r = rel[str(p.get("relation"))]
        r.predicted += 1
        if any(matches(g, p) for g in gold_by_doc[doc_key(p.get("doc_id", ""))]):
            ev.correct += 1
            r.correct += 1
        else:
            ev.wrong.append(dict(p))
    for g in g_sel:
        rel[g["relation"]].gold_lines += 1
        if not g.get("required", True):
            continue
        ev.required += 1
        r = rel[g["relation"]]
        r.required += 1
        if any(matches(g, p) for p in pred_by_doc[g["doc"]]):
            ev.found += 1
            r.found += 1
        else:
            ev.missed.append(dict(g))
    ev.per_relation = dict(sorted(rel.items(), key=lambda kv: (-kv[1].required, kv[0])))
    return ev


def evaluate(
    gold_path: str | Path,
    pred_path: str | Path,
    lang: str | None = None,
    docs: str | Path | Iterable[str] | None = None,
) -> Evaluation:
    """Score ``pred_path`` (output folder or triples file) against ``gold_path``.

    ``docs``: doc ids to score (a file with one id per line, or the ids), instead of the
    documents named in the gold file. The result has per-relation and per-language scores.
    """
    gold = load_gold(gold_path)
    preds = load_predictions(pred_path)
    doc_ids: list[str] | None
    if docs is None:
        doc_ids = None
    elif isinstance(docs, str | Path):
        doc_ids = read_doc_ids(docs)
    else:
        doc_ids = list(docs)
    ev = score(gold, preds, lang, doc_ids)
    langs = [lang] if lang else sorted({lg for g in gold for lg in g.get("lang", [])})
    for lg in langs:
        sub = score(gold, preds, lg, doc_ids)
        ev.per_lang[lg] = Scores(
            sub.gold_lines, sub.required, sub.found, sub.predicted, sub.correct
        )
    _attach_sentences(ev.missed, Path(gold_path), preds, lang)
    parallel = [g["doc"] for g in gold if {"it", "en"} <= set(g.get("lang", []))]
    if lang is None and parallel:
        # the scored documents (with --docs those with no gold line too), else the gold's
        ids = list(doc_ids) if doc_ids is not None else parallel
        ev.agreement = agreement(preds, ids)
    return ev


def _attach_sentences(
    missed: list[dict[str, Any]],
    gold_path: Path,
    preds: Sequence[Mapping[str, Any]],
    lang: str | None,
) -> None:
    """Give each missed gold line a ``sentence``: the input text beside the gold file
    (``<set>/<lang>/<doc>.txt``) or a predicted triple's sentence of the same document."""
    if not missed:
        return
    by_doc: dict[str, str] = {}
    for p in preds:
        if p.get("sentence"):
            by_doc.setdefault(doc_key(p.get("doc_id", "")), str(p["sentence"]))
    stem = gold_path.stem
    roots = [gold_path.parent / stem, gold_path.parent / stem.rsplit("-", 1)[0]]
    for g in missed:
        text = None
        for lg in [lang] if lang else list(g.get("lang", [])):
            for root in roots:
                f = root / str(lg) / f"{g['doc']}.txt"
                if f.is_file():
                    text = f.read_text(encoding="utf-8", errors="replace").strip()
                    break
            if text:
                break
        g["sentence"] = text or by_doc.get(g["doc"], "")
