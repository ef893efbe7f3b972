"""relextract.depmatch.TreeMatcher gives the matches of spaCy's DependencyMatcher.

Random dependency trees (one or more per document, projective or not) with random POS, DEP,
lemma and morphology, matched with the shipped rule patterns of both languages and with
patterns that use every operator; both matchers must return the same matches, in the same
order once sorted the way the relation layer sorts them.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from relextract import rules
from relextract.depmatch import OPERATORS, TreeMatcher, UnsupportedPattern, make_matcher

POS = ["VERB", "AUX", "NOUN", "PROPN", "ADP", "DET", "ADJ", "X", "PRON", "NUM"]
DEPS = [
    "nsubj",
    "obj",
    "obl",
    "iobj",
    "nmod",
    "amod",
    "conj",
    "appos",
    "case",
    "det",
    "nsubj:pass",
    "obl:agent",
    "acl",
    "compound",
    "nmod:poss",
    "flat:name",
    "cop",
    "punct",
]
LEMMAS = ["incontrare", "meet", "base", "presidente", "di", "x", "basato"]
MORPHS = ["", "VerbForm=Part", "VerbForm=Fin|Mood=Ind", "Number=Sing|VerbForm=Part", "Mood=Cnd"]

VOCAB = Vocab()


def shipped_patterns() -> list[tuple[str, list[dict[str, Any]]]]:
    out: list[tuple[str, list[dict[str, Any]]]] = []
    seen: set[str] = set()
    for lang in ("it", "en"):
        for pr in rules.load_rules(lang).patterns:
            if pr.id not in seen:
                seen.add(pr.id)
                out.append((pr.id, pr.pattern))
    return out


def operator_patterns() -> list[tuple[str, list[dict[str, Any]]]]:
    out = []
    for k, op in enumerate(sorted(OPERATORS)):
        out.append(
            (
                f"op{k}",
                [
                    {"RIGHT_ID": "a", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "NOUN"]}}},
                    {"LEFT_ID": "a", "REL_OP": op, "RIGHT_ID": "b", "RIGHT_ATTRS": {}},
                    {
                        "LEFT_ID": "b",
                        "REL_OP": op,
                        "RIGHT_ID": "c",
                        "RIGHT_ATTRS": {"DEP": {"NOT_IN": ["punct", "det"]}},
                    },
                ],
            )
        )
    out.append(
        (
            "morph",
            [
                {"RIGHT_ID": "a", "RIGHT_ATTRS": {"MORPH": {"IS_SUPERSET": ["VerbForm=Part"]}}},
                {
                    "LEFT_ID": "a",
                    "REL_OP": ">",
                    "RIGHT_ID": "b",
                    "RIGHT_ATTRS": {"MORPH": {"IS_SUBSET": ["VerbForm=Part", "Mood=Cnd"]}},
                },
                {
                    "LEFT_ID": "a",
                    "REL_OP": "<",
                    "RIGHT_ID": "c",
                    "RIGHT_ATTRS": {
                        "MORPH": {"INTERSECTS": ["Mood=Cnd", "Mood=Ind"]},
                        "LEMMA": {"IN": ["meet", "x"]},
                        "TAG": "NN",
                    },
                },
            ],
        )
    )
    out.append(
        (
            "strings",
            [
                {"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": "presidente", "ORTH": "w1"}},
                {
                    "LEFT_ID": "a",
                    "REL_OP": ">>",
                    "RIGHT_ID": "b",
                    "RIGHT_ATTRS": {"LOWER": {"IN": ["w2", "w3"]}, "ENT_TYPE": ""},
                },
            ],
        )
    )
    return out


@st.composite
def docs(draw: st.DrawFn) -> Doc:
    n = draw(st.integers(1, 10))
    order = draw(st.permutations(list(range(n))))
    heads = list(range(n))
    for k, i in enumerate(order):
        if k and draw(st.integers(0, 5)):  # mostly attached; sometimes a new tree
            heads[i] = order[draw(st.integers(0, k - 1))]
    words = [f"w{draw(st.integers(1, 4))}" for _ in range(n)]
    return Doc(
        VOCAB,
        words=words,
        heads=heads,
        deps=[draw(st.sampled_from(DEPS)) if heads[i] != i else "ROOT" for i in range(n)],
        pos=[draw(st.sampled_from(POS)) for _ in range(n)],
        lemmas=[draw(st.sampled_from(LEMMAS)) for _ in range(n)],
        morphs=[draw(st.sampled_from(MORPHS)) for _ in range(n)],
        tags=[draw(st.sampled_from(["NN", "VB"])) for _ in range(n)],
    )


def both(patterns: list[tuple[str, list[dict[str, Any]]]]) -> tuple[TreeMatcher, Any]:
    tm = TreeMatcher(VOCAB)
    dm = DependencyMatcher(VOCAB)
    for key, pattern in patterns:
        tm.add(key, [pattern])
        dm.add(key, [pattern])
    return tm, dm


def layer_order(matches: list[Any]) -> list[tuple[int, list[int]]]:
    """The order in which the relation layer handles matches (a stable sort)."""
    return sorted(((int(k), list(t)) for k, t in matches), key=lambda m: (m[1][0], m[0]))


SHIPPED = both(shipped_patterns())
OPS = both(operator_patterns())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs())
def test_same_matches_as_spacy_for_the_shipped_patterns(doc: Doc) -> None:
    tm, dm = SHIPPED
    assert layer_order(tm(doc)) == layer_order(dm(doc))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs())
def test_same_matches_as_spacy_for_every_operator(doc: Doc) -> None:
    tm, dm = OPS
    assert layer_order(tm(doc)) == layer_order(dm(doc))


def test_a_hand_built_sentence() -> None:
    # "Aliyev ha incontrato Putin": trigger -> obj
    doc = Doc(
        VOCAB,
        words=["Aliyev", "ha", "incontrato", "Putin"],
        heads=[2, 2, 2, 2],
        deps=["nsubj", "aux", "ROOT", "obj"],
        pos=["PROPN", "AUX", "VERB", "PROPN"],
    )
    tm, _ = both(
        [
            (
                "v",
                [
                    {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"POS": "VERB"}},
                    {
                        "LEFT_ID": "trigger",
                        "REL_OP": ">",
                        "RIGHT_ID": "obj",
                        "RIGHT_ATTRS": {"DEP": "obj"},
                    },
                ],
            )
        ]
    )
    assert tm(doc) == [(VOCAB.strings["v"], [2, 3])]
    assert tm(Doc(VOCAB, words=[])) == []


@pytest.mark.parametrize(
    "pattern",
    [
        [{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LENGTH": 3}}],
        [{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": {"REGEX": "^x"}}}],
        [{"RIGHT_ID": "a", "RIGHT_ATTRS": {"POS": "NOUN", "OP": "!"}}],
        [{"RIGHT_ID": "a", "RIGHT_ATTRS": {"MORPH": "VerbForm=Part"}}],
    ],
)
def test_unsupported_patterns_fall_back_to_spacy(pattern: list[dict[str, Any]]) -> None:
    with pytest.raises(UnsupportedPattern):
        TreeMatcher(VOCAB).add("k", [pattern])
    matcher, kind = make_matcher(VOCAB, [("k", pattern)])
    assert kind == "spacy"
    assert isinstance(matcher, DependencyMatcher)


def test_the_shipped_rules_use_the_tree_matcher() -> None:
    _, kind = make_matcher(VOCAB, shipped_patterns())
    assert kind == "tree"
