"""The relation rule layer: ``relextract_relations``.

Runs after the entity layer on a Doc with a dependency parse and sets ``doc._.relations`` to a
list of :class:`relextract.relation.Relation` (closed vocabulary of ``shared/spec/SCHEMA.md``).

How it works:

1. the parse is normalised to UD (:mod:`relextract.components.ud_labels`), so spaCy's English
   ClearNLP labels work too;
2. the dependency patterns of the language (``resources/patterns/``, spaCy
   ``DependencyMatcher`` format, loaded by :mod:`relextract.rules`) find constructions: a verb
   with an object, a passive with an agent, a nominal event with its arguments, a title noun
   next to a person, an organisation or place next to a place...;
3. the construction's handler reads the named nodes of a match: it looks the trigger up in the
   language's lexicon (lemma -> relation, argument roles such as ``obj`` or ``obl[con]``, allowed
   entity types), finds the subject when the pattern does not give it (control verbs,
   coordinated verbs, relative clauses, participles, pro-drop from the previous sentence) and
   maps argument words to entities (``doc.ents``), expanding coordinations;
4. modality (asserted / reported / hypothetical / speculative) and negation come from cue words
   found by walking up the tree from the trigger (``lexicons/<lang>/cues.yml``);
5. confidence is the rule's calibrated value (``patterns/confidence.yml``) times a factor for each
   inference step used (``pro_drop``, ``control``, ``possessor``...).

Subjects and objects are always entities: a relation to a common noun is never emitted.
Symmetric relations are emitted once, subject first in text order; a (subject, relation, object)
appears at most once per sentence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from relextract import extensions as _extensions  # registers Doc._.relations
from relextract import rules as rules_mod
from relextract.components.ud_labels import to_ud
from relextract.depmatch import Match, make_matcher
from relextract.kb import KnowledgeBase
from relextract.lemmas import lookup_lemma
from relextract.relation import Relation
from relextract.rules import Frame, RuleSet, Title, format_role, norm_phrase, norm_word
from relextract.schema import OTHER_RELATION, STATIC_RELATIONS, SYMMETRIC_RELATIONS, event_type

_extensions.register()

ROOT_DEPS = frozenset({"ROOT", "root"})
NOMINAL = frozenset({"NOUN", "PROPN", "X", "NUM", "SYM"})
VERBAL = frozenset({"VERB", "AUX"})
NAME_LINKS = frozenset({"appos", "flat", "flat:name", "nmod:desc", "compound", "nmod:unmarked"})
OPEN_SKIP = frozenset({"be", "have", "essere", "avere", "do", "fare", "get", "stare", "venire"})
_MODALITY_RANK = {"asserted": 0, "reported": 1, "speculative": 2, "hypothetical": 3}


@dataclass
class _Cand:
    subj: Span
    relation: str
    obj: Span
    trigger: list[int]
    anchor: int
    rule: str
    how: list[str]
    static: bool
    modal: bool


@dataclass
class _Sentence:
    start: int
    end: int
    index: int
    subject: Span | None = None


@dataclass
class _Resolved:
    ent: Span
    how: list[str] = field(default_factory=list)


def _has_case(tok: Token) -> bool:
    return any(c.dep_ == "case" for c in tok.children)


class _DocRelations:
    """Finds the relations of one Doc (``ud`` is its UD-normalised twin, same token indexes)."""

    def __init__(self, layer: RelationLayer, doc: Doc, ud: Doc) -> None:
        self.layer = layer
        self.rs: RuleSet = layer.rules
        self.doc = doc
        self.ud = ud
        self.ent_at: list[Span | None] = [None] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.ent_at[i] = ent
        self.cands: list[_Cand] = []
        self._lemmas: dict[int, str] = {}
        self.sents: list[_Sentence] = []
        self.sent_of: list[int] = [0] * len(doc)
        for k, s in enumerate(ud.sents):
            self.sents.append(_Sentence(s.start, s.end, k))
            for i in range(s.start, s.end):
                self.sent_of[i] = k
        st = self.rs.settings
        self.pro_drop = bool(st.get("pro_drop", False))
        self.light_verbs = self.rs.setting_set("light_verbs")
        self.actor_nouns = self.rs.setting_set("actor_nouns")
        self.possessor_relations = self.rs.setting_set("possessor_relations")
        self.possessor_roles = frozenset(self.rs.setting_list("possessor_roles"))
        self.no_object_control = self.rs.setting_set("object_control_exclude")
        self.clause_preps = self.rs.setting_set("clause_preps")
        self.relative_pronouns = self.rs.setting_set("relative_pronouns")
        self.media_relations: dict[str, str] = dict(st.get("media_relations") or {})
        self.prep_nouns = self.rs.setting_set("prep_nouns")
        ts = self.rs.title_settings
        self.org_roles = frozenset(str(r) for r in ts.get("org_roles", ()))
        self.located_roles = frozenset(str(r) for r in ts.get("located_roles", ()))
        self.located_subj = frozenset(ts.get("located_subject_types", ("ORG", "LOC", "EVENT")))
        self.located_obj = frozenset(ts.get("located_object_types", ("LOC", "STATE")))
        self.place_nouns = self.rs.setting_set("place_nouns")
        self.based_words = self.rs.setting_set("based_words")
        self.part_words = self.rs.setting_set("part_words")
        self.part_links = self.rs.setting_set("part_links")
        self.part_after = self.rs.setting_set("part_after")
        self.office_nouns = self.rs.setting_set("office_nouns")
        self.office_preps = self.rs.setting_set("office_preps")
        self.office_exclude = self.rs.setting_set("office_exclude_verbs")
        self.office_verbs = self.rs.setting_set("office_verbs")
        self.appos_heads = self.rs.setting_set("located_appos_heads")
        self.located_loc_roles = frozenset(str(r) for r in ts.get("located_loc_roles", ()))

    # ---------------------------------------------------------------- token helpers

    def lemma(self, tok: Token) -> str:
        """The token's lemma; when the pipeline's lemma is a word the rules do not know and
        spaCy's lookup table gives one they know ("expelled" lemmatised "expell" -> "expel"),
        the latter."""
        got = self._lemmas.get(tok.i)
        if got is None:
            got = norm_word(tok.lemma_ or tok.text)
            known = self.layer.known_words
            if got not in known:
                alt = lookup_lemma(self.rs.lang, tok.text)
                if alt is not None and norm_word(alt) in known:
                    got = norm_word(alt)
            self._lemmas[tok.i] = got
        return got

    def prep(self, tok: Token) -> str | None:
        """The (normalised) preposition introducing ``tok``: its ``case`` dependents before it."""
        words: list[str] = []
        for c in tok.children:
            if c.dep_ == "case" and c.i < tok.i:
                words.append(c.text)
                words += [f.text for f in c.children if f.dep_ == "fixed"]
        return norm_phrase(" ".join(words)) if words else None

    def prep_noun_object(self, tok: Token) -> Token | None:
        """ "nei confronti di X", "a carico di X", "da parte di X": the parser makes the noun
        of a complex preposition (``settings.prep_nouns``) the head; its "di/of" dependent is
        the argument."""
        if tok.lower_ not in self.prep_nouns or self.prep(tok) is None:
            return None
        for c in tok.children:
            if c.dep_ == "nmod" and c.i > tok.i and self.prep(c) in ("di", "of"):
                return c
        return None

    def role(self, tok: Token) -> str:
        dep = tok.dep_
        if dep in ("obl", "nmod", "obl:arg", "obl:mod"):
            prep = self.prep(tok)
            inner = self.prep_noun_object(tok) if prep is not None and self.prep_nouns else None
            if inner is not None:  # "nei confronti di X": nmod[in confronti di]
                prep = f"{prep} {tok.lower_} {self.prep(inner) or ''}"
            if prep is None and dep == "nmod" and self.after_comma(tok):
                return "appos"  # parsers often label "X, direttore di Y" nmod, not appos
            base = "obl" if dep.startswith("obl") else "nmod"
            h = tok.head
            if (base == "obl" and h.i != tok.i and h.pos_ in ("NOUN", "PROPN")
                    and not any(c.dep_ == "cop" for c in h.children)):
                base = "nmod"  # an obl under a noun that is no predicate is the parser's nmod
            return format_role(base, prep)
        if dep == "nmod:desc":
            return "compound"
        if dep == "nsubj" and tok.head.dep_ == "ccomp":
            return "ccomp:nsubj"
        return dep

    def after_comma(self, tok: Token) -> bool:
        """The phrase of ``tok`` is set off by a comma (or bracket) after its head's phrase."""
        if tok.head.i >= tok.i:
            return False
        for x in tok.subtree:
            if x.i >= tok.i or not x.is_punct:
                break
            if x.text in (",", "("):
                return True
        left = tok.left_edge.i
        return left > 0 and self.ud[left - 1].text in (",", "(")

    def is_passive(self, tok: Token) -> bool:
        return any(c.dep_ in ("nsubj:pass", "aux:pass", "csubj:pass") for c in tok.children)

    def conjuncts(self, tok: Token) -> list[Token]:
        out = [tok]
        todo = [tok]
        while todo:
            x = todo.pop()
            for c in x.children:
                if c.dep_ == "conj" and c.pos_ in NOMINAL | {"PRON", "ADJ"} and c not in out:
                    out.append(c)
                    todo.append(c)
        return out

    def is_relative(self, tok: Token) -> bool:
        if "PronType=Rel" in str(tok.morph):
            return True
        return tok.pos_ in ("PRON", "DET") and self.lemma(tok) in self.relative_pronouns

    def antecedent(self, tok: Token) -> Token | None:
        x = tok
        for _ in range(5):
            if x.dep_ in ("acl:relcl", "advcl:relcl"):
                return x.head
            if x.dep_ in ROOT_DEPS or x.head.i == x.i:
                return None
            x = x.head
        return None

    # ---------------------------------------------------------------- entities

    def resolve(self, tok: Token) -> _Resolved | None:
        """The entity a word stands for: its own entity; a name in apposition to a noun ("il
        presidente Putin"); the state of an actor noun ("the Russian government"); the
        antecedent of a relative pronoun."""
        ent = self.ent_at[tok.i]
        if ent is not None:
            return _Resolved(ent)
        inner = self.prep_noun_object(tok) if self.prep_nouns else None
        if inner is not None:  # "nei confronti di X": X
            return self.resolve(inner)
        if self.is_relative(tok):
            ante = self.antecedent(tok)
            if ante is not None and ante.i != tok.i:
                r = self.resolve(ante)
                if r is not None:
                    return _Resolved(r.ent, [*r.how, "relative"])
            return None
        if tok.pos_ == "PRON" and tok.dep_ in ("nsubj", "nsubj:pass"):
            return self.reported_speaker(tok)
        if tok.pos_ not in NOMINAL:
            return None
        if self.lemma(tok) in self.actor_nouns or tok.text.lower() in self.actor_nouns:
            for c in tok.children:
                e = self.ent_at[c.i]
                if e is None or e.label_ not in ("STATE", "ORG"):
                    continue
                if self.role(c) in self.possessor_roles:
                    return _Resolved(e, ["actor_noun"])
        head_ent = self.ent_at[tok.head.i]
        if (
            tok.dep_ in ("compound", "nmod:desc")
            and head_ent is not None
            and head_ent.label_ in ("PERSON", "ORG")
            and tok.head.i > tok.i
        ):
            return _Resolved(head_ent, ["name"])  # "the pressure group HRIC": group -> HRIC
        org_heads = self.rs.setting_set("org_head_nouns")
        for c in tok.children:
            if c.dep_ == "compound" and c.i < tok.i and self.lemma(tok) not in org_heads:
                continue  # "an Al Qaeda operative" is not Al Qaeda ("PAP news agency" is PAP)
            if c.dep_ in NAME_LINKS or (c.dep_ == "nmod" and not _has_case(c)):
                e = self.ent_at[c.i]
                if (
                    e is not None
                    and e.label_ in ("PERSON", "ORG")
                    and not (e.start <= tok.i < e.end)
                ):
                    return _Resolved(e, ["name"])
        named = self.title_of_entity_name(tok)
        if named is not None:  # "il candidato dell'Ump Nicolas Sarkozy": Sarkozy
            return _Resolved(named, ["name"])
        if self.lemma(tok) in self.place_nouns:  # "the city of Arbil", "la città di Kindu"
            for c in tok.children:
                e = self.ent_at[c.i]
                if (
                    e is not None
                    and e.label_ in ("LOC", "STATE")
                    and self.role(c) in ("nmod[of]", "nmod[di]")
                    and not any(
                        x.dep_ in ("amod", "compound", "nmod:poss") and self.ent_at[x.i]
                        for x in tok.children
                    )
                ):
                    return _Resolved(e, ["place_noun"])
        return None

    def title_of_entity_name(self, tok: Token) -> Span | None:
        """The person named right after "title of ORG": "il candidato dell'Ump Nicolas
        Sarkozy", "the president of Fiat Mario Rossi" (the parser hangs the name on the
        organisation). ``tok`` must be a title word."""
        if not self.title_entries(tok):
            return None
        k = tok.i + 1
        n = len(self.ud)
        if k >= n or norm_word(self.ud[k].text) not in ("di", "of"):
            return None
        k += 1
        if k < n and self.ud[k].pos_ == "DET":
            k += 1
        org = self.ent_at[k] if k < n else None
        if org is not None and org.start == k and org.label_ in ("ORG", "STATE"):
            end = org.end
        else:  # an organisation's name the NER left out ("dell'Ump"): one or two names
            end = k
            while end < n and end - k < 2 and self.ent_at[end] is None and (
                self.ud[end].pos_ == "PROPN" and self.ud[end].is_title
            ):
                end += 1
            if end == k:
                return None
        person = self.ent_at[end] if end < n else None
        if person is None or person.start != end or person.label_ != "PERSON":
            return None
        return person

    def reported_speaker(self, tok: Token) -> _Resolved | None:
        """ "Lebed said he and Maskhadov agreed": a third-person singular subject pronoun of a
        clause reported by a PERSON stands for that person."""
        morph = str(tok.morph)
        if "Person=3" not in morph or "Number=Plur" in morph or "PronType=Prs" not in morph:
            return None
        if self.lemma(tok) in self.rs.setting_set("subject_pronouns") or not self.rs.setting_set(
            "subject_pronouns"
        ):
            x = tok.head
            for _ in range(3):
                if (
                    x.dep_ in ("ccomp", "parataxis")
                    and self.lemma(x.head) in self.rs.cues.reported_verbs
                ):
                    for c in x.head.children:
                        if c.dep_ == "nsubj":
                            e = self.ent_at[c.i]
                            if e is not None and e.label_ == "PERSON":
                                return _Resolved(e, ["coref"])
                    return None
                if x.dep_ in ROOT_DEPS or x.head.i == x.i:
                    return None
                x = x.head
        return None

    def possessor(self, tok: Token) -> _Resolved | None:
        """ "Israel's settlement policy" -> Israel (for relations that take it, e.g. criticized)."""
        for c in tok.children:
            e = self.ent_at[c.i]
            if e is None or e.start <= tok.i < e.end:
                continue
            if self.role(c) in self.possessor_roles and e.label_ in ("STATE", "ORG", "PERSON"):
                return _Resolved(e, ["possessor"])
        return None

    def args(
        self,
        tok: Token,
        types: Iterable[str],
        relation: str,
        *,
        possessor: bool = True,
        agent: bool = False,
    ) -> list[_Resolved]:
        """Entities of an argument word and of its conjuncts, restricted to ``types``.
        ``agent``: the word is the doer of an act, so a place unknown to the knowledge base
        ("Bayer" tagged LOC) is read as an organisation when organisations are allowed."""
        allowed = set(types)
        out: list[_Resolved] = []
        for k, x in enumerate(self.conjuncts(tok)):
            r = self.resolve(x)
            if r is None and possessor and relation in self.possessor_relations:
                r = self.possessor(x)
            r = self.accept(r, allowed, agent=agent)
            if r is None:
                continue
            if k:
                r = _Resolved(r.ent, [*r.how, "conj"])
            if all(o.ent != r.ent for o in out):
                out.append(r)
        return out

    def accept(
        self, r: _Resolved | None, types: Iterable[str], *, agent: bool = False
    ) -> _Resolved | None:
        """``r`` if its label is allowed; for an agent, a proper-name place unknown to the
        knowledge base is read as an organisation ("Bayer" tagged LOC)."""
        if r is None:
            return None
        allowed = set(types)
        if r.ent.label_ in allowed:
            return r
        if (
            agent
            and r.ent.label_ == "LOC"
            and "ORG" in allowed
            and not getattr(r.ent._, "kb_id", None)
            and self.ud[r.ent.root.i].pos_ == "PROPN"
        ):
            return _Resolved(r.ent, [*r.how, "loc_as_org"])
        return None

    # ---------------------------------------------------------------- lexicon

    def frames_for(
        self, tok: Token, table: dict[str, list[Frame]]
    ) -> list[tuple[Frame, list[int]]]:
        """Frames whose head is ``tok``'s lemma and whose extra words are its dependents;
        multiword frames that match hide the single-word ones."""
        lem = self.lemma(tok)
        frames = table.get(lem) or table.get(tok.text.lower()) or []
        if not frames:
            return []
        multi: list[tuple[Frame, list[int]]] = []
        single: list[tuple[Frame, list[int]]] = []
        kids = {self.lemma(c): c.i for c in tok.children}
        kids.update({c.text.lower(): c.i for c in tok.children})
        for fr in frames:
            if not fr.extra:
                single.append((fr, []))
            elif all(w in kids for w in fr.extra):
                multi.append((fr, [kids[w] for w in fr.extra]))
        return multi or single

    def title_entries(self, tok: Token) -> list[Title]:
        """Every title the word is a word of (single or multiword), by lemma else by form."""
        return self.rs.titles.get(self.lemma(tok)) or self.rs.titles.get(tok.lower_) or []

    def titles_for(self, tok: Token) -> list[Title]:
        titles = self.title_entries(tok)
        if not titles:
            return []
        kids = {self.lemma(c) for c in tok.children} | {c.text.lower() for c in tok.children}
        multi = [t for t in titles if t.extra and all(w in kids for w in t.extra)]
        return multi or [t for t in titles if not t.extra]

    # ---------------------------------------------------------------- subjects

    def subjects(
        self, t: Token, *, passive: bool = False, depth: int = 0
    ) -> tuple[list[Token], str]:
        """Subject words of predicate ``t`` and how they were found ("" = its own subject;
        "control", "conj", "acl", "advcl"; "prodrop" = none here, use the previous sentence)."""
        want = "nsubj:pass" if passive else "nsubj"
        direct = [c for c in t.children if c.dep_ == want]
        if direct:
            return direct, ""
        if depth > 4:
            return [], ""
        dep = t.dep_
        head = t.head
        if passive:
            if dep == "acl" and head.pos_ in NOMINAL:
                return [head], "acl"
            return [], ""
        if dep == "xcomp":
            if self.lemma(head) not in self.no_object_control:
                ctrl = [
                    c
                    for c in head.children
                    if c.dep_ in ("obj", "iobj") or self.role(c) == "obl[a]"
                ]
                if ctrl:
                    return ctrl, "control"
            if self.is_passive(head):
                sp = [c for c in head.children if c.dep_ == "nsubj:pass"]
                if sp:
                    return sp, "control"
            s, how = self.subjects(head, depth=depth + 1)
            return s, ("control" if s else how)
        if dep == "conj" and head.pos_ in VERBAL | {"ADJ", "NOUN"}:
            s, how = self.subjects(head, passive=False, depth=depth + 1)
            if self.is_passive(head):
                return [], ""
            return s, ("conj" if s else how)
        if dep == "acl" and head.pos_ in NOMINAL and not self.is_passive(t):
            morph = str(t.morph)
            if "VerbForm=Ger" in morph or "Tense=Pres" in morph or "VerbForm=Part" not in morph:
                return [head], "acl"
        if dep == "advcl" and (
            not any(c.dep_ == "mark" for c in t.children)
            or any(f in str(t.morph) for f in ("VerbForm=Inf", "VerbForm=Ger", "VerbForm=Part"))
        ):
            s, how = self.subjects(head, depth=depth + 1)
            return s, ("advcl" if s else "")
        if (
            dep == "ccomp"
            and self.pro_drop
            and self.finite(t)
            and self.lemma(head) in self.rs.cues.reported_verbs
        ):
            s, how = self.subjects(head, depth=depth + 1)
            return s, ("coref" if s else "")
        if (
            dep in ROOT_DEPS
            and self.pro_drop
            and self.finite(t)
            and not any(
                c.dep_ in ("expl", "csubj", "expl:impers", "nsubj:pass") for c in t.children
            )
        ):
            return [], "prodrop"
        return [], ""

    def finite(self, t: Token) -> bool:
        morph = str(t.morph)
        if "Mood=Imp" in morph:
            return False
        if "VerbForm=Fin" in morph:
            return True
        return any(
            c.dep_ in ("aux", "aux:pass") and "VerbForm=Fin" in str(c.morph) for c in t.children
        )

    def subject_args(
        self, t: Token, types: Iterable[str], relation: str, *, passive: bool = False
    ) -> list[_Resolved]:
        toks, how = self.subjects(t, passive=passive)
        if how == "prodrop":
            prev = self.previous_subject(t)
            if prev is None or prev.label_ not in set(types):
                return []
            return [_Resolved(prev, ["pro_drop"])]
        out: list[_Resolved] = []
        agent = relation not in STATIC_RELATIONS
        for tok in toks:
            for r in self.args(tok, types, relation, possessor=False, agent=agent):
                out.append(_Resolved(r.ent, [*r.how, how] if how else r.how))
        return out

    def sentence_subject(self, s: _Sentence) -> Span | None:
        root = self.ud[s.start : s.end].root
        for c in root.children:
            if c.dep_ in ("nsubj", "nsubj:pass"):
                r = self.resolve(c)
                if r is not None and r.ent.label_ in ("PERSON", "ORG", "STATE"):
                    return r.ent
        return None

    def previous_subject(self, t: Token) -> Span | None:
        k = self.sent_of[t.i]
        return self.sents[k - 1].subject if k > 0 else None

    # ---------------------------------------------------------------- constructions

    def add(
        self,
        subj: Span,
        relation: str,
        obj: Span,
        trigger: list[int],
        anchor: int,
        rule: str,
        how: Iterable[str],
        *,
        static: bool = False,
        modal: bool = True,
        inverse: bool = False,
    ) -> None:
        if inverse:
            subj, obj = obj, subj
        if subj == obj or (subj.start < obj.end and obj.start < subj.end):
            return
        if _canon(subj) == _canon(obj):
            return
        if self.malformed(subj) or self.malformed(obj):
            return  # "cattedrale di", "Assalto a": an entity cut in the middle of a phrase
        hows = [h for h in how if h]
        media = self.media_relations.get(relation)
        if media and obj.label_ == "PERSON" and self.is_media(subj):
            relation = media  # "News.Az spoke with X": a news outlet speaking with a person
        self.cands.append(
            _Cand(
                subj,
                relation,
                obj,
                sorted(set(trigger)),
                anchor,
                rule,
                list(dict.fromkeys(hows)),
                static,
                modal,
            )
        )

    def is_media(self, ent: Span) -> bool:
        """A news organisation of the knowledge base (type ``media``)."""
        if ent.label_ != "ORG":
            return False
        kb = KnowledgeBase.for_lang(self.layer.lang)
        org = kb.lookup_org(getattr(ent._, "canonical", None) or ent.text) or kb.lookup_org(
            ent.text
        )
        return org is not None and org.type == "media"

    def malformed(self, ent: Span) -> bool:
        edge = {"ADP", "DET", "CCONJ", "SCONJ", "PUNCT"}
        first, last = self.ud[ent.start], self.ud[ent.end - 1]
        if last.pos_ in edge and not (last.text == ")" and "(" in ent.text):
            return True  # (a closing bracket of the name's own is fine: "Act (H.R.5632)")
        if first.pos_ not in {"ADP", "CCONJ", "PUNCT"} or len(ent) == 1:
            return False
        # a capitalised word inside a sentence is a name's, whatever its tag ("Per
        # Zetterquist", "Di Maio"); a sentence start right after a word is the parser's
        inside = not first.is_sent_start or (first.i > 0 and self.ud[first.i - 1].is_alpha)
        return not (first.is_title and first.is_alpha and inside)

    def label(self, ent: Span) -> str:
        """The entity's label; a MISC nationality adjective ("Bosnian", "Zairean") counts as
        STATE for the title and demonym rules (titles.yml settings.misc_demonym_suffixes)."""
        if ent.label_ not in ("MISC", "ORG") or len(ent) != 1:
            return ent.label_
        if ent.label_ == "ORG" and self.ud[ent.start].pos_ != "ADJ":
            return ent.label_
        word = ent.text
        ts = self.rs.title_settings
        suffixes = tuple(str(x) for x in ts.get("misc_demonym_suffixes", ()))
        stop = self.rs.setting_set("misc_demonym_stop")
        if (
            suffixes
            and word[:1].isupper()
            and word.lower().endswith(suffixes)
            and word.lower() not in stop
            and self.ud[ent.start].pos_ in ("ADJ", "PROPN")
        ):
            return "STATE"
        return ent.label_

    def c_verb(self, rule: str, n: dict[str, Token]) -> None:
        t, o = n["trigger"], n["obj"]
        if not self.layer.open_relations and not self.frames_for(t, self.rs.verbs):
            return  # not a trigger: nothing below can fire
        role = "ccomp:nsubj" if "clause" in n else self.role(o)
        if "clause" in n and n["clause"].dep_ != "ccomp":
            marks = {self.lemma(c) for c in n["clause"].children if c.dep_ == "mark"}
            if not marks & {"that", "che"}:
                return  # an adverbial clause, not "demanded that..."
        passive = self.is_passive(t) or (
            t.dep_ == "acl" and "VerbForm=Part" in str(t.morph) and "Tense=Past" in str(t.morph)
        )
        frames = self.frames_for(t, self.rs.verbs)
        fired = False
        saying = self.lemma(t) in self.rs.cues.reported_verbs and any(
            c.dep_ == "ccomp" for c in t.children
        )  # "sostiene che...": the reporting sense of an ambiguous verb
        for fr, extra in frames:
            if role not in fr.object_roles or (saying and role != "ccomp:nsubj"):
                continue
            if passive != ("nsubj:pass" in fr.subject_roles):
                continue
            objs = self.args(o, fr.object_types, fr.relation)
            if not objs:
                continue
            if "subj" in n:
                subjs = self.args(n["subj"], fr.subject_types, fr.relation, possessor=False)
            else:
                subjs = self.subject_args(t, fr.subject_types, fr.relation, passive=passive)
            for s in subjs:
                for ob in objs:
                    fired = True
                    self.add(
                        s.ent,
                        fr.relation,
                        ob.ent,
                        [t.i, *extra],
                        t.i,
                        rule,
                        [*s.how, *ob.how],
                        inverse=fr.inverse,
                    )
        if (
            not frames
            and not fired
            and self.layer.open_relations
            and not passive
            and role != "ccomp:nsubj"
            and t.pos_ == "VERB"
            and self.lemma(t) not in OPEN_SKIP
            and self.lemma(t) not in self.rs.nouns
        ):
            every = ("PERSON", "STATE", "ORG", "EVENT", "LAW", "LOC", "MISC")
            objs = self.args(o, every, OTHER_RELATION, possessor=False)
            subjs = self.subject_args(t, ("PERSON", "STATE", "ORG"), OTHER_RELATION)
            for s in subjs:
                for ob in objs:
                    self.add(
                        s.ent, OTHER_RELATION, ob.ent, [t.i], t.i, rule + ".open", [*s.how, *ob.how]
                    )

    def c_verb_passive(self, rule: str, n: dict[str, Token]) -> None:
        t, o, s = n["trigger"], n["obj"], n["subj"]
        for fr, extra in self.frames_for(t, self.rs.verbs):
            if "obj" not in fr.object_roles or "nsubj:pass" in fr.subject_roles:
                continue
            objs = self.args(o, fr.object_types, fr.relation)
            subjs = self.args(s, fr.subject_types, fr.relation, possessor=False)
            for sj in subjs:
                for ob in objs:
                    self.add(
                        sj.ent,
                        fr.relation,
                        ob.ent,
                        [t.i, *extra],
                        t.i,
                        rule,
                        [*sj.how, *ob.how],
                        inverse=fr.inverse,
                    )

    def c_verb_pair(self, rule: str, n: dict[str, Token]) -> None:
        t, a, b = n["trigger"], n["subj"], n["obj"]
        if self.is_passive(t):
            return
        for fr, extra in self.frames_for(t, self.rs.verbs):
            if fr.relation not in SYMMETRIC_RELATIONS or "nsubj" not in fr.pair_roles:
                continue
            if any(self.role(c) in fr.object_roles for c in t.children):
                continue  # "X and Y met Z": handled as subject coordination
            ra = self.args(a, fr.subject_types, fr.relation, possessor=False)
            rb = self.resolve(b)
            if not ra or rb is None or rb.ent.label_ not in fr.object_types:
                continue
            self.add(ra[0].ent, fr.relation, rb.ent, [t.i, *extra], t.i, rule, ["conj"])

    def c_noun(self, rule: str, n: dict[str, Token]) -> None:
        t = n["trigger"]
        for fr, extra in self.frames_for(t, self.rs.nouns):
            trig = [t.i, *extra]
            if "pair" in n:
                self._noun_pair(rule, n, fr, trig)
            elif "subj" in n and "obj" in n:
                if self.role(n["subj"]) not in fr.subject_roles:
                    continue
                if self.role(n["obj"]) not in fr.object_roles:
                    continue
                subjs = self.args(n["subj"], fr.subject_types, fr.relation, possessor=False)
                objs = self.args(n["obj"], fr.object_types, fr.relation)
                for s in subjs:
                    for ob in objs:
                        self.add(s.ent, fr.relation, ob.ent, trig, t.i, rule, [*s.how, *ob.how])
            elif "obj" in n:
                o = n["obj"]
                if "light" in n:
                    light = n["light"]
                    if self.lemma(light) not in self.light_verbs:
                        continue
                    r = self.role(o)
                    if r.startswith("obl"):
                        r = "nmod" + r[3:]
                    elif r == "iobj":
                        r = "nmod[a]" if self.rs.lang == "it" else "nmod[to]"
                    if r not in fr.object_roles:
                        continue
                elif self.role(o) not in fr.object_roles:
                    continue
                if any(
                    self.role(c) in fr.subject_roles and self.resolve(c) is not None
                    for c in t.children
                ):
                    continue  # the noun has its own subject: noun.args handles it
                subjs = self.noun_clause_subjects(t, fr)
                objs = self.args(o, fr.object_types, fr.relation)
                for s in subjs:
                    for ob in objs:
                        self.add(s.ent, fr.relation, ob.ent, trig, t.i, rule, [*s.how, *ob.how])

    def _noun_pair(self, rule: str, n: dict[str, Token], fr: Frame, trig: list[int]) -> None:
        t, a = n["trigger"], n["pair"]
        b = n.get("pair2")
        if b is None:
            return
        if "light" in n:  # "X and Y held talks": pair from the light verb's subject
            light = n["light"]
            if "mid" in n and self.transparent(t).i != n["mid"].i:
                return
            if (
                self.lemma(light) not in self.light_verbs
                or fr.relation not in SYMMETRIC_RELATIONS
                or a.dep_ != "nsubj"
            ):
                return
            if any(self.role(c) in fr.object_roles + fr.pair_roles for c in t.children):
                return
            if any(self.role(c) in ("obl[with]", "obl[con]") for c in light.children):
                return
        elif self.role(a) not in fr.pair_roles:
            return
        # both sides of a meeting or a deal are agents: an unknown "place" there is an actor
        ra = self.accept(self.resolve(a), fr.subject_types, agent=True)
        rb = self.accept(self.resolve(b), fr.object_types, agent=True)
        if ra is None or rb is None:
            return
        self.add(ra.ent, fr.relation, rb.ent, trig, t.i, rule, [*ra.how, *rb.how])

    def transparent(self, t: Token) -> Token:
        """ "a new round of talks", "at the end of a visit": the noun that stands in the clause."""
        trans = self.rs.setting_set("transparent_nouns")
        for _ in range(2):
            if t.dep_ == "nmod" and self.prep(t) in ("of", "di") and self.lemma(t.head) in trans:
                t = t.head
        return t

    def noun_clause_subjects(self, t: Token, fr: Frame) -> list[_Resolved]:
        """Subject of a nominal trigger taken from its clause: "X held talks with Y" (light
        verb), "X said after a meeting with Y" (temporal/circumstantial preposition)."""
        for c in t.children:  # "sanctions imposed by the UN", "indagine avviata dalla Procura"
            if c.dep_ == "acl" and self.lemma(c) in self.light_verbs:
                out: list[_Resolved] = []
                for a in c.children:
                    if a.dep_ == "obl:agent":
                        out += self.args(a, fr.subject_types, fr.relation, possessor=False)
                if out:
                    return out
        t = self.transparent(t)
        head = t.head
        if head.i == t.i or head.pos_ not in VERBAL:
            return []
        if t.dep_ in ("obj", "nsubj:pass") and self.lemma(head) in self.light_verbs:
            return self.subject_args(head, fr.subject_types, fr.relation)
        if t.dep_ == "obl" and (self.prep(t) or "") in self.clause_preps:
            return [
                _Resolved(r.ent, [*r.how, "clause"])
                for r in self.subject_args(head, fr.subject_types, fr.relation)
            ]
        return []

    def c_title(self, rule: str, n: dict[str, Token]) -> None:
        t, p, o = n["title"], n["person"], n["org"]
        pent, oent = self.ent_at[p.i], self.ent_at[o.i]
        pre: list[str] = []
        if oent is None and o.pos_ in ("NOUN", "PROPN"):  # "leader of the Freedom Front party"
            ro = self.resolve(o)
            if ro is not None and ro.how and ro.how[0] in ("name", "actor_noun"):
                oent = ro.ent
        if pent is None and p.pos_ in ("NOUN", "PROPN"):  # "il dottor Guyjon, medico di X"
            r = self.resolve(p)
            if r is not None and "name" in r.how:
                pent, pre = r.ent, ["name"]
        if pent is None or oent is None or pent.label_ != "PERSON" or pent == oent:
            return
        if oent.start <= t.i < oent.end or pent.start <= o.i < pent.end:
            return
        link = n.get("cotitle", t)  # "il manager e portavoce di X, Sabine Kehm"
        if self.ent_at[link.i] is not None or self.ent_at[t.i] is not None:
            return  # a name is not a title
        if p.head == link and p.dep_ == "nmod" and _has_case(p):
            return  # "the president of X" is not a name of the president
        if link.head == p and link.dep_ == "nmod" and self.role(link) != "appos":
            return  # "X of the committee", "X del comitato": not an apposition
        if self.lemma(t) in self.rs.setting_set("partitive_words"):
            # "Andy Haldane, uno dei banchieri della BoE": the title is the partitive's noun
            if "mid" not in n or self.role(n["mid"]) not in ("nmod[di]", "nmod[of]"):
                return
            t = n["mid"]
            n = {k: v for k, v in n.items() if k != "mid"}
        titles, extra = self.titles_with_words(t)
        if o.i in extra:
            return  # "Foreign" of "Foreign Minister" is part of the title
        label = self.label(oent)
        ts = self.rs.title_settings
        rel: str | None = None
        for ti in titles:
            rel = ti.relations.get(label)
            if rel:
                break
        how: list[str] = list(pre)
        if (
            rel is None
            and titles
            and (label == "LOC" or (label == "PERSON" and self.unknown_single_name(oent)))
            and "mid" not in n
            and not getattr(oent._, "kb_id", None)
            and self.role(o) in ("nmod[di]", "nmod[of]", "nmod:poss", "compound", "nmod")
            and not any({"STATE", "LOC"} & set(ti.relations) for ti in titles)
        ):
            # "direttore della Olivetti" with Olivetti tagged LOC (or an unknown one-word
            # PERSON): an unknown "place" that has a director is an organisation
            for ti in titles:
                rel = ti.relations.get("ORG")
                if rel in ("member_of",):
                    rel = None  # "deputato del North Carolina": elected for a place
                if rel:
                    label = "ORG"
                    how = ["loc_as_org"]
                    break
        if label == "STATE" and rel in ("leader_of", "head_of") and self.group_word(t, o, extra):
            rel = str(ts.get("demonym_relation", "citizen_of"))  # "Russian opposition leader"
        deputy = self.is_deputy(t)
        if "mid" in n:
            m = n["mid"]
            if m.i in extra:  # "Dole campaign manager": the org hangs on a word of the title
                pass
            elif (
                not titles
                or self.ent_at[m.i] is not None
                or label != "ORG"
                or not self.role(m).startswith(("nmod", "compound"))
                or self.role(o) not in self.org_roles
            ):
                return
            else:  # "direttore della divisione sistemi della Texas Instruments"
                if rel in (None, "head_of", "leader_of"):
                    rel = str(ts.get("chain_relation", "works_for"))
                self.add(pent, rel, oent, [t.i], t.i, rule, how, static=True, modal="cop" in n)
                return
        role = self.role(o)
        if role not in self.org_roles:
            return
        if titles:
            if role == "amod" and label == "ORG" and o.pos_ == "ADJ":
                rel = str(ts.get("party_relation", "member_of"))  # "Republican congressman"
            elif deputy and rel in ("leader_of", "head_of"):
                rel = str(ts.get("chain_relation", "works_for"))  # "Deputy Prime Minister"
            elif rel is None and label == "STATE" and role == "amod" and "cop" not in n:
                # "un fisico americano, X": a title that says nothing of a state, with a
                # nationality adjective, gives the person's nationality
                rel = str(ts.get("demonym_relation", "citizen_of"))
                how = [*how, "demonym"]
        elif label == "STATE" and role == "amod":
            if t.pos_ not in ("NOUN", "PROPN") or self.ent_at[t.i] is not None or pre:
                return
            if "cop" in n:
                return  # "X is a Japanese name": a predicate noun is no nationality claim
            if any(
                c.i != t.i and c.dep_ in ("compound", "nmod:desc", "appos") and self.titles_for(c)
                for c in p.children
            ):
                return  # "the Dutch transport minister X": the title rules decide
            rel = str(ts.get("demonym_relation", "citizen_of"))
        if not rel:
            return
        how = how if titles else [*pre, "demonym"]
        self.add(pent, rel, oent, [t.i], t.i, rule, how, static=True, modal="cop" in n)
        if "Number=Plur" in str(t.morph):
            # "due medici della Mayo, X e Y": a plural title is each coordinated name's
            for c in self.conjuncts(p)[1:]:
                e = self.ent_at[c.i]
                if e is not None and e.label_ == "PERSON" and e != pent:
                    self.add(e, rel, oent, [t.i], t.i, rule, [*how, "conj"], static=True,
                             modal="cop" in n)

    def c_title_adjacent(self, rule: str, n: dict[str, Token]) -> None:
        """An entity, at most three more words, a title, then a person's name, read off the
        word order ("Ericsson spokesman Per Zetterquist", "Air France chairman Christian
        Blanc", "Israeli President Ezer Weizman"): the parser often leaves such a run of
        nouns unlinked. The title is the word right before the name; the words between the
        entity and it are adjectives or nouns outside any entity: a noun that is not part of
        the title makes the relation ``chain_relation`` ("Clinton campaign spokesman X")."""
        p = n["person"]
        pent = self.ent_at[p.i]
        if pent is None or pent.label_ != "PERSON" or pent.start != p.i:
            return
        # (a sentence break the parser put inside the run is crossed: only words are)
        first = self.sents[max(self.sent_of[p.i] - 1, 0)].start
        if p.i - 1 <= first:
            return
        j = p.i - 1
        if self.ud[j].text == ")" and j - 1 > first:
            j -= 1  # "(Air France chairman) Christian Blanc"
        t = self.ud[j]  # (the parse may put it in another tree: no pattern node)
        if self.ent_at[t.i] is not None or t.pos_ not in ("NOUN", "PROPN"):
            return
        candidates = self.title_entries(t)
        if not candidates:
            return
        if self.possessive_title(pent, t, candidates, first, rule):
            return
        mids: list[Token] = []
        k = t.i - 1
        while k >= first and self.ent_at[k] is None:
            w = self.ud[k]
            if len(mids) == 3 or not w.is_alpha or w.pos_ not in ("ADJ", "NOUN", "PROPN"):
                return
            mids.append(w)
            k -= 1
        oent = self.ent_at[k] if k >= first else None
        if oent is None or oent.end != k + 1 or oent == pent:
            return
        if self.entity_in_title(oent, candidates):
            return  # "Foreign" (an ORG for the NER) of "Foreign Secretary" is the title's
        titles, extra = self.titles_among(candidates, mids)
        label = self.label(oent)
        rel = self.word_order_relation(t, titles, extra, mids, label, self.title_relation(
            titles, label))
        if rel is not None:
            self.add(pent, rel, oent, [t.i], t.i, rule, [], static=True, modal=False)

    def possessive_title(
        self, pent: Span, t: Token, candidates: list[Title], first: int, rule: str
    ) -> bool:
        """ "their candidate Sarah Olney", "la loro candidata X", "his spokesman X": a
        possessive pronoun right before the title (an adjective may come between) stands for
        the nearest entity before it in the sentence, when that entity is also the sentence's
        subject ("Police arrested Rossi and his lawyer X" says nothing of the police). True
        when the title had such a pronoun (whether or not a relation came out)."""
        k = t.i - 1
        if k > first and self.ud[k].pos_ == "ADJ":
            k -= 1
        pron = self.ud[k]
        if k <= first or "Poss=Yes" not in str(pron.morph) or self.ent_at[k] is not None:
            return False
        before = (self.ent_at[j] for j in range(k - 1, first - 1, -1))
        ante = next((e for e in before if e is not None
                     and e.label_ in ("PERSON", "ORG", "STATE")), None)
        subj = self.sentence_subject(self.sents[self.sent_of[pent.start]])
        if ante is None or subj is None or ante != subj or ante == pent:
            return True
        titles, _ = self.titles_among(candidates, [])
        rel = self.title_relation(titles, self.label(ante))
        if rel is not None:
            self.add(pent, rel, ante, [t.i], t.i, rule, ["coref"], static=True, modal=False)
        return True

    def c_title_after(self, rule: str, n: dict[str, Token]) -> None:
        """A name, a comma or not, a title, at most five more words, then an entity, read off
        the word order ("Giuseppe Longo direttore marketing Olivetti", "Franco Agostinucci,
        direttore delle strategie di prodotto Olivetti", "X, director of Y"): the apposition
        the parser often breaks. Nouns between the title and the entity that are not words
        of the title make it ``chain_relation`` (the person works in a part of it). Titles
        later in the same apposition, after a comma or "and", count too ("X, researcher at A,
        ..., and associate professor at B", "X, professore a Bologna, ricercatore al Cern"), up
        to a finite verb or another person."""
        p = n["person"]
        pent = self.ent_at[p.i]
        if pent is None or pent.label_ != "PERSON" or pent.end != p.i + 1:
            return
        end = self.sents[min(self.sent_of[p.i] + 1, len(self.sents) - 1)].end
        k = p.i + 1
        if k < end and self.ud[k].text == ",":
            k += 1
        if self._office_after(pent, k, end, rule):
            return
        t = self._title_after_from(pent, k, end, rule)
        if t is None:
            return
        j = t.i + 1
        while j < end - 1:
            w = self.ud[j]
            e = self.ent_at[j]
            if (e is not None and e.label_ == "PERSON") or (
                w.pos_ in ("VERB", "AUX") and self.finite(w)
            ):
                break
            if (w.pos_ == "CCONJ" and self.lemma(w) in self.rs.setting_set("and_words")) or (
                w.text == ","
            ):
                t2 = self._title_after_from(pent, j + 1, end, rule)
                if t2 is not None:
                    j = t2.i
            j += 1

    def c_title_before(self, rule: str, n: dict[str, Token]) -> None:
        """A title, "of/di" (an article may follow), an organisation or state, then a
        person's name, read off the word order ("il presidente dell'Infn Antonino Zichichi",
        "l'amministratore delegato di Eni Claudio Descalzi", "the president of Fiat Mario
        Rossi"): the parser often hangs the name on the entity. Up to two words (a
        multiword title's or adjectives) may come between the title word and "of"."""
        p = n["person"]
        pent = self.ent_at[p.i]
        if pent is None or pent.label_ != "PERSON" or pent.start != p.i or p.i < 3:
            return
        oent = self.ent_at[p.i - 1]
        if oent is None or oent.end != p.i or oent.label_ not in ("ORG", "STATE"):
            return
        k = oent.start - 1
        if k >= 0 and self.ud[k].pos_ == "DET":
            k -= 1
        if k < 1 or norm_word(self.ud[k].text) not in ("of", "di"):
            return
        mids: list[Token] = []
        k -= 1
        while k >= 0 and self.ent_at[k] is None and len(mids) <= 2:
            t = self.ud[k]
            candidates = self.title_entries(t)
            if candidates and t.pos_ in ("NOUN", "PROPN"):
                titles, extra = self.titles_among(candidates, mids)
                if any(not self.title_word(m, extra) for m in mids if m.pos_ == "NOUN"):
                    return  # "il figlio del presidente della Fiat X": not the title's
                label = self.label(oent)
                rel = self.title_relation(titles, label)
                if rel in ("head_of", "leader_of") and self.is_deputy(t):
                    rel = str(self.rs.title_settings.get("chain_relation", "works_for"))
                if rel is not None:
                    self.add(pent, rel, oent, [t.i], t.i, rule, [], static=True, modal=False)
                return
            if t.pos_ not in ("ADJ", "NOUN") or not t.is_alpha:
                return
            mids.append(t)
            k -= 1

    def _office_after(self, pent: Span, k: int, end: int, rule: str) -> bool:
        """ "Francesco Caio, ora al vertice di Avio", "X, at the helm of Y": a name, an adverb
        or not, a preposition of ``office_preps``, an article or not, an office noun, of/di,
        an entity -> head_of (leader_of for a state), read off the word order."""
        if k < end and self.ud[k].pos_ == "ADV":
            k += 1
        if k + 2 >= end or self.ud[k].pos_ != "ADP" or (
            norm_word(self.ud[k].text) not in self.office_preps
        ):
            return False
        k += 1
        if self.ud[k].pos_ == "DET":
            k += 1
        t = self.ud[k] if k < end else None
        if t is None or (self.lemma(t) not in self.office_nouns
                         and t.lower_ not in self.office_nouns):
            return False
        k += 1
        if k < end and norm_word(self.ud[k].text) in ("di", "of"):
            k += 1
        if k < end and self.ud[k].pos_ == "DET":
            k += 1
        oent = self.ent_at[k] if k < end else None
        if oent is None or oent.start != k:
            return False
        rel, how = self.office_relation(oent)
        if rel is not None:
            self.add(pent, rel, oent, [t.i], t.i, rule, how, static=True, modal=False)
        return True

    def _title_after_from(self, pent: Span, k: int, end: int, rule: str) -> Token | None:
        """The title of person ``pent`` starting at token ``k`` (an article and up to two
        modifiers may come first: "an associate professor") and the relation to the entity
        that follows it; the title token, or None when there is no title there."""
        if k < end and self.ud[k].pos_ == "DET":
            k += 1
        for _ in range(2):  # "associate", "senior", "ex"
            if k + 1 >= end or self.ent_at[k] is not None or self.title_entries(self.ud[k]):
                break
            w = self.ud[k]
            if w.pos_ not in ("ADJ", "NOUN") or not w.is_lower:
                break
            k += 1
        if k >= end or self.ent_at[k] is not None:
            return None
        t = self.ud[k]
        candidates = self.title_entries(t)
        if t.pos_ not in ("NOUN", "PROPN") or not candidates:
            return None
        mids: list[Token] = []
        k += 1
        while k < end and self.ent_at[k] is None:
            w = self.ud[k]
            if len(mids) == 5 or w.pos_ not in ("ADP", "DET", "ADJ", "NOUN", "PROPN"):
                return t
            mids.append(w)
            k += 1
        oent = self.ent_at[k] if k < end else None
        if oent is None or oent.start != k or oent == pent:
            return t
        if self.entity_in_title(oent, candidates):
            return t  # the "entity" is a word of the title
        titles, extra = self.titles_among(candidates, mids)
        if (
            oent.label_ == "PERSON"
            and (not mids or self.title_word(mids[-1], extra))
            and not (len(pent) > 1 and self.unknown_single_name(oent)
                     and self.title_relation(titles, "ORG"))
        ):
            # "Dole campaign manager Reed": a title right before a name is the name's; not
            # when a full name came first and the "name" is an unknown single word
            # ("Giuseppe Longo direttore marketing Olivetti")
            return t
        label = self.label(oent)
        rel = self.title_relation(titles, label)
        how: list[str] = []
        # the entity owns the title: right after it, after "di/of", or after nouns of a
        # department ("direttore marketing Olivetti")
        owner = not mids or all(m.pos_ in ("NOUN", "ADJ") for m in mids) or (
            mids[-1].pos_ in ("ADP", "DET") and any(
                self.lemma(m) in ("di", "of") for m in mids[-2:] if m.pos_ == "ADP"))
        if (rel is None and label in ("LOC", "PERSON") and owner
                and self.unknown_single_name(oent)):
            # "direttore marketing Olivetti" with Olivetti tagged PERSON or LOC: an unknown
            # one-word "person" or "place" that has a director is an organisation
            rel = self.title_relation(titles, "ORG")
            if rel is not None:
                label, how = "ORG", ["loc_as_org"]
        rel = self.word_order_relation(t, titles, extra, mids, label, rel)
        if rel is not None:
            self.add(pent, rel, oent, [t.i], t.i, rule, how, static=True, modal=False)
        return t

    # -- shared by the word-order title rules

    def entity_in_title(self, ent: Span, candidates: list[Title]) -> bool:
        """The entity is a word of a multiword title of the title word ("Foreign")."""
        words = {self.lemma(w) for w in ent} | {w.lower_ for w in ent}
        return any(ti.extra and set(ti.extra) & words for ti in candidates)

    def titles_among(
        self, candidates: list[Title], words: list[Token]
    ) -> tuple[list[Title], set[str]]:
        """The titles of a title word given the words around it (the multiword titles whose
        other words are all there, else the single-word ones) and those other words."""
        around = {self.lemma(m) for m in words} | {m.lower_ for m in words}
        multi = [ti for ti in candidates if ti.extra and all(w in around for w in ti.extra)]
        titles = multi or [ti for ti in candidates if not ti.extra]
        return titles, {w for ti in titles for w in ti.extra}

    def title_word(self, m: Token, extra: set[str]) -> bool:
        """``m`` belongs to the title: one of its other words, or a title of its own."""
        return m.lower_ in extra or self.lemma(m) in extra or self.plain_title(m)

    @staticmethod
    def title_relation(titles: list[Title], label: str) -> str | None:
        return next((ti.relations[label] for ti in titles if ti.relations.get(label)), None)

    def word_order_relation(
        self, t: Token, titles: list[Title], extra: set[str], mids: list[Token], label: str,
        rel: str | None,
    ) -> str | None:
        """The relation of a word-order title ``t`` to an entity labelled ``label``, ``mids``
        the words between them: a group word before a state's leader title makes a citizen
        ("Russian opposition leader X"; "Dutch Transport Minister X" does work for the state);
        a noun that is no word of the title, or a deputy, makes ``chain_relation``."""
        others = [m for m in mids
                  if m.pos_ in ("NOUN", "PROPN", "ADJ") and not self.title_word(m, extra)]
        ts = self.rs.title_settings
        if label == "STATE" and others and rel in ("head_of", "leader_of"):
            return str(ts.get("demonym_relation", "citizen_of"))
        chain = any(m.pos_ in ("NOUN", "PROPN") for m in others)
        if (chain and label in ("ORG", "PERSON") and rel in (None, "head_of", "leader_of")) or (
            rel in ("head_of", "leader_of") and self.is_deputy(t)
        ):
            return str(ts.get("chain_relation", "works_for"))
        return rel

    def unknown_single_name(self, ent: Span) -> bool:
        """A one-word entity the knowledge base does not know and no person of the document
        has as a surname ("Olivetti", not "Rossi" after "Mario Rossi")."""
        if len(ent) != 1 or getattr(ent._, "kb_id", None):
            return False
        word = ent.text.lower()
        return not any(
            e.label_ == "PERSON" and len(e) > 1 and e[-1].lower_ == word for e in self.ud.ents
        )

    def plain_title(self, m: Token) -> bool:
        """``m`` is a title on its own ("Assistant" of "Assistant Secretary")."""
        return any(not ti.extra for ti in self.title_entries(m))

    def group_word(self, t: Token, o: Token, extra: set[int]) -> bool:
        """Title ``t`` has a noun of its own that is neither a word of the title nor the
        entity ``o`` ("opposition" of "Russian opposition leader", "rebel")."""
        return any(
            c.dep_ in ("compound", "amod", "nmod:desc") and c.i != o.i and c.i not in extra
            and c.pos_ in ("NOUN", "PROPN") and self.ent_at[c.i] is None
            and not self.plain_title(c)
            for c in t.children
        )

    def titles_with_words(self, t: Token) -> tuple[list[Title], set[int]]:
        """Titles of noun ``t`` and the token indexes of the other words of a multiword title."""
        titles = self.titles_for(t)
        words: set[int] = set()
        for ti in titles:
            for c in t.children:
                if self.lemma(c) in ti.extra or c.text.lower() in ti.extra:
                    words.add(c.i)
        return titles, words

    def is_deputy(self, t: Token) -> bool:
        """ "Deputy Prime Minister", "vice presidente", "ministro aggiunto"."""
        deputy = self.rs.setting_set("deputy_words")
        prefixes = tuple(w[:-1] for w in deputy if w.endswith("-"))
        if prefixes and self.lemma(t).startswith(prefixes) and self.lemma(t) not in prefixes:
            return True
        near = [c for c in t.children if c.dep_ in ("amod", "compound", "advmod", "nmod:desc")]
        near += [self.ud[i] for i in range(max(0, t.i - 3), t.i)]
        return any(self.lemma(c) in deputy or c.text.lower() in deputy for c in near)

    def c_affiliation(self, rule: str, n: dict[str, Token]) -> None:
        """ "John Casesa of Schroder Wertheim & Co", "Raymond Davis del Brookhaven Laboratory",
        "Tono Eitel of Germany": a person named with the organisation or state of origin;
        "Suu Kyi's National League for Democracy": the person leading a party."""
        p, o = n["person"], n["org"]
        pent, oent = self.ent_at[p.i], self.ent_at[o.i]
        if pent is None or oent is None or pent.label_ != "PERSON" or pent == oent:
            return
        roles = self.rs.setting_set("affiliation_roles")
        if "case" in n:  # next to each other in the text, however the parser attached them
            preps = {r[5:-1] for r in roles if r.startswith("nmod[")}
            if norm_word(n["case"].text) not in preps or p.i != pent.end - 1 or o.i != oent.start:
                return
        elif p.head == o:  # the person owns the organisation
            # only parties: "Suu Kyi's National League for Democracy" (a company or a club
            # "of" a person is too often a misread name: "Washington's Metropolitan Club")
            if p.dep_ != "nmod:poss" or oent.label_ != "ORG":
                return
            words = self.rs.setting_set("party_words")
            name = {w.lower() for w in str(oent._.canonical or oent.text).split()}
            name |= {t.text.lower() for t in oent}
            if name & words:
                self.add(pent, "leader_of", oent, [p.i], p.i, rule, [], static=True, modal=False)
            return
        elif self.role(o) not in roles:
            return
        if any(
            c.dep_ in ("compound", "nmod:desc") and self.titles_for(c)
            and not any(self.ent_at[g.i] is not None for g in c.children)
            for w in pent for c in w.children if not pent.start <= c.i < pent.end
        ):
            # "Foreign Minister X of Israel": the title rules decide; a title with its own
            # organisation leaves the "of" phrase to this rule ("Security Council President
            # X of Germany")
            return
        found = {"ORG": "works_for", "STATE": "citizen_of"}.get(oent.label_)
        if found is None:
            return
        self.add(pent, found, oent, [o.i], o.i, rule, [], static=True, modal=False)

    def c_demonym(self, rule: str, n: dict[str, Token]) -> None:
        p, o = n["person"], n["org"]
        pent, oent = self.ent_at[p.i], self.ent_at[o.i]
        if pent is None or oent is None or pent.label_ != "PERSON" or self.label(oent) != "STATE":
            return
        if o.dep_ != "amod" or pent == oent:
            return
        if any(
            c.dep_ in ("compound", "nmod:desc")
            and self.ent_at[c.i] is None
            and c.pos_ in ("NOUN", "PROPN")
            for c in p.children
        ):
            return  # a title word is there: the title rules decide
        rel = str(self.rs.title_settings.get("demonym_relation", "citizen_of"))
        self.add(pent, rel, oent, [o.i], o.i, rule, [], static=True, modal=False)

    def c_located(self, rule: str, n: dict[str, Token]) -> None:
        s, o = n["subj"], n["obj"]
        rs = self.resolve(s)
        oent = self.ent_at[o.i]
        if oent is None and "mid" not in n:  # "in the southwestern province of Yunnan"
            ro = self.resolve(o)
            if ro is not None and "place_noun" in ro.how:
                oent = ro.ent
        if (
            oent is None
            and self.lemma(o) in self.place_nouns
            and self.role(o) in ("nmod[in]", "nmod[a]", "nmod[at]", "nmod[near]")
        ):
            # "Vladivostok in Russia's far east", "a Homestake, nel sud del Dakota"
            for c in o.children:
                e = self.ent_at[c.i]
                if e is not None and self.role(c) in ("nmod:poss", "nmod[of]", "nmod[di]", "amod"):
                    oent = e
                    break
        if rs is None or oent is None:
            return
        sent = rs.ent
        if not any(
            self.ud[i].pos_ == "PROPN" or self.ud[i].text[:1].isupper()
            for i in range(sent.start, sent.end)
        ):
            return  # "il governo di Washington": a common noun is not a located organisation
        if sent.label_ not in self.located_subj or oent.label_ not in self.located_obj:
            return
        if oent.start <= s.i < oent.end or sent.start <= o.i < sent.end:
            return
        role = self.role(o)
        if "mid" in n:
            m = n["mid"]
            if self.ent_at[m.i] is not None or m.pos_ not in ("NOUN", "VERB", "ADJ"):
                return
            lem = self.lemma(m)
            if lem in self.based_words:  # "the New York-based group X"
                role = "appos"
            elif s.head == m and self.lemma(m) in self.place_nouns:
                # "the east China city of Hangzhou", "il porto albanese di Valona"
                if self.role(s) not in ("nmod[of]", "nmod[di]") or role not in (
                    "amod",
                    "compound",
                    "nmod:poss",
                ):
                    return
                role = "appos"
            elif m.dep_ != "appos" and self.role(m) != "appos":
                return
            elif role in self.located_roles:
                role = "appos"  # "Martha's Vineyard, l'isoletta del Massachusetts"
        elif role == "appos" and self.in_list(s, o):
            return  # a list of places, not "City, Region"
        elif role == "appos" and not (
            sent.end < len(self.ud) and self.ud[sent.end].text == ","
            and sent.end + 1 <= oent.start <= sent.end + 4
            and all((self.ud[j].is_lower and self.ud[j].pos_ in ("ADJ", "NOUN"))
                    or self.ud[j].text in ("-", "–")
                    for j in range(sent.end + 1, oent.start))
        ):
            # "Denver, Colorado", "Badarpur, south-east Delhi": a place's place follows it
            # right after a comma (a direction may come between), not clauses later
            return
        if role not in self.located_roles:
            return
        if sent.label_ == "LOC" and self.located_loc_roles and role not in self.located_loc_roles:
            return  # "da Harlem a Tor Bella Monaca": a place is located by fewer constructions
        self.add(sent, "located_in", oent, [o.i], o.i, rule, rs.how, static=True, modal=False)

    def c_part_of(self, rule: str, n: dict[str, Token]) -> None:
        """ "Hong Kong, part of China", "X come parte della Repubblica Popolare Cinese", "X fa
        parte della Nato", "Crimea is part of Ukraine", read off the word order (the parser
        often hangs "as part of" elsewhere): a place in a place or state is located_in it; a
        person or state in an organisation is a member_of it. Only the words of
        ``part_links`` may come between the entity and the part word, so "non fa parte" (a
        negation) gives nothing."""
        t = n["part"]
        if self.lemma(t) not in self.part_words and t.lower_ not in self.part_words:
            return
        lo = self.sents[max(self.sent_of[t.i] - 1, 0)].start
        hi = self.sents[min(self.sent_of[t.i] + 1, len(self.sents) - 1)].end
        k = t.i + 1
        while k < hi and self.ud[k].lower_ in self.part_after:
            k += 1  # "parte integrante di"
        if k >= hi or norm_word(self.ud[k].text) not in ("of", "di"):
            return
        k += 1
        if k < hi and self.ud[k].pos_ == "DET":
            k += 1
        oent = self.ent_at[k] if k < hi else None
        if oent is None or oent.start != k:
            return
        j, links = t.i - 1, 0
        while j >= lo and self.ent_at[j] is None:
            if links == 3 or norm_word(self.ud[j].text) not in self.part_links:
                return
            j, links = j - 1, links + 1
        sent = self.ent_at[j] if j >= lo else None
        if sent is None or sent.end != j + 1 or sent == oent:
            return
        slabel, olabel = self.label(sent), self.label(oent)
        if slabel in ("LOC", "EVENT") and olabel in ("LOC", "STATE"):
            rel = "located_in"
        elif slabel in ("PERSON", "STATE") and olabel == "ORG":
            rel = "member_of"
        else:
            return
        self.add(sent, rel, oent, [t.i], t.i, rule, [], static=True, modal=False)

    def office_relation(self, oent: Span) -> tuple[str | None, list[str]]:
        """head_of an organisation, leader_of a state, for the holder of an office of ``oent``;
        an unknown one-word "person" or "place" is an organisation ("al vertice di Avio")."""
        label, how = self.label(oent), []
        if label in ("PERSON", "LOC") and self.unknown_single_name(oent):
            label, how = "ORG", ["loc_as_org"]
        return {"ORG": "head_of", "STATE": "leader_of"}.get(label), how

    def c_office(self, rule: str, n: dict[str, Token]) -> None:
        """The office of an organisation or state reached or held by a person: "succeduto a
        Zichichi alla presidenza dell'Infn", "eletto alla guida del partito", "X, ora al
        vertice di Y", "X took the helm of Y" -> head_of (leader_of for a state). The office
        noun (``office_nouns``) comes after a preposition of ``office_preps`` (to/at, not
        "from"), or is the object of one of ``office_verbs`` ("took the helm"), and hangs on a
        verb (its subject is the person; verbs of aiming or running
        for an office, ``office_exclude_verbs``, give nothing), on the person's name, or is
        the predicate of a copula ("X è al vertice di Y"). Modality is the verb's."""
        t, o = n["office"], n["org"]
        if self.lemma(t) not in self.office_nouns and t.lower_ not in self.office_nouns:
            return
        if self.role(o) not in ("nmod[di]", "nmod[of]"):
            return
        oent = self.ent_at[o.i]
        if oent is None or oent.start <= t.i < oent.end:
            return
        rel, how = self.office_relation(oent)
        if rel is None:
            return
        h = t.head
        prep = self.prep(t)
        taken = t.dep_ == "obj" and self.lemma(h) in self.office_verbs  # "took the helm of"
        if not taken and (prep is None or prep not in self.office_preps):
            return
        subjs: list[_Resolved] = []
        anchor = t
        if h.i != t.i and h.pos_ in VERBAL and (t.dep_.startswith("obl") or taken):
            if self.lemma(h) in self.office_exclude:
                return  # "candidato alla presidenza", "aims for the presidency"
            subjs = self.subject_args(h, ("PERSON",), rel, passive=self.is_passive(h))
            e = self.ent_at[h.head.i]
            if not subjs and h.dep_ == "acl" and e is not None and e.label_ == "PERSON":
                subjs = [_Resolved(e, ["acl"])]  # "X, succeduto/nominato alla presidenza di Y"
            anchor = h
        elif h.i != t.i and self.ent_at[h.i] is not None and t.dep_ in ("nmod", "acl", "appos"):
            e = self.ent_at[h.i]
            if e is not None and e.label_ == "PERSON":
                subjs = [_Resolved(e, [])]
        else:
            subjs = [r for c in t.children if c.dep_ == "nsubj"
                     for r in self.args(c, ("PERSON",), rel, possessor=False)]
        for sj in subjs:
            self.add(sj.ent, rel, oent, [t.i], anchor.i, rule, [*sj.how, *how], static=True)

    def c_located_appos(self, rule: str, n: dict[str, Token]) -> None:
        """An organisation, place or event, a comma, an article, a describing noun
        (``place_nouns`` or ``located_appos_heads``), at most four more words, "di/in/of/a",
        then a place or state, read off the word order: "il Metropolitan Club, un club
        privato di Washington", "Vladivostok, città all'estremo est della Russia",
        "MahaNakhon, Bangkok's tallest building" is the parse rule's. The parser often hangs
        the place on an adjective of the apposition."""
        s = n["subj"]
        sent = self.ent_at[s.i]
        if sent is None or sent.end != s.i + 1 or sent.label_ not in self.located_subj:
            return
        end = self.sents[self.sent_of[s.i]].end
        k = s.i + 1
        if k + 2 >= end or self.ud[k].text != ",":
            return
        k += 1
        if self.ud[k].pos_ == "DET":
            k += 1
        head = self.ud[k]
        if self.ent_at[k] is not None or head.pos_ != "NOUN" or (
            self.lemma(head) not in self.place_nouns
            and self.lemma(head) not in self.appos_heads
            and head.lower_ not in self.appos_heads
        ):
            return
        k += 1
        words = 0
        while k < end and self.ent_at[k] is None and words <= 4:
            w = self.ud[k]
            if w.pos_ in ("AUX", "PUNCT", "PRON", "SCONJ", "CCONJ", "NUM", "PROPN") or (
                w.pos_ == "VERB" and "VerbForm=Part" not in str(w.morph)
            ):
                return  # (a participle is an adjective here: "un club privato di")
            words += 1
            k += 1
        oent = self.ent_at[k] if k < end else None
        if oent is None or oent.start != k or oent.label_ not in self.located_obj:
            return
        before = [self.ud[j] for j in range(k - 1, max(k - 3, s.i), -1)]
        adp = next((w for w in before if w.pos_ == "ADP"), None)
        if adp is None or norm_word(adp.text) not in ("di", "in", "of", "a", "at"):
            return
        if any(w.pos_ not in ("ADP", "DET") for w in before[: before.index(adp)]):
            return  # the preposition must be right before the place (an article between)
        self.add(sent, "located_in", oent, [head.i], head.i, rule, [], static=True, modal=False)

    def in_list(self, s: Token, o: Token) -> bool:
        """ "Salerno, Modena, Pavia": appositions that are really a list."""
        if sum(1 for c in s.children if self.role(c) == "appos") > 1 or s.dep_ == "conj":
            return True
        if self.role(s) == "appos":
            return True
        if any(c.dep_ == "conj" or self.role(c) == "appos" for c in o.children):
            return True
        prev = s.left_edge.i - 1
        if prev > 0 and self.ud[prev].text == ",":
            before = self.ent_at[prev - 1]
            if before is not None and before.label_ in ("LOC", "STATE"):
                return True
        nxt = o.right_edge.i + 1
        return (
            nxt + 1 < len(self.ud)
            and self.ud[nxt].text == ","
            and self.ent_at[nxt + 1] is not None
            and self.ent_at[nxt + 1].label_ in ("LOC", "STATE")  # type: ignore[union-attr]
        )

    # ---------------------------------------------------------------- modality

    def modality(self, anchor: Token) -> tuple[str, bool]:
        cues = self.rs.cues
        found: set[str] = set()
        negated = False
        fam: list[Token] = [anchor]
        neg_scope: list[Token] = [anchor]
        x = anchor
        if x.pos_ in NOMINAL:
            # "si è svolto un atteso incontro", "the expected meeting took place": the
            # clause says the event happened (its own tense and cues still count)
            occurred = (
                x.head.i != x.i
                and x.dep_ in ("obj", "nsubj", "nsubj:pass")
                and self.lemma(x.head) in cues.hypothetical_occurrence_verbs
            )
            for c in x.children:
                lem = self.lemma(c)
                if (c.dep_ in ("amod", "acl") and lem in cues.hypothetical_modifiers
                        and not occurred):
                    found.add("hypothetical")
                if c.dep_ in ("det", "advmod") and lem in cues.negation:
                    negated = True
            h = x.head
            if h.i != x.i and h.pos_ in VERBAL and x.dep_ in ("obj", "nsubj", "nsubj:pass", "obl"):
                if (
                    self.lemma(h) in cues.hypothetical_verbs
                    or self.lemma(h) in cues.hypothetical_nouns
                ):
                    found.add("hypothetical")
                fam.append(h)
                neg_scope.append(h)
                x = h
            elif h.i != x.i and h.pos_ in NOMINAL and self.lemma(h) in cues.hypothetical_nouns:
                found.add("hypothetical")
        while x.head.i != x.i and (
            x.dep_ in ("xcomp", "conj") or (x.dep_ == "advcl" and not self.finite(x))
        ):
            h = x.head
            if x.dep_ == "xcomp":
                lem = self.lemma(h)
                if lem in cues.hypothetical_verbs:
                    found.add("hypothetical")
                if lem in cues.speculative_verbs:
                    found.add("speculative")
                if lem in cues.negation_verbs:
                    negated = True
                neg_scope.append(h)
            fam.append(h)
            x = h
        for m in fam:
            found |= self._clause_cues(m)
        for m in neg_scope:
            if any(
                c.dep_ in ("advmod", "neg", "advmod:neg", "det", "cc")
                and self.lemma(c) in cues.negation
                for c in m.children
            ):
                negated = True
        # governing clauses
        steps = 0
        while x.dep_ not in ROOT_DEPS and x.head.i != x.i and steps < 8:
            h, d = x.head, x.dep_
            lem = self.lemma(h)
            if d in ("ccomp", "csubj", "csubj:pass", "xcomp", "parataxis", "advcl"):
                if lem in cues.reported_verbs or lem in cues.reported_nouns:
                    found.add("reported")
                if lem in cues.speculative_verbs or lem in cues.speculative_adjectives:
                    found.add("speculative")
                if d == "ccomp" and lem in cues.speculative_clause_verbs and (
                    self.finite(x) or any(c.dep_ == "mark" for c in x.children)
                ):
                    found.add("speculative")  # "reports suggest that X met Y"
                elif lem in cues.hypothetical_verbs or lem in cues.hypothetical_nouns:
                    found.add("hypothetical")
            elif d in ("acl", "nmod") and lem in cues.hypothetical_nouns:
                found.add("hypothetical")
            for c in h.children:
                if c.dep_ == "parataxis" and c.i != x.i and self.lemma(c) in cues.reported_verbs:
                    found.add("reported")
                if (
                    c.dep_ in ("obl", "advmod", "nmod")
                    and (self.prep(c) or "") in cues.reported_preps
                ):
                    found.add("reported")
                if c.dep_ == "advmod" and self.lemma(c) in cues.speculative_adverbs:
                    found.add("speculative")
                if c.dep_ == "advmod" and self.lemma(c) in cues.reported_adverbs:
                    found.add("reported")
            x = h
            steps += 1
        if x.dep_ in ROOT_DEPS:
            for c in x.children:  # "..., X said." as the root's parataxis was checked above
                if c.dep_ == "parataxis" and self.lemma(c) in cues.reported_verbs and c not in fam:
                    found.add("reported")
        mod = max(found, key=lambda m: _MODALITY_RANK[m]) if found else "asserted"
        return mod, negated

    def _clause_cues(self, m: Token) -> set[str]:
        cues = self.rs.cues
        found: set[str] = set()
        morph = str(m.morph)
        aux_cnd = False
        for c in m.children:
            lem = self.lemma(c)
            dep = c.dep_
            if dep in ("aux", "aux:pass"):
                cm = str(c.morph)
                if lem in cues.hypothetical_auxiliaries:
                    found.add("hypothetical")
                if cues.future_tense and "Tense=Fut" in cm:
                    found.add("hypothetical")
                if cues.conditional_mood and "Mood=Cnd" in cm:
                    aux_cnd = True
            elif dep == "mark" and lem in cues.hypothetical_marks:
                found.add("hypothetical")
            elif dep == "advmod":
                if lem in cues.speculative_adverbs:
                    found.add("speculative")
                if lem in cues.reported_adverbs:
                    found.add("reported")
                if lem in cues.hypothetical_adverbs:
                    found.add("hypothetical")
            if dep in ("obl", "advmod", "nmod") and (self.prep(c) or "") in cues.reported_preps:
                found.add("reported")
            if dep == "parataxis" and lem in cues.reported_verbs:
                found.add("reported")
        if cues.future_tense and "Tense=Fut" in morph and "VerbForm=Part" not in morph:
            found.add("hypothetical")
        if cues.conditional_mood and "Mood=Cnd" in morph:
            found.add("hypothetical")
        if aux_cnd:
            if "VerbForm=Part" in morph and cues.past_conditional != "hypothetical":
                found.add(cues.past_conditional)
            else:
                found.add("hypothetical")
        return found

    # ---------------------------------------------------------------- run

    def run(self) -> list[Relation]:
        handlers: dict[str, Callable[[str, dict[str, Token]], None]] = {
            "verb": self.c_verb,
            "verb_passive": self.c_verb_passive,
            "verb_pair": self.c_verb_pair,
            "noun": self.c_noun,
            "title": self.c_title,
            "title_adjacent": self.c_title_adjacent,
            "title_after": self.c_title_after,
            "title_before": self.c_title_before,
            "demonym": self.c_demonym,
            "located": self.c_located,
            "affiliation": self.c_affiliation,
            "part_of": self.c_part_of,
            "office": self.c_office,
            "located_appos": self.c_located_appos,
        }
        matches = self.layer.matcher(self.ud)
        by_sent: dict[int, list[tuple[int, list[int]]]] = {}
        for match_id, toks in matches:
            by_sent.setdefault(self.sent_of[toks[0]], []).append((match_id, toks))
        for s in self.sents:
            for match_id, toks in sorted(by_sent.get(s.index, []), key=lambda m: (m[1][0], m[0])):
                if len(set(toks)) < len(toks):
                    continue
                rule = self.layer.rule_of[match_id]
                names = self.layer.node_names[rule.id]
                nodes = {name: self.ud[i] for name, i in zip(names, toks, strict=False)}
                handlers[rule.construction](rule.id, nodes)
            s.subject = self.sentence_subject(s)
            if s.subject is None and s.index > 0 and self.pro_drop:
                root = self.ud[s.start : s.end].root
                if root.pos_ in VERBAL and self.subjects(root)[1] == "prodrop":
                    s.subject = self.sents[s.index - 1].subject
        return self.finish()

    def finish(self) -> list[Relation]:
        conf = self.rs.confidence
        best: dict[tuple[Any, ...], Relation] = {}
        order: list[tuple[Any, ...]] = []
        for c in self.cands:
            subj, obj = c.subj, c.obj
            if c.relation in SYMMETRIC_RELATIONS and obj.start < subj.start:
                subj, obj = obj, subj
            if c.modal:
                modality, negated = self.modality(self.ud[c.anchor])
            else:
                modality, negated = "asserted", False
            score = conf.base(c.rule)
            for h in c.how:
                score *= conf.factor(h)
            score = round(min(1.0, max(0.0, score)), 3)
            if score < self.layer.min_confidence:
                continue
            trig = c.trigger
            if trig == list(range(trig[0], trig[-1] + 1)):
                tspan = self.doc[trig[0] : trig[-1] + 1]
            else:
                tspan = self.doc[c.anchor : c.anchor + 1]
            rel = Relation(
                subject=subj,
                relation=c.relation,
                object=obj,
                trigger=tspan,
                event_type=event_type(c.relation),
                modality=modality,
                negated=negated,
                confidence=score,
                rule="+".join([c.rule, *c.how]),
            )
            a, b = _canon(subj), _canon(obj)
            if c.relation in SYMMETRIC_RELATIONS and b < a:
                a, b = b, a
            key = (self.sent_of[c.anchor], a, c.relation, b)
            if key not in best:
                order.append(key)
                best[key] = rel
            elif rel.confidence > best[key].confidence:
                best[key] = rel
        out = [best[k] for k in order]
        out.sort(key=lambda r: (r.start_char, r.subject.start, r.object.start))
        return out


