"""Relation rules as data: loading and validating the files of the rule layer.

Files (all read through :mod:`relextract.resources`, paths relative to ``resources/``)::

    lexicons/<lang>/triggers.yml        hand-curated verb and noun triggers (+ language settings)
    lexicons/<lang>/triggers_*.yml      generated trigger lexicons (e.g. triggers_cameo.yml);
                                        an entry of triggers.yml for the same key wins
    lexicons/<lang>/titles.yml          title nouns for static relations (presidente -> leader_of)
    lexicons/<lang>/cues.yml            modality and negation cue words
    patterns/common/*.yml               dependency patterns shared by both languages
    patterns/<lang>/relations*.yml      dependency patterns for one language
    patterns/confidence.yml             confidence per rule id (scripts/calibrate_confidence.py)

Dependency patterns are in spaCy's ``DependencyMatcher`` format over UD labels (the relation
layer normalises other label sets first). Every rule has an ``id`` (unique per language) and a
``construction`` that says how the relation layer reads the named nodes of a match.

:func:`load_rules` builds a :class:`RuleSet` (cached per language); :func:`validate_all`
reports every problem of every file (for ``relextract rules validate`` and the tests).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from relextract import resources
from relextract.depmatch import OPERATORS
from relextract.schema import ENTITY_LABELS, OTHER_RELATION, RELATIONS, STATIC_RELATIONS

LANGS: tuple[str, ...] = ("it", "en")

#: construction -> node names a pattern of that construction must define
CONSTRUCTIONS: dict[str, tuple[str, ...]] = {
    "verb": ("trigger", "obj"),  # active verb, object node; subject node or inferred
    "verb_passive": ("trigger", "obj", "subj"),  # obj = patient, subj = agent
    "verb_pair": ("trigger", "subj", "obj"),  # symmetric verb with coordinated subjects
    "noun": ("trigger",),  # nominal trigger; nodes subj / obj / pair / light
    "title": ("title", "person", "org"),  # static relation from a title noun
    "title_adjacent": ("person",),  # entity + title + name in a row, found by the handler
    "title_after": ("person",),  # name + title + words + entity in a row, found by the handler
    "title_before": ("person",),  # title + of + entity + name in a row ("presidente dell'X Y")
    "demonym": ("person", "org"),  # PERSON with a STATE adjective (no title)
    "located": ("subj", "obj"),  # located_in between ORG/LOC/EVENT and LOC/STATE
    "affiliation": ("person", "org"),  # "X of ORG" -> works_for, "X of STATE" -> citizen_of
    "part_of": ("part",),  # "X, part of Y", "X fa parte di Y", read off the word order
    "office": ("office", "org"),  # "succeduto alla presidenza dell'Infn", "at the helm of Y"
    "located_appos": ("subj",),  # "X, un club privato di Washington", read off the word order
}
#: optional node names per construction (anything else is an error)
OPTIONAL_NODES: dict[str, tuple[str, ...]] = {
    "verb": ("subj", "clause"),
    "verb_passive": (),
    "verb_pair": (),
    "noun": ("subj", "obj", "pair", "pair2", "light", "mid"),
    "title": ("mid", "cop", "cotitle"),
    "title_adjacent": (),
    "title_after": (),
    "title_before": (),
    "demonym": (),
    "located": ("mid",),
    "affiliation": ("case", "det"),
    "part_of": (),
    "office": (),
    "located_appos": (),
}

REL_OPS = OPERATORS
TOKEN_ATTRS = frozenset(
    {
        "ORTH",
        "TEXT",
        "NORM",
        "LOWER",
        "LEMMA",
        "POS",
        "TAG",
        "MORPH",
        "DEP",
        "ENT_TYPE",
        "ENT_IOB",
        "ENT_ID",
        "ENT_KB_ID",
        "LENGTH",
        "IS_ALPHA",
        "IS_ASCII",
        "IS_DIGIT",
        "IS_LOWER",
        "IS_UPPER",
        "IS_TITLE",
        "IS_PUNCT",
        "IS_SPACE",
        "IS_STOP",
        "IS_SENT_START",
        "LIKE_NUM",
        "LIKE_URL",
        "LIKE_EMAIL",
        "SHAPE",
        "PREFIX",
        "SUFFIX",
        "SPACY",
        "_",
    }
)
ROLE_RE = re.compile(
    r"^(obj|iobj|nsubj|nsubj:pass|obl|obl:agent|nmod|nmod:poss|amod|compound|appos|ccomp:nsubj)"
    r"(\[([a-zà-ú' ]+)\])?$"
)
RULE_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")

FRAME_KEYS = frozenset(
    {
        "relation",
        "subject",
        "object",
        "pair",
        "subject_types",
        "object_types",
        "inverse",
        "note",
        "cameo",
        "plover",
    }
)
TRIGGER_TOP = frozenset({"lang", "source", "settings", "defaults", "verbs", "nouns"})
SETTINGS_KEYS = frozenset(
    {
        "pro_drop",
        "light_verbs",
        "actor_nouns",
        "possessor_relations",
        "possessor_roles",
        "object_control_exclude",
        "clause_preps",
        "relative_pronouns",
        "subject_pronouns",
        "transparent_nouns",
        "org_head_nouns",
        "media_relations",
        "prep_nouns",
    }
)
TITLE_TOP = frozenset({"lang", "settings", "titles"})
TITLE_SETTINGS = frozenset(
    {
        "org_roles",
        "person_links",
        "demonym_relation",
        "party_relation",
        "chain_relation",
        "deputy_words",
        "partitive_words",
        "party_words",
        "misc_demonym_suffixes",
        "misc_demonym_stop",
        "affiliation_roles",
        "place_nouns",
        "based_words",
        "located_roles",
        "located_loc_roles",
        "located_subject_types",
        "located_object_types",
        "located_appos_nouns",
        "and_words",
        "part_words",
        "part_links",
        "part_after",
        "office_nouns",
        "office_preps",
        "office_exclude_verbs",
        "office_verbs",
        "located_appos_heads",
    }
)
CUE_TOP = frozenset({"lang", "negation", "reported", "speculative", "hypothetical"})
CUE_SECTIONS: dict[str, frozenset[str]] = {
    "negation": frozenset({"words", "verbs"}),
    "reported": frozenset({"verbs", "preps", "adverbs", "nouns"}),
    "speculative": frozenset({"verbs", "adjectives", "adverbs", "clause_verbs"}),
    "hypothetical": frozenset(
        {
            "marks",
            "verbs",
            "nouns",
            "modifiers",
            "occurrence_verbs",
            "auxiliaries",
            "adverbs",
            "future_tense",
            "conditional_mood",
            "past_conditional",
        }
    ),
}
CONF_TOP = frozenset({"default", "rules", "factors", "by_lang", "source", "priors"})

_ARTICULATED = {
    "di": ("del", "dello", "della", "dei", "degli", "delle", "dell", "dell'", "d'", "de"),
    "a": ("al", "allo", "alla", "ai", "agli", "alle", "all", "all'"),
    "da": ("dal", "dallo", "dalla", "dai", "dagli", "dalle", "dall", "dall'"),
    "in": ("nel", "nello", "nella", "nei", "negli", "nelle", "nell", "nell'"),
    "su": ("sul", "sullo", "sulla", "sui", "sugli", "sulle", "sull", "sull'"),
    "con": ("col", "coi", "collo", "colla", "cogli", "colle", "cogl'"),
    "per": ("pel", "pei"),
}
PREP_BASE: dict[str, str] = {form: base for base, forms in _ARTICULATED.items() for form in forms}


def norm_word(word: str) -> str:
    """Lower-case a lemma/word and reduce an Italian articulated preposition to its base."""
    w = word.lower().replace("’", "'")
    return PREP_BASE.get(w, w)


def norm_phrase(phrase: str) -> str:
    return " ".join(norm_word(w) for w in phrase.split())


def parse_role(role: str) -> tuple[str, str | None] | None:
    """``"obl[con]"`` -> ``("obl", "con")``; ``"obj"`` -> ``("obj", None)``; None if invalid."""
    m = ROLE_RE.match(role.strip())
    if not m:
        return None
    prep = m.group(3)
    return m.group(1), (norm_phrase(prep) if prep else None)


def format_role(dep: str, prep: str | None) -> str:
    return f"{dep}[{prep}]" if prep else dep


@dataclass(frozen=True)
class Problem:
    """One problem of a rule file: file (relative to ``resources/``), 1-based line, message."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RuleError(ValueError):
    """The rule files of a language have problems (message lists the first few)."""


