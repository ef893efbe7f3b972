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
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

Match = tuple[int, list[int]]

#: RIGHT_ATTRS keys -> spaCy attribute (``Doc.to_array``) of the column
STRING_ATTRS: dict[str, str] = {
    "ORTH": "ORTH",
    "TEXT": "ORTH",
    "LOWER": "LOWER",
    "NORM": "NORM",
    "LEMMA": "LEMMA",
    "POS": "POS",
    "TAG": "TAG",
    "DEP": "DEP",
    "ENT_TYPE": "ENT_TYPE",
}
MORPH_PREDICATES = ("IS_SUPERSET", "IS_SUBSET", "INTERSECTS")
#: columns the candidates of a node may be looked up in, best first
INDEXED = ("LEMMA", "ORTH", "LOWER", "NORM", "DEP", "TAG", "POS", "ENT_TYPE")
#: every REL_OP of spaCy 3.8's DependencyMatcher (the rule validator checks patterns against it)
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


class _Test:
    """The token test of one node's ``RIGHT_ATTRS``, on ``Doc.to_array`` values.

    Nodes with the same attributes share one test (so one set of passing tokens per document).
    """

    __slots__ = ("allowed", "banned", "index_col", "key", "morph", "slot")

    def __init__(self, attrs: Mapping[str, Any], vocab: Vocab) -> None:
        if not isinstance(attrs, Mapping):
            raise UnsupportedPattern(f"RIGHT_ATTRS must be a mapping, not {attrs!r}")
        #: column -> allowed values (equality or IN)
        allowed: dict[str, frozenset[int]] = {}
        #: column -> values it must not have (NOT_IN)
        banned: dict[str, frozenset[int]] = {}
        #: (predicate, features) on the token's morphology
        morph: list[tuple[str, frozenset[str]]] = []
        for key, value in attrs.items():
            if key == "MORPH":
                morph.extend(_morph_tests(value))
                continue
            col = STRING_ATTRS.get(str(key))
            if col is None:
                raise UnsupportedPattern(f"attribute {key!r}")
            if isinstance(value, str):
                value = {"IN": [value]}
            if not isinstance(value, Mapping):
                raise UnsupportedPattern(f"{key}: {value!r}")
            for pred, vals in value.items():
                if pred not in ("IN", "NOT_IN") or not _strings(vals):
                    raise UnsupportedPattern(f"{key}: {pred!r}")
                ids = frozenset(_value_id(col, v, vocab) for v in vals)
                if pred == "IN":
                    allowed[col] = allowed[col] & ids if col in allowed else ids
                else:
                    banned[col] = banned.get(col, frozenset()) | ids
        self.allowed = allowed
        self.banned = banned
        self.morph = morph
        self.index_col = next((c for c in INDEXED if c in allowed), None)
        self.key = (
            tuple(sorted((c, tuple(sorted(v))) for c, v in allowed.items())),
            tuple(sorted((c, tuple(sorted(v))) for c, v in banned.items())),
            tuple(sorted((p, tuple(sorted(v))) for p, v in morph)),
        )
        #: position of this test's passing set in a document's cache (set by the matcher)
        self.slot = -1

    def columns(self) -> set[str]:
        return set(self.allowed) | set(self.banned)

    def passing(self, ix: _DocIndex) -> frozenset[int]:
        """Indices of the tokens of ``ix``'s document that pass."""
        cols = ix.cols
        if self.index_col is None:
            out: list[int] = list(range(ix.n))
        else:
            index = ix.by_value(self.index_col)
            out = [i for v in self.allowed[self.index_col] for i in index.get(v, ())]
        for c, vals in self.allowed.items():
            if c != self.index_col and out:
                col = cols[c]
                out = [i for i in out if col[i] in vals]
        for c, vals in self.banned.items():
            if out:
                col = cols[c]
                out = [i for i in out if col[i] not in vals]
        if self.morph and out:
            out = [i for i in out if self._morph_ok(ix.morph(i))]
        return frozenset(out)

    def _morph_ok(self, feats: frozenset[str]) -> bool:
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


