"""Normalise a dependency parse to Universal Dependencies labels and structure.

Our trained pipelines and spaCy's Italian ones already use UD labels. spaCy's English
pipelines (``en_core_web_*``) use the ClearNLP label set, where prepositions head their
objects (``met -prep-> with -pobj-> Putin``) and copulas head their predicates. The relation
layer's patterns are written once, for UD, so such a parse is rewritten into a copy of the Doc
(same tokens, same indexes) with UD labels: ``dobj``->``obj``, ``nsubjpass``->``nsubj:pass``,
``prep``+``pobj``->``case``+``obl``/``nmod``, ``agent``+``pobj``->``case``+``obl:agent``,
``poss``->``nmod:poss``, ``relcl``->``acl:relcl``, ``attr``/``acomp`` of *be* -> predicate
heading a ``cop``...
"""

from __future__ import annotations

from spacy.tokens import Doc

#: ClearNLP label -> UD label (labels that need a change of structure are handled apart)
CLEAR_TO_UD: dict[str, str] = {
    "dobj": "obj",
    "nsubjpass": "nsubj:pass",
    "csubjpass": "csubj:pass",
    "auxpass": "aux:pass",
    "relcl": "acl:relcl",
    "poss": "nmod:poss",
    "dative": "iobj",
    "neg": "advmod",
    "prt": "compound:prt",
    "acomp": "xcomp",
    "oprd": "xcomp",
    "attr": "xcomp",
    "npadvmod": "obl:npmod",
    "quantmod": "advmod",
    "predet": "det:predet",
    "preconj": "cc:preconj",
    "intj": "discourse",
    "meta": "dep",
    "nn": "compound",
    "pcomp": "advcl",
    "pobj": "obl",
    "prep": "dep",
    "agent": "dep",
    "root": "ROOT",
}
#: labels that exist only in the ClearNLP scheme: one of them means the Doc needs converting
CLEAR_ONLY = frozenset(
    {
        "dobj",
        "nsubjpass",
        "csubjpass",
        "auxpass",
        "pobj",
        "prep",
        "poss",
        "attr",
        "relcl",
        "dative",
        "agent",
        "neg",
        "prt",
        "acomp",
        "oprd",
        "npadvmod",
        "pcomp",
        "quantmod",
        "predet",
        "preconj",
        "intj",
        "meta",
        "nn",
    }
)
_PREDICATIVE = frozenset({"VERB", "AUX", "ADJ", "ADV"})


def needs_conversion(doc: Doc) -> bool:
    return any(t.dep_ in CLEAR_ONLY for t in doc)


def to_ud(doc: Doc) -> Doc:
    """``doc`` itself when its labels are UD already, else a converted copy (same tokens)."""
    if not needs_conversion(doc):
        return doc
    n = len(doc)
    heads = [t.head.i for t in doc]
    labels = [t.dep_ for t in doc]
    children: list[list[int]] = [[] for _ in range(n)]
    for t in doc:
        if t.head.i != t.i:
            children[t.head.i].append(t.i)

    def child(i: int, label: str) -> int | None:
        for c in children[i]:
            if labels[c] == label:
                return c
        return None

    # prepositions: the object heads, the preposition becomes its `case`
    for t in doc:
        i = t.i
        if t.dep_ not in ("prep", "agent"):
            continue
        obj = child(i, "pobj")
        extra: list[int] = []
        if obj is None:  # multiword preposition: "according to X", "because of X"
            for c in children[i]:
                if labels[c] == "prep" and child(c, "pobj") is not None:
                    extra.append(c)
                    obj = child(c, "pobj")
                    break
        head = heads[i]
        if obj is None:
            comp = child(i, "pcomp")
            if comp is not None:  # "after meeting X": the clause heads, the preposition marks it
                heads[comp], labels[comp] = head, "advcl"
                heads[i], labels[i] = comp, "mark"
            continue
        heads[obj] = head
        if t.dep_ == "agent":
            labels[obj] = "obl:agent"
        else:
            labels[obj] = "obl" if doc[head].pos_ in _PREDICATIVE else "nmod"
        heads[i], labels[i] = obj, "case"
        for e in extra:
            heads[e], labels[e] = i, "fixed"
            for c in children[e]:
                if c != obj and heads[c] == e:
                    heads[c] = obj
        for c in children[i]:  # other dependents of the preposition ("right after X")
            if c != obj and c not in extra and heads[c] == i:
                heads[c] = obj
    # copula: "X is president of Y" -> president heads, "is" is its `cop`
    for t in doc:
        i = t.i
        if t.dep_ not in ("attr", "acomp"):
            continue
        be = heads[i]
        if be == i or doc[be].lemma_.lower() != "be":
            continue
        heads[i] = i if heads[be] == be else heads[be]
        labels[i] = labels[be]
        for c in range(n):
            if c != i and heads[c] == be and c != be:
                heads[c] = i
        heads[be], labels[be] = i, "cop"
    labels = [CLEAR_TO_UD.get(lab, lab) for lab in labels]
    return Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        heads=heads,
        deps=labels,
        pos=[t.pos_ or "X" for t in doc],
        tags=[t.tag_ for t in doc],
        lemmas=[t.lemma_ for t in doc],
        morphs=[str(t.morph) for t in doc],
    )
