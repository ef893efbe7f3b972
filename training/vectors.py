"""Train static word vectors for one language from the *train* text of the corpora.

The text is the tokens of the training corpora that `training/convert.py` wrote
(`<lang>_ud_train.spacy`, `<lang>_ner_train.spacy`) plus raw text marked *train* in
`../shared/corpora/README.md` that no component is trained on (Italian: KIND's Moro writings;
English: WikiANN train). No select or held-out split is read. The vectors (word2vec skip-gram,
`gensim`) are written as a spaCy vectors directory that the configs load with
`[initialize] vectors`; the tok2vec layers then use them as static features
(`include_static_vectors = true`).

Usage: python training/vectors.py it   (needs `pip install gensim`; `make models` does it)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from spacy.tokens import DocBin
from spacy.vocab import Vocab

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert import _ner_sentences


def _docbin_sentences(path: Path) -> Iterator[list[str]]:
    vocab = Vocab()
    for doc in DocBin().from_disk(path).get_docs(vocab):
        for sent in doc.sents if doc.has_annotation("SENT_START") else [doc[:]]:
            words = [t.text for t in sent if not t.is_space]
            if words:
                yield words


def _raw_sentences(path: Path) -> Iterator[list[str]]:
    for sent in _ner_sentences(path):
        words = [w for w, _ in sent]
        if words:
            yield words


def sentences(lang: str, corpus: Path, corpora: Path) -> list[list[str]]:
    out: list[list[str]] = []
    for name in (f"{lang}_ud_train.spacy", f"{lang}_ner_train.spacy"):
        out.extend(_docbin_sentences(corpus / name))
    extra = {
        "it": [corpora / "KIND" / "dataset" / "moro_train.tsv"],
        "en": [corpora / "WikiNEuRal" / "data" / "wikiann" / "en" / "train.conllu"],
    }[lang]
    for p in extra:
        if p.exists():
            out.extend(_raw_sentences(p))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lang", choices=["it", "en"])
    ap.add_argument("--corpus", type=Path, default=Path("training/corpus"))
    ap.add_argument("--corpora", type=Path, default=Path("../shared/corpora"))
    ap.add_argument("--out", type=Path, default=None, help="default training/vectors/<lang>")
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    try:
        from gensim.models import Word2Vec
    except ImportError:
        sys.exit("training/vectors.py needs gensim: pip install gensim")
    out = args.out or Path("training/vectors") / args.lang
    sents = sentences(args.lang, args.corpus, args.corpora)
    n_tokens = sum(len(s) for s in sents)
    print(f"{args.lang}: {len(sents)} sentences, {n_tokens} tokens of train text")
    model = Word2Vec(
        sents,
        vector_size=args.dim,
        window=5,
        min_count=args.min_count,
        sg=1,
        negative=10,
        epochs=args.epochs,
        workers=1,
        seed=args.seed,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    txt = out.parent / f"{args.lang}.w2v.txt"
    model.wv.save_word2vec_format(str(txt))
    print(f"{len(model.wv)} vectors of {args.dim} dimensions -> {txt}")
    subprocess.run(
        [sys.executable, "-m", "spacy", "init", "vectors", args.lang, str(txt), str(out)],
        check=True,
    )


if __name__ == "__main__":
    main()
