"""Assemble the shipped pipeline ``models/<lang>`` from the two trained parts.

The tagger/lemmatizer/parser part and the NER part are trained on different corpora (UD
treebanks vs NER corpora), each with its own tok2vec. The NER is sourced into the parser
pipeline after ``replace_listeners`` gives it a private copy of its tok2vec, so the final
pipeline is ``tok2vec, morphologizer, trainable_lemmatizer, parser, ner`` and loads with
plain ``spacy.load`` (no relextract import needed).

Usage: python training/assemble.py it [--parse DIR] [--ner DIR] [--out models/it]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import spacy

SOURCES = {
    "it": {
        "parse": [
            ("UD_Italian-ParTUT train+dev", "CC BY-NC-SA 4.0"),
            ("UD_Italian-VIT dev+test", "CC BY-NC-SA 3.0"),
            ("UD_Italian-PoSTWITA dev+test", "CC BY-NC-SA 4.0"),
            ("UD_Italian-MarkIT train+dev+test", "CC BY 4.0"),
            ("UD_Italian-TWITTIRO train+dev+test", "CC BY-SA 4.0"),
            ("UD_Italian-ParlaMint train", "CC BY-SA 4.0"),
            ("UD_Italian-ISDT dev (model selection only)", "CC BY-NC-SA 3.0"),
        ],
        "ner": [
            (
                "KIND evalita-2023 WN (twice)/FIC/ADG train (dev for selection)",
                "CC BY-NC 4.0 / CC BY-NC-SA 4.0",
            ),
            ("WikiNEuRal it val (silver; MISC left unannotated)", "CC BY-NC-SA 4.0"),
        ],
    },
    "en": {
        "parse": [
            ("UD_English-EWT train (dev for selection)", "CC BY-SA 4.0"),
            ("UD_English-GUM dev", "CC BY-NC-SA 4.0"),
        ],
        "ner": [
            ("CoNLL-2003 train (val for selection), via WikiNEuRal", "research use"),
            ("WikiNEuRal en val (silver)", "CC BY-NC-SA 4.0"),
        ],
    },
}


def assemble(lang: str, parse_dir: Path, ner_dir: Path, out: Path, version: str) -> None:
    nlp = spacy.load(parse_dir)
    if "ner" in nlp.pipe_names:  # a shipped pipeline given as the parse part: new NER only
        nlp.remove_pipe("ner")
    ner_nlp = spacy.load(ner_dir)
    ner_nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    # the static vectors (training/vectors.py) live in the vocab: both parts must read the same
    # table; a parse part trained without vectors takes the NER part's
    pv, nv = nlp.vocab.vectors, ner_nlp.vocab.vectors
    if pv.shape != nv.shape or pv.to_bytes(exclude=["strings"]) != nv.to_bytes(exclude=["strings"]):
        if pv.shape[0] == 0:
            nlp.vocab.vectors = nv
        elif nv.shape[0] != 0:
            raise SystemExit(
                "assemble: the parse and NER parts were trained with different vectors; "
                "train both with the same training/vectors/<lang> (training/train_all.sh)"
            )
    nlp.add_pipe("ner", source=ner_nlp, name="ner", last=True)
    src = SOURCES[lang]
    n_vec, dim = nlp.vocab.vectors.shape
    meta = nlp.meta
    meta.update(
        {
            "name": f"relextract_{lang}",
            "version": version,
            "description": (
                f"relextract's {'Italian' if lang == 'it' else 'English'} pipeline: CNN tok2vec, "
                "UD morphologizer, trainable lemmatizer, UD dependency parser "
                f"and NER ({', '.join(ner_nlp.get_pipe('ner').labels)}). Trained from scratch "
                "on CPU, "
                + (
                    f"with {n_vec:,} {dim}-dimensional word2vec vectors trained on the train text "
                    "of the same corpora (training/vectors.py)."
                    if n_vec
                    else "no static vectors."
                )
            ),
            "author": "relextract developers",
            "url": "",
            "license": "CC BY-NC-SA 4.0 (inherits non-commercial terms of its training data)",
            "sources": [
                {"name": n, "license": lic, "component": comp}
                for comp in ("parse", "ner")
                for n, lic in src[comp]
            ]
            + (
                [
                    {
                        "name": "static vectors: the train text above"
                        + (
                            " + KIND Moro train (raw text)"
                            if lang == "it"
                            else " + WikiANN en train"
                        ),
                        "license": "as the texts",
                        "component": "vectors",
                    }
                ]
                if n_vec
                else []
            ),
            "notes": (
                "Several training corpora are non-commercial (NC): this model may be used for "
                "research and other non-commercial purposes only."
            ),
        }
    )
    # keep the training-time dev scores of both parts; held-out scores come from
    # benchmarks/models.py and are written to benchmarks/RESULTS.md
    perf = dict(nlp.meta.get("performance", {}))
    perf.update(
        {k: v for k, v in ner_nlp.meta.get("performance", {}).items() if k.startswith("ents")}
    )
    meta["performance"] = perf
    nlp.meta.update(meta)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"wrote {out}: {nlp.pipe_names}")
    print(json.dumps({k: v for k, v in perf.items() if not isinstance(v, dict)}, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("lang", choices=["it", "en"])
    ap.add_argument("--parse", type=Path)
    ap.add_argument("--ner", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--version", default="0.1.0")
    a = ap.parse_args()
    base = Path("training/output")
    assemble(
        a.lang,
        a.parse or base / f"{a.lang}_parse" / "model-best",
        a.ner or base / f"{a.lang}_ner" / "model-best",
        a.out or Path("models") / a.lang,
        a.version,
    )


if __name__ == "__main__":
    main()
