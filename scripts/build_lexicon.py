#!/usr/bin/env python3
"""Generate ``lexicons/en/triggers_cameo.yml`` from the CAMEO verb dictionary.

Chain: PETRARCH2's CAMEO verb dictionary (``CAMEO.2.0.txt``: verb -> CAMEO event code) ->
PLOVER category (``CAMEO2PLOVER-2021.txt``) -> a relextract relation (``CODE_TO_RELATION``
below, longest CAMEO code prefix wins). Only codes listed in the table are kept: generic
CAMEO classes (public statements 01x, appeals 02x, intentions 03x, "consult" 040...) are too
vague for a closed relation vocabulary. Verbs that CAMEO lists with a preposition
(``+MEET_WITH``) become prepositional objects (``obl[with]``); with a particle
(``+SHOOT_DOWN``) multiword keys. The hand-curated ``triggers.yml`` wins for any key it has.

usage: python scripts/build_lexicon.py [--corpora ../shared/corpora] [--out PATH] [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
CAMEO_FILE = Path("PETRARCH2/petrarch2/data/dictionaries/CAMEO.2.0.txt")
PLOVER_FILE = Path("PLOVER-codebook/CAMEO2PLOVER-2021.txt")
DEFAULT_OUT = REPO / "src/relextract/resources/lexicons/en/triggers_cameo.yml"

#: CAMEO code prefix -> (relation, object entity types or None for the default actors)
CODE_TO_RELATION: dict[str, tuple[str, list[str] | None]] = {
    "041": ("spoke_with", None),
    "042": ("visited", ["STATE", "LOC", "ORG", "PERSON"]),
    "043": ("hosted", None),
    "045": ("mediated", None),
    "046": ("negotiated_with", None),
    "051": ("praised", None),
    "052": ("supported", None),
    "053": ("supported", None),
    "054": ("supported", None),
    "055": ("apologized_to", None),
    "057": ("signed", ["LAW"]),
    "07": ("aided", None),
    "0841": ("released", ["PERSON"]),
    "09": ("investigated", None),
    "10": ("demanded", None),
    "111": ("criticized", None),
    "112": ("accused", None),
    "113": ("criticized", None),
    "114": ("accused", None),
    "115": ("accused", None),
    "12": ("rejected", None),
    "13": ("threatened", None),
    "141": ("protested", None),
    "145": ("protested", None),
    "163": ("sanctioned", None),
    "166": ("expelled", None),
    "173": ("arrested", ["PERSON", "ORG"]),
    "174": ("expelled", ["PERSON"]),
    "18": ("attacked", ["PERSON", "STATE", "ORG", "LOC"]),
    "1823": ("killed", ["PERSON"]),
    "186": ("killed", ["PERSON"]),
    "19": ("attacked", ["STATE", "ORG", "LOC"]),
    "20": ("attacked", ["STATE", "ORG", "LOC"]),
}
#: CAMEO code prefix -> object roles (default: a direct object)
CODE_ROLES: dict[str, list[str]] = {
    "045": ["obl[between]"],
    "046": ["obl[with]"],
    "055": ["obl[to]"],
    "14": ["obl[against]"],
}
#: verbs CAMEO lists (mostly as WordNet synonyms of a class) whose usual sense in news is not
#: the relation: "Milan beat Bayern" is no attack, "table a bill" no accusation
EXCLUDE = frozenset(
    r"""
    add appease bless celebrate cheer clap commemorate embolden encourage enliven favor favour
    galvanize greet inspire invigorate legitimise legitimize prefer prize reassert reassure
    recognise recognize respect revitalize reward rouse sanctify spur toast value welcome
    affirm appreciate esteem
    compensate defer delay forestall hamper hinder impede inhibit obstruct override overrule
    postpone prevent procrastinate remit retard shelve stall stymie table complain
    interfere intervene step tend ward stabilise stabilize evacuate contribute guard
    analyse ascertain check comb dig explore glance look mine rake research scan skim study
    sweep unearth search monitor
    beef\ up remove oust
    breach defect fail object decline
    caution risk endanger warn
    attend convene formalize
    bid campaign crusade decree necessitate need push insist
    beat best break circle conflict defeat die dominate duel engage fire master match
    overcome overshadow overtake pit ring square\ off struggle surmount surround reside
    inhabit infest retaliate ram string\ up hang quarrel wrestle spoil tarnish vitiate
    corrupt contaminate crack debase fight fight\ back fight\ down hit blow lash kick
    battle clash grapple skirmish combat shoot tear rip whip thump pound hammer intrude
    lecture humble cry glance look step disarm
""".replace("\\ ", "_").split()
)
#: CAMEO verbs whose relation in our vocabulary differs from their CAMEO class
VERB_OVERRIDES: dict[str, str] = {
    "sue": "accused",
    "prosecute": "accused",
    "indict": "accused",
    "convict": "accused",
    "kill": "killed",
    "murder": "killed",
    "slay": "killed",
    "assassinate": "killed",
    "massacre": "killed",
    "slaughter": "killed",
    "butcher": "killed",
    "behead": "killed",
    "decapitate": "killed",
    "gun down": "killed",
    "execute": "killed",
    "shoot down": "shot_down",
}
PREPOSITIONS = {
    "with",
    "to",
    "on",
    "against",
    "into",
    "for",
    "at",
    "from",
    "upon",
    "over",
    "in",
    "by",
    "about",
    "toward",
    "towards",
    "between",
}
PARTICLES = {"down", "up", "out", "off", "back", "away"}
BLOCK_RE = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
VERB_RE = re.compile(r"^(\+?)([A-Z][A-Z_'\-]*)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?")


def relation_for(code: str) -> tuple[str, str, list[str] | None] | None:
    """(prefix, relation, object types) for a CAMEO code, longest prefix first."""
    for n in range(len(code), 1, -1):
        hit = CODE_TO_RELATION.get(code[:n])
        if hit:
            return code[:n], hit[0], hit[1]
    return None


def read_plover(path: Path) -> dict[str, str]:
    """CAMEO code -> PLOVER category."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
        if m:
            out.setdefault(m.group(1), m.group(2))
    return out