def known_words(rs: RuleSet) -> frozenset[str]:
    """Every single word the rules of ``rs`` look lemmas up against."""
    words: set[str] = set()
    for table in (rs.verbs, rs.nouns, rs.titles):
        words |= set(table)
    for val in vars(rs.cues).values():
        if isinstance(val, frozenset):
            words |= {w for w in val if " " not in w}
    for settings in (rs.settings, rs.title_settings):
        for val in settings.values():
            if isinstance(val, list):
                words |= {norm_phrase(str(v)) for v in val}
    return frozenset(words)


def _canon(span: Span) -> str:
    name = getattr(span._, "canonical", None) or span.text
    return " ".join(str(name).lower().split())


class RelationLayer:
    """spaCy component: finds relation triples between ``doc.ents`` (see module docstring)."""

    def __init__(
        self,
        nlp: Language,
        name: str = "relextract_relations",
        *,
        lang: str = "",
        open_relations: bool = False,
        min_confidence: float = 0.0,
    ) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.lang: str = lang or str(nlp.lang)
        self.open_relations = bool(open_relations)
        self.min_confidence = float(min_confidence)
        self._raw: dict[str, Any] | None = None
        self._rules: RuleSet | None = None
        self._matcher: Callable[[Doc], list[Match]] | None = None
        self.rule_of: dict[int, rules_mod.PatternRule] = {}
        self.node_names: dict[str, list[str]] = {}
        self.known_words: frozenset[str] = frozenset()

    # data ---------------------------------------------------------------

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            self._load()
        assert self._rules is not None
        return self._rules

    @property
    def matcher(self) -> Callable[[Doc], list[Match]]:
        if self._matcher is None:
            self._load()
        assert self._matcher is not None
        return self._matcher

    def _load(self) -> None:
        if self._raw is None:
            rs = rules_mod.load_rules(self.lang)
        else:
            rs, problems = rules_mod.build_rules(self.lang, self._raw)
            if problems:
                raise rules_mod.RuleError(
                    "[E303] saved relation rules have problems: "
                    + "; ".join(str(p) for p in problems[:5])
                )
        matcher, _kind = make_matcher(
            self.vocab, [(pr.id, pr.pattern) for pr in rs.patterns]
        )
        self.rule_of = {}
        self.node_names = {}
        for pr in rs.patterns:
            self.rule_of[self.vocab.strings.add(pr.id)] = pr
            self.node_names[pr.id] = [str(node["RIGHT_ID"]) for node in pr.pattern]
        self.known_words = known_words(rs)
        self._rules, self._matcher = rs, matcher

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        self._load()

    # processing -----------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0 or not doc.has_annotation("DEP"):
            doc._.relations = []
            return doc
        ud = to_ud(doc)
        doc._.relations = _DocRelations(self, doc, ud).run()
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    # serialisation ----------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        raw = self._raw if self._raw is not None else rules_mod.raw_rule_data(self.lang)
        data = {"lang": self.lang, "files": raw}
        (path / "rules.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RelationLayer:
        f = Path(path) / "rules.json"
        if f.exists():
            data = json.loads(f.read_text(encoding="utf-8"))
            self._raw = dict(data.get("files") or {})
        self._rules = None
        self._matcher = None
        return self

    def use_bundled_rules(self) -> None:
        """Forget rules restored from disk and use the files bundled with the package."""
        self._raw = None
        self._rules = None
        self._matcher = None


@Language.factory(
    "relextract_relations",
    default_config={"lang": "", "open_relations": False, "min_confidence": 0.0},
)
def make_relation_layer(
    nlp: Language, name: str, lang: str, open_relations: bool, min_confidence: float
) -> RelationLayer:
    return RelationLayer(
        nlp, name, lang=lang, open_relations=open_relations, min_confidence=min_confidence
    )
