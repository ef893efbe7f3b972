"""Words per second with and without the relation rule layer (``relextract_relations``).

    python benchmarks/relation_layer.py [--lang it|en ...] [--model LANG=PATH] [--repeat 3]
                                        [--write benchmarks/RESULTS.md]

Texts: the UD PUD test sentences of each language (``../shared/corpora/UD_<Lang>-PUD``,
1,000 news/wiki sentences) in paragraphs of 5 sentences. Each language's pipeline as
``relextract run`` loads it (statistical pipeline, paragraph breaks, entity layer, relation
layer) runs over the same texts with the relation layer disabled and enabled
(``nlp.select_pipes``), ``--repeat`` times each after a warm-up; the best time of each is kept.
The layer is also timed alone on the already analysed docs. One process, one thread.
"""

from __future__ import annotations

import argparse
import datetime
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from entity_layer import best_time, load_texts  # (same folder)

from relextract.pipelines import RELATION_COMPONENT, load_pipeline

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Relation layer"


def bench(lang: str, model: str | None, corpora: Path, repeat: int) -> list[str]:
    texts = load_texts(lang, [], corpora)
    nlp = load_pipeline(lang, model)
    others = [p for p in nlp.pipe_names if p != RELATION_COMPONENT]
    with nlp.select_pipes(enable=others):
        docs = list(nlp.pipe(texts))
    words = sum(sum(1 for t in d if not t.is_space and not t.is_punct) for d in docs)
    layer = nlp.get_pipe(RELATION_COMPONENT)

    def without() -> None:
        with nlp.select_pipes(enable=others):
            for _ in nlp.pipe(texts):
                pass

    def full() -> None:
        for _ in nlp.pipe(texts):
            pass

    def alone() -> None:
        for d in docs:
            layer(d.copy())

    t_without = best_time(without, repeat)
    t_with = best_time(full, repeat)
    t_alone = best_time(alone, repeat)
    n_rel = sum(len(layer(d.copy())._.relations) for d in docs)
    name = nlp.meta.get("relextract", {}).get("model", {}).get("name") or nlp.meta.get("name")
    return [
        lang,
        str(name),
        f"{words:,}",
        f"{words / t_without:,.0f}",
        f"{words / t_with:,.0f}",
        f"{t_with / t_without:.2f}x",
        f"{t_alone * 1000 * 1000 / max(words, 1):.1f}",
        f"{n_rel:,}",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lang", action="append", choices=("it", "en"))
    ap.add_argument("--model", action="append", default=[], help="LANG=PATH_OR_NAME")
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write", type=Path, help="replace this section of a results file")
    a = ap.parse_args()
    models = dict(m.split("=", 1) for m in a.model)
    head = (
        "| lang | pipeline | words | words/s without the layer | words/s with it | time ratio "
        "| layer alone (ms / 1,000 words) | relations |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|"
    )
    rows = [bench(lang, models.get(lang), a.corpora, a.repeat) for lang in a.lang or ["it", "en"]]
    table = head + "\n" + "\n".join("| " + " | ".join(r) + " |" for r in rows)
    print(table)
    if a.write:
        cmd = "python benchmarks/relation_layer.py" + "".join(
            f" --model {k}={v}" for k, v in models.items()
        )
        text = (
            f"{SECTION}\n\n`{cmd}` ({datetime.date.today().isoformat()}; UD PUD test sentences in "
            f"paragraphs of 5, best of {a.repeat}, one process, one thread; the pipeline as "
            "`relextract run` loads it, relation layer disabled and enabled).\n\n"
            f"{table}\n"
        )
        old = a.write.read_text(encoding="utf-8") if a.write.exists() else ""
        if SECTION in old:
            start = old.index(SECTION)
            nxt = old.find("\n## ", start + len(SECTION))
            old = old[:start] + text + (old[nxt:] if nxt >= 0 else "")
        else:
            old = old.rstrip("\n") + "\n\n" + text
        a.write.write_text(old, encoding="utf-8")


if __name__ == "__main__":
    main()