def plover_of(code: str, table: dict[str, str]) -> str | None:
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def _code(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip("[] ")
    if not raw or raw.startswith("---"):
        return None
    parts = [p for p in raw.split(":") if p.strip() and not p.strip().startswith("-")]
    return parts[0].strip() if parts else None


def read_cameo(path: Path) -> list[tuple[str, str, str]]:
    """(verb phrase as in CAMEO, code, block name) for every verb line with a code."""
    out: list[tuple[str, str, str]] = []
    in_verbs = False
    block_code: str | None = None
    block = ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if "VERB PATTERNS" in line:
            in_verbs = True
            continue
        if not in_verbs:
            continue
        line = line.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        m = BLOCK_RE.match(line)
        if m:
            block, block_code = m.group(1), _code(m.group(2))
            continue
        if line.startswith("-"):
            continue  # noun-phrase patterns: not used
        m = VERB_RE.match(line.strip())
        if not m:
            continue
        code = _code(m.group(4)) or block_code
        if code:
            out.append((m.group(2), code, block))
    return out


def build(corpora: Path) -> tuple[dict[str, dict[str, object]], dict[str, int]]:
    plover = read_plover(corpora / PLOVER_FILE)
    verbs: dict[str, dict[str, object]] = {}
    stats = {"cameo_verbs": 0, "kept": 0, "unmapped_code": 0, "excluded": 0, "skipped_shape": 0}
    for phrase, code, _block in read_cameo(corpora / CAMEO_FILE):
        stats["cameo_verbs"] += 1
        hit = relation_for(code)
        if hit is None:
            stats["unmapped_code"] += 1
            continue
        _, relation, obj_types = hit
        words = [w for w in phrase.lower().split("_") if w]
        if "_".join(words) in EXCLUDE:
            stats["excluded"] += 1
            continue
        relation = VERB_OVERRIDES.get(" ".join(words), relation)
        if relation == "killed":
            obj_types = ["PERSON"]
        if not words or any(not re.fullmatch(r"[a-z][a-z'\-]*", w) for w in words):
            stats["skipped_shape"] += 1
            continue
        base_roles = next(
            (r for n in range(len(code), 1, -1) if (r := CODE_ROLES.get(code[:n])) is not None),
            ["obj"],
        )
        if len(words) == 1:
            key, roles = words[0], list(base_roles)
        elif len(words) == 2 and words[1] in PREPOSITIONS:
            key, roles = words[0], [f"obl[{words[1]}]"]
        elif len(words) == 2 and words[1] in PARTICLES:
            key, roles = f"{words[0]} {words[1]}", list(base_roles)
        else:
            stats["skipped_shape"] += 1
            continue
        frame: dict[str, object] = {"relation": relation, "object": roles, "cameo": code}
        cat = plover_of(code, plover)
        if cat:
            frame["plover"] = cat
        if obj_types:
            frame["object_types"] = obj_types
        prev = verbs.get(key)
        if prev is not None:
            if prev["relation"] != relation:
                continue  # first code listed for a verb wins
            merged = list(dict.fromkeys([*prev["object"], *roles]))  # type: ignore[misc]
            prev["object"] = merged
            continue
        verbs[key] = frame
        stats["kept"] += 1
    return dict(sorted(verbs.items())), stats


HEADER = """\
# GENERATED by scripts/build_lexicon.py -- do not edit by hand (rerun the script).
# English trigger verbs seeded from the CAMEO verb dictionary of PETRARCH2
# (shared/corpora/{cameo}; MIT licence, Open Event Data Alliance), CAMEO codes mapped to
# PLOVER with shared/corpora/{plover} (PLOVER codebook, CC BY-SA 4.0), then to relextract
# relations by CODE_TO_RELATION in scripts/build_lexicon.py. Each frame keeps its CAMEO code
# and PLOVER category. Entries of the hand-curated triggers.yml win over these.
# {stats}
"""


def render(verbs: dict[str, dict[str, object]], stats: dict[str, int]) -> str:
    head = HEADER.format(
        cameo=CAMEO_FILE.as_posix(),
        plover=PLOVER_FILE.as_posix(),
        stats=", ".join(f"{k} {v}" for k, v in stats.items()),
    )
    body = {
        "lang": "en",
        "source": "PETRARCH2 CAMEO.2.0.txt + PLOVER CAMEO2PLOVER-2021.txt",
        "verbs": verbs,
    }
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="fail if the file is out of date")
    a = ap.parse_args(argv)
    verbs, stats = build(a.corpora)
    text = render(verbs, stats)
    if a.check:
        current = a.out.read_text(encoding="utf-8") if a.out.exists() else ""
        if current != text:
            print(f"{a.out} is out of date: rerun scripts/build_lexicon.py", file=sys.stderr)
            return 1
        return 0
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    print(f"wrote {a.out}: {stats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
