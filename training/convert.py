"""Convert the corpora in ``../shared/corpora`` into spaCy ``DocBin`` files.

* CoNLL-U treebanks -> docs with words, spaces, POS, morphology, lemmas, heads, deps and
  sentence starts. Multiword tokens: Italian contractions (``della`` = ``di`` + ``la``,
  ``considerarsi``) are merged into the surface token, the way spaCy's Italian tokenizer
  splits text (head, dep and POS from the subword that heads the span, lemma of the first
  content subword); English ones whose parts spell the surface (``do`` + ``n't``) stay split,
  as spaCy's English tokenizer splits them.
* NER files (token<TAB>tag or index<TAB>token<TAB>tag, IOB1/IOB2/IO, blank line between
  sentences) -> docs with entity annotation; labels not in ``keep_labels`` become *missing*
  (no training signal) rather than O.

Usage: python training/convert.py --corpora ../shared/corpora --out training/corpus
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "»", "”", "'s", "n't"}
NO_SPACE_AFTER = {"(", "[", "{", "«", "“", "$"}


# --------------------------------------------------------------------------- CoNLL-U


def _sentences(path: Path) -> Iterator[list[list[str]]]:
    block: list[list[str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                if block:
                    yield block
                block = []
            elif not line.startswith("#"):
                block.append(line.split("\t"))
    if block:
        yield block


def conllu_sentence_to_doc(vocab: Vocab, rows: list[list[str]], lang: str) -> Doc | None:
    """One sentence -> Doc; None if the sentence cannot be represented."""
    words_rows = {r[0]: r for r in rows if r[0].isdigit()}
    mwt = {}
    for r in rows:
        if "-" in r[0]:
            a, b = (int(x) for x in r[0].split("-"))
            mwt[a] = (b, r)
    # token units: list of (surface, space_after, [word ids])
    units: list[tuple[str, bool, list[int]]] = []
    i = 1
    n = len(words_rows)
    while i <= n:
        if i in mwt:
            b, r = mwt[i]
            ids = list(range(i, b + 1))
            parts = [words_rows[str(k)][1] for k in ids]
            space = "SpaceAfter=No" not in r[9]
            if lang == "en" and "".join(parts) == r[1]:
                for k, part in zip(ids, parts, strict=True):
                    units.append((part, space if k == b else False, [k]))
            else:
                units.append((r[1], space, ids))
            i = b + 1
        else:
            r = words_rows[str(i)]
            units.append((r[1], "SpaceAfter=No" not in r[9], [i]))
            i += 1
    word2unit = {w: u for u, (_, _, ids) in enumerate(units) for w in ids}
    words, spaces, pos, morphs, lemmas, heads, deps = [], [], [], [], [], [], []
    for surface, space, ids in units:
        idset = set(ids)
        # the subword whose head lies outside the unit heads it (first one if several)
        head_word = next(
            (
                k
                for k in ids
                if words_rows[str(k)][6] == "0" or int(words_rows[str(k)][6]) not in idset
            ),
            ids[0],
        )
        hr = words_rows[str(head_word)]
        first = words_rows[str(ids[0])]
        words.append(surface)
        spaces.append(space)
        pos.append(first[3] if len(ids) > 1 and first[3] in ("ADP", "VERB", "AUX") else hr[3])
        morphs.append("" if hr[5] == "_" else hr[5])
        lemma = first[2] if first[3] in ("ADP", "VERB", "AUX") else hr[2]
        lemmas.append(surface if lemma == "_" else lemma)
        head = int(hr[6])
        if head == 0:
            heads.append(len(heads))
            deps.append("ROOT")
        else:
            heads.append(word2unit[head])
            dep = hr[7]
            deps.append(dep)
    if not words:
        return None
    # a unit may end up headed by itself when its subwords point to each other only
    for k, h in enumerate(heads):
        if h == k and deps[k] != "ROOT":
            deps[k] = "dep"
            heads[k] = next((j for j, d in enumerate(deps) if d == "ROOT"), k)
    if sum(1 for d in deps if d == "ROOT") != 1:
        return None
    spaces[-1] = False  # Doc.from_docs puts a space between sentences
    sent_starts = [True] + [False] * (len(words) - 1)
    try:
        return Doc(
            vocab,
            words=words,
            spaces=spaces,
            pos=pos,
            morphs=morphs,
            lemmas=lemmas,
            heads=heads,
            deps=deps,
            sent_starts=sent_starts,
        )
    except Exception:
        return None


def read_conllu(paths: Iterable[Path], lang: str, vocab: Vocab) -> list[Doc]:
    docs = []
    for p in paths:
        for rows in _sentences(p):
            d = conllu_sentence_to_doc(vocab, rows, lang)
            if d is not None:
                docs.append(d)
    return docs


def group(docs: list[Doc], n: int) -> list[Doc]:
    return [Doc.from_docs(docs[i : i + n]) for i in range(0, len(docs), n)]


# --------------------------------------------------------------------------- NER


def _ner_sentences(path: Path) -> Iterator[list[tuple[str, str]]]:
    sent: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("# ") or (line.startswith("#\t") and len(line.split("\t")) == 1):
                continue
            parts = line.split("\t")
            if len(parts) == 2:
                tok, tag = parts
            elif len(parts) >= 3:
                tok, tag = parts[1], parts[2]
            else:
                tok, tag = "", ""
            tag = tag.strip() or "O"
            if not tok.strip():
                if sent:
                    yield sent
                sent = []
                continue
            if tok == "-DOCSTART-":
                continue
            sent.append((tok, tag))
    if sent:
        yield sent


def _spaces(words: list[str]) -> list[bool]:
    out = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        sp = nxt is not None
        if w.endswith(("'", "’")) and len(w) > 1:
            sp = False
        if w in NO_SPACE_AFTER:
            sp = False
        if nxt is not None and (nxt in NO_SPACE_BEFORE or nxt.startswith("'")):
            sp = False
        out.append(sp)
    return out


def ner_sentence_to_doc(vocab: Vocab, sent: list[tuple[str, str]], keep_labels: set[str]) -> Doc:
    words = [t for t, _ in sent]
    doc = Doc(vocab, words=words, spaces=_spaces(words))
    spans, missing = [], []
    start, label = None, None
    tags = [t for _, t in sent] + ["O"]
    for i, tag in enumerate(tags):
        prefix, _, lab = tag.partition("-")
        if tag == "O" or not lab:
            prefix, lab = "O", ""
        begins = prefix in ("B", "S", "U") or (prefix in ("I", "E") and lab != label)
        if start is not None and (prefix == "O" or begins):
            span = Span(doc, start, i, label=label)
            (spans if label in keep_labels else missing).append(span)
            start, label = None, None
        if prefix != "O" and start is None:
            start, label = i, lab
    doc.set_ents(spans, missing=missing, default="outside")
    return doc


def read_ner(
    paths: Iterable[Path], vocab: Vocab, keep: set[str], limit: int | None = None
) -> list[Doc]:
    docs: list[Doc] = []
    for p in paths:
        for n, sent in enumerate(_ner_sentences(p), start=1):
            docs.append(ner_sentence_to_doc(vocab, sent, keep))
            if limit and n >= limit:
                break
    return docs


# --------------------------------------------------------------------------- main

UD = "{c}/UD_{name}/{file}"


def _ud(c: Path, name: str, *files: str) -> list[Path]:
    return [c / f"UD_{name}" / f for f in files]


def build(corpora: Path, out: Path, seed: int = 0) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    c = corpora
    vocab = Vocab()

    def save(name: str, docs: list[Doc], n: int = 10, shuffle: bool = False) -> None:
        docs = group(docs, n) if n > 1 else docs
        if shuffle:
            rng.shuffle(docs)
        DocBin(docs=docs, store_user_data=False).to_disk(out / f"{name}.spacy")
        print(f"{name}: {len(docs)} docs, {sum(len(d) for d in docs)} tokens")

    # ---- Italian treebanks: every split marked 'train' in corpora/README.md
    it_train = (
        _ud(c, "Italian-ParTUT", "it_partut-ud-train.conllu", "it_partut-ud-dev.conllu")
        + _ud(c, "Italian-VIT", "it_vit-ud-dev.conllu", "it_vit-ud-test.conllu")
        + _ud(c, "Italian-PoSTWITA", "it_postwita-ud-dev.conllu", "it_postwita-ud-test.conllu")
        + _ud(
            c,
            "Italian-MarkIT",
            "it_markit-ud-train.conllu",
            "it_markit-ud-dev.conllu",
            "it_markit-ud-test.conllu",
        )
        + _ud(
            c,
            "Italian-TWITTIRO",
            "it_twittiro-ud-train.conllu",
            "it_twittiro-ud-dev.conllu",
            "it_twittiro-ud-test.conllu",
        )
        + _ud(c, "Italian-ParlaMint", "it_parlamint-ud-train.conllu")
    )
    save("it_ud_train", read_conllu(it_train, "it", vocab), shuffle=True)
    save("it_ud_dev", read_conllu(_ud(c, "Italian-ISDT", "it_isdt-ud-dev.conllu"), "it", vocab))
    for name, files in {
        "it_ud_test_isdt": _ud(c, "Italian-ISDT", "it_isdt-ud-test.conllu"),
        "it_ud_test_partut": _ud(c, "Italian-ParTUT", "it_partut-ud-test.conllu"),
        "it_ud_test_parlamint": _ud(c, "Italian-ParlaMint", "it_parlamint-ud-test.conllu"),
        "it_ud_test_pud": _ud(c, "Italian-PUD", "it_pud-ud-test.conllu"),
    }.items():
        save(name, read_conllu(files, "it", vocab))

    # ---- English treebanks
    en_train = _ud(c, "English-EWT", "en_ewt-ud-train.conllu") + _ud(
        c, "English-GUM", "en_gum-ud-dev.conllu"
    )
    save("en_ud_train", read_conllu(en_train, "en", vocab), shuffle=True)
    save("en_ud_dev", read_conllu(_ud(c, "English-EWT", "en_ewt-ud-dev.conllu"), "en", vocab))
    for name, files in {
        "en_ud_test_ewt": _ud(c, "English-EWT", "en_ewt-ud-test.conllu"),
        "en_ud_test_gum": _ud(c, "English-GUM", "en_gum-ud-test.conllu"),
        "en_ud_test_pud": _ud(c, "English-PUD", "en_pud-ud-test.conllu"),
    }.items():
        save(name, read_conllu(files, "en", vocab))

    # ---- Italian NER: PER ORG LOC (KIND has no MISC: WikiNEuRal's MISC becomes missing)
    kind = c / "KIND" / "evalita-2023"
    wn = c / "WikiNEuRal" / "data"
    it_ner = {"PER", "ORG", "LOC"}
    save(
        "it_ner_train",
        read_ner(
            # news (WN, the domain of the KIND test we target) twice; Moro's writings left
            # out so that news is not a minority of the training text
            [
                kind / "WN_train.tsv",
                kind / "WN_train.tsv",
                kind / "FIC_train.tsv",
                kind / "ADG_train.tsv",
                wn / "wikineural/it/val.conllu",
            ],
            vocab,
            it_ner,
        ),
        shuffle=True,
    )
    save(
        "it_ner_dev",
        read_ner([kind / "WN_dev.tsv", kind / "FIC_dev.tsv", kind / "ADG_dev.tsv"], vocab, it_ner),
    )
    save("it_ner_test_kind_wn", read_ner([kind / "WN_test.tsv"], vocab, it_ner))
    save(
        "it_ner_test_kind_all",
        read_ner(
            [kind / "WN_test.tsv", kind / "FIC_test.tsv", kind / "ADG_test.tsv"], vocab, it_ner
        ),
    )
    save("it_ner_test_wikineural", read_ner([wn / "wikineural/it/test.conllu"], vocab, it_ner))

    # ---- English NER: PER ORG LOC MISC
    en_ner = {"PER", "ORG", "LOC", "MISC"}
    save(
        "en_ner_train",
        read_ner([wn / "conll/en/train.conllu", wn / "wikineural/en/val.conllu"], vocab, en_ner),
        shuffle=True,
    )
    save("en_ner_dev", read_ner([wn / "conll/en/val.conllu"], vocab, en_ner))
    save("en_ner_test_conll", read_ner([wn / "conll/en/test.conllu"], vocab, en_ner))
    save("en_ner_test_wikineural", read_ner([wn / "wikineural/en/test.conllu"], vocab, en_ner))
    uner = c / "UNER_English-EWT"
    if (uner / "en_ewt-ud-test.iob2").exists():
        save(
            "en_ner_test_uner",
            read_ner([uner / "en_ewt-ud-test.iob2"], vocab, {"PER", "ORG", "LOC"}),
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpora", type=Path, default=Path("../shared/corpora"))
    ap.add_argument("--out", type=Path, default=Path("training/corpus"))
    a = ap.parse_args()
    build(a.corpora, a.out)


if __name__ == "__main__":
    main()