def _morph_tests(value: Any) -> list[tuple[str, frozenset[str]]]:
    if not isinstance(value, Mapping):
        raise UnsupportedPattern(f"MORPH: {value!r}")
    out = []
    for pred, vals in value.items():
        if pred not in MORPH_PREDICATES or not _strings(vals):
            raise UnsupportedPattern(f"MORPH: {pred!r}")
        out.append((str(pred), frozenset(vals)))
    return out


def _value_id(col: str, value: str, vocab: Vocab) -> int:
    if col == "POS":
        from spacy.parts_of_speech import IDS

        return int(IDS.get(value, -1)) if value else 0
    return int(vocab.strings[value]) if value else 0


def _strings(vals: Any) -> bool:
    return isinstance(vals, list | tuple) and all(isinstance(v, str) for v in vals)


class _Pattern:
    """Nodes in pattern order: (left node position or -1, operator, test)."""

    __slots__ = ("nodes",)

    def __init__(self, pattern: Sequence[Mapping[str, Any]], vocab: Vocab) -> None:
        if not pattern:
            raise UnsupportedPattern("empty pattern")
        ids: dict[str, int] = {}
        nodes: list[tuple[int, str, _Test]] = []
        for k, spec in enumerate(pattern):
            if not isinstance(spec, Mapping) or "RIGHT_ID" not in spec:
                raise UnsupportedPattern(f"node {k} has no RIGHT_ID")
            attrs = spec.get("RIGHT_ATTRS", {})
            if isinstance(attrs, Mapping) and "OP" in attrs:
                raise UnsupportedPattern("OP in RIGHT_ATTRS")
            test = _Test(attrs, vocab)
            if k == 0:
                if "LEFT_ID" in spec or "REL_OP" in spec:
                    raise UnsupportedPattern("the first node has LEFT_ID or REL_OP")
                nodes.append((-1, "", test))
            else:
                left = ids.get(str(spec.get("LEFT_ID")))
                op = str(spec.get("REL_OP"))
                if left is None or op not in OPERATORS or spec["RIGHT_ID"] in ids:
                    raise UnsupportedPattern(f"node {k}: LEFT_ID, REL_OP or RIGHT_ID")
                nodes.append((left, op, test))
            ids[str(spec["RIGHT_ID"])] = k
        self.nodes = nodes


# -- one document ----------------------------------------------------------------------------


