"""Overhead of the entity layer (``relextract_entities``) per 1,000 words.

    python benchmarks/entity_layer.py [--lang it] [--model models/it|blank] [--repeat 3]
                                      [FILE ...]

Texts: the given files, else the UD PUD test sentences of the language
(``../shared/corpora/UD_<Lang>-PUD/*-test.conllu``, ``# text =`` lines, 1,000 news/wiki
sentences), processed as paragraphs of 5 sentences. The same docs are run through the
pipeline with the component disabled and enabled (``nlp.select_pipes``), ``--repeat`` times
each after a warm-up; the best time of each is kept. Reported: words, seconds with/without,
overhead per 1,000 words, the one-off cost of ``initialize()`` (matcher building), and the
entity count. Nothing is written.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

import relextract.components.entities  # noqa: F401  (registers the factory)

ROOT = Path(__file__).resolve().parents[1]
PUD = {"it": "UD_Italian-PUD/it_pud-ud-test.conllu", "en": "UD_English-PUD/en_pud-ud-test.conllu"}
COMPONENT = "relextract_entities"


def load_texts(lang: str, files: list[Path], corpora: Path) -> list[str]:
    if files:
        return [p.read_text(encoding="utf-8") for p in files]
    sents = [
        line[len("# text = "):].strip()
        for line in (corpora / PUD[lang]).read_text(encoding="utf-8").splitlines()
        if line.startswith("# text = ")
    ]
    return [" ".join(sents[i:i + 5]) for i in range(0, len(sents), 5)]


def load_pipeline(lang: str, model: str | None) -> spacy.language.Language:
    path = Path(model) if model and model != "blank" else ROOT / "models" / lang
    if model != "blank" and (path / "config.cfg").exists():
        nlp = spacy.load(path)
    else:
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, config={"lang": lang})
    return nlp


def best_time(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--lang", default="it", choices=("it", "en"))
    ap.add_argument("--model", default=None,
                    help="pipeline folder or 'blank' (default: models/<lang>)")
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    texts = load_texts(args.lang, args.files, args.corpora)
    nlp = load_pipeline(args.lang, args.model)
    t0 = time.perf_counter()
    nlp.get_pipe(COMPONENT).initialize(nlp=nlp)
    init_s = time.perf_counter() - t0

    others = [p for p in nlp.pipe_names if p != COMPONENT]
    with nlp.select_pipes(enable=others):
        docs = list(nlp.pipe(texts))  # the upstream analysis, done once
    words = sum(sum(1 for t in d if not t.is_space and not t.is_punct) for d in docs)
    layer = nlp.get_pipe(COMPONENT)

    def upstream() -> None:
        with nlp.select_pipes(enable=others):
            for _ in nlp.pipe(texts):
                pass

    def full() -> None:
        for _ in nlp.pipe(texts):
            pass

    def layer_only() -> None:
        for d in docs:
            d2 = d.copy()
            layer(d2)

    t_without = best_time(upstream, args.repeat)
    t_with = best_time(full, args.repeat)
    t_layer = best_time(layer_only, args.repeat)
    n_ents = sum(len(layer(d.copy()).ents) for d in docs)
    per_k = 1000 / max(words, 1)
    print(f"pipeline: {nlp.meta.get('name', '?')} ({', '.join(nlp.pipe_names)})")
    print(f"docs: {len(docs)}  words: {words}  entities after the layer: {n_ents}")
    print(f"initialize(): {init_s:.2f} s (once per process)")
    print(f"without {COMPONENT}: {t_without:.3f} s  ({t_without * per_k * 1000:.1f} ms/1k words)")
    print(f"with    {COMPONENT}: {t_with:.3f} s  ({t_with * per_k * 1000:.1f} ms/1k words)")
    print(f"overhead (difference): {(t_with - t_without) * per_k * 1000:.1f} ms per 1,000 words")
    print(f"overhead (layer alone on parsed docs): {t_layer * per_k * 1000:.1f} ms per 1,000 words")


if __name__ == "__main__":
    main()
