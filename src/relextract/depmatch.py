"""A fast dependency matcher with the semantics of spaCy's ``DependencyMatcher``.

spaCy's ``DependencyMatcher`` runs a token ``Matcher`` over the whole document for every node
of every pattern, then tries the cartesian product of the candidates of each tree. For the
relation layer's few, generic patterns ("a verb with an object") that costs more than the
parser. :class:`TreeMatcher` takes the same patterns (``RIGHT_ID`` / ``LEFT_ID`` /
``REL_OP`` / ``RIGHT_ATTRS``) and returns the same matches, in the same order for one pattern
and one tree, by walking the tree: the first node's candidates come from an index of the
document's tokens by POS, DEP or LEMMA, every further node's from its left node through the
operator.

It supports every ``REL_OP`` of spaCy 3.8 and the token attributes the rule files use
(``ORTH``/``TEXT``, ``LOWER``, ``NORM``, ``LEMMA``, ``POS``, ``TAG``, ``DEP``, ``ENT_TYPE``
as a string, ``IN`` or ``NOT_IN``; ``MORPH`` with ``IS_SUPERSET``, ``IS_SUBSET``,
``INTERSECTS``). :func:`make_matcher` returns spaCy's own matcher when a pattern asks for
anything else, so any valid pattern still works. ``tests/test_depmatch.py`` checks that both
give the same matches on random trees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from spacy.matcher import DependencyMatcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

Match = tuple[int, list[int]]

#: RIGHT_ATTRS keys -> name of the per-document column (see ``_DocIndex``)
STRING_ATTRS: dict[str, str] = {
    "ORTH": "orth",
    "TEXT": "orth",
    "LOWER": "lower",
    "NORM": "norm",
    "LEMMA": "lemma",
    "POS": "pos",
    "TAG": "tag",
    "DEP": "dep",
    "ENT_TYPE": "ent_type",
}
MORPH_PREDICATES = ("IS_SUPERSET", "IS_SUBSET", "INTERSECTS")
#: columns the first node's candidates may be looked up in, best first
INDEXED = ("lemma", "dep", "pos")
OPERATORS = frozenset(
    [
        "<",
        ">",
        "<<",
        ">>",
        ".",
        ".*",
        ";",
        ";*",
        "$+",
        "$-",
        "$++",
        "$--",
        ">+",
        ">-",
        ">++",
        ">--",
        "<+",
        "<-",
        "<++",
        "<--",
    ]
)


class UnsupportedPattern(ValueError):
    """A pattern :class:`TreeMatcher` cannot run (use spaCy's ``DependencyMatcher``)."""


# -- compiled patterns ---------------------------------------------------------------------


class _Node:
    """One pattern node: its left node's position, operator and token test."""

    __slots__ = ("allowed", "banned", "index_key", "left", "morph", "op")

    def __init__(self, attrs: Mapping[str, Any], left: int, op: str) -> None:
        self.left = left
        self.op = op
        #: column -> allowed values (equality or IN)
        self.allowed: dict[str, frozenset[str]] = {}
        #: column -> values it must not have (NOT_IN)
        self.banned: dict[str, frozenset[str]] = {}
        #: (predicate, features) on the token's morphology
        self.morph: list[tuple[str, frozenset[str]]] = []
        if not isinstance(attrs, Mapping):
            raise UnsupportedPattern(f"RIGHT_ATTRS must be a mapping, not {attrs!r}")
        for key, value in attrs.items():
            if key == "MORPH":
                self._add_morph(value)
                continue
            col = STRING_ATTRS.get(str(key))
            if col is None:
                raise UnsupportedPattern(f"attribute {key!r}")
            if isinstance(value, str):
                self._allow(col, frozenset([value]))
            elif isinstance(value, Mapping):
                for pred, vals in value.items():
                    if pred not in ("IN", "NOT_IN") or not _strings(vals):
                        raise UnsupportedPattern(f"{key}: {pred!r}")
                    if pred == "IN":
                        self._allow(col, frozenset(vals))
                    else:
                        self.banned[col] = self.banned.get(col, frozenset()) | frozenset(vals)
            else:
                raise UnsupportedPattern(f"{key}: {value!r}")
        self.index_key = next((c for c in INDEXED if c in self.allowed), None)

    def _allow(self, col: str, vals: frozenset[str]) -> None:
        self.allowed[col] = self.allowed[col] & vals if col in self.allowed else vals

    def _add_morph(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            raise UnsupportedPattern(f"MORPH: {value!r}")
        for pred, vals in value.items():
            if pred not in MORPH_PREDICATES or not _strings(vals):
                raise UnsupportedPattern(f"MORPH: {pred!r}")
            self.morph.append((pred, frozenset(vals)))

    def columns(self) -> set[str]:
        return set(self.allowed) | set(self.banned)

    def test(self, ix: _DocIndex, i: int) -> bool:
        for col, vals in self.allowed.items():
            if ix.cols[col][i] not in vals:
                return False
        for col, vals in self.banned.items():
            if ix.cols[col][i] in vals:
                return False
        if self.morph:
            feats = ix.morph(i)
            for pred, vals in self.morph:
                if pred == "IS_SUPERSET":
                    if not vals <= feats:
                        return False
                elif pred == "IS_SUBSET":
                    if not feats <= vals:
                        return False
                elif not feats & vals:  # INTERSECTS
                    return False
        return True


def _strings(vals: Any) -> bool:
    return isinstance(vals, list | tuple) and all(isinstance(v, str) for v in vals)


class _Pattern:
    __slots__ = ("nodes",)

    def __init__(self, pattern: Sequence[Mapping[str, Any]]) -> None:
        if not pattern:
            raise UnsupportedPattern("empty pattern")
        ids: dict[str, int] = {}
        nodes: list[_Node] = []
        for k, spec in enumerate(pattern):
            if not isinstance(spec, Mapping) or "RIGHT_ID" not in spec:
                raise UnsupportedPattern(f"node {k} has no RIGHT_ID")
            attrs = spec.get("RIGHT_ATTRS", {})
            if isinstance(attrs, Mapping) and "OP" in attrs:
                raise UnsupportedPattern("OP in RIGHT_ATTRS")
            if k == 0:
                if "LEFT_ID" in spec or "REL_OP" in spec:
                    raise UnsupportedPattern("the first node has LEFT_ID or REL_OP")
                nodes.append(_Node(attrs, -1, ""))
            else:
                left = ids.get(str(spec.get("LEFT_ID")))
                op = str(spec.get("REL_OP"))
                if left is None or op not in OPERATORS or spec["RIGHT_ID"] in ids:
                    raise UnsupportedPattern(f"node {k}: LEFT_ID, REL_OP or RIGHT_ID")
                nodes.append(_Node(attrs, left, op))
            ids[str(spec["RIGHT_ID"])] = k
        self.nodes = nodes


# -- one document ----------------------------------------------------------------------------


class _DocIndex:
    """The columns, tree structure and first-node indexes of one document."""

    def __init__(self, doc: Doc, columns: set[str]) -> None:
        n = len(doc)
        self.n = n
        self.doc = doc
        self.head: list[int] = [t.head.i for t in doc]
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(self.head):
            if h != i:
                self.children[h].append(i)
        # the tree root of every token, and the token range its tree spans (spaCy's _get_sent)
        root = list(range(n))
        for i in range(n):
            r, steps = i, 0
            while self.head[r] != r and steps <= n:
                r = self.head[r]
                steps += 1
            root[i] = r
        self.root = root
        self.edges: dict[int, tuple[int, int]] = {}
        for r in set(root):
            tok = doc[r]
            self.edges[r] = (tok.left_edge.i, tok.right_edge.i)
        self.cols: dict[str, list[str]] = {}
        for col in columns:
            self.cols[col] = [getattr(t, col + "_") for t in doc]
        self._morph: dict[int, frozenset[str]] = {}
        self._index: dict[str, dict[str, list[int]]] = {}

    def morph(self, i: int) -> frozenset[str]:
        got = self._morph.get(i)
        if got is None:
            s = str(self.doc[i].morph)
            got = frozenset(s.split("|")) if s else frozenset()
            self._morph[i] = got
        return got

    def by_value(self, col: str) -> dict[str, list[int]]:
        got = self._index.get(col)
        if got is None:
            got = {}
            for i, v in enumerate(self.cols[col]):
                got.setdefault(v, []).append(i)
            self._index[col] = got
        return got

    def first_candidates(self, node: _Node) -> list[int]:
        if node.index_key is None:
            cands: Iterable[int] = range(self.n)
        else:
            index = self.by_value(node.index_key)
            cands = sorted(i for v in node.allowed[node.index_key] for i in index.get(v, ()))
        return [i for i in cands if node.test(self, i)]

    def in_tree_span(self, i: int, j: int) -> bool:
        lo, hi = self.edges[self.root[i]]
        return lo <= j <= hi

    def related(self, i: int, op: str) -> list[int]:
        """Tokens in relation ``op`` to token ``i`` (spaCy's ``_ops``), ascending."""
        head, children = self.head, self.children
        if op == ">":
            return children[i]
        if op == "<":
            return [] if head[i] == i else [head[i]]
        if op == ">>":
            out: list[int] = []
            stack = list(children[i])
            while stack:
                j = stack.pop()
                out.append(j)
                stack.extend(children[j])
            return sorted(out)
        if op == "<<":
            out = []
            j = i
            while head[j] != j and len(out) <= self.n:
                j = head[j]
                out.append(j)
            return sorted(out)
        if op == ".":
            return [i + 1] if i + 1 < self.n and self.in_tree_span(i, i + 1) else []
        if op == ";":
            return [i - 1] if i > 0 and self.in_tree_span(i, i - 1) else []
        if op == ".*":
            lo, hi = self.edges[self.root[i]]
            return list(range(i + 1, hi + 1))
        if op == ";*":
            lo, hi = self.edges[self.root[i]]
            return list(range(lo, i))
        if op in ("$+", "$-", "$++", "$--"):
            sibs = children[head[i]]  # spaCy: a root's "siblings" are its own children
            if op == "$+":
                return [j for j in sibs if j == i + 1]
            if op == "$-":
                return [j for j in sibs if j == i - 1]
            if op == "$++":
                return [j for j in sibs if j > i]
            return [j for j in sibs if j < i]
        if op == ">+":
            return [j for j in children[i] if j == i + 1]
        if op == ">-":
            return [j for j in children[i] if j == i - 1]
        if op == ">++":
            return [j for j in children[i] if j > i]
        if op == ">--":
            return [j for j in children[i] if j < i]
        h = head[i]
        if op == "<+":
            return [h] if h == i + 1 else []
        if op == "<-":
            return [h] if h == i - 1 else []
        if op == "<++":
            return [h] if h > i else []
        if op == "<--":
            return [h] if h < i else []
        raise UnsupportedPattern(op)  # pragma: no cover - checked when compiling


# -- the matcher -----------------------------------------------------------------------------


class TreeMatcher:
    """``DependencyMatcher`` semantics for the supported subset (see the module docstring).

    ``matcher(doc)`` returns ``[(match_id, [token index per node]), ...]``: patterns in the
    order they were added, each pattern's matches in lexicographic order of the token indices
    (spaCy's order within one tree). As in spaCy, all nodes lie in one tree and two nodes may
    be the same token.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._patterns: list[tuple[int, _Pattern]] = []
        self._columns: set[str] = set()

    def add(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        """Add the patterns of rule ``key``; raises :class:`UnsupportedPattern`."""
        compiled = [_Pattern(p) for p in patterns]
        key_id = self.vocab.strings.add(key)
        for cp in compiled:
            self._patterns.append((key_id, cp))
            for node in cp.nodes:
                self._columns |= node.columns()

    def __len__(self) -> int:
        return len({k for k, _ in self._patterns})

    def __call__(self, doc: Doc) -> list[Match]:
        if not self._patterns or len(doc) == 0:
            return []
        ix = _DocIndex(doc, self._columns)
        out: list[Match] = []
        for key_id, pat in self._patterns:
            nodes = pat.nodes
            for first in ix.first_candidates(nodes[0]):
                tree = ix.root[first]
                for bound in _extend(ix, nodes, [first], tree):
                    out.append((key_id, bound))
        return out


def _extend(ix: _DocIndex, nodes: list[_Node], bound: list[int], tree: int) -> Iterable[list[int]]:
    k = len(bound)
    if k == len(nodes):
        yield list(bound)
        return
    node = nodes[k]
    root = ix.root
    for j in ix.related(bound[node.left], node.op):
        if root[j] != tree or not node.test(ix, j):
            continue
        bound.append(j)
        yield from _extend(ix, nodes, bound, tree)
        bound.pop()


AnyMatcher = Union[TreeMatcher, "DependencyMatcher"]


def make_matcher(
    vocab: Vocab, rules: Iterable[tuple[str, list[dict[str, Any]]]]
) -> tuple[Callable[[Doc], list[Match]], str]:
    """A matcher for ``rules`` (``(key, pattern)`` pairs, in order) and which one it is:
    ``"tree"`` (:class:`TreeMatcher`) when every pattern is supported, else ``"spacy"``."""
    rules = list(rules)
    tm = TreeMatcher(vocab)
    try:
        for key, pattern in rules:
            tm.add(key, [pattern])
    except UnsupportedPattern:
        from spacy.matcher import DependencyMatcher

        dm = DependencyMatcher(vocab)
        for key, pattern in rules:
            dm.add(key, [pattern])
        return dm, "spacy"
    return tm, "tree"