class _DocIndex:
    """The columns, tree structure and per-test passing tokens of one document."""

    def __init__(self, doc: Doc, columns: Sequence[str], n_tests: int) -> None:
        import spacy.attrs

        n = len(doc)
        self.n = n
        self.doc = doc
        rel_heads = doc.to_array([spacy.attrs.HEAD]).astype("int64").reshape(-1).tolist()
        self.head: list[int] = [i + d for i, d in enumerate(rel_heads)]
        self.cols: dict[str, list[int]] = {}
        if columns:  # uint64 hashes, as Python ints (the same as StringStore's)
            arr = doc.to_array([spacy.attrs.IDS[c] for c in columns]).reshape(n, -1).T
            rows = cast(list[list[int]], arr.tolist())
            self.cols = dict(zip(columns, rows, strict=True))
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(self.head):
            if h != i:
                self.children[h].append(i)
        # the tree root of every token, and the token range its tree spans (spaCy's _get_sent:
        # the root's left and right edge, which spaCy computes its own way for non-projective
        # trees, so they are taken from the Doc)
        root = [-1] * n
        for i in range(n):
            path: list[int] = []
            r = i
            while root[r] < 0 and self.head[r] != r and len(path) <= n:
                path.append(r)
                r = self.head[r]
            r = root[r] if root[r] >= 0 else r
            for j in path:
                root[j] = r
            root[i] = r
        self.root = root
        self.edges: dict[int, tuple[int, int]] = {}
        for r in set(root):
            tok = doc[r]
            self.edges[r] = (tok.left_edge.i, tok.right_edge.i)
        self._morph: dict[int, frozenset[str]] = {}
        self._index: dict[str, dict[int, list[int]]] = {}
        self.passing: list[frozenset[int] | None] = [None] * n_tests
        self._kids: list[dict[int, list[int]] | None] = [None] * n_tests

    def morph(self, i: int) -> frozenset[str]:
        got = self._morph.get(i)
        if got is None:
            s = str(self.doc[i].morph)
            got = frozenset(s.split("|")) if s else frozenset()
            self._morph[i] = got
        return got

    def by_value(self, col: str) -> dict[int, list[int]]:
        got = self._index.get(col)
        if got is None:
            got = {}
            for i, v in enumerate(self.cols[col]):
                got.setdefault(v, []).append(i)
            self._index[col] = got
        return got

    def passes(self, test: _Test) -> frozenset[int]:
        got = self.passing[test.slot]
        if got is None:
            got = self.passing[test.slot] = test.passing(self)
        return got

    def children_passing(self, test: _Test) -> dict[int, list[int]]:
        """The tokens that pass ``test``, by head: ``{head: [child, ...]}`` (ascending, as
        :meth:`related` ``">"`` gives them), roots left out."""
        got = self._kids[test.slot]
        if got is None:
            got = {}
            head = self.head
            for j in sorted(self.passes(test)):
                h = head[j]
                if h != j:
                    got.setdefault(h, []).append(j)
            self._kids[test.slot] = got
        return got

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
        self._tests: dict[Any, _Test] = {}
        self._columns: list[str] = []

    def add(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        """Add the patterns of rule ``key``; raises :class:`UnsupportedPattern`."""
        compiled = [_Pattern(p, self.vocab) for p in patterns]
        key_id = self.vocab.strings.add(key)
        for cp in compiled:
            for k, (left, op, test) in enumerate(cp.nodes):
                shared = self._tests.setdefault(test.key, test)
                if shared is test:
                    test.slot = len(self._tests) - 1
                cp.nodes[k] = (left, op, shared)
                for col in shared.columns():
                    if col not in self._columns:
                        self._columns.append(col)
            self._patterns.append((key_id, cp))

    def __len__(self) -> int:
        return len({k for k, _ in self._patterns})

    def __call__(self, doc: Doc) -> list[Match]:
        if not self._patterns or len(doc) == 0:
            return []
        ix = _DocIndex(doc, self._columns, len(self._tests))
        out: list[Match] = []
        root = ix.root
        for key_id, pat in self._patterns:
            nodes = pat.nodes
            # breadth first, node by node: each partial match in order, each node's tokens
            # ascending, so the matches come out in lexicographic order
            firsts = ix.passes(nodes[0][2])
            if len(nodes) > 1 and nodes[1][0] == 0 and nodes[1][1] == ">":
                # only tokens with a passing child can grow (most first nodes pass every token)
                kids = ix.children_passing(nodes[1][2])
                partial = [[h] for h in sorted(kids) if h in firsts]
            else:
                partial = [[first] for first in sorted(firsts)]
            for left, op, test in nodes[1:]:
                if not partial:
                    break
                ok = ix.passes(test)
                if not ok:
                    partial = []
                    break
                grown: list[list[int]] = []
                if op == ">":  # the commonest operator: look the passing children up
                    kids = ix.children_passing(test)
                    for bound in partial:
                        js = kids.get(bound[left])
                        if js:  # (a child is in its head's tree)
                            grown.extend([*bound, j] for j in js)
                elif op == "<":
                    head = ix.head
                    for bound in partial:
                        h = head[bound[left]]
                        if h != bound[left] and h in ok:
                            grown.append([*bound, h])
                else:
                    for bound in partial:
                        tree = root[bound[0]]
                        for j in ix.related(bound[left], op):
                            if j in ok and root[j] == tree:
                                grown.append([*bound, j])
                partial = grown
            out.extend((key_id, bound) for bound in partial)
        return out


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