@dataclass(frozen=True)
class Frame:
    """One reading of a trigger: which relation, which argument roles, which entity types.

    ``head`` is the lemma of the syntactic head of the trigger, ``extra`` the lemmas that must
    be its dependents ("shoot down": head ``shoot``, extra ``("down",)``). Roles are normalised
    strings like ``obj``, ``obl[con]``, ``nmod[tra]``, ``nmod:poss``.
    """

    key: str
    kind: str  # "verb" | "noun"
    head: str
    extra: tuple[str, ...]
    relation: str
    subject_roles: tuple[str, ...]
    object_roles: tuple[str, ...]
    pair_roles: tuple[str, ...]
    subject_types: frozenset[str]
    object_types: frozenset[str]
    inverse: bool
    source: str


@dataclass(frozen=True)
class Title:
    key: str
    head: str
    extra: tuple[str, ...]
    relations: Mapping[str, str]  # object entity label -> relation
    source: str


@dataclass(frozen=True)
class PatternRule:
    id: str
    construction: str
    pattern: list[dict[str, Any]]
    source: str
    description: str = ""


@dataclass
class Cues:
    negation: frozenset[str] = frozenset()
    negation_verbs: frozenset[str] = frozenset()
    reported_verbs: frozenset[str] = frozenset()
    reported_preps: frozenset[str] = frozenset()
    reported_adverbs: frozenset[str] = frozenset()
    reported_nouns: frozenset[str] = frozenset()
    speculative_verbs: frozenset[str] = frozenset()
    speculative_adjectives: frozenset[str] = frozenset()
    speculative_adverbs: frozenset[str] = frozenset()
    #: verbs that propose (hypothetical) but, with a finite clause, suggest that something is
    #: so ("i rapporti suggeriscono che X abbia incontrato Y": speculative)
    speculative_clause_verbs: frozenset[str] = frozenset()
    hypothetical_marks: frozenset[str] = frozenset()
    hypothetical_verbs: frozenset[str] = frozenset()
    hypothetical_nouns: frozenset[str] = frozenset()
    hypothetical_modifiers: frozenset[str] = frozenset()
    #: verbs saying that an event took place ("si è svolto un atteso incontro"): a modifier
    #: of the event noun such as "atteso" no longer makes it hypothetical
    hypothetical_occurrence_verbs: frozenset[str] = frozenset()
    hypothetical_auxiliaries: frozenset[str] = frozenset()
    hypothetical_adverbs: frozenset[str] = frozenset()
    future_tense: bool = True
    conditional_mood: bool = True
    past_conditional: str = "hypothetical"


