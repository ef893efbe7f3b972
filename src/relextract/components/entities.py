"""``relextract_entities``: SCHEMA entity labels, gazetteer entities and canonical names.

Runs after a statistical NER (ours: PER/ORG/LOC/MISC; spaCy's Italian: the same; spaCy's
English: OntoNotes labels) or on a blank pipeline, and rewrites ``doc.ents`` with the labels of
``shared/spec/SCHEMA.md`` (PERSON STATE ORG EVENT LAW LOC MISC), setting ``span._.canonical``,
``span._.kb_id`` and ``span._.country`` on every entity.

Steps of one call (all matchers are built once, in :meth:`EntityLayer.initialize`):

1. candidates: the NER's entities with mapped labels, and knowledge-base matches
   (PhraseMatcher on lower case for names, on exact text for acronyms): states, organisations,
   capitals, leaders, demonym adjectives;
2. context decides demonyms (STATE when they modify a person/office/institution/force noun,
   by the parse when there is one, by adjacency otherwise) and capitals (STATE when the city
   acts: subject, agent, possessor, object of a political verb, party of a relation noun);
3. overlaps are resolved (longer and more specific first), the result is set as ``doc.ents``
   provisionally so that token patterns (Matcher, data in ``resources/patterns/<lang>/
   entities.yml``) can find EVENT, LAW and ORG spans around entities; a second resolution;
4. canonical names (titles and articles stripped, short person names merged into the full
   name seen in the document, KB entities named in English) and debris removal.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import srsly
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.training import Example

from .. import extensions
from ..kb import KnowledgeBase, first_names, is_title_acronym, normalize, strip_article
from ..lemmas import common_words
from ..resources import ResourceError, load_yaml
from ..schema import ENTITY_LABELS
from .entity_names import (
    clean_surface,
    law_canonical,
    merge_person_names,
    similar_names,
    strip_titles,
)

extensions.register()

__all__ = ["EntityLayer", "EntityLayerError", "make_entity_layer", "map_ner_label"]

LANGS = ("it", "en")

#: statistical NER label -> SCHEMA label (None: drop; "GPE": STATE or LOC by the KB)
NER_LABELS: dict[str, str | None] = {
    "PER": "PERSON", "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC", "GPE": "GPE", "FAC": "LOC",
    "MISC": "MISC", "NORP": "NORP", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
    "EVENT": "EVENT", "LAW": "LAW",
    "STATE": "STATE",
    "DATE": None, "TIME": None, "PERCENT": None, "MONEY": None, "QUANTITY": None,
    "ORDINAL": None, "CARDINAL": None,
}

# priorities of candidate sources when spans overlap (higher first, then longer)
_P_PATTERN, _P_NER, _P_GAZ_LONG, _P_GAZ = 4, 2, 2, 1
#: a name with a middle initial: one or two capitalised words, "X.", a capitalised word
_INITIAL_NAME = re.compile(
    r"(?<![\w.])(?:[A-Z][a-zà-ÿ'’-]+ ){1,2}[A-Z]\. [A-Z][a-zà-ÿ'’-]+(?![\w.])"
)
#: punctuation an NER span may take in at its edges that is never part of a name
_EDGE_PUNCT = frozenset({"–", "—", "-", ",", ";", ":", "|", "/"})

_SUBJ = frozenset({"nsubj", "csubj", "nsubj:outer"})
_AGENT = frozenset({"obl:agent", "agent"})
_POSS = frozenset({"nmod:poss", "poss"})
_OBJ = frozenset({"obj", "iobj", "dobj", "dative", "obl", "pobj", "obl:arg"})
_MOD = frozenset({"amod", "compound", "nmod", "flat", "nmod:poss", "poss", "appos"})


class EntityLayerError(ValueError):
    """Misconfiguration of the entity layer; the message starts with a code and says what to do."""


def map_ner_label(label: str) -> str | None:
    """SCHEMA label for a statistical NER label (``GPE``/``NORP`` need context; None: drop)."""
    return NER_LABELS.get(label, "MISC")


@dataclass(frozen=True)
class Cand:
    """A candidate entity before overlaps are resolved."""

    start: int
    end: int
    label: str
    priority: int
    canonical: str | None = None
    kb_id: str | None = None
    country: str | None = None
    source: str = ""  # ner / gaz / pattern id


@Language.factory(
    "relextract_entities",
    default_config={"lang": "it"},
    assigns=["doc.ents", "span._.canonical", "span._.kb_id", "span._.country"],
)
def make_entity_layer(nlp: Language, name: str, lang: str) -> EntityLayer:
    return EntityLayer(nlp, name, lang=lang)


class EntityLayer:
    """The entity layer; see the module docstring. ``lang`` is ``"it"`` or ``"en"``."""

    def __init__(self, nlp: Language, name: str = "relextract_entities", *, lang: str) -> None:
        if lang not in LANGS:
            raise EntityLayerError(
                f"[E311] relextract_entities: unsupported lang {lang!r}; set the component's "
                f"config `lang` to one of {LANGS}"
            )
        self.nlp = nlp
        self.name = name
        self.lang = lang
        self.lexicon: dict[str, Any] = {}
        self.kb: KnowledgeBase | None = None
        self._initialized = False

    # ------------------------------------------------------------------ data

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        lexicon: dict[str, Any] | None = None,
    ) -> None:
        """Load the knowledge base and the lexicon (the bundled one unless ``lexicon`` is
        given) and build the matchers."""
        if lexicon is None:
            try:
                lexicon = load_yaml(f"patterns/{self.lang}/entities.yml")
            except ResourceError as exc:
                raise EntityLayerError(f"[E312] relextract_entities: {exc}") from exc
        self._set_lexicon(dict(lexicon or {}))

    def _set_lexicon(self, lexicon: dict[str, Any]) -> None:
        required = ("titles", "state_heads", "not_state_heads", "political_verbs",
                    "relational_nouns", "relational_cases", "lists", "patterns", "debris",
                    "debris_regex")
        missing = [k for k in required if k not in lexicon]
        if missing:
            raise EntityLayerError(
                f"[E313] relextract_entities: lexicon for {self.lang!r} lacks {missing}; see "
                f"resources/patterns/{self.lang}/entities.yml for the expected keys"
            )
        self.lexicon = lexicon
        self.kb = KnowledgeBase.for_lang(self.lang)
        lx = lexicon
        self._titles = frozenset(w.lower() for w in lx["titles"])
        self._state_heads = frozenset(w.lower() for w in lx["state_heads"])
        self._not_state_heads = frozenset(w.lower() for w in lx["not_state_heads"])
        self._pol_verbs = frozenset(w.lower() for w in lx["political_verbs"])
        self._rel_nouns = frozenset(w.lower() for w in lx["relational_nouns"])
        self._rel_cases = frozenset(w.lower() for w in lx["relational_cases"])
        self._debris = frozenset(normalize(w) for w in lx["debris"])
        self._debris_re = [re.compile(p, re.IGNORECASE) for p in lx["debris_regex"]]
        self._event_en = {k.lower(): v for k, v in (lx.get("event_nouns_en") or {}).items()}
        self._event_obj_en = {k.lower(): v for k, v in (lx.get("event_objects_en") or {}).items()}
        self._event_with_obj = {k.lower(): v
                                for k, v in (lx.get("event_with_object_en") or {}).items()}
        self._event_in = frozenset(w.lower() for w in lx.get("event_in_preps") or ())
        self._event_nouns = frozenset(w.lower() for w in lx["lists"].get("event_nouns", ()))
        self._ambiguous = {normalize(k): v for k, v in (lx.get("ambiguous_states") or {}).items()}
        self._person_places = frozenset(
            normalize(w) for w in lx.get("person_names_also_places") or ()
        )
        self._org_place_preps = frozenset(w.lower() for w in lx.get("org_place_preps") or ())
        self._org_articles = frozenset(w.lower() for w in lx.get("org_articles", []))
        self._not_name_pos = frozenset(lx.get("not_name_pos") or ())
        self._conjunctions = frozenset(w.lower() for w in lx.get("person_conjunctions") or ())
        self._split_articles = frozenset(w.lower() for w in lx.get("split_after_articles") or ())
        self._initial_stop = frozenset(w.lower() for w in lx.get("initial_name_stop") or ())
        self._first_names = first_names()
        self._org_words = frozenset(
            w.lower()
            for key in ("org_heads_before", "org_heads_after", "law_nouns", "law_nouns_en",
                        "event_nouns")
            for w in lx["lists"].get(key, ())
        )
        cap_en: dict[str, set[str]] = {}
        for c in self.kb.capital_names():
            if c.lang == "en":
                cap_en.setdefault(c.iso3, set()).add(normalize(c.name))
        self._capital_en = {k: frozenset(v) for k, v in cap_en.items()}
        self._build_matchers()
        self._initialized = True

    def _build_matchers(self) -> None:
        assert self.kb is not None
        vocab = self.nlp.vocab
        make = self.nlp.make_doc
        self._phrase_ci = PhraseMatcher(vocab, attr="LOWER")
        self._phrase_cs = PhraseMatcher(vocab, attr="ORTH")
        ci: dict[str, list[str]] = {}
        cs: dict[str, list[str]] = {}

        def add(key: str, surface: str, acronym: bool) -> None:
            variants = {surface, surface.replace("'", "’"), surface.replace("’", "'")}
            bucket = cs if acronym else ci
            for v in variants:
                bucket.setdefault(key, []).append(v)

        kb = self.kb
        for surface, iso3, acr in kb.state_names():
            add(f"STATE|{iso3}", surface, acr)
        for surface, oid, acr in kb.org_names():
            add(f"ORG|{oid}", surface, acr)
        for cap in kb.capital_names():
            add(f"CAP|{cap.name}", cap.name, False)
        for dem in kb.demonym_forms():
            add(f"DEM|{dem.iso3}", dem.form, False)
        for i, (surface, _leader) in enumerate(kb.person_names()):
            if " " in surface:
                add(f"PER|{i}", surface, False)
        self._person_list = list(kb.person_names())
        for bucket, matcher in ((ci, self._phrase_ci), (cs, self._phrase_cs)):
            for key, surfaces in bucket.items():
                docs = [make(s) for s in dict.fromkeys(surfaces)]
                matcher.add(key, docs)
        lists = {k: list(v) for k, v in self.lexicon["lists"].items()}
        self._pattern_labels: dict[str, str] = {}
        # one matcher per pattern, each with the words one of which every match contains (its
        # anchors; None: the pattern has no such word and runs on every sentence)
        self._matchers: list[tuple[Matcher, frozenset[int] | None]] = []
        #: pattern key -> its position in the lexicon (ties of start and end in that order)
        self._pattern_order: dict[int, int] = {}
        common = _common_word(self.nlp)
        for i, entry in enumerate(self.lexicon["patterns"]):
            pid, label = entry.get("id"), entry.get("label")
            if not pid or label not in ENTITY_LABELS or not entry.get("pattern"):
                raise EntityLayerError(
                    f"[E314] relextract_entities: pattern #{i} of {self.lang!r} needs id, a "
                    f"SCHEMA label ({', '.join(ENTITY_LABELS)}) and a non-empty pattern"
                )
            pattern = _expand(entry["pattern"], lists, pid)
            words = _anchor_words(pattern, common)
            token_matcher = Matcher(vocab, validate=True)
            try:
                token_matcher.add(pid, [pattern], greedy="LONGEST")
            except (ValueError, KeyError) as exc:
                raise EntityLayerError(
                    f"[E315] relextract_entities: invalid token pattern {pid!r}: {exc}"
                ) from exc
            anchors = frozenset(vocab.strings.add(w) for w in words) if words else None
            self._matchers.append((token_matcher, anchors))
            self._pattern_order[vocab.strings.add(pid)] = len(self._pattern_order)
            self._pattern_labels[pid] = label
        self._every_anchor = frozenset(a for _, anchors in self._matchers for a in anchors or ())

    # ------------------------------------------------------------------ serialization

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if not self._initialized:
            self.initialize()
        srsly.write_json(path / "cfg.json", {"lang": self.lang})
        srsly.write_json(path / "lexicon.json", self.lexicon)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EntityLayer:
        path = Path(path)
        lex_path = path / "lexicon.json"
        if not lex_path.exists():
            raise EntityLayerError(
                f"[E316] relextract_entities: {lex_path} missing; re-save the pipeline with "
                f"nlp.to_disk() after nlp.initialize()"
            )
        cfg = srsly.read_json(path / "cfg.json") if (path / "cfg.json").exists() else {}
        if cfg.get("lang", self.lang) != self.lang:
            raise EntityLayerError(
                f"[E317] relextract_entities: saved data is for {cfg.get('lang')!r} but the "
                f"component is configured for {self.lang!r}"
            )
        self._set_lexicon(srsly.read_json(lex_path))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        if not self._initialized:
            self.initialize()
        return json.dumps({"lang": self.lang, "lexicon": self.lexicon}).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> EntityLayer:
        msg = json.loads(data.decode("utf-8"))
        self._set_lexicon(msg["lexicon"])
        return self

    # ------------------------------------------------------------------ call

    def __call__(self, doc: Doc) -> Doc:
        if not self._initialized:
            self.initialize()
        cands = self.match(doc)
        chosen = _resolve(cands)
        doc.ents = [Span(doc, c.start, c.end, label=c.label) for c in chosen]
        extra = self._pattern_cands(doc)
        if extra:
            chosen = _resolve(chosen + extra)
        self.set_annotations(doc, chosen)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    # ------------------------------------------------------------------ matching

    def match(self, doc: Doc) -> list[Cand]:
        """Candidates from the NER and from the knowledge base (no annotation is set)."""
        assert self.kb is not None
        cands: list[Cand] = []
        for ent in doc.ents:
            cand = self._from_ner(doc, ent)
            if cand is not None:
                cands.append(cand)
        strings = self.nlp.vocab.strings
        for match_id, start, end in self._phrase_ci(doc):
            key = strings[match_id]
            cand = self._from_gazetteer(doc, key, start, end, acronym=False)
            if cand is not None:
                cands.append(cand)
        for match_id, start, end in self._phrase_cs(doc):
            cand = self._from_gazetteer(doc, strings[match_id], start, end, acronym=True)
            if cand is not None:
                cands.append(cand)
        cands += self._first_name_persons(doc)
        for m in _INITIAL_NAME.finditer(doc.text):  # "Adnan Z. Amin", "Harry S. Truman"
            span = doc.char_span(m.start(), m.end())
            if span is None or self.kb.lookup_org(span.text):
                continue
            start = span.start
            while start < span.end - 2 and not self._first_name(doc[start]):
                start += 1  # "President Z. Amin": the title is no first name
            if start < span.end - 2 and not any(
                t.lower_ in self._initial_stop for t in doc[span.start:span.end]
            ):
                cands.append(Cand(start, span.end, "PERSON", _P_NER, source="initial"))
        return cands

    def _from_ner(self, doc: Doc, ent: Span) -> Cand | None:
        assert self.kb is not None
        label = map_ner_label(ent.label_)
        if label is None:
            return None
        if "\n" in ent.text.strip():
            return None  # a name does not run across lines (a headline and the next line)
        start, end = ent.start, ent.end
        while end - start > 1 and doc[end - 1].text in _EDGE_PUNCT:
            end -= 1  # "Vision & Global Trends –": the dash before the next name is not its
        while end - start > 1 and doc[start].text in _EDGE_PUNCT:
            start += 1
        if label == "ORG":
            end = self._org_without_place(doc, start, end)  # "X University in Tashkent"
        elif label == "PERSON":
            start = self._person_start(doc, start)  # "Adnan | Z. Amin"
        text = clean_surface(doc[start:end].text)
        if label == "PERSON" and normalize(text) not in self._person_places:
            place = self._person_is_place(doc, start, end, text)
            if place is not None:
                return place
        if label in ("LOC", "GPE", "ORG", "MISC", "NORP", "STATE"):
            st = self.kb.lookup_state(text)
            if st is not None:
                amb = self._ambiguous_loc(doc, start, end)
                if amb is not None:
                    return replace(amb, source="ner")
                return Cand(start, end, "STATE", _P_NER, st.name_en, st.kb_id, st.iso3, "ner")
            cap = self.kb.lookup_capital(text)
            if cap is not None and label in ("LOC", "GPE", "ORG", "STATE", "MISC"):
                return self._capital(doc, start, end, cap.name, _P_NER, "ner")
            org = self.kb.lookup_org(text)
            if org is not None and label in ("ORG", "MISC", "LOC", "GPE"):
                return Cand(start, end, "ORG", _P_NER, org.name_en, org.kb_id,
                            org.country or None, "ner")
            if len(ent) == 1 and label in ("MISC", "NORP", "STATE"):
                dem = self.kb.lookup_demonym(ent.text)
                if dem is not None:
                    return self._demonym(doc, start, dem.iso3, _P_NER, keep_misc=True)
        if label == "GPE":
            label = "LOC"
        if label == "NORP":
            label = "MISC"
        if self._not_a_name(doc[start:end], label):
            return None
        return Cand(start, end, label, _P_NER, None, None, None, "ner")

    def _person_is_place(self, doc: Doc, start: int, end: int, text: str) -> Cand | None:
        """A PERSON from the NER that is a state, a capital or a demonym of the knowledge
        base ("Türkiye has...", "Baku's partner", "Azerbaijani interests"), or a name that
        contains a state's name and so names an organisation ("Sputnik Azerbaijan"). Names
        that are also people's names (``person_names_also_places``: Jordan, Sofia...) are
        left alone, here and as parts of a name."""
        assert self.kb is not None
        st = self.kb.lookup_state(text)
        if st is not None:
            amb = self._ambiguous_loc(doc, start, end)
            if amb is not None:
                return replace(amb, source="ner")
            return Cand(start, end, "STATE", _P_NER, st.name_en, st.kb_id, st.iso3, "ner")
        cap = self.kb.lookup_capital(text)
        if cap is not None:
            return self._capital(doc, start, end, cap.name, _P_NER, "ner")
        if end - start == 1:
            dem = self.kb.lookup_demonym(doc[start].text)
            if dem is not None:
                return self._demonym(doc, start, dem.iso3, _P_NER, keep_misc=True)
            # "ricercatore al Cern": a known organisation; an acronym written as a name only
            # after an article ("Students like Rai": a person)
            org = self.kb.lookup_org(text)
            if org is not None and is_title_acronym(text) and (
                start == 0 or doc[start - 1].lower_ not in self._org_articles
            ):
                org = None
            if org is not None:
                return Cand(start, end, "ORG", _P_NER, org.name_en, org.kb_id,
                            org.country or None, "ner")
            return None
        for tok in doc[start + 1 : end]:
            key = normalize(tok.text)
            if key in self._person_places or (not tok.is_title and not tok.is_upper):
                continue
            if self.kb.lookup_state(tok.text) is not None:
                org = self.kb.lookup_org(text)
                return Cand(start, end, "ORG", _P_NER, org.name_en if org else None,
                            org.kb_id if org else None, (org.country or None) if org else None,
                            "ner")
        return None

    def _person_start(self, doc: Doc, start: int) -> int:
        """Start of a PERSON from the NER that begins with an initial ("Z. Amin"): a name does
        not start with a middle initial, so a capitalised word just before it, outside any
        mention and neither a title nor a common word of the language, is the first name."""
        while start > 0 and _INITIAL.match(doc[start].text) and doc[start].text[0].isupper():
            prev = doc[start - 1]
            if not (self._first_name(prev) and prev.ent_iob_ == "O"):
                break
            start -= 1
        return start

    def _first_name_persons(self, doc: Doc) -> list[Cand]:
        """A known first name (``kb/first_names.tsv``) and one or two capitalised words, all
        outside the NER's mentions, is a person the NER missed ("Andy Haldane, uno dei
        banchieri"); lowest priority, so any other reading of the words wins. Not when a
        word is a title, an organisation or place word, or the words name a state or an
        organisation of the knowledge base."""
        assert self.kb is not None
        out: list[Cand] = []
        n = len(doc)
        i = 0
        while i < n - 1:
            t = doc[i]
            if t.text not in self._first_names or t.ent_iob_ not in ("O", ""):
                i += 1
                continue
            k = i + 1
            while k < n and k - i < 3 and self._surname_word(doc[k]):
                k += 1
            if k == i + 1 or (k < n and doc[k].is_title and doc[k].is_alpha):
                i = k
                continue
            words = [w.lower_ for w in doc[i:k]]
            text = doc[i:k].text
            if not (set(words) & (self._titles | self._org_words | self._initial_stop)
                    or self.kb.lookup_state(text) or self.kb.lookup_org(text)
                    or self.kb.lookup_capital(text)):
                out.append(Cand(i, k, "PERSON", _P_GAZ, source="first_name"))
            i = k
        return out

    def _surname_word(self, tok: Token) -> bool:
        return (tok.is_title and tok.is_alpha and len(tok) > 1 and not tok.is_stop
                and tok.ent_iob_ in ("O", "") and "\n" not in tok.nbor(-1).whitespace_)

    def _first_name(self, tok: Token) -> bool:
        """Can ``tok`` be a first name before an initial: a capitalised word on the same line,
        neither a title nor a common word of the language."""
        return (tok.is_alpha and tok.is_title and len(tok) > 1
                and "\n" not in tok.whitespace_ and tok.lower_ not in self._titles
                and tok.lower_ not in common_words(self.lang))

    def _org_without_place(self, doc: Doc, start: int, end: int) -> int:
        """End of an ORG from the NER without a trailing "in <place>" that the knowledge base
        knows as a state or capital ("Webster University in Tashkent" -> "Webster
        University"; ``org_place_preps``); the place is then found on its own."""
        assert self.kb is not None
        for k in range(start + 1, end - 1):
            if doc[k].lower_ not in self._org_place_preps:
                continue
            tail = clean_surface(doc[k + 1 : end].text)
            if self.kb.lookup_state(tail) is not None or self.kb.lookup_capital(tail) is not None:
                return k
        return end

    def _not_a_name(self, span: Span, label: str) -> bool:
        """An NER mention the knowledge base does not know that is no name: all in lower case
        ("governo", "the parliament"); or one word that starts a sentence or line (so is
        capitalised anyway) and has a part of speech names cannot have (``not_name_pos``:
        "Intanto", "However"), or is a person or place that is a common noun of the language
        (a headline "Cronaca: ..."; an organisation such as "Lega" may be a common word)."""
        words = [t for t in span if t.is_alpha]
        if words and all(t.is_lower for t in words):
            return True
        if len(span) != 1:
            return False
        tok = span[0]
        # mid-sentence, a capital letter is evidence enough (the tagger's POS of an unknown
        # name is unreliable: "opened VW up", "explained to Slate")
        if not (tok.i == 0 or tok.is_sent_start or "\n" in tok.nbor(-1).text_with_ws):
            return False
        if tok.pos_ in self._not_name_pos:
            return True
        return bool(
            label in ("PERSON", "LOC") and tok.pos_ == "NOUN" and tok.is_title
            and tok.lower_ in common_words(self.lang)
        )

    def _from_gazetteer(self, doc: Doc, key: str, start: int, end: int,
                        acronym: bool) -> Cand | None:
        assert self.kb is not None
        kind, _, ref = key.partition("|")
        first = doc[start]
        prio = _P_GAZ_LONG if end - start > 1 else _P_GAZ
        if kind == "DEM":
            if self.lang == "en" and not first.is_title:
                return None
            return self._demonym(doc, start, ref, _P_GAZ, keep_misc=False)
        # names: the first word must be capitalised (no "america", "turkey" in lower case)
        if not acronym and (first.is_lower or (not first.text[:1].isalpha()
                            and not first.text[:1].isdigit())):
            return None
        if kind == "STATE":
            amb = self._ambiguous_loc(doc, start, end)
            if amb is not None:
                return amb
            st = self.kb.state(ref)
            if st is None:
                return None
            return Cand(start, end, "STATE", prio, st.name_en, st.kb_id, st.iso3, "gaz")
        if kind == "ORG":
            org = self.kb.org(ref)
            if org is None:
                return None
            return Cand(start, end, "ORG", prio, org.name_en, org.kb_id, org.country or None,
                        "gaz")
        if kind == "CAP":
            return self._capital(doc, start, end, ref, prio, "gaz")
        if kind == "PER":
            surface, leader = self._person_list[int(ref)]
            leader = self.kb.lookup_person(surface) or leader
            return Cand(start, end, "PERSON", prio, leader.name, leader.qid or None,
                        leader.country, "gaz")
        return None

    # ------------------------------------------------------------------ context rules

    def _demonym(self, doc: Doc, i: int, iso3: str, prio: int, keep_misc: bool) -> Cand | None:
        """STATE for a demonym adjective that modifies a state-actor noun, else MISC (when the
        NER proposed it) or nothing."""
        assert self.kb is not None
        st = self.kb.state(iso3)
        if st is None:
            return None
        if self.demonym_is_state(doc[i]):
            return Cand(i, i + 1, "STATE", prio, st.name_en, st.kb_id, st.iso3, "dem")
        if keep_misc:
            return Cand(i, i + 1, "MISC", prio, None, None, None, "ner")
        return None

    def demonym_is_state(self, tok: Token) -> bool:
        """Does the demonym adjective ``tok`` stand for its state here?

        With a parse: ``tok`` modifies (amod/compound/nmod) a noun of ``state_heads``.
        Without one: such a noun is adjacent (Italian: before it, one adjective may come
        between; English: after it, likewise). Never when the noun is in ``not_state_heads``.
        """
        doc = tok.doc
        heads: list[Token] = []
        if doc.has_annotation("DEP") and tok.head is not tok and tok.dep_ in _MOD | {"conj"}:
            head = tok.head
            if tok.dep_ == "conj" and head.head is not head:  # "funzionari azeri e russi"
                head = head.head
            heads.append(head)
        adj = self._adjacent_head(tok)
        if adj is not None:
            heads.append(adj)
        for head in heads:
            words = {head.lower_, head.lemma_.lower()} if head.lemma_ else {head.lower_}
            if words & self._not_state_heads:
                return False
        for head in heads:
            words = {head.lower_, head.lemma_.lower()} if head.lemma_ else {head.lower_}
            if words & self._state_heads or head.ent_type_ in ("PER", "PERSON"):
                return True
        return False

    def _adjacent_head(self, tok: Token) -> Token | None:
        doc = tok.doc
        step = -1 if self.lang == "it" else 1
        j = tok.i + step
        for hop in range(3):
            if not 0 <= j < len(doc):
                return None
            cand = doc[j]
            if cand.is_punct or cand.like_num:
                return None
            low = cand.lower_
            if low in self._state_heads or low in self._not_state_heads:
                return cand
            if self.lang == "en" and cand.is_title and cand.lower_ in self._titles:
                return cand  # "Russian President"
            if hop < 1 and cand.is_alpha and (cand.is_lower or self.lang == "en"):
                j += step  # one adjective may come between ("forze speciali russe")
                continue
            return None
        return None

    def _capital(self, doc: Doc, start: int, end: int, surface: str, prio: int,
                 source: str) -> Cand | None:
        """STATE (canonical = the state) for a capital that acts politically, else LOC."""
        assert self.kb is not None
        cap = self.kb.lookup_capital(surface)
        if cap is None:
            return None
        st = self.kb.state(cap.iso3)
        if self.capital_acts(doc[start:end]):
            if cap.target != cap.iso3:
                org = self.kb.org(cap.target)
                if org is not None:
                    return Cand(start, end, "ORG", prio, org.name_en, org.kb_id, None, source)
            tgt = self.kb.state(cap.target)
            if tgt is not None:
                return Cand(start, end, "STATE", prio, tgt.name_en, tgt.kb_id, tgt.iso3, source)
        canonical = clean_surface(doc[start:end].text)
        if st is not None and st.capitals_en:
            its = [normalize(c) for c in st.capitals_it]
            ens = [normalize(c) for c in st.capitals_en]
            key = normalize(canonical)
            en_names = self._capital_en.get(cap.iso3, frozenset())
            if key in ens:
                canonical = st.capitals_en[ens.index(key)]
            elif key in en_names:
                pass  # already an English name ("Washington")
            elif len(st.capitals_en) == 1 and (key in its or len(its) <= 1):
                canonical = st.capitals_en[0]
        return Cand(start, end, "LOC", prio, canonical, None, cap.iso3, source)

    def capital_acts(self, span: Span) -> bool:
        """Does the city ``span`` act as its state (needs a parse)?

        Subject (not passive) or agent of a verb, possessor (``Baku's partner``), object or
        indirect object of a ``political_verbs`` verb (``chiesto a Mosca``), or party of a
        ``relational_nouns`` noun through ``relational_cases`` (``legami con Mosca``).
        """
        doc = span.doc
        if not doc.has_annotation("DEP"):
            return False
        tok = span.root
        if tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head  # "tra Roma e Baku": the first conjunct's role
        dep = tok.dep_
        head = tok.head
        head_words = {head.lower_, head.lemma_.lower()}
        cases = {c.lower_ for c in tok.children if c.dep_ in ("case", "mark")}
        if tok.head.dep_ == "prep" and tok.dep_ == "pobj":  # ClearNLP: head is the preposition
            cases.add(tok.head.lower_)
            head = tok.head.head
            head_words = {head.lower_, head.lemma_.lower()}
            dep = "obl"
        if dep in _SUBJ and head is not tok:
            return True
        if dep in _AGENT or dep in _POSS:
            return True
        if dep in _OBJ and head_words & self._pol_verbs:
            return True
        return bool(
            dep in ("nmod", "obl", "obj", "compound", "flat", "appos", "pobj")
            and head_words & self._rel_nouns
            and (not cases or cases & self._rel_cases)
        )

    def _ambiguous_loc(self, doc: Doc, start: int, end: int) -> Cand | None:
        """LOC for a state name that here names a sub-national place: followed by one of the
        lexicon's ``after`` words ("Georgia governor") or after "<city>," ("Atlanta, Georgia")."""
        spec = self._ambiguous.get(normalize(doc[start:end].text))
        if not spec:
            return None
        after = {w.lower() for w in spec.get("after", [])}
        cities = set(spec.get("cities", []))
        hit = end < len(doc) and doc[end].lower_ in after
        hit = hit or (start >= 2 and doc[start - 1].text == "," and doc[start - 2].text in cities)
        if not hit:
            return None
        return Cand(start, end, "LOC", _P_NER, spec.get("loc_canonical"), None,
                    spec.get("loc_country"), "ambiguous")

    # ------------------------------------------------------------------ patterns

    def _pattern_cands(self, doc: Doc) -> list[Cand]:
        strings = self.nlp.vocab.strings
        out: list[Cand] = []
        for match_id, start, end in self._pattern_matches(doc):
            pid = strings[match_id]
            label = self._pattern_labels[pid]
            # never cut through an entity
            if doc[start].ent_iob_ == "I" or (end < len(doc) and doc[end].ent_iob_ == "I"):
                continue
            span = doc[start:end]
            canonical = None
            if label == "EVENT":
                canonical = self._event_canonical(span)
            elif label == "LAW":
                canonical = law_canonical(clean_surface(strip_article(span.text)))
            out.append(Cand(start, end, label, _P_PATTERN, canonical, None,
                            None, pid))
        return out

    def _pattern_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """The token patterns' matches (sorted by start, end, pattern), each pattern looked
        for only around the sentences that hold one of its anchor words (run everywhere, the
        matcher costs as much as the rest of the layer). Each such sentence is taken with its
        neighbours, so a name the parser cut in two sentences ("students at Foo | University
        said...") is still found."""
        if not self._matchers:
            return []
        if not doc.has_annotation("SENT_START"):
            found = [m for matcher, _ in self._matchers for m in matcher(doc)]
        else:
            every = self._every_anchor
            arr = doc.to_array([ORTH, LOWER]).tolist()
            # (position, ORTH, LOWER) of the tokens that are some pattern's anchor
            present = [(i, o, w) for i, (o, w) in enumerate(arr) if o in every or w in every]
            sents: list[Span] | None = None
            starts: list[int] = []
            found = []
            for matcher, anchors in self._matchers:
                if anchors is None:
                    found.extend(matcher(doc))
                    continue
                hits = [i for i, o, w in present if o in anchors or w in anchors]
                if not hits:
                    continue
                if sents is None:
                    sents = list(doc.sents)
                    starts = [s.start for s in sents]
                for lo, hi in _regions(hits, starts):
                    region = doc[sents[lo].start : sents[hi].end]
                    base = region.start
                    found.extend((m, base + a, base + b) for m, a, b in matcher(region))
        order = self._pattern_order
        return sorted(found, key=lambda m: (m[1], m[2], order[m[0]]))

    def _event_canonical(self, span: Span) -> str:
        """``vertice della CSI`` -> ``CIS summit``; ``la guerra in Ucraina`` -> ``war in
        Ukraine``; ``Dushanbe meeting`` -> ``Dushanbe meeting``."""
        assert self.kb is not None
        ents = [e for e in span.doc.ents if e.start >= span.start and e.end <= span.end]
        names = [self._short_name(e) for e in ents]
        arg = " ".join(names)
        words = [t.lower_ for t in span]
        if not ents:
            return clean_surface(strip_article(span.text))
        if ents[0].start == span.start:  # "CIS summit", "Aktau plane crash"
            return " ".join([arg, *(t.text for t in span[ents[-1].end - span.start:])])
        if self.lang == "en":
            return _en_tail(span, ents, arg)
        noun = words[0]
        objects = [self._event_obj_en[w] for w in words if w in self._event_obj_en]
        if objects and noun in self._event_with_obj:
            return f"{arg} {objects[0]} {self._event_with_obj[noun]}"
        noun_en = self._event_en.get(noun, noun)
        prep = span[ents[0].start - span.start - 1].lower_ if ents[0].start > span.start else ""
        if prep in self._event_in:
            return f"{noun_en} in {arg}"
        return f"{arg} {noun_en}"

    def _short_name(self, ent: Span) -> str:
        assert self.kb is not None
        org = self.kb.lookup_org(clean_surface(ent.text))
        if org is not None:
            return org.short_en
        st = self.kb.lookup_state(clean_surface(ent.text))
        if st is not None:
            return st.name_en
        cap = self.kb.lookup_capital(clean_surface(ent.text))
        if cap is not None:
            state = self.kb.state(cap.iso3)
            if state is not None and len(state.capitals_en) == 1:
                return state.capitals_en[0]
        return clean_surface(strip_article(ent.text))

    # ------------------------------------------------------------------ annotations

    def set_annotations(self, doc: Doc, chosen: list[Cand]) -> None:
        """Canonical names, debris removal, then ``doc.ents`` and the span extensions."""
        assert self.kb is not None
        kept = [c for c in chosen if not self.is_debris(doc[c.start:c.end])]
        kept = self._split_name_after_article(doc, kept)
        kept = self._coordinated_persons(doc, kept)
        kept = self._surnames_as_persons(doc, kept)
        finals: list[Cand] = []
        person_names: list[str] = []
        for c in kept:
            span = doc[c.start:c.end]
            if c.label == "PERSON":
                words = strip_titles(clean_surface(span.text).split(), self._titles)
                name = " ".join(words)
                finals.append(replace(c, canonical=c.canonical or name))
                person_names.append(name)
            elif c.canonical is None:
                finals.append(replace(c, canonical=self._plain_canonical(span, c.label)))
            else:
                finals.append(c)
        merged = merge_person_names(person_names)
        out: list[Cand] = []
        for c in finals:
            if c.label == "PERSON" and c.source != "gaz":
                name = merged.get(c.canonical or "", c.canonical or "")
                leader = self.kb.lookup_person(name)
                if leader is not None:
                    c = replace(c, canonical=leader.name, kb_id=leader.qid or None,
                                country=leader.country)
                else:
                    c = replace(c, canonical=name)
            out.append(c)
        doc.ents = [Span(doc, c.start, c.end, label=c.label) for c in out]
        for ent, c in zip(doc.ents, out, strict=True):
            ent._.canonical = c.canonical or clean_surface(ent.text)
            ent._.kb_id = c.kb_id
            ent._.country = c.country

    def _split_name_after_article(self, doc: Doc, cands: list[Cand]) -> list[Cand]:
        """Italian: a person's name takes no article, so a name of three or four capitalised
        words right after one ("presidente dell'*Infn Antonino Zichichi*", "il candidato
        dell'*Ump Nicolas Sarkozy*") is one word of an organisation and a person. Split when
        the NER called it a person, or an organisation whose last words are a person the
        document or the knowledge base knows. Off for languages without
        ``split_after_articles`` in their lexicon."""
        assert self.kb is not None
        if not self._split_articles:
            return cands
        persons = {doc[c.start:c.end].text for c in cands if c.label == "PERSON"}
        out: list[Cand] = []
        for c in cands:
            n = c.end - c.start
            if (
                c.label in ("PERSON", "ORG")
                and c.source == "ner"
                and 3 <= n <= 4
                and c.start > 0
                and doc[c.start - 1].lower_ in self._split_articles
                and all(t.is_title and t.is_alpha for t in doc[c.start:c.end])
                and not self.kb.lookup_org(doc[c.start:c.end].text)
            ):
                rest = doc[c.start + 1:c.end].text
                if c.label == "PERSON" or rest in persons or self.kb.lookup_person(rest):
                    org = doc[c.start].text
                    known = self.kb.lookup_org(org)
                    out.append(Cand(c.start, c.start + 1, "ORG", c.priority,
                                    known.name_en if known else None,
                                    known.kb_id if known else None,
                                    (known.country or None) if known else None, "split"))
                    out.append(Cand(c.start + 1, c.end, "PERSON", c.priority, source="split"))
                    continue
            out.append(c)
        return out

    def _coordinated_persons(self, doc: Doc, cands: list[Cand]) -> list[Cand]:
        """Two or three capitalised words joined by "e"/"and" to a person's full name, that
        no entity covers and that are no state, organisation, title or organisation word, are
        a person too ("Darrell Issa e Gus Bilirakis", "Gus Bilirakis and Darrell Issa"): the
        NER often finds one name of a pair only."""
        kb = self.kb
        assert kb is not None
        if not self._conjunctions:
            return cands
        taken = [False] * len(doc)
        for c in cands:
            for i in range(c.start, c.end):
                taken[i] = True

        def name_run(i: int, step: int) -> tuple[int, int] | None:
            k = i
            while 0 <= k < len(doc) and abs(k - i) < 4 and not taken[k] and self._name_word(
                doc[k]
            ):
                k += step
            n = abs(k - i)
            if not 2 <= n <= 3 or (0 <= k < len(doc) and doc[k].is_title and not taken[k]):
                return None
            start, end = (i, k) if step > 0 else (k + 1, i + 1)
            text = doc[start:end].text
            if kb.lookup_state(text) or kb.lookup_org(text):
                return None
            return start, end

        added: list[Cand] = []
        for c in cands:
            if c.label != "PERSON" or c.end - c.start < 2:
                continue
            runs = []
            if c.end + 1 < len(doc) and doc[c.end].lower_ in self._conjunctions:
                runs.append(name_run(c.end + 1, 1))
            if c.start >= 3 and doc[c.start - 1].lower_ in self._conjunctions:
                runs.append(name_run(c.start - 2, -1))
            for run in runs:
                if run is None:
                    continue
                added.append(Cand(run[0], run[1], "PERSON", _P_NER, source="coord"))
                for i in range(*run):
                    taken[i] = True
        return sorted(cands + added, key=lambda c: c.start) if added else cands

    def _name_word(self, tok: Token) -> bool:
        low = tok.lower_
        return (
            tok.is_title and tok.is_alpha and len(tok) > 1
            and low not in self._titles and low not in self._org_words
            and not tok.is_stop
        )

    def _surnames_as_persons(self, doc: Doc, cands: list[Cand]) -> list[Cand]:
        """A mention the NER labelled LOC, ORG or MISC, unknown to the knowledge base as a
        place or organisation, that repeats the last name(s) of a person named in full in the
        same document ("Ilham Aliyev ... Aliyev"), or the surname of one current leader of the
        knowledge base ("l'incontro tra Aliyev e Putin"), is that person."""
        assert self.kb is not None
        full: list[list[str]] = []
        for c in cands:
            if c.label == "PERSON":
                words = strip_titles(clean_surface(doc[c.start:c.end].text).split(), self._titles)
                if len(words) >= 2:
                    full.append(words)
        out: list[Cand] = []
        for c in cands:
            if (c.label in ("LOC", "ORG", "MISC") and c.source == "ner" and c.canonical is None
                    and c.kb_id is None):
                words = clean_surface(doc[c.start:c.end].text).split()
                if (1 <= len(words) <= 2 and any(
                    len(f) > len(words)
                    and all(similar_names(a, b) for a, b in zip(words, f[-len(words):],
                                                                strict=True))
                    for f in full
                )) or (len(words) == 1 and self.kb.lookup_person(words[0]) is not None):
                    c = replace(c, label="PERSON")
            out.append(c)
        return out

    def _plain_canonical(self, span: Span, label: str) -> str:
        assert self.kb is not None
        text = clean_surface(strip_article(span.text))
        if label == "ORG":
            org = self.kb.lookup_org(text)
            if org is not None:
                return org.name_en
        if label == "LAW":
            return law_canonical(text)
        return text

    def is_debris(self, span: Span) -> bool:
        """Web-page furniture, URLs, e-mail addresses, mentions without letters."""
        text = span.text.strip()
        if len(text) < 2 or not any(ch.isalpha() for ch in text):
            return True
        if normalize(clean_surface(text)) in self._debris:
            return True
        return any(rx.search(text) for rx in self._debris_re) or any(
            t.like_url or t.like_email for t in span)


# ---------------------------------------------------------------------- helpers

_INITIAL = re.compile(r"^[^\W\d_]\.$")


def _common_word(nlp: Language) -> Callable[[str], bool]:
    """Whether a word is too frequent to gate a pattern: a stop word of ``nlp``'s language or
    not a word at all (punctuation, digits)."""
    stop = {w.lower() for w in nlp.Defaults.stop_words}
    return lambda w: w.lower() in stop or not any(ch.isalpha() for ch in w)


def _anchor_words(
    pattern: list[dict[str, Any]], common: Callable[[str], bool] = lambda w: False
) -> set[str] | None:
    """Words (as ORTH or LOWER values) one of which every match of ``pattern`` contains: those
    of a token that must occur (no ``OP``) and is fixed by ``ORTH``/``TEXT``/``LOWER`` equal to
    or ``IN`` a list; None when no token is (a ``LOWER`` value also stands for its ORTH forms,
    which is why ORTH and LOWER hashes are looked up alike). Of several such tokens, the one
    whose words are rarest: a set without ``common`` words first ("war" rather than "in"),
    then the smallest set."""
    best: tuple[bool, int] | None = None
    chosen: set[str] | None = None
    for tok in pattern:
        if tok.get("OP") not in (None, "1"):
            continue
        for key in ("ORTH", "TEXT", "LOWER"):
            val = tok.get(key)
            words: set[str] | None = None
            if isinstance(val, str):
                words = {val}
            elif isinstance(val, dict) and set(val) == {"IN"} and isinstance(val["IN"], list):
                words = {str(v) for v in val["IN"]}
            if not words:
                continue
            rank = (any(common(w) for w in words), len(words))
            if best is None or rank < best:
                best, chosen = rank, words
    return chosen


def _regions(hits: list[int], starts: list[int]) -> list[tuple[int, int]]:
    """``(first, last)`` sentence numbers of the regions around the tokens ``hits``
    (ascending): each hit's sentence with its neighbours, overlapping or adjacent ones merged.
    ``starts``: the first token of every sentence."""
    regions: list[list[int]] = []
    last = len(starts) - 1
    for i in hits:
        k = bisect_right(starts, i) - 1
        lo, hi = max(k - 1, 0), min(k + 1, last)
        if regions and lo <= regions[-1][1] + 1:
            regions[-1][1] = max(regions[-1][1], hi)
        else:
            regions.append([lo, hi])
    return [(lo, hi) for lo, hi in regions]


def _expand(pattern: list[dict[str, Any]], lists: dict[str, list[str]], pid: str
            ) -> list[dict[str, Any]]:
    """Replace ``"$name"`` values by ``lists[name]`` in a Matcher token pattern."""

    def sub(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("$"):
            if value[1:] not in lists:
                raise EntityLayerError(
                    f"[E318] relextract_entities: pattern {pid!r} refers to unknown list "
                    f"{value!r}; add it under `lists`"
                )
            return list(lists[value[1:]])
        if isinstance(value, dict):
            return {k: sub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [sub(v) for v in value]
        return value

    return [sub(tok) for tok in pattern]


def _resolve(cands: list[Cand]) -> list[Cand]:
    """Non-overlapping candidates: higher priority first, then longer, then earlier."""
    order = sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    taken: set[int] = set()
    out: list[Cand] = []
    for c in order:
        idx = range(c.start, c.end)
        if any(i in taken for i in idx):
            continue
        taken.update(idx)
        out.append(c)
    return sorted(out, key=lambda c: c.start)


def _en_tail(span: Span, ents: list[Span], arg: str) -> str:
    """English event with the entity after the noun: ``war in Ukraine``."""
    head = [t.text for t in span if t.i < ents[0].start and t.lower_ != "the"]
    return " ".join([*head, arg]).strip()