@dataclass
class Confidence:
    default: float = 0.5
    rules: dict[str, float] = field(default_factory=dict)
    factors: dict[str, float] = field(default_factory=dict)

    def base(self, rule_id: str) -> float:
        return self.rules.get(rule_id, self.default)

    def factor(self, name: str) -> float:
        return self.factors.get(name, 1.0)


@dataclass
class RuleSet:
    """Everything the relation layer needs for one language."""

    lang: str
    verbs: dict[str, list[Frame]] = field(default_factory=dict)
    nouns: dict[str, list[Frame]] = field(default_factory=dict)
    titles: dict[str, list[Title]] = field(default_factory=dict)
    cues: Cues = field(default_factory=Cues)
    settings: dict[str, Any] = field(default_factory=dict)
    title_settings: dict[str, Any] = field(default_factory=dict)
    patterns: list[PatternRule] = field(default_factory=list)
    confidence: Confidence = field(default_factory=Confidence)

    _set_cache: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def setting_set(self, name: str) -> frozenset[str]:
        """The normalised words of setting ``name`` (cached: the rule layer asks for the same
        settings for every token it looks at)."""
        got = self._set_cache.get(name)
        if got is None:
            val = self.settings.get(name, self.title_settings.get(name, ()))
            got = frozenset(norm_phrase(str(v)) for v in val or ())
            self._set_cache[name] = got
        return got

    def setting_list(self, name: str) -> list[str]:
        val = self.settings.get(name, self.title_settings.get(name, ()))
        return [str(v) for v in val or ()]


# --------------------------------------------------------------------------------------------
# raw data and line numbers


def rule_files(lang: str) -> list[str]:
    """Resource paths of the rule files of ``lang``, in load order."""
    lex = [p for p in resources.list_resources(f"lexicons/{lang}", (".yml", ".yaml"))]
    names = {p.rsplit("/", 1)[-1]: p for p in lex}
    out: list[str] = []
    out += sorted(p for n, p in names.items() if n.startswith("triggers_"))
    out += [names[n] for n in ("triggers.yml", "titles.yml", "cues.yml") if n in names]
    out += resources.list_resources("patterns/common", (".yml", ".yaml"))
    out += [
        p
        for p in resources.list_resources(f"patterns/{lang}", (".yml", ".yaml"))
        if p.rsplit("/", 1)[-1].startswith("relations")
    ]
    conf = "patterns/confidence.yml"
    if resources.resource_path(conf).exists():
        out.append(conf)
    return out


def raw_rule_data(lang: str) -> dict[str, Any]:
    """Parsed content of every rule file of ``lang`` (deep copies; safe to modify)."""
    return {p: copy.deepcopy(resources.load_yaml(p)) for p in rule_files(lang)}


Path_ = tuple[Any, ...]


def _line_index(relpath: str, problems: list[Problem] | None = None) -> dict[Path_, int]:
    """Map from a path of keys/indexes in a YAML file to its 1-based line (also: duplicates)."""
    try:
        text = resources.resource_path(relpath).read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return {}
    out: dict[Path_, int] = {}

    def walk(node: yaml.Node, path: Path_) -> None:
        out[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
                if key in seen and problems is not None:
                    problems.append(
                        Problem(relpath, k.start_mark.line + 1, f"duplicate key {key!r}")
                    )
                seen.add(key)
                out[(*path, key)] = k.start_mark.line + 1
                walk(v, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, (*path, i))

    if root is not None:
        walk(root, ())
    return out


class _Report:
    """Collects problems with line numbers (when the file is known)."""

    def __init__(self, with_lines: bool) -> None:
        self.problems: list[Problem] = []
        self.with_lines = with_lines
        self._lines: dict[str, dict[Path_, int]] = {}

    def lines(self, relpath: str) -> dict[Path_, int]:
        if relpath not in self._lines:
            self._lines[relpath] = _line_index(relpath, self.problems) if self.with_lines else {}
        return self._lines[relpath]

    def add(self, relpath: str, path: Path_, message: str) -> None:
        idx = self.lines(relpath)
        p = tuple(path)
        while p and p not in idx:
            p = p[:-1]
        self.problems.append(Problem(relpath, idx.get(p, 1 if idx else 0), message))


# --------------------------------------------------------------------------------------------
# building


def _as_list(val: Any) -> list[Any]:
    if val is None:
        return []
    if isinstance(val, (list, tuple)):
        return list(val)
    return [val]


def _split_key(key: str, lang: str) -> tuple[str, tuple[str, ...], list[str]]:
    """Multiword key -> (head lemma, extra lemmas, alternative head lemmas)."""
    words = [w for w in key.lower().split() if w]
    head, extra = words[0], tuple(norm_word(w) for w in words[1:])
    alts = [head]
    if lang == "it" and re.search(r"(ar|er|ir)si$", head):
        alts.append(head[:-2] + "e")  # congratularsi -> congratulare (clitic is a dependent)
    if lang == "it" and re.search(r"(ar|er|ir)sene$", head):
        alts.append(head[:-4] + "e")
    return head, extra, alts


def _types(val: Any, default: frozenset[str], rep: _Report, f: str, path: Path_) -> frozenset[str]:
    if val is None:
        return default
    out = set()
    for i, t in enumerate(_as_list(val)):
        if t not in ENTITY_LABELS:
            rep.add(
                f, (*path, i), f"unknown entity label {t!r} (known: {', '.join(ENTITY_LABELS)})"
            )
        else:
            out.add(t)
    return frozenset(out)


def _roles(val: Any, rep: _Report, f: str, path: Path_) -> tuple[str, ...]:
    out = []
    for i, r in enumerate(_as_list(val)):
        parsed = parse_role(str(r))
        if parsed is None:
            rep.add(f, (*path, i), f"bad argument role {r!r} (e.g. obj, iobj, obl[con], nmod[tra])")
        else:
            out.append(format_role(*parsed))
    return tuple(out)


def _build_frames(rs: RuleSet, data: Mapping[str, Any], f: str, rep: _Report, hand: bool) -> None:
    defaults = data.get("defaults") or {}
    actors = frozenset({"PERSON", "STATE", "ORG"})
    d_subj = _types(defaults.get("subject_types"), actors, rep, f, ("defaults", "subject_types"))
    d_obj = _types(defaults.get("object_types"), actors, rep, f, ("defaults", "object_types"))
    for kind, section in (("verb", "verbs"), ("noun", "nouns")):
        entries = data.get(section) or {}
        if not isinstance(entries, Mapping):
            rep.add(f, (section,), f"'{section}' must be a mapping of lemma -> frame(s)")
            continue
        target = rs.verbs if kind == "verb" else rs.nouns
        for key, val in entries.items():
            key = str(key)
            head, extra, alts = _split_key(key, rs.lang)
            frames = _as_list(val)
            if not frames:
                rep.add(f, (section, key), f"{section} entry {key!r} has no frame")
            built: list[Frame] = []
            for i, fr in enumerate(frames):
                path: Path_ = (section, key) if isinstance(val, Mapping) else (section, key, i)
                if not isinstance(fr, Mapping):
                    rep.add(f, path, f"frame of {key!r} must be a mapping")
                    continue
                for k in fr:
                    if k not in FRAME_KEYS:
                        rep.add(f, (*path, k), f"unknown frame key {k!r} in {key!r}")
                rel = fr.get("relation")
                if rel not in RELATIONS and rel != OTHER_RELATION:
                    rep.add(f, (*path, "relation"), f"unknown relation {rel!r} for {key!r}")
                    continue
                subj_roles = _roles(
                    fr.get("subject", ["nsubj"] if kind == "verb" else []),
                    rep,
                    f,
                    (*path, "subject"),
                )
                obj_roles = _roles(fr.get("object"), rep, f, (*path, "object"))
                pair_roles = _roles(fr.get("pair"), rep, f, (*path, "pair"))
                if not obj_roles and not pair_roles:
                    rep.add(f, path, f"frame of {key!r} has neither object nor pair roles")
                if pair_roles and rel not in {r for r, (_, s) in RELATIONS.items() if s}:
                    rep.add(
                        f, (*path, "pair"), f"pair roles need a symmetric relation, not {rel!r}"
                    )
                built.append(
                    Frame(
                        key=key,
                        kind=kind,
                        head=head,
                        extra=extra,
                        relation=str(rel),
                        subject_roles=subj_roles,
                        object_roles=obj_roles,
                        pair_roles=pair_roles,
                        subject_types=_types(
                            fr.get("subject_types"), d_subj, rep, f, (*path, "subject_types")
                        ),
                        object_types=_types(
                            fr.get("object_types"), d_obj, rep, f, (*path, "object_types")
                        ),
                        inverse=bool(fr.get("inverse", False)),
                        source=f,
                    )
                )
            if not built:
                continue
            for alt in alts:
                existing = target.get(alt, [])
                # the hand-curated file wins over generated ones for the same key
                if hand:
                    existing = [e for e in existing if e.key != key or e.source == f]
                elif any(e.key == key for e in existing):
                    continue
                target[alt] = existing + built


def _check_keys(
    data: Mapping[str, Any], allowed: frozenset[str], rep: _Report, f: str, path: Path_ = ()
) -> None:
    for k in data:
        if k not in allowed:
            rep.add(f, (*path, k), f"unknown key {k!r} (allowed: {', '.join(sorted(allowed))})")


def _build_titles(rs: RuleSet, data: Mapping[str, Any], f: str, rep: _Report) -> None:
    _check_keys(data, TITLE_TOP, rep, f)
    settings = data.get("settings") or {}
    _check_keys(settings, TITLE_SETTINGS, rep, f, ("settings",))
    for k in ("demonym_relation", "party_relation", "chain_relation"):
        if k in settings and settings[k] not in STATIC_RELATIONS:
            rep.add(f, ("settings", k), f"{k} must be a static relation, not {settings[k]!r}")
    for k in ("located_subject_types", "located_object_types"):
        _types(settings.get(k), frozenset(), rep, f, ("settings", k))
    for k in ("org_roles", "located_roles", "located_loc_roles"):
        _roles(settings.get(k), rep, f, ("settings", k))
    rs.title_settings.update(settings)
    for key, val in (data.get("titles") or {}).items():
        key = str(key)
        if not isinstance(val, Mapping) or not val:
            rep.add(f, ("titles", key), f"title {key!r} must map entity labels to relations")
            continue
        rels: dict[str, str] = {}
        for label, rel in val.items():
            if label not in ENTITY_LABELS:
                rep.add(
                    f, ("titles", key, label), f"unknown entity label {label!r} in title {key!r}"
                )
            elif rel not in STATIC_RELATIONS:
                rep.add(
                    f,
                    ("titles", key, label),
                    f"title {key!r}: {rel!r} is not a static relation "
                    f"({', '.join(sorted(STATIC_RELATIONS))})",
                )
            else:
                rels[label] = rel
        words = key.lower().split()
        # multiword titles: the head is the noun word (first in it "primo ministro" is
        # "ministro"?) -> we register under every word and check the others as dependents
        for i, w in enumerate(words):
            others = tuple(norm_word(x) for j, x in enumerate(words) if j != i)
            rs.titles.setdefault(w, []).append(Title(key, w, others, rels, f))


def _words(val: Any, rep: _Report, f: str, path: Path_) -> frozenset[str]:
    out = set()
    for i, w in enumerate(_as_list(val)):
        if not isinstance(w, str) or not w.strip():
            rep.add(f, (*path, i), f"cue must be a non-empty string, not {w!r}")
        else:
            out.add(norm_phrase(w))
    return frozenset(out)


def _build_cues(rs: RuleSet, data: Mapping[str, Any], f: str, rep: _Report) -> None:
    _check_keys(data, CUE_TOP, rep, f)
    c = rs.cues
    for sec, keys in CUE_SECTIONS.items():
        val = data.get(sec)
        if val is None:
            continue
        if not isinstance(val, Mapping):
            rep.add(f, (sec,), f"'{sec}' must be a mapping")
            continue
        _check_keys(val, keys, rep, f, (sec,))
        for k in keys:
            if k not in val:
                continue
            if k in ("future_tense", "conditional_mood"):
                setattr(c, k, bool(val[k]))
            elif k == "past_conditional":
                if val[k] not in ("hypothetical", "reported", "speculative"):
                    rep.add(f, (sec, k), f"past_conditional must be a modality, not {val[k]!r}")
                else:
                    c.past_conditional = str(val[k])
            else:
                attr = "negation" if (sec, k) == ("negation", "words") else f"{sec}_{k}"
                setattr(c, attr, getattr(c, attr) | _words(val[k], rep, f, (sec, k)))


def _check_pattern(
    rule: Mapping[str, Any], construction: str, rep: _Report, f: str, path: Path_
) -> list[dict[str, Any]] | None:
    pat = rule.get("pattern")
    if not isinstance(pat, list) or not pat:
        rep.add(f, (*path, "pattern"), "pattern must be a non-empty list of nodes")
        return None
    ok = True
    ids: list[str] = []
    for i, node in enumerate(pat):
        npath = (*path, "pattern", i)
        if not isinstance(node, Mapping):
            rep.add(f, npath, "pattern node must be a mapping")
            ok = False
            continue
        need = (
            {"RIGHT_ID", "RIGHT_ATTRS"}
            if i == 0
            else {"LEFT_ID", "REL_OP", "RIGHT_ID", "RIGHT_ATTRS"}
        )
        if set(node) != need:
            extra = sorted(set(node) - need)
            missing = sorted(need - set(node))
            what = "anchor node" if i == 0 else "node"
            rep.add(
                f, npath, f"{what} needs exactly {sorted(need)} (missing {missing}, extra {extra})"
            )
            ok = False
        rid = node.get("RIGHT_ID")
        if not isinstance(rid, str) or not rid:
            rep.add(f, npath, "RIGHT_ID must be a non-empty string")
            ok = False
        elif rid in ids:
            rep.add(f, npath, f"RIGHT_ID {rid!r} used twice")
            ok = False
        if i > 0:
            if node.get("LEFT_ID") not in ids:
                rep.add(f, npath, f"LEFT_ID {node.get('LEFT_ID')!r} is not an earlier RIGHT_ID")
                ok = False
            if node.get("REL_OP") not in REL_OPS:
                rep.add(f, npath, f"unknown REL_OP {node.get('REL_OP')!r}")
                ok = False
        attrs = node.get("RIGHT_ATTRS")
        if not isinstance(attrs, Mapping):
            rep.add(f, npath, "RIGHT_ATTRS must be a mapping")
            ok = False
        else:
            for a in attrs:
                if a not in TOKEN_ATTRS:
                    rep.add(f, (*npath, "RIGHT_ATTRS"), f"unknown token attribute {a!r}")
                    ok = False
        if isinstance(rid, str):
            ids.append(rid)
    needed = set(CONSTRUCTIONS.get(construction, ()))
    allowed = needed | set(OPTIONAL_NODES.get(construction, ()))
    for n in sorted(needed - set(ids)):
        rep.add(f, (*path, "pattern"), f"construction {construction!r} needs a node named {n!r}")
        ok = False
    for n in ids:
        if n not in allowed:
            rep.add(
                f, (*path, "pattern"), f"node {n!r} means nothing to construction {construction!r}"
            )
            ok = False
    if ok:
        try:  # let spaCy check the attribute values too
            from spacy.matcher import DependencyMatcher
            from spacy.vocab import Vocab

            DependencyMatcher(Vocab(), validate=True).add("check", [copy.deepcopy(pat)])
        except Exception as exc:
            rep.add(f, (*path, "pattern"), f"spaCy rejects the pattern: {str(exc).splitlines()[0]}")
            ok = False
    return [dict(n) for n in pat] if ok else None


def _build_patterns(rs: RuleSet, data: Any, f: str, rep: _Report, seen: dict[str, str]) -> None:
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        rep.add(f, (), "a pattern file must be a mapping with a list 'rules'")
        return
    _check_keys(data, frozenset({"rules", "description"}), rep, f)
    for i, rule in enumerate(data["rules"]):
        path: Path_ = ("rules", i)
        if not isinstance(rule, Mapping):
            rep.add(f, path, "rule must be a mapping")
            continue
        _check_keys(rule, frozenset({"id", "construction", "pattern", "description"}), rep, f, path)
        rid = rule.get("id")
        if not isinstance(rid, str) or not RULE_ID_RE.match(rid):
            rep.add(f, (*path, "id"), f"bad rule id {rid!r} (lower-case words joined by '.')")
            continue
        if rid in seen:
            rep.add(f, (*path, "id"), f"duplicate rule id {rid!r} (also in {seen[rid]})")
            continue
        seen[rid] = f
        cons = rule.get("construction")
        if cons not in CONSTRUCTIONS:
            rep.add(
                f,
                (*path, "construction"),
                f"unknown construction {cons!r} (known: {', '.join(CONSTRUCTIONS)})",
            )
            continue
        pat = _check_pattern(rule, str(cons), rep, f, path)
        if pat is not None:
            rs.patterns.append(
                PatternRule(rid, str(cons), pat, f, str(rule.get("description", "")))
            )


def _build_confidence(rs: RuleSet, data: Mapping[str, Any], f: str, rep: _Report) -> None:
    _check_keys(data, CONF_TOP, rep, f)
    conf = rs.confidence

    def num(v: Any, path: Path_) -> float | None:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= float(v) <= 1.0:
            rep.add(f, path, f"confidence must be a number in [0, 1], not {v!r}")
            return None
        return float(v)

    d = num(data.get("default", 0.5), ("default",))
    if d is not None:
        conf.default = d
    for sec, target in (("rules", conf.rules), ("factors", conf.factors)):
        for k, v in (data.get(sec) or {}).items():
            x = num(v, (sec, k))
            if x is not None:
                target[str(k)] = x
    priors = data.get("priors") or {}
    for sec in ("rules", "factors"):
        for k, v in (priors.get(sec) or {}).items():
            num(v, ("priors", sec, k))
    for lang, sub in (data.get("by_lang") or {}).items():
        if lang not in LANGS:
            rep.add(f, ("by_lang", lang), f"unknown language {lang!r}")
            continue
        if lang != rs.lang:
            continue
        for k, v in (sub or {}).items():
            x = num(v, ("by_lang", lang, k))
            if x is not None:
                conf.rules[str(k)] = x


def build_rules(
    lang: str, raw: Mapping[str, Any], *, with_lines: bool = False
) -> tuple[RuleSet, list[Problem]]:
    """Build the :class:`RuleSet` of ``lang`` from raw file contents; also return problems."""
    rep = _Report(with_lines)
    rs = RuleSet(lang=lang)
    seen_ids: dict[str, str] = {}
    conf_data: tuple[str, Mapping[str, Any]] | None = None
    for f, data in raw.items():
        name = f.rsplit("/", 1)[-1]
        if data is None:
            rep.add(f, (), "file is empty")
            continue
        if f.startswith("lexicons/"):
            if not isinstance(data, Mapping):
                rep.add(f, (), "a lexicon file must be a mapping")
                continue
            if data.get("lang") != lang:
                rep.add(f, ("lang",), f"lang must be {lang!r}, not {data.get('lang')!r}")
            if name.startswith("triggers"):
                _check_keys(data, TRIGGER_TOP, rep, f)
                hand = name in ("triggers.yml", "triggers.yaml")
                if hand:
                    settings = data.get("settings") or {}
                    _check_keys(settings, SETTINGS_KEYS, rep, f, ("settings",))
                    rs.settings.update(settings)
                    for i, r in enumerate(_as_list(settings.get("possessor_relations"))):
                        if r not in RELATIONS:
                            rep.add(
                                f, ("settings", "possessor_relations", i), f"unknown relation {r!r}"
                            )
                    _roles(settings.get("possessor_roles"), rep, f, ("settings", "possessor_roles"))
                    media = settings.get("media_relations") or {}
                    if not isinstance(media, Mapping):
                        rep.add(f, ("settings", "media_relations"),
                                "media_relations must map a relation to a relation")
                        media = {}
                    for a, b in media.items():
                        if a not in RELATIONS or b not in RELATIONS:
                            rep.add(f, ("settings", "media_relations", str(a)),
                                    f"unknown relation in {a!r}: {b!r}")
                _build_frames(rs, data, f, rep, hand)
            elif name.startswith("titles"):
                _build_titles(rs, data, f, rep)
            elif name.startswith("cues"):
                _build_cues(rs, data, f, rep)
            else:
                rep.add(
                    f, (), "unknown lexicon file (expected triggers*.yml, titles.yml, cues.yml)"
                )
        elif f.startswith("patterns/") and name.startswith("confidence"):
            if not isinstance(data, Mapping):
                rep.add(f, (), "the confidence file must be a mapping")
            else:
                conf_data = (f, data)
        elif f.startswith("patterns/"):
            _build_patterns(rs, data, f, rep, seen_ids)
        else:
            rep.add(f, (), "not a rule file")
    if conf_data is not None:
        f, data = conf_data
        _build_confidence(rs, data, f, rep)
        ids = {p.id for p in rs.patterns}
        for sec in ("rules",):
            for k in data.get(sec) or {}:
                if k not in ids:
                    rep.add(f, (sec, k), f"confidence for unknown rule id {k!r}")
        for k in (data.get("by_lang") or {}).get(lang) or {}:
            if k not in ids:
                rep.add(f, ("by_lang", lang, k), f"confidence for unknown rule id {k!r}")
    if not rs.patterns:
        rep.problems.append(Problem("patterns", 0, f"no dependency patterns for {lang!r}"))
    return rs, rep.problems


@cache
def load_rules(lang: str) -> RuleSet:
    """The rule set of ``lang`` from the bundled files (cached). Raises :class:`RuleError`
    when the files have problems (run :func:`validate_all` to see them all)."""
    if lang not in LANGS:
        raise RuleError(
            f"[E301] no relation rules for language {lang!r} (have: {', '.join(LANGS)})"
        )
    rs, problems = build_rules(lang, raw_rule_data(lang))
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise RuleError(
            f"[E302] the relation rules for {lang!r} have problems: {shown}{more}; "
            f"run `relextract rules validate`"
        )
    return rs


def validate_all(langs: Iterable[str] = LANGS) -> list[Problem]:
    """Every problem of every rule file (unknown relation or label, bad role, bad pattern
    shape, duplicate rule id or key, confidence for an unknown rule...), with file and line."""
    problems: list[Problem] = []
    seen: set[Problem] = set()
    for lang in langs:
        raw: dict[str, Any] = {}
        for f in rule_files(lang):
            try:
                raw[f] = copy.deepcopy(resources.load_yaml(f))
            except resources.ResourceError as exc:
                m = re.search(r":(\d+): invalid YAML", str(exc))
                problems.append(Problem(f, int(m.group(1)) if m else 0, str(exc)))
        _, probs = build_rules(lang, raw, with_lines=True)
        for p in probs:
            if p not in seen:  # shared files (patterns/common) are checked once per language
                seen.add(p)
                problems.append(p)
    return problems
