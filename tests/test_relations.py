"""The relation rule layer on hand-built parses (UD labels unless said), both languages.

Each parse is written one token a line: ``word lemma POS head dep [morph]`` with 1-based heads
(0 = root), as in CoNLL-U. Entities are given by their words, with SCHEMA labels and a
canonical name, the way the entity layer would set them.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import relextract.components.relations  # noqa: F401  (registers the factory)
from relextract.components.ud_labels import to_ud
from relextract.relation import Relation

Ent = tuple[str, str] | tuple[str, str, str]


def parse(nlp: Language, rows: str, ents: list[Ent] = ()) -> Doc:  # type: ignore[assignment]
    lines = [ln.split() for ln in rows.strip().splitlines() if ln.strip()]
    words = [c[0] for c in lines]
    doc = Doc(
        nlp.vocab,
        words=words,
        spaces=[True] * len(words),
        lemmas=[c[1] for c in lines],
        pos=[c[2] for c in lines],
        heads=[int(c[3]) - 1 if int(c[3]) else i for i, c in enumerate(lines)],
        deps=[c[4] for c in lines],
        morphs=[c[5] if len(c) > 5 else "" for c in lines],
    )
    spans: list[Span] = []
    taken: set[int] = set()
    for ent in ents:
        text, label = ent[0], ent[1]
        canonical = ent[2] if len(ent) > 2 else text  # type: ignore[misc]
        toks = text.split()
        for i in range(len(words) - len(toks) + 1):
            rng = set(range(i, i + len(toks)))
            if words[i : i + len(toks)] == toks and not rng & taken:
                span = Span(doc, i, i + len(toks), label=label)
                span._.canonical = canonical
                spans.append(span)
                taken |= rng
                break
        else:
            raise AssertionError(f"entity {text!r} not in {words}")
    doc.ents = sorted(spans, key=lambda s: s.start)
    for span in doc.ents:  # doc.ents returns new Span objects: set the extension again
        span._.canonical = next(
            (e[2] if len(e) > 2 else e[0])  # type: ignore[misc]
            for e in ents
            if e[0] == span.text
        )
    return doc


def triples(doc: Doc) -> set[tuple[str, str, str]]:
    return {(r.subject._.canonical, r.relation, r.object._.canonical) for r in doc._.relations}


def only(doc: Doc) -> Relation:
    assert len(doc._.relations) == 1, doc._.relations
    return doc._.relations[0]


def make_nlp(lang: str, **cfg: object) -> Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("relextract_relations", config={"lang": lang, **cfg})
    return nlp


@pytest.fixture(scope="module")
def it() -> Language:
    return make_nlp("it")


@pytest.fixture(scope="module")
def en() -> Language:
    return make_nlp("en")


def run(nlp: Language, rows: str, ents: list[Ent]) -> Doc:
    return nlp(parse(nlp, rows, ents))


FIN = "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"
PART = "Gender=Masc|Number=Sing|Tense=Past|VerbForm=Part"
PAST = "Mood=Ind|Tense=Past|VerbForm=Fin"

# ============================================================================ Italian


def test_it_active_verb_object(it: Language) -> None:
    doc = run(
        it,
        f"""
        Aliyev     Aliyev     PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        incontrato incontrare VERB  0 ROOT {PART}
        Putin      Putin      PROPN 3 obj
        .          .          PUNCT 3 punct
    """,
        [("Aliyev", "PERSON", "Ilham Aliyev"), ("Putin", "PERSON", "Vladimir Putin")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Aliyev", "met", "Putin")
    assert r.event_type == "CONSULT" and r.modality == "asserted" and not r.negated
    assert r.trigger.text == "incontrato" and r.rule == "verb.obj"
    assert 0 < r.confidence <= 1
    assert (r.start_char, r.end_char) == (0, len("Aliyev ha incontrato Putin"))


def test_it_object_not_an_entity_gives_nothing(it: Language) -> None:
    doc = run(
        it,
        f"""
        Putin      Putin      PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        incontrato incontrare VERB  0 ROOT {PART}
        la         il         DET   5 det
        stampa     stampa     NOUN  3 obj
        .          .          PUNCT 3 punct
    """,
        [("Putin", "PERSON")],
    )
    assert doc._.relations == []


def test_it_prepositional_object_reflexive_verb(it: Language) -> None:
    doc = run(
        it,
        f"""
        Aliyev       Aliyev       PROPN 4 nsubj
        si           si           PRON  4 expl
        è            essere       AUX   4 aux {FIN}
        congratulato congratulare VERB  0 ROOT {PART}
        con          con          ADP   6 case
        Putin        Putin        PROPN 4 obl
        .            .            PUNCT 4 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON")],
    )
    assert triples(doc) == {("Aliyev", "congratulated", "Putin")}


def test_it_articulated_preposition_and_merged_clitic(it: Language) -> None:
    # "col" = con + il; "incontrarsi" merged into one token with the lemma of the verb
    doc = run(
        it,
        f"""
        Aliyev       Aliyev       PROPN 3 nsubj
        vuole        volere       AUX   3 aux {FIN}
        incontrarsi  incontrare   VERB  0 ROOT VerbForm=Inf
        col          con          ADP   5 case
        presidente   presidente   NOUN  3 obl
        Putin        Putin        PROPN 5 nmod
        .            .            PUNCT 3 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Aliyev", "met", "Putin")
    assert r.modality == "hypothetical"  # modal auxiliary "vuole"


def test_it_passive_with_agent(it: Language) -> None:
    doc = run(
        it,
        f"""
        Il         il         DET   2 det
        PEACE      PEACE      PROPN 6 nsubj:pass
        Act        Act        PROPN 2 flat:name
        è          essere     AUX   6 aux {FIN}
        stato      essere     AUX   6 aux:pass {PART}
        presentato presentare VERB  0 ROOT {PART}
        da         da         ADP   8 case
        Darrell    Darrell    PROPN 6 obl:agent
        Issa       Issa       PROPN 8 flat:name
        .          .          PUNCT 6 punct
    """,
        [("PEACE Act", "LAW"), ("Darrell Issa", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == (
        "Darrell Issa",
        "introduced",
        "PEACE Act",
    )
    assert r.event_type is None and r.rule == "verb.passive"


def test_it_passive_without_agent_gives_nothing(it: Language) -> None:
    doc = run(
        it,
        f"""
        Il         il         DET   2 det
        PEACE      PEACE      PROPN 5 nsubj:pass
        Act        Act        PROPN 2 flat:name
        è          essere     AUX   5 aux:pass {FIN}
        presentato presentare VERB  0 ROOT {PART}
        .          .          PUNCT 5 punct
    """,
        [("PEACE Act", "LAW")],
    )
    assert doc._.relations == []


def test_names_with_their_own_brackets(it: Language) -> None:
    rows = f"""
        il         il         DET   2 det
        Senato     Senato     PROPN 4 nsubj
        ha         avere      AUX   4 aux {FIN}
        presentato presentare VERB  0 ROOT {PART}
        la         il         DET   6 det
        Legge      Legge      PROPN 4 obj
        Clima      Clima      PROPN 6 flat:name
        (          (          PUNCT 9 punct
        S.123      S.123      PROPN 6 appos
        )          )          PUNCT 9 punct
        .          .          PUNCT 4 punct
    """
    # a law's bracketed number belongs to its name ("PEACE Act (H.R.5632)")
    doc = run(it, rows, [("Senato", "ORG"), ("Legge Clima ( S.123 )", "LAW", "Legge Clima")])
    assert triples(doc) == {("Senato", "introduced", "Legge Clima")}
    # a span that ends in a bracket it does not open is a broken name
    rows = rows.replace("(          (          PUNCT 9 punct", "e e CCONJ 9 cc")
    doc = run(it, rows, [("Senato", "ORG"), ("Legge Clima e S.123 )", "LAW", "Legge Clima")])
    assert triples(doc) == set()


def test_it_coordinated_subjects_give_two_triples(it: Language) -> None:
    doc = run(
        it,
        f"""
        Darrell    Darrell    PROPN 7 nsubj
        Issa       Issa       PROPN 1 flat:name
        e          e          CCONJ 4 cc
        Gus        Gus        PROPN 1 conj
        Bilirakis  Bilirakis  PROPN 4 flat:name
        hanno      avere      AUX   7 aux {FIN}
        presentato presentare VERB  0 ROOT {PART}
        il         il         DET   9 det
        PEACE      PEACE      PROPN 7 obj
        Act        Act        PROPN 9 flat:name
        .          .          PUNCT 7 punct
    """,
        [("Darrell Issa", "PERSON"), ("Gus Bilirakis", "PERSON"), ("PEACE Act", "LAW")],
    )
    assert triples(doc) == {
        ("Darrell Issa", "introduced", "PEACE Act"),
        ("Gus Bilirakis", "introduced", "PEACE Act"),
    }


def test_it_coordinated_objects(it: Language) -> None:
    doc = run(
        it,
        f"""
        Putin      Putin      PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        ringraziato ringraziare VERB 0 ROOT {PART}
        Aliyev     Aliyev     PROPN 3 obj
        e          e          CCONJ 6 cc
        Pashinyan  Pashinyan  PROPN 4 conj
        .          .          PUNCT 3 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON"), ("Pashinyan", "PERSON")],
    )
    assert triples(doc) == {("Putin", "thanked", "Aliyev"), ("Putin", "thanked", "Pashinyan")}


def test_it_nominal_event_between(it: Language) -> None:
    doc = run(
        it,
        f"""
        L'         il         DET   2 det
        incontro   incontro   NOUN  9 nsubj
        tra        tra        ADP   4 case
        Aliyev     Aliyev     PROPN 2 nmod
        e          e          CCONJ 6 cc
        Putin      Putin      PROPN 4 conj
        si         si         PRON  9 expl
        è          essere     AUX   9 aux {FIN}
        svolto     svolgere   VERB  0 ROOT {PART}
        a          a          ADP   11 case
        Dushanbe   Dushanbe   PROPN 9 obl
        .          .          PUNCT 9 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON"), ("Dushanbe", "LOC")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Aliyev", "met", "Putin")
    assert r.trigger.text == "incontro" and r.rule == "noun.pair"


def test_expected_event_that_took_place_is_asserted(it: Language, en: Language) -> None:
    rows = """
        si         si         PRON  3 expl
        è          essere     AUX   3 aux {fin}
        {verb}
        un         uno        DET   6 det
        atteso     atteso     ADJ   6 amod
        incontro   incontro   NOUN  3 {dep}
        tra        tra        ADP   8 case
        Aliyev     Aliyev     PROPN 6 nmod
        e          e          CCONJ 10 cc
        Putin      Putin      PROPN 8 conj
        .          .          PUNCT 3 punct
    """
    ents: list[Ent] = [("Aliyev", "PERSON"), ("Putin", "PERSON")]
    # "si è svolto un atteso incontro": the meeting took place
    doc = run(it, rows.format(fin=FIN, verb=f"svolto svolgere VERB 0 ROOT {PART}",
                              dep="nsubj"), ents)
    assert only(doc).modality == "asserted"
    # "è previsto un atteso incontro": still to come
    doc = run(it, rows.format(fin=FIN, verb=f"previsto prevedere VERB 0 ROOT {PART}",
                              dep="nsubj:pass"), ents)
    assert only(doc).modality == "hypothetical"
    # "si svolgerà un atteso incontro": the occurrence verb's own future tense counts
    doc = run(
        it,
        """
        si         si         PRON  2 expl
        svolgerà   svolgere   VERB  0 ROOT Mood=Ind|Tense=Fut|VerbForm=Fin
        un         uno        DET   5 det
        atteso     atteso     ADJ   5 amod
        incontro   incontro   NOUN  2 nsubj
        tra        tra        ADP   7 case
        Aliyev     Aliyev     PROPN 5 nmod
        e          e          CCONJ 9 cc
        Putin      Putin      PROPN 7 conj
        .          .          PUNCT 2 punct
    """,
        ents,
    )
    assert only(doc).modality == "hypothetical"
    doc = run(
        en,
        f"""
        The      the      DET   3 det
        expected expected ADJ   3 amod
        meeting  meeting  NOUN  8 nsubj
        between  between  ADP   5 case
        Aliyev   Aliyev   PROPN 3 nmod
        and      and      CCONJ 7 cc
        Putin    Putin    PROPN 5 conj
        took     take     VERB  0 ROOT {PAST}
        place    place    NOUN  8 obj
        .        .        PUNCT 8 punct
    """,
        ents,
    )
    assert only(doc).modality == "asserted"


def test_news_outlet_speaking_with_a_person_interviews(it: Language, en: Language) -> None:
    rows = f"""
        {{subj}}
        spoke      speak      VERB  0 ROOT {PAST}
        with       with       ADP   4 case
        {{obj}}
        .          .          PUNCT 2 punct
    """
    doc = run(en, rows.format(subj="Reuters Reuters PROPN 2 nsubj",
                              obj="Rossi Rossi PROPN 2 obl"),
              [("Reuters", "ORG"), ("Rossi", "PERSON")])
    assert triples(doc) == {("Reuters", "interviewed", "Rossi")}
    # no news outlet, or no person spoken with: the relation stays spoke_with
    doc = run(en, rows.format(subj="Fiat Fiat PROPN 2 nsubj", obj="Rossi Rossi PROPN 2 obl"),
              [("Fiat", "ORG"), ("Rossi", "PERSON")])
    assert triples(doc) == {("Fiat", "spoke_with", "Rossi")}
    doc = run(en, rows.format(subj="Reuters Reuters PROPN 2 nsubj", obj="Fiat Fiat PROPN 2 obl"),
              [("Reuters", "ORG"), ("Fiat", "ORG")])
    assert triples(doc) == {("Reuters", "spoke_with", "Fiat")}
    doc = run(
        it,
        f"""
        l'         il         DET   2 det
        ANSA       ANSA       PROPN 4 nsubj
        ha         avere      AUX   4 aux {FIN}
        parlato    parlare    VERB  0 ROOT {PART}
        con        con        ADP   6 case
        Rossi      Rossi      PROPN 4 obl
        .          .          PUNCT 4 punct
    """,
        [("ANSA", "ORG"), ("Rossi", "PERSON")],
    )
    assert triples(doc) == {("ANSA", "interviewed", "Rossi")}


def test_it_nominal_visit_of_x_to_y(it: Language) -> None:
    doc = run(
        it,
        f"""
        La         il         DET   2 det
        visita     visita     NOUN  8 nsubj
        di         di         ADP   4 case
        Aliyev     Aliyev     PROPN 2 nmod
        a          a          ADP   6 case
        Mosca      Mosca      PROPN 2 nmod
        è          essere     AUX   8 aux {FIN}
        terminata  terminare  VERB  0 ROOT {PART}
        .          .          PUNCT 8 punct
    """,
        [("Aliyev", "PERSON"), ("Mosca", "STATE", "Russia")],
    )
    assert triples(doc) == {("Aliyev", "visited", "Russia")}


def test_it_light_verb_noun(it: Language) -> None:
    # "Bayer ha fatto causa all'Unione Europea"
    doc = run(
        it,
        f"""
        Bayer      Bayer      PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        fatto      fare       VERB  0 ROOT {PART}
        causa      causa      NOUN  3 obj
        all'       a          ADP   6 case
        Unione     Unione     PROPN 3 obl
        Europea    europeo    ADJ   6 amod
        .          .          PUNCT 3 punct
    """,
        [("Bayer", "ORG"), ("Unione Europea", "ORG", "European Union")],
    )
    assert triples(doc) == {("Bayer", "accused", "European Union")}


def test_it_control_verb(it: Language) -> None:
    doc = run(
        it,
        f"""
        Aliyev     Aliyev     PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        deciso     decidere   VERB  0 ROOT {PART}
        di         di         ADP   5 mark
        incontrare incontrare VERB  3 xcomp VerbForm=Inf
        Putin      Putin      PROPN 5 obj
        .          .          PUNCT 3 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Aliyev", "met", "Putin")
    assert r.rule == "verb.obj+control" and r.modality == "hypothetical"


def test_it_object_control(it: Language) -> None:
    # "Baku ha chiesto a Mosca di rilasciare Aghayev": the object of chiedere is the releaser
    doc = run(
        it,
        f"""
        Baku       Baku       PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        chiesto    chiedere   VERB  0 ROOT {PART}
        a          a          ADP   5 case
        Mosca      Mosca      PROPN 3 obl
        di         di         ADP   7 mark
        rilasciare rilasciare VERB  3 xcomp VerbForm=Inf
        Aghayev    Aghayev    PROPN 7 obj
        .          .          PUNCT 3 punct
    """,
        [("Baku", "STATE", "Azerbaijan"), ("Mosca", "STATE", "Russia"), ("Aghayev", "PERSON")],
    )
    rels = {(r.subject._.canonical, r.relation, r.object._.canonical): r for r in doc._.relations}
    assert set(rels) == {("Azerbaijan", "demanded", "Russia"), ("Russia", "released", "Aghayev")}
    assert rels[("Russia", "released", "Aghayev")].modality == "hypothetical"
    assert rels[("Azerbaijan", "demanded", "Russia")].modality == "asserted"


def test_it_relative_clause(it: Language) -> None:
    doc = run(
        it,
        f"""
        Aliyev     Aliyev     PROPN 9 nsubj
        ,          ,          PUNCT 5 punct
        che        che        PRON  5 nsubj PronType=Rel
        ha         avere      AUX   5 aux {FIN}
        incontrato incontrare VERB  1 acl:relcl {PART}
        Putin      Putin      PROPN 5 obj
        ,          ,          PUNCT 5 punct
        è          essere     AUX   9 aux {FIN}
        partito    partire    VERB  0 ROOT {PART}
        .          .          PUNCT 9 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Aliyev", "met", "Putin")
    assert "relative" in r.rule


def test_it_participial_modifier_with_agent(it: Language) -> None:
    doc = run(
        it,
        f"""
        Il         il         DET   2 det
        Congresso  Congresso  PROPN 3 nsubj
        discute    discutere  VERB  0 ROOT {FIN}
        il         il         DET   5 det
        PEACE      PEACE      PROPN 3 obj
        Act        Act        PROPN 5 flat:name
        presentato presentare VERB  5 acl {PART}
        da         da         ADP   9 case
        Issa       Issa       PROPN 7 obl:agent
        .          .          PUNCT 3 punct
    """,
        [("Congresso", "ORG"), ("PEACE Act", "LAW"), ("Issa", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Issa", "introduced", "PEACE Act")
    assert r.rule == "verb.participle"


def test_it_title_with_state_adjective_and_name(it: Language) -> None:
    doc = run(
        it,
        f"""
        Il         il         DET   2 det
        presidente presidente NOUN  7 nsubj
        russo      russo      ADJ   2 amod
        Vladimir   Vladimir   PROPN 2 nmod
        Putin      Putin      PROPN 4 flat:name
        ha         avere      AUX   7 aux {FIN}
        incontrato incontrare VERB  0 ROOT {PART}
        Aliyev     Aliyev     PROPN 7 obj
        .          .          PUNCT 7 punct
    """,
        [("russo", "STATE", "Russia"), ("Vladimir Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert triples(doc) == {
        ("Vladimir Putin", "leader_of", "Russia"),
        ("Vladimir Putin", "met", "Aliyev"),
    }
    static = next(r for r in doc._.relations if r.relation == "leader_of")
    assert static.event_type is None and static.rule == "title.name"


def test_it_apposition_head_of(it: Language) -> None:
    doc = run(
        it,
        f"""
        Igor       Igor       PROPN 10 nsubj
        Kartavykh  Kartavykh  PROPN 1 flat:name
        ,          ,          PUNCT 4 punct
        direttore  direttore  NOUN  1 appos
        di         di         ADP   6 case
        Sputnik    Sputnik    PROPN 4 nmod
        Azerbaijan Azerbaijan PROPN 6 flat:name
        ,          ,          PUNCT 4 punct
        ha         avere      AUX   10 aux {FIN}
        parlato    parlare    VERB  0 ROOT {PART}
        .          .          PUNCT 10 punct
    """,
        [("Igor Kartavykh", "PERSON"), ("Sputnik Azerbaijan", "ORG")],
    )
    assert triples(doc) == {("Igor Kartavykh", "head_of", "Sputnik Azerbaijan")}


def test_it_citizen_apposition(it: Language) -> None:
    doc = run(
        it,
        f"""
        Un         uno        DET   2 det
        cittadino  cittadino  NOUN  10 nsubj:pass
        azero      azero      ADJ   2 amod
        ,          ,          PUNCT 5 punct
        Mamedali   Mamedali   PROPN 2 appos
        Aghayev    Aghayev    PROPN 5 flat:name
        ,          ,          PUNCT 5 punct
        è          essere     AUX   10 aux {FIN}
        stato      essere     AUX   10 aux:pass {PART}
        arrestato  arrestare  VERB  0 ROOT {PART}
        .          .          PUNCT 10 punct
    """,
        [("azero", "STATE", "Azerbaijan"), ("Mamedali Aghayev", "PERSON")],
    )
    assert triples(doc) == {("Mamedali Aghayev", "citizen_of", "Azerbaijan")}


def test_it_located_in(it: Language) -> None:
    doc = run(
        it,
        f"""
        Il         il         DET   2 det
        vertice    vertice    NOUN  8 nsubj
        della      di         ADP   4 case
        CSI        CSI        PROPN 2 nmod
        a          a          ADP   6 case
        Dushanbe   Dushanbe   PROPN 2 nmod
        è          essere     AUX   8 aux {FIN}
        iniziato   iniziare   VERB  0 ROOT {PART}
        .          .          PUNCT 8 punct
    """,
        [("vertice della CSI", "EVENT", "CIS summit"), ("Dushanbe", "LOC")],
    )
    assert triples(doc) == {("CIS summit", "located_in", "Dushanbe")}


def test_it_pro_drop_takes_previous_subject(it: Language) -> None:
    doc = run(
        it,
        f"""
        Aliyev     Aliyev     PROPN 3 nsubj
        è          essere     AUX   3 aux {FIN}
        arrivato   arrivare   VERB  0 ROOT {PART}
        a          a          ADP   5 case
        Mosca      Mosca      PROPN 3 obl
        .          .          PUNCT 3 punct
        Ha         avere      AUX   8 aux {FIN}
        incontrato incontrare VERB  0 ROOT {PART}
        Putin      Putin      PROPN 8 obj
        .          .          PUNCT 8 punct
    """,
        [("Aliyev", "PERSON"), ("Mosca", "LOC", "Moscow"), ("Putin", "PERSON")],
    )
    rels = {r.relation: r for r in doc._.relations}
    assert set(rels) == {"visited", "met"}
    met = rels["met"]
    assert (met.subject.text, met.object.text) == ("Aliyev", "Putin")
    assert "pro_drop" in met.rule and met.confidence < rels["visited"].confidence


def test_it_pro_drop_needs_a_previous_subject(it: Language) -> None:
    doc = run(
        it,
        f"""
        Ha         avere      AUX   2 aux {FIN}
        incontrato incontrare VERB  0 ROOT {PART}
        Putin      Putin      PROPN 2 obj
        .          .          PUNCT 2 punct
    """,
        [("Putin", "PERSON")],
    )
    assert doc._.relations == []


def test_it_conditional_clause_is_hypothetical(it: Language) -> None:
    doc = run(
        it,
        f"""
        Se          se          SCONJ 4 mark
        l'          il          DET   3 det
        Azerbaigian Azerbaigian PROPN 4 nsubj
        attacca     attaccare   VERB  10 advcl {FIN}
        l'          il          DET   6 det
        Armenia     Armenia     PROPN 4 obj
        ,           ,           PUNCT 4 punct
        la          il          DET   9 det
        Russia      Russia      PROPN 10 nsubj
        interverrà  intervenire VERB  0 ROOT Mood=Ind|Number=Sing|Person=3|Tense=Fut|VerbForm=Fin
        .           .           PUNCT 10 punct
    """,
        [("Azerbaigian", "STATE", "Azerbaijan"), ("Armenia", "STATE"), ("Russia", "STATE")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Azerbaigian", "attacked", "Armenia")
    assert r.modality == "hypothetical"


def test_it_negation(it: Language) -> None:
    doc = run(
        it,
        f"""
        Aliyev     Aliyev     PROPN 4 nsubj
        non        non        ADV   4 advmod
        ha         avere      AUX   4 aux {FIN}
        incontrato incontrare VERB  0 ROOT {PART}
        Putin      Putin      PROPN 4 obj
        .          .          PUNCT 4 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON")],
    )
    r = only(doc)
    assert r.negated and r.modality == "asserted"


def test_it_reported_by_secondo(it: Language) -> None:
    doc = run(
        it,
        f"""
        Secondo    secondo    ADP   3 case
        la         il         DET   3 det
        TASS       TASS       PROPN 7 obl
        ,          ,          PUNCT 3 punct
        Putin      Putin      PROPN 7 nsubj
        ha         avere      AUX   7 aux {FIN}
        esortato   esortare   VERB  0 ROOT {PART}
        Baku       Baku       PROPN 7 obj
        .          .          PUNCT 7 punct
    """,
        [("TASS", "ORG"), ("Putin", "PERSON"), ("Baku", "STATE", "Azerbaijan")],
    )
    r = only(doc)
    assert (r.relation, r.object._.canonical, r.modality) == ("demanded", "Azerbaijan", "reported")


def test_it_reported_by_reporting_verb(it: Language) -> None:
    doc = run(
        it,
        f"""
        È          essere     AUX   3 aux {FIN}
        stato      essere     AUX   3 aux:pass {PART}
        riportato  riportare  VERB  0 ROOT {PART}
        che        che        SCONJ 8 mark
        la         il         DET   6 det
        Russia     Russia     PROPN 8 nsubj
        aveva      avere      AUX   8 aux Mood=Ind|Tense=Imp|VerbForm=Fin
        liberato   liberare   VERB  3 csubj:pass {PART}
        Aghayev    Aghayev    PROPN 8 obj
        .          .          PUNCT 3 punct
    """,
        [("Russia", "STATE"), ("Aghayev", "PERSON")],
    )
    r = only(doc)
    assert (r.relation, r.modality) == ("released", "reported")


def test_it_speculative(it: Language) -> None:
    doc = run(
        it,
        f"""
        È          essere     AUX   2 cop {FIN}
        probabile  probabile  ADJ   0 ROOT
        che        che        SCONJ 6 mark
        Putin      Putin      PROPN 6 nsubj
        abbia      avere      AUX   6 aux Mood=Sub|Tense=Pres|VerbForm=Fin
        esortato   esortare   VERB  2 csubj {PART}
        Baku       Baku       PROPN 6 obj
        .          .          PUNCT 2 punct
    """,
        [("Putin", "PERSON"), ("Baku", "STATE")],
    )
    assert only(doc).modality == "speculative"


def test_suggest_that_is_speculative_suggest_to_is_hypothetical(it: Language, en: Language) -> None:
    # "i rapporti suggeriscono che Putin abbia incontrato Aliyev": a guess, not a proposal
    doc = run(
        it,
        f"""
        i          il         DET   2 det
        rapporti   rapporto   NOUN  3 nsubj
        suggeriscono suggerire VERB 0 ROOT {FIN}
        che        che        SCONJ 7 mark
        Putin      Putin      PROPN 7 nsubj
        abbia      avere      AUX   7 aux Mood=Sub|Tense=Pres|VerbForm=Fin
        incontrato incontrare VERB  3 ccomp {PART}
        Aliyev     Aliyev     PROPN 7 obj
        .          .          PUNCT 3 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert only(doc).modality == "speculative"
    # "Rossi suggested meeting Putin": a proposal
    doc = run(
        en,
        f"""
        Rossi      Rossi      PROPN 2 nsubj
        suggested  suggest    VERB  0 ROOT {PAST}
        meeting    meet       VERB  2 xcomp VerbForm=Ger
        Putin      Putin      PROPN 3 obj
        .          .          PUNCT 2 punct
    """,
        [("Rossi", "PERSON"), ("Putin", "PERSON")],
    )
    assert only(doc).modality == "hypothetical"


def test_it_future_is_hypothetical_and_past_conditional_reported(it: Language) -> None:
    fut = run(
        it,
        """
        Putin       Putin      PROPN 2 nsubj
        incontrerà  incontrare VERB  0 ROOT Mood=Ind|Number=Sing|Person=3|Tense=Fut|VerbForm=Fin
        Aliyev      Aliyev     PROPN 2 obj
        .           .          PUNCT 2 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert only(fut).modality == "hypothetical"
    cnd = run(
        it,
        f"""
        Putin       Putin      PROPN 3 nsubj
        avrebbe     avere      AUX   3 aux Mood=Cnd|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin
        incontrato  incontrare VERB  0 ROOT {PART}
        Aliyev      Aliyev     PROPN 3 obj
        .           .          PUNCT 3 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert only(cnd).modality == "reported"
    pres = run(
        it,
        """
        Putin       Putin      PROPN 2 nsubj
        incontrerebbe incontrare VERB 0 ROOT Mood=Cnd|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin
        Aliyev      Aliyev     PROPN 2 obj
        .           .          PUNCT 2 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert only(pres).modality == "hypothetical"


def test_it_symmetric_relation_once_in_text_order(it: Language) -> None:
    # "Putin e Aliyev si sono incontrati": coordinated subjects of a symmetric verb
    doc = run(
        it,
        f"""
        Putin      Putin      PROPN 6 nsubj
        e          e          CCONJ 3 cc
        Aliyev     Aliyev     PROPN 1 conj
        si         si         PRON  6 expl
        sono       essere     AUX   6 aux {FIN}
        incontrati incontrare VERB  0 ROOT {PART}
        .          .          PUNCT 6 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Putin", "met", "Aliyev")


def test_it_no_duplicates_within_a_sentence(it: Language) -> None:
    # "Aliyev ha incontrato Putin e ha incontrato Putin": the same triple twice
    doc = run(
        it,
        f"""
        Aliyev     Aliyev     PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        incontrato incontrare VERB  0 ROOT {PART}
        Putin      Putin      PROPN 3 obj
        e          e          CCONJ 7 cc
        ha         avere      AUX   7 aux {FIN}
        incontrato incontrare VERB  3 conj {PART}
        Putin      Putin      PROPN 7 obj
        .          .          PUNCT 3 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON"), ("Putin", "PERSON")],
    )
    assert len(doc._.relations) == 1


def test_it_open_relations(it: Language) -> None:
    rows = f"""
        Aliyev     Aliyev     PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        sfidato    sfidare    VERB  0 ROOT {PART}
        Putin      Putin      PROPN 3 obj
        .          .          PUNCT 3 punct
    """
    ents: list[Ent] = [("Aliyev", "PERSON"), ("Putin", "PERSON")]
    assert run(it, rows, ents)._.relations == []
    nlp = make_nlp("it", open_relations=True)
    r = only(run(nlp, rows, ents))
    assert r.relation == "other" and r.event_type is None and r.trigger.lemma_ == "sfidare"


# ============================================================================ English


def test_en_prepositional_object(en: Language) -> None:
    doc = run(
        en,
        f"""
        Putin  Putin PROPN 2 nsubj
        met    meet  VERB  0 ROOT {PAST}
        with   with  ADP   4 case
        Aliyev Aliyev PROPN 2 obl
        .      .     PUNCT 2 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Putin", "met", "Aliyev")


def test_en_non_entity_object(en: Language) -> None:
    doc = run(
        en,
        f"""
        Putin  Putin PROPN 2 nsubj
        met    meet  VERB  0 ROOT {PAST}
        the    the   DET   4 det
        press  press NOUN  2 obj
        .      .     PUNCT 2 punct
    """,
        [("Putin", "PERSON")],
    )
    assert doc._.relations == []


def test_en_passive_with_agent(en: Language) -> None:
    doc = run(
        en,
        f"""
        The        the       DET   3 det
        PEACE      PEACE     PROPN 3 compound
        Act        Act       PROPN 5 nsubj:pass
        was        be        AUX   5 aux:pass {PAST}
        introduced introduce VERB  0 ROOT Tense=Past|VerbForm=Part
        by         by        ADP   7 case
        Issa       Issa      PROPN 5 obl:agent
        .          .         PUNCT 5 punct
    """,
        [("PEACE Act", "LAW"), ("Issa", "PERSON")],
    )
    assert triples(doc) == {("Issa", "introduced", "PEACE Act")}


def test_en_coordinated_subjects(en: Language) -> None:
    doc = run(
        en,
        f"""
        Issa       Issa      PROPN 4 nsubj
        and        and       CCONJ 3 cc
        Bilirakis  Bilirakis PROPN 1 conj
        introduced introduce VERB  0 ROOT {PAST}
        the        the       DET   7 det
        PEACE      PEACE     PROPN 7 compound
        Act        Act       PROPN 4 obj
        .          .         PUNCT 4 punct
    """,
        [("Issa", "PERSON"), ("Bilirakis", "PERSON"), ("PEACE Act", "LAW")],
    )
    assert triples(doc) == {
        ("Issa", "introduced", "PEACE Act"),
        ("Bilirakis", "introduced", "PEACE Act"),
    }


def test_en_meeting_between(en: Language) -> None:
    doc = run(
        en,
        f"""
        The     the     DET   2 det
        meeting meeting NOUN  7 nsubj
        between between ADP   4 case
        Aliyev  Aliyev  PROPN 2 nmod
        and     and     CCONJ 6 cc
        Putin   Putin   PROPN 4 conj
        lasted  last    VERB  0 ROOT {PAST}
        hours   hour    NOUN  7 obj
        .       .       PUNCT 7 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON")],
    )
    assert triples(doc) == {("Aliyev", "met", "Putin")}


def test_en_possessive_talks_with(en: Language) -> None:
    doc = run(
        en,
        f"""
        Aliyev  Aliyev  PROPN 3 nmod:poss
        's      's      PART  1 case
        talks   talk    NOUN  6 nsubj
        with    with    ADP   5 case
        Putin   Putin   PROPN 3 nmod
        ended   end     VERB  0 ROOT {PAST}
        .       .       PUNCT 6 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON")],
    )
    assert triples(doc) == {("Aliyev", "met", "Putin")}


def test_en_light_verb_held_talks(en: Language) -> None:
    doc = run(
        en,
        f"""
        Syria  Syria  PROPN 3 nsubj
        has    have   AUX   3 aux {FIN}
        held   hold   VERB  0 ROOT Tense=Past|VerbForm=Part
        talks  talk   NOUN  3 obj
        with   with   ADP   6 case
        Israel Israel PROPN 4 nmod
        .      .      PUNCT 3 punct
    """,
        [("Syria", "STATE"), ("Israel", "STATE")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Syria", "met", "Israel")


def test_en_nominal_with_clause_subject_after(en: Language) -> None:
    doc = run(
        en,
        f"""
        Chernomyrdin Chernomyrdin PROPN 2 nsubj
        spoke        speak        VERB  0 ROOT {PAST}
        after        after        ADP   5 case
        a            a            DET   5 det
        meeting      meeting      NOUN  2 obl
        with         with         ADP   7 case
        Lebed        Lebed        PROPN 5 nmod
        .            .            PUNCT 2 punct
    """,
        [("Chernomyrdin", "PERSON"), ("Lebed", "PERSON")],
    )
    r = only(doc)
    assert (r.relation, r.object.text) == ("met", "Lebed") and "clause" in r.rule


def test_en_control(en: Language) -> None:
    doc = run(
        en,
        f"""
        Aliyev  Aliyev PROPN 2 nsubj
        decided decide VERB  0 ROOT {PAST}
        to      to     PART  4 mark
        meet    meet   VERB  2 xcomp VerbForm=Inf
        Putin   Putin  PROPN 4 obj
        .       .      PUNCT 2 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.modality) == ("Aliyev", "met", "hypothetical")


def test_en_title_modifier_ud(en: Language) -> None:
    # EWT style: "Russian President Vladimir Putin", President nmod:desc of the name
    doc = run(
        en,
        f"""
        Russian   Russian   ADJ   2 amod
        President President PROPN 3 nmod:desc
        Vladimir  Vladimir  PROPN 5 nsubj
        Putin     Putin     PROPN 3 flat
        met       meet      VERB  0 ROOT {PAST}
        Aliyev    Aliyev    PROPN 5 obj
        .         .         PUNCT 5 punct
    """,
        [("Russian", "STATE", "Russia"), ("Vladimir Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert triples(doc) == {
        ("Vladimir Putin", "leader_of", "Russia"),
        ("Vladimir Putin", "met", "Aliyev"),
    }


def test_en_title_modifier_on_name(en: Language) -> None:
    # spaCy style: both "Russian" and "President" depend on the name
    doc = run(
        en,
        f"""
        Russian   Russian   ADJ   4 amod
        President President PROPN 4 compound
        Vladimir  Vladimir  PROPN 4 compound
        Putin     Putin     PROPN 5 nsubj
        spoke     speak     VERB  0 ROOT {PAST}
        .         .         PUNCT 5 punct
    """,
        [("Russian", "STATE", "Russia"), ("Vladimir Putin", "PERSON")],
    )
    assert triples(doc) == {("Vladimir Putin", "leader_of", "Russia")}


def test_en_party_adjective_gives_member_of(en: Language) -> None:
    doc = run(
        en,
        f"""
        Republican  Republican  ADJ   2 amod
        congressman congressman NOUN  4 compound
        Darrell     Darrell     PROPN 4 compound
        Issa        Issa        PROPN 5 nsubj
        spoke       speak       VERB  0 ROOT {PAST}
        .           .           PUNCT 5 punct
    """,
        [("Republican", "ORG", "Republican Party"), ("Darrell Issa", "PERSON")],
    )
    assert triples(doc) == {("Darrell Issa", "member_of", "Republican Party")}


def test_en_demonym_without_title(en: Language) -> None:
    doc = run(
        en,
        f"""
        American American ADJ   2 amod
        Dennis   Dennis   PROPN 4 nsubj
        Mitchell Mitchell PROPN 2 flat
        won      win      VERB  0 ROOT {PAST}
        .        .        PUNCT 4 punct
    """,
        [("American", "STATE", "United States"), ("Dennis Mitchell", "PERSON")],
    )
    assert triples(doc) == {("Dennis Mitchell", "citizen_of", "United States")}


def test_en_head_of_apposition(en: Language) -> None:
    doc = run(
        en,
        f"""
        Igor       Igor       PROPN 9 nsubj
        Kartavykh  Kartavykh  PROPN 1 flat
        ,          ,          PUNCT 4 punct
        head       head       NOUN  1 appos
        of         of         ADP   6 case
        Sputnik    Sputnik    PROPN 4 nmod
        Azerbaijan Azerbaijan PROPN 6 flat
        ,          ,          PUNCT 4 punct
        said       say        VERB  0 ROOT {PAST}
        .          .          PUNCT 9 punct
    """,
        [("Igor Kartavykh", "PERSON"), ("Sputnik Azerbaijan", "ORG")],
    )
    assert triples(doc) == {("Igor Kartavykh", "head_of", "Sputnik Azerbaijan")}


def test_en_researcher_at_university_in_city(en: Language) -> None:
    doc = run(
        en,
        f"""
        Farhod     Farhod     PROPN 12 nsubj
        Nazarov    Nazarov    PROPN 1 flat
        ,          ,          PUNCT 5 punct
        a          a          DET   5 det
        researcher researcher NOUN  1 appos
        at         at         ADP   8 case
        Webster    Webster    PROPN 8 compound
        University University PROPN 5 nmod
        in         in         ADP   10 case
        Tashkent   Tashkent   PROPN 8 nmod
        ,          ,          PUNCT 5 punct
        said       say        VERB  0 ROOT {PAST}
        .          .          PUNCT 12 punct
    """,
        [("Farhod Nazarov", "PERSON"), ("Webster University", "ORG"), ("Tashkent", "LOC")],
    )
    assert triples(doc) == {
        ("Farhod Nazarov", "works_for", "Webster University"),
        ("Webster University", "located_in", "Tashkent"),
    }


def test_en_city_region_apposition(en: Language) -> None:
    doc = run(
        en,
        """
        Denver   Denver   PROPN 0 ROOT
        ,        ,        PUNCT 3 punct
        Colorado Colorado PROPN 1 appos
    """,
        [("Denver", "LOC"), ("Colorado", "LOC")],
    )
    assert triples(doc) == {("Denver", "located_in", "Colorado")}


def test_en_person_is_not_located(en: Language) -> None:
    doc = run(
        en,
        """
        Putin    Putin    PROPN 0 ROOT
        in       in       ADP   3 case
        Moscow   Moscow   PROPN 1 nmod
    """,
        [("Putin", "PERSON"), ("Moscow", "LOC")],
    )
    assert doc._.relations == []


def test_en_if_clause_never_asserted(en: Language) -> None:
    doc = run(
        en,
        f"""
        If         if         SCONJ 3 mark
        Azerbaijan Azerbaijan PROPN 3 nsubj
        attacks    attack     VERB  8 advcl {FIN}
        Armenia    Armenia    PROPN 3 obj
        ,          ,          PUNCT 3 punct
        Russia     Russia     PROPN 8 nsubj
        will       will       AUX   8 aux VerbForm=Fin
        respond    respond    VERB  0 ROOT VerbForm=Inf
        .          .          PUNCT 8 punct
    """,
        [("Azerbaijan", "STATE"), ("Armenia", "STATE"), ("Russia", "STATE")],
    )
    r = only(doc)
    assert r.relation == "attacked" and r.modality == "hypothetical"


def test_en_negation(en: Language) -> None:
    doc = run(
        en,
        f"""
        Putin  Putin  PROPN 4 nsubj
        did    do     AUX   4 aux {PAST}
        not    not    PART  4 advmod
        meet   meet   VERB  0 ROOT VerbForm=Inf
        Aliyev Aliyev PROPN 4 obj
        .      .      PUNCT 4 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert only(doc).negated


def test_en_refused_to_meet_is_negated(en: Language) -> None:
    doc = run(
        en,
        f"""
        Putin   Putin   PROPN 2 nsubj
        refused refuse  VERB  0 ROOT {PAST}
        to      to      PART  4 mark
        meet    meet    VERB  2 xcomp VerbForm=Inf
        Aliyev  Aliyev  PROPN 4 obj
        .       .       PUNCT 2 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert only(doc).negated


def test_en_future_will(en: Language) -> None:
    doc = run(
        en,
        """
        Rosati  Rosati  PROPN 3 nsubj
        will    will    AUX   3 aux VerbForm=Fin
        visit   visit   VERB  0 ROOT VerbForm=Inf
        Yugoslavia Yugoslavia PROPN 3 obj
        .       .       PUNCT 3 punct
    """,
        [("Rosati", "PERSON"), ("Yugoslavia", "STATE")],
    )
    r = only(doc)
    assert (r.relation, r.modality) == ("visited", "hypothetical")


def test_en_reported_said_that(en: Language) -> None:
    doc = run(
        en,
        f"""
        Aliyev Aliyev PROPN 2 nsubj
        said   say    VERB  0 ROOT {PAST}
        that   that   SCONJ 5 mark
        Putin  Putin  PROPN 5 nsubj
        urged  urge   VERB  2 ccomp {PAST}
        Baku   Baku   PROPN 5 obj
        .      .      PUNCT 2 punct
    """,
        [("Aliyev", "PERSON"), ("Putin", "PERSON"), ("Baku", "STATE", "Azerbaijan")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.modality) == ("Putin", "demanded", "reported")


def test_en_reported_parataxis(en: Language) -> None:
    # "Poland sanctioned Belarus, PAP reported."
    doc = run(
        en,
        f"""
        Poland     Poland     PROPN 2 nsubj
        sanctioned sanction   VERB  0 ROOT {PAST}
        Belarus    Belarus    PROPN 2 obj
        ,          ,          PUNCT 6 punct
        PAP        PAP        PROPN 6 nsubj
        reported   report     VERB  2 parataxis {PAST}
        .          .          PUNCT 2 punct
    """,
        [("Poland", "STATE"), ("Belarus", "STATE"), ("PAP", "ORG")],
    )
    r = only(doc)
    assert (r.relation, r.modality) == ("sanctioned", "reported")


def test_en_speculative_believe(en: Language) -> None:
    doc = run(
        en,
        f"""
        Observers observer NOUN  2 nsubj
        believe   believe  VERB  0 ROOT {FIN}
        Putin     Putin    PROPN 4 nsubj
        urged     urge     VERB  2 ccomp {PAST}
        Baku      Baku     PROPN 4 obj
        .         .        PUNCT 2 punct
    """,
        [("Putin", "PERSON"), ("Baku", "STATE")],
    )
    assert only(doc).modality == "speculative"


def test_en_possessor_object(en: Language) -> None:
    doc = run(
        en,
        f"""
        Syria      Syria      PROPN 2 nsubj
        condemned  condemn    VERB  0 ROOT {PAST}
        Israel     Israel     PROPN 6 nmod:poss
        's         's         PART  3 case
        settlement settlement NOUN  6 compound
        policy     policy     NOUN  2 obj
        .          .          PUNCT 2 punct
    """,
        [("Syria", "STATE"), ("Israel", "STATE")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Syria", "criticized", "Israel")
    assert "possessor" in r.rule


def test_possessor_object_demonym_both_languages(en: Language, it: Language) -> None:
    # the act's state, named by its demonym adjective, is the object of criticized
    doc = run(
        en,
        f"""
        Britain     Britain     PROPN 2 nsubj
        condemned   condemn     VERB  0 ROOT {PAST}
        Iraqi       Iraqi       ADJ   4 amod
        involvement involvement NOUN  2 obj
        .           .           PUNCT 2 punct
    """,
        [("Britain", "STATE", "United Kingdom"), ("Iraqi", "STATE", "Iraq")],
    )
    r = only(doc)
    assert (r.subject._.canonical, r.relation, r.object._.canonical) == (
        "United Kingdom", "criticized", "Iraq")
    doc = run(
        it,
        f"""
        Italia      Italia      PROPN 3 nsubj
        ha          avere       AUX   3 aux
        condannato  condannare  VERB  0 ROOT {PART}
        l'          il          DET   5 det
        intervento  intervento  NOUN  3 obj
        iracheno    iracheno    ADJ   5 amod
        .           .           PUNCT 3 punct
    """,
        [("Italia", "STATE", "Italy"), ("iracheno", "STATE", "Iraq")],
    )
    r = only(doc)
    assert (r.subject._.canonical, r.relation, r.object._.canonical) == (
        "Italy", "criticized", "Iraq")
    # a demonym that is no state (MISC) is no object
    doc = run(
        en,
        f"""
        Britain     Britain     PROPN 2 nsubj
        condemned   condemn     VERB  0 ROOT {PAST}
        Kurdish     Kurdish     ADJ   4 amod
        involvement involvement NOUN  2 obj
        .           .           PUNCT 2 punct
    """,
        [("Britain", "STATE", "United Kingdom"), ("Kurdish", "MISC")],
    )
    assert triples(doc) == set()


def test_en_actor_noun(en: Language) -> None:
    doc = run(
        en,
        f"""
        The        the        DET   3 det
        Israeli    Israeli    ADJ   3 amod
        government government NOUN  4 nsubj
        criticized criticize  VERB  0 ROOT {PAST}
        Syria      Syria      PROPN 4 obj
        .          .          PUNCT 4 punct
    """,
        [("Israeli", "STATE", "Israel"), ("Syria", "STATE")],
    )
    assert triples(doc) == {("Israel", "criticized", "Syria")}


# ---------------------------------------------------------------- ClearNLP labels


def test_en_clearnlp_prep_pobj(en: Language) -> None:
    doc = run(
        en,
        f"""
        Putin  Putin  PROPN 2 nsubj
        met    meet   VERB  0 ROOT {PAST}
        with   with   ADP   2 prep
        Aliyev Aliyev PROPN 3 pobj
        .      .      PUNCT 2 punct
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert triples(doc) == {("Putin", "met", "Aliyev")}


def test_en_clearnlp_passive_agent(en: Language) -> None:
    doc = run(
        en,
        f"""
        The        the       DET   3 det
        PEACE      PEACE     PROPN 3 compound
        Act        Act       PROPN 5 nsubjpass
        was        be        AUX   5 auxpass {PAST}
        introduced introduce VERB  0 ROOT Tense=Past|VerbForm=Part
        by         by        ADP   5 agent
        Issa       Issa      PROPN 6 pobj
        .          .         PUNCT 5 punct
    """,
        [("PEACE Act", "LAW"), ("Issa", "PERSON")],
    )
    assert triples(doc) == {("Issa", "introduced", "PEACE Act")}


def test_en_clearnlp_copula_and_according_to(en: Language) -> None:
    # "According to TASS, Putin is president of Russia"
    doc = run(
        en,
        f"""
        According  accord    VERB  6 prep
        to         to        ADP   1 prep
        TASS       TASS      PROPN 2 pobj
        ,          ,         PUNCT 6 punct
        Putin      Putin     PROPN 6 nsubj
        is         be        AUX   0 ROOT {FIN}
        president  president NOUN  6 attr
        of         of        ADP   7 prep
        Russia     Russia    PROPN 8 pobj
        .          .         PUNCT 6 punct
    """,
        [("TASS", "ORG"), ("Putin", "PERSON"), ("Russia", "STATE")],
    )
    ud = to_ud(doc)
    assert [t.dep_ for t in ud] == [
        "case",
        "fixed",
        "obl",
        "punct",
        "nsubj",
        "cop",
        "ROOT",
        "case",
        "nmod",
        "punct",
    ]
    r = only(doc)
    assert (r.relation, r.object.text, r.rule) == ("leader_of", "Russia", "title.copula")
    assert r.modality == "reported"


def test_ud_doc_is_not_copied() -> None:
    nlp = spacy.blank("en")
    doc = parse(
        nlp,
        """
        Putin  Putin  PROPN 2 nsubj
        met    meet   VERB  0 ROOT
        Aliyev Aliyev PROPN 2 obj
    """,
    )
    assert to_ud(doc) is doc


# ---------------------------------------------------------------- component behaviour


def test_no_parse_no_relations(en: Language) -> None:
    doc = en.make_doc("Putin met Aliyev.")
    doc.ents = [Span(doc, 0, 1, label="PERSON"), Span(doc, 2, 3, label="PERSON")]
    assert en(doc)._.relations == []


def test_min_confidence_filters(en: Language) -> None:
    rows = f"""
        Putin  Putin  PROPN 2 nsubj
        met    meet   VERB  0 ROOT {PAST}
        Aliyev Aliyev PROPN 2 obj
        .      .      PUNCT 2 punct
    """
    ents: list[Ent] = [("Putin", "PERSON"), ("Aliyev", "PERSON")]
    conf = only(run(en, rows, ents)).confidence
    strict = make_nlp("en", min_confidence=min(1.0, conf + 0.01))
    assert run(strict, rows, ents)._.relations == []


def test_default_lang_comes_from_the_pipeline() -> None:
    nlp = spacy.blank("it")
    layer = nlp.add_pipe("relextract_relations")
    assert layer.lang == "it"  # type: ignore[attr-defined]


def test_to_disk_from_disk_roundtrip(tmp_path, en: Language) -> None:  # type: ignore[no-untyped-def]
    layer = en.get_pipe("relextract_relations")
    layer.to_disk(tmp_path / "rel")  # type: ignore[attr-defined]
    nlp2 = make_nlp("en")
    nlp2.get_pipe("relextract_relations").from_disk(tmp_path / "rel")  # type: ignore[attr-defined]
    doc = run(
        nlp2,
        f"""
        Putin  Putin  PROPN 2 nsubj
        met    meet   VERB  0 ROOT {PAST}
        Aliyev Aliyev PROPN 2 obj
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON")],
    )
    assert triples(doc) == {("Putin", "met", "Aliyev")}
    nlp3 = spacy.blank("en")
    nlp3.add_pipe("relextract_relations", config={"lang": "en"})
    nlp3.to_disk(tmp_path / "pipe")
    nlp4 = spacy.load(tmp_path / "pipe")
    assert nlp4.get_pipe("relextract_relations").lang == "en"  # type: ignore[attr-defined]


# ---------------------------------------------------------------- more constructions


def test_it_apposition_parsed_as_nmod(it: Language) -> None:
    # parsers often attach "X, direttore generale della Olivetti" as a caseless nmod
    doc = run(
        it,
        f"""
        Elserino   Elserino   PROPN 9 nsubj
        Piol       Piol       PROPN 1 flat:name
        ,          ,          PUNCT 4 punct
        direttore  direttore  NOUN  1 nmod
        generale   generale   ADJ   4 amod
        della      di         ADP   7 case
        Olivetti   Olivetti   PROPN 4 nmod
        ,          ,          PUNCT 4 punct
        prevede    prevedere  VERB  0 ROOT {FIN}
        .          .          PUNCT 9 punct
    """,
        [("Elserino Piol", "PERSON"), ("Olivetti", "ORG")],
    )
    assert triples(doc) == {("Elserino Piol", "head_of", "Olivetti")}


def test_it_place_noun_located(it: Language) -> None:
    doc = run(
        it,
        f"""
        Hanno      avere      AUX   2 aux {FIN}
        raggiunto  raggiungere VERB 0 ROOT {PART}
        il         il         DET   4 det
        porto      porto      NOUN  2 obj
        albanese   albanese   ADJ   4 amod
        di         di         ADP   7 case
        Valona     Valona     PROPN 4 nmod
        .          .          PUNCT 2 punct
    """,
        [("albanese", "STATE", "Albania"), ("Valona", "LOC", "Vlorë")],
    )
    assert triples(doc) == {("Vlorë", "located_in", "Albania")}


def test_it_investigation_by_agent_against_person(it: Language) -> None:
    # "l'indagine avviata dalla Procura a carico di Dell'Utri"
    doc = run(
        it,
        f"""
        L'         il         DET   2 det
        indagine   indagine   NOUN  10 nsubj
        avviata    avviare    VERB  2 acl {PART}
        dalla      da         ADP   5 case
        Procura    Procura    PROPN 3 obl:agent
        a          a          ADP   9 case
        carico     carico     NOUN  6 fixed
        di         di         ADP   6 fixed
        Dell'Utri  Dell'Utri  PROPN 3 obl
        prosegue   proseguire VERB  0 ROOT {FIN}
        .          .          PUNCT 10 punct
    """,
        [("Procura", "ORG"), ("Dell'Utri", "PERSON")],
    )
    assert triples(doc) == {("Procura", "investigated", "Dell'Utri")}


def test_it_reported_clause_without_subject(it: Language) -> None:
    # "Lebed ha detto che ha incontrato Maskhadov": the reporter is the subject
    doc = run(
        it,
        f"""
        Lebed      Lebed      PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        detto      dire       VERB  0 ROOT {PART}
        che        che        SCONJ 7 mark
        ha         avere      AUX   7 aux {FIN}
        ieri       ieri       ADV   7 advmod
        incontrato incontrare VERB  3 ccomp {PART}
        Maskhadov  Maskhadov  PROPN 7 obj
        .          .          PUNCT 3 punct
    """,
        [("Lebed", "PERSON"), ("Maskhadov", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.modality) == ("Lebed", "met", "reported")
    assert "coref" in r.rule


def test_it_static_relation_from_verb(it: Language) -> None:
    doc = run(
        it,
        f"""
        Castagnoli Castagnoli PROPN 2 nsubj
        dirige     dirigere   VERB  0 ROOT {FIN}
        l'         il         DET   4 det
        Infn       Infn       PROPN 2 obj
        .          .          PUNCT 2 punct
    """,
        [("Castagnoli", "PERSON"), ("Infn", "ORG")],
    )
    r = only(doc)
    assert (r.relation, r.event_type) == ("head_of", None)


def test_en_he_in_reported_clause(en: Language) -> None:
    doc = run(
        en,
        f"""
        Lebed     Lebed     PROPN 2 nsubj
        said      say       VERB  0 ROOT {PAST}
        he        he        PRON  6 nsubj Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs
        and       and       CCONJ 5 cc
        Maskhadov Maskhadov PROPN 3 conj
        agreed    agree     VERB  2 ccomp {PAST}
        .         .         PUNCT 2 punct
    """,
        [("Lebed", "PERSON"), ("Maskhadov", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Lebed", "agreed_with", "Maskhadov")
    assert r.modality == "reported"


def test_en_demanded_that_clause(en: Language) -> None:
    doc = run(
        en,
        f"""
        Pyongyang Pyongyang PROPN 2 nsubj
        demanded  demand    VERB  0 ROOT {PAST}
        that      that      SCONJ 5 mark
        Seoul     Seoul     PROPN 5 nsubj
        return    return    VERB  2 ccomp VerbForm=Inf
        him       he        PRON  5 obj
        .         .         PUNCT 2 punct
    """,
        [("Pyongyang", "STATE", "North Korea"), ("Seoul", "STATE", "South Korea")],
    )
    assert triples(doc) == {("North Korea", "demanded", "South Korea")}


def test_en_round_of_talks_pair(en: Language) -> None:
    doc = run(
        en,
        f"""
        Lebed     Lebed     PROPN 5 nsubj
        and       and       CCONJ 3 cc
        Maskhadov Maskhadov PROPN 1 conj
        have      have      AUX   5 aux {FIN}
        started   start     VERB  0 ROOT Tense=Past|VerbForm=Part
        a         a         DET   8 det
        new       new       ADJ   8 amod
        round     round     NOUN  5 obj
        of        of        ADP   10 case
        talks     talk      NOUN  8 nmod
        .         .         PUNCT 5 punct
    """,
        [("Lebed", "PERSON"), ("Maskhadov", "PERSON")],
    )
    assert triples(doc) == {("Lebed", "met", "Maskhadov")}


def test_en_deputy_prime_minister_is_works_for(en: Language) -> None:
    doc = run(
        en,
        f"""
        Iraq     Iraq     PROPN 5 nmod:poss
        's       's       PART  1 case
        Deputy   deputy   ADJ   5 amod
        Prime    prime    ADJ   5 amod
        Minister minister NOUN  6 compound
        Aziz     Aziz     PROPN 7 nsubj
        said     say      VERB  0 ROOT {PAST}
    """,
        [("Iraq", "STATE"), ("Aziz", "PERSON")],
    )
    assert triples(doc) == {("Aziz", "works_for", "Iraq")}


def test_en_campaign_manager_of_person(en: Language) -> None:
    doc = run(
        en,
        f"""
        Dole     Dole     PROPN 2 compound
        campaign campaign NOUN  3 compound
        manager  manager  NOUN  4 nmod:desc
        Reed     Reed     PROPN 5 nsubj
        wrote    write    VERB  0 ROOT {PAST}
    """,
        [("Dole", "PERSON"), ("Reed", "PERSON")],
    )
    assert triples(doc) == {("Reed", "works_for", "Dole")}


def test_en_based_and_place_of(en: Language) -> None:
    doc = run(
        en,
        f"""
        the       the       DET   6 det
        New       New       PROPN 3 compound
        York      York      PROPN 5 compound
        -         -         PUNCT 5 punct
        based     base      VERB  6 amod
        group     group     NOUN  7 compound
        HRIC      HRIC      PROPN 8 nsubj
        said      say       VERB  0 ROOT {PAST}
    """,
        [("New York", "LOC"), ("HRIC", "ORG")],
    )
    # the group's name is a compound of "group": resolved as the name of the noun
    assert triples(doc) == {("HRIC", "located_in", "New York")}


def test_en_foreign_minister_is_not_a_party(en: Language) -> None:
    doc = run(
        en,
        f"""
        Poland   Poland   PROPN 4 nmod:poss
        's       's       PART  1 case
        Foreign  foreign  ADJ   4 amod
        Minister minister NOUN  5 compound
        Rosati   Rosati   PROPN 6 nsubj
        spoke    speak    VERB  0 ROOT {PAST}
    """,
        [("Poland", "STATE"), ("Foreign", "ORG", "Foreign Office"), ("Rosati", "PERSON")],
    )
    assert triples(doc) == {("Rosati", "works_for", "Poland")}


def test_it_partitive_title(it: Language) -> None:
    # "Andy Haldane, uno dei banchieri della BoE"
    doc = run(
        it,
        f"""
        Andy      Andy      PROPN 10 nsubj
        Haldane   Haldane   PROPN 1 flat:name
        ,         ,         PUNCT 4 punct
        uno       uno       PRON  1 appos
        dei       di        ADP   6 case
        banchieri banchiere NOUN  4 nmod
        della     di        ADP   8 case
        BoE       BoE       PROPN 6 nmod
        ,         ,         PUNCT 4 punct
        parla     parlare   VERB  0 ROOT {FIN}
    """,
        [("Andy Haldane", "PERSON"), ("BoE", "ORG", "Bank of England")],
    )
    assert triples(doc) == {("Andy Haldane", "works_for", "Bank of England")}


def test_it_coordinated_titles_and_title_noun_with_name(it: Language) -> None:
    # "Il dottor Guyjon, medico personale di Allende, e ricercatore al Cern"
    doc = run(
        it,
        f"""
        Il        il        DET   2 det
        dottor    dottore   NOUN  13 nsubj
        Guyjon    Guyjon    PROPN 2 nmod
        ,         ,         PUNCT 5 punct
        medico    medico    NOUN  2 appos
        personale personale ADJ   5 amod
        di        di        ADP   8 case
        Allende   Allende   PROPN 5 nmod
        e         e         CCONJ 10 cc
        ricercatore ricercatore NOUN 5 conj
        al        a         ADP   12 case
        Cern      Cern      PROPN 10 nmod
        parla     parlare   VERB  0 ROOT {FIN}
    """,
        [("Guyjon", "PERSON"), ("Allende", "PERSON"), ("Cern", "ORG", "CERN")],
    )
    assert triples(doc) == {("Guyjon", "works_for", "Allende"), ("Guyjon", "works_for", "CERN")}


def test_en_person_of_organisation_and_state(en: Language) -> None:
    doc = run(
        en,
        f"""
        said     say      VERB  0 ROOT {PAST}
        John     John     PROPN 1 nsubj
        Casesa   Casesa   PROPN 2 flat
        of       of       ADP   6 case
        Schroder Schroder PROPN 6 compound
        Wertheim Wertheim PROPN 2 nmod
        and      and      CCONJ 8 cc
        Eitel    Eitel    PROPN 2 conj
        of       of       ADP   10 case
        Germany  Germany  PROPN 8 nmod
    """,
        [
            ("John Casesa", "PERSON"),
            ("Schroder Wertheim", "ORG"),
            ("Eitel", "PERSON"),
            ("Germany", "STATE"),
        ],
    )
    assert triples(doc) == {
        ("John Casesa", "works_for", "Schroder Wertheim"),
        ("Eitel", "citizen_of", "Germany"),
    }


def test_title_with_unknown_loc_object_reads_it_as_organisation(it: Language) -> None:
    doc = run(
        it,
        f"""
        Piol       Piol       PROPN 6 nsubj
        ,          ,          PUNCT 3 punct
        direttore  direttore  NOUN  1 appos
        della      di         ADP   5 case
        Olivetti   Olivetti   PROPN 3 nmod
        prevede    prevedere  VERB  0 ROOT {FIN}
    """,
        [("Piol", "PERSON"), ("Olivetti", "LOC")],
    )
    r = only(doc)
    assert (r.relation, r.object.text) == ("head_of", "Olivetti") and "loc_as_org" in r.rule
    # likewise an unknown one-word "person" ("uno dei banchieri della Boe", Boe tagged PER)
    rows = f"""
        Piol       Piol       PROPN 6 nsubj
        ,          ,          PUNCT 3 punct
        direttore  direttore  NOUN  1 appos
        della      di         ADP   5 case
        Olivetti   Olivetti   PROPN 3 nmod
        prevede    prevedere  VERB  0 ROOT {FIN}
        {{more}}
    """
    doc = run(it, rows.format(more=""), [("Piol", "PERSON"), ("Olivetti", "PERSON")])
    assert triples(doc) == {("Piol", "head_of", "Olivetti")}
    # not a surname of a person the document names in full ("... e Marco Olivetti")
    doc = run(it, rows.format(more="Marco Marco PROPN 6 obj\n Olivetti Olivetti PROPN 7 flat:name"),
              [("Piol", "PERSON"), ("Olivetti", "PERSON"), ("Marco Olivetti", "PERSON")])
    assert ("Piol", "head_of", "Olivetti") not in triples(doc)


def test_en_city_of_x_is_x(en: Language) -> None:
    doc = run(
        en,
        f"""
        Iraqi    Iraqi    ADJ   2 amod
        forces   force    NOUN  3 nsubj
        attacked attack   VERB  0 ROOT {PAST}
        the      the      DET   5 det
        city     city     NOUN  3 obj
        of       of       ADP   7 case
        Arbil    Arbil    PROPN 5 nmod
        in       in       ADP   10 case
        northern northern ADJ   10 amod
        Iraq     Iraq     PROPN 5 nmod
    """,
        [("Iraqi", "STATE", "Iraq"), ("Arbil", "LOC", "Erbil"), ("Iraq", "STATE")],
    )
    assert triples(doc) == {("Iraq", "attacked", "Erbil"), ("Erbil", "located_in", "Iraq")}


def test_en_possessives_of_people_and_organisations(en: Language) -> None:
    doc = run(
        en,
        f"""
        Ericsson    Ericsson    PROPN 3 nmod:poss
        's          's          PART  1 case
        Zetterquist Zetterquist PROPN 4 nsubj
        praised     praise      VERB  0 ROOT {PAST}
        Suu         Suu         PROPN 6 compound
        Kyi         Kyi         PROPN 10 nmod:poss
        's          's          PART  6 case
        National    National    PROPN 10 compound
        Democratic  Democratic  PROPN 10 compound
        League      League      PROPN 4 obj
    """,
        [
            ("Ericsson", "ORG"),
            ("Zetterquist", "PERSON"),
            ("Suu Kyi", "PERSON"),
            ("National Democratic League", "ORG"),
        ],
    )
    # "Ericsson's Zetterquist" alone is too often a misread name ("the BBC's Andrew Marr Show")
    assert triples(doc) == {
        ("Suu Kyi", "leader_of", "National Democratic League"),
        ("Zetterquist", "praised", "National Democratic League"),
    }


def test_en_misc_nationality_adjective_counts_as_state(en: Language) -> None:
    rows = f"""
        Bosnian    Bosnian    ADJ   2 amod
        President  President  PROPN 3 nmod:desc
        Izetbegovic Izetbegovic PROPN 4 nsubj
        spoke      speak      VERB  0 ROOT {PAST}
    """
    doc = run(en, rows, [("Bosnian", "MISC"), ("Izetbegovic", "PERSON")])
    assert triples(doc) == {("Izetbegovic", "leader_of", "Bosnian")}
    # a party or religion adjective is not a nationality
    doc = run(
        en, rows.replace("Bosnian", "Christian"), [("Christian", "MISC"), ("Izetbegovic", "PERSON")]
    )
    assert doc._.relations == []


# ---------------------------------------------------------------- with the shipped models

MODELS = __import__("pathlib").Path(__file__).resolve().parents[1] / "models"


@pytest.mark.models
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Vladimir Putin met Ilham Aliyev in Moscow on Friday."),
        ("it", "Vladimir Putin ha incontrato Ilham Aliyev a Mosca."),
    ],
)
def test_trained_pipeline_end_to_end(lang: str, text: str) -> None:
    if not (MODELS / lang / "config.cfg").is_file():
        pytest.skip(f"models/{lang} not built")
    from relextract.pipelines import load_pipeline

    doc = load_pipeline(lang, str(MODELS / lang))(text)
    found = {
        (r.subject.text.split()[-1], r.relation, r.object.text.split()[-1]) for r in doc._.relations
    }
    assert ("Putin", "met", "Aliyev") in found
    assert all(r.modality == "asserted" and not r.negated for r in doc._.relations)


def test_en_treaty_signed_between_parties(en: Language) -> None:
    doc = run(
        en,
        f"""
        The     the     DET   3 det
        Treaty  Treaty  PROPN 3 compound
        Baden   Baden   PROPN 5 nsubj:pass
        was     be      AUX   5 aux:pass {PAST}
        signed  sign    VERB  0 ROOT Tense=Past|VerbForm=Part
        between between ADP   7 case
        Austria Austria PROPN 5 obl
        and     and     CCONJ 9 cc
        France  France  PROPN 7 conj
    """,
        [("Treaty Baden", "LAW"), ("Austria", "STATE"), ("France", "STATE")],
    )
    assert triples(doc) == {
        ("Austria", "signed", "Treaty Baden"),
        ("France", "signed", "Treaty Baden"),
    }


def test_en_expressed_gratitude_to(en: Language) -> None:
    doc = run(
        en,
        f"""
        Ramos     Ramos     PROPN 2 nsubj
        expressed express   VERB  0 ROOT {PAST}
        gratitude gratitude NOUN  2 obj
        to        to        ADP   5 case
        Suharto   Suharto   PROPN 3 nmod
    """,
        [("Ramos", "PERSON"), ("Suharto", "PERSON")],
    )
    assert triples(doc) == {("Ramos", "thanked", "Suharto")}


def test_en_lemmatiser_slip_falls_back_to_lookup(en: Language) -> None:
    # a trained lemmatiser may write "expell" for "expelled": the lookup table repairs it
    doc = run(
        en,
        f"""
        France   France   PROPN 2 nsubj
        expelled expell   VERB  0 ROOT {PAST}
        Ahmed    Ahmed    PROPN 2 obj
    """,
        [("France", "STATE"), ("Ahmed", "PERSON")],
    )
    assert triples(doc) == {("France", "expelled", "Ahmed")}


def test_en_clearnlp_relative_clause_negation(en: Language) -> None:
    # spaCy English labels: relcl, dobj, neg, aux
    doc = run(
        en,
        f"""
        Putin  Putin  PROPN 9 nsubj
        ,      ,      PUNCT 1 punct
        who    who    PRON  4 nsubj
        met    meet   VERB  1 relcl {PAST}
        Aliyev Aliyev PROPN 4 dobj
        ,      ,      PUNCT 1 punct
        did    do     AUX   9 aux {PAST}
        not    not    PART  9 neg
        visit  visit  VERB  0 ROOT VerbForm=Inf
        Baku   Baku   PROPN 9 dobj
    """,
        [("Putin", "PERSON"), ("Aliyev", "PERSON"), ("Baku", "STATE", "Azerbaijan")],
    )
    rels = {(r.relation, r.object.text): r for r in doc._.relations}
    assert set(rels) == {("met", "Aliyev"), ("visited", "Baku")}
    assert not rels[("met", "Aliyev")].negated and rels[("visited", "Baku")].negated


def test_en_compound_name_before_person_noun_is_no_identity(en: Language) -> None:
    # "met an Al Qaeda operative" is not "met Al Qaeda"; "the PAP news agency" is PAP
    rows = f"""
        Smith     Smith     PROPN 2 nsubj
        met       meet      VERB  0 ROOT {PAST}
        an        a         DET   6 det
        Al        Al        PROPN 5 compound
        Qaeda     Qaeda     PROPN 6 compound
        operative operative NOUN  2 obj
    """
    ents: list[Ent] = [("Smith", "PERSON"), ("Al Qaeda", "ORG")]
    assert run(en, rows, ents)._.relations == []
    doc = run(en, rows.replace("operative operative", "group     group    "), ents)
    assert triples(doc) == {("Smith", "met", "Al Qaeda")}


def test_en_person_of_organisation_adjacent_whatever_the_parse(en: Language) -> None:
    # the parser hung "of Schroder Wertheim" on the verb; the names are next to each other
    doc = run(
        en,
        f"""
        said     say      VERB  0 ROOT {PAST}
        John     John     PROPN 1 nsubj
        Casesa   Casesa   PROPN 2 flat
        of       of       ADP   6 case
        Schroder Schroder PROPN 6 compound
        Wertheim Wertheim PROPN 1 obl
    """,
        [("John Casesa", "PERSON"), ("Schroder Wertheim", "ORG")],
    )
    r = only(doc)
    assert (r.relation, r.object.text, r.rule) == (
        "works_for",
        "Schroder Wertheim",
        "affiliation.adjacent",
    )


# -- title.adjacent: entity, title, name in a row, read off the word order ---------------------


def test_en_title_adjacent_across_a_broken_parse(en: Language) -> None:
    # the parser made "Ericsson spokesman" a tree of its own and tagged "Per" ADP
    doc = run(
        en,
        f"""
        Ericsson    Ericsson    PROPN 2 compound
        spokesman   spokesman   NOUN  0 ROOT
        Per         per         ADP   5 nsubj
        Zetterquist Zetterquist PROPN 3 flat
        told        tell        VERB  0 ROOT {PAST}
        Reuters     Reuters     PROPN 5 obj
    """,
        [("Ericsson", "ORG"), ("Per Zetterquist", "PERSON"), ("Reuters", "ORG")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Per Zetterquist", "works_for",
                                                           "Ericsson")
    assert r.rule == "title.adjacent" and r.modality == "asserted"


def test_en_title_adjacent_chain_and_multiword_titles(en: Language) -> None:
    # a noun between the entity and the title that is no title word: the person works for it
    doc = run(
        en,
        """
        Clinton  Clinton  PROPN 2 compound
        campaign campaign NOUN  0 ROOT
        chairman chairman NOUN  4 compound
        Peter    Peter    PROPN 6 nsubj
        Knight   Knight   PROPN 4 flat
        spoke    speak    VERB  2 parataxis
    """,
        [("Clinton", "PERSON"), ("Peter Knight", "PERSON")],
    )
    assert triples(doc) == {("Peter Knight", "works_for", "Clinton")}
    # "Foreign" taken for an ORG is a word of the title "Foreign Secretary", not the employer
    doc = run(
        en,
        """
        Foreign   Foreign   PROPN 2 compound
        Secretary Secretary PROPN 0 ROOT
        Malcolm   Malcolm   PROPN 5 nsubj
        Rifkind   Rifkind   PROPN 3 flat
        spoke     speak     VERB  2 parataxis
    """,
        [("Foreign", "ORG"), ("Malcolm Rifkind", "PERSON")],
    )
    assert triples(doc) == set()


def test_en_title_adjacent_needs_the_words_in_a_row(en: Language) -> None:
    # a verb or a comma between the entity and the title: no title relation
    for middle in ("fired fire VERB 0 ROOT", ", , PUNCT 3 punct"):
        doc = run(
            en,
            f"""
            Ericsson  Ericsson  PROPN 2 nsubj
            {middle}
            spokesman spokesman NOUN  2 obj
            John      John      PROPN 3 appos
            Smith     Smith     PROPN 4 flat
        """.replace("PROPN 2 nsubj", "PROPN 2 nsubj" if "VERB" in middle else "PROPN 0 ROOT")
            .replace("NOUN  2 obj", "NOUN  2 obj" if "VERB" in middle else "NOUN  1 appos"),
            [("Ericsson", "ORG"), ("John Smith", "PERSON")],
        )
        assert not any(r.rule.startswith("title.adjacent") for r in doc._.relations), middle


def test_it_title_adjacent(it: Language) -> None:
    # headline style "Gazprom portavoce X"; the usual order "il portavoce di Gazprom, X" is
    # the parse rules' (an adjective right before the name is no title: "russo")
    doc = run(
        it,
        """
        Gazprom    Gazprom    PROPN 2 compound
        portavoce  portavoce  NOUN  0 ROOT
        Sergej     Sergej     PROPN 5 nsubj
        Kuprijanov Kuprijanov PROPN 3 flat
        smentisce  smentire   VERB  2 parataxis
    """,
        [("Gazprom", "ORG"), ("Sergej Kuprijanov", "PERSON")],
    )
    assert triples(doc) == {("Sergej Kuprijanov", "works_for", "Gazprom")}
    doc = run(
        it,
        """
        Mosca    Mosca    PROPN 3 nsubj
        il       il       DET   3 det
        leader   leader   NOUN  0 ROOT
        russo    russo    ADJ   3 amod
        Vladimir Vladimir PROPN 3 nmod
        Putin    Putin    PROPN 5 flat
    """,
        [("Mosca", "LOC"), ("russo", "STATE", "Russia"), ("Vladimir Putin", "PERSON")],
    )
    assert not any(r.rule.startswith("title.adjacent") for r in doc._.relations)


def test_en_affiliation_beside_a_title_with_its_own_organisation(en: Language) -> None:
    # the tagger called the surname a NOUN; the title "President" has its organisation, so
    # "of Germany" says where the person is from
    doc = run(
        en,
        f"""
        Security  Security  PROPN 2 compound
        Council   Council   PROPN 3 compound
        President President PROPN 4 nmod:desc
        Tono      Tono      PROPN 5 compound
        Eitel     Eitel     NOUN  8 nsubj
        of        of        ADP   7 case
        Germany   Germany   PROPN 5 nmod
        said      say       VERB  0 ROOT {PAST}
    """,
        [("Security Council", "ORG"), ("Tono Eitel", "PERSON"), ("Germany", "STATE")],
    )
    assert ("Tono Eitel", "citizen_of", "Germany") in triples(doc)
    assert ("Tono Eitel", "head_of", "Security Council") in triples(doc)
    # a title without an organisation of its own: "of Israel" belongs to it (works_for)
    doc = run(
        en,
        f"""
        Foreign  Foreign  PROPN 2 compound
        Minister Minister PROPN 3 compound
        David    David    PROPN 7 nsubj
        Levy     Levy     PROPN 3 flat
        of       of       ADP   6 case
        Israel   Israel   PROPN 3 nmod
        said     say      VERB  0 ROOT {PAST}
    """,
        [("David Levy", "PERSON"), ("Israel", "STATE")],
    )
    assert ("David Levy", "citizen_of", "Israel") not in triples(doc)


def test_en_title_adjacent_state_with_words_between(en: Language) -> None:
    rows = """
        Russian  Russian  ADJ   3 amod
        {mid}
        {title}
        Alexei   Alexei   PROPN 0 ROOT
        Navalny  Navalny  PROPN 4 flat
    """
    ents: list[Ent] = [("Russian", "STATE", "Russia"), ("Alexei Navalny", "PERSON")]
    # a leader of a group within the state is no leader of the state
    doc = run(en, rows.format(mid="opposition opposition NOUN 3 compound",
                              title="leader leader NOUN 4 compound"), ents)
    assert triples(doc) == {("Alexei Navalny", "citizen_of", "Russia")}
    # a minister of a portfolio works for it
    doc = run(en, rows.format(mid="Transport Transport PROPN 3 compound",
                              title="Minister Minister PROPN 4 compound"), ents)
    assert triples(doc) == {("Alexei Navalny", "works_for", "Russia")}


def test_it_affiliation_with_an_organisation_headed_by_a_noun(it: Language) -> None:
    # "Roberto Fieschi, docente ..., dell'università di Parma" with the organisation attached to
    # the name by the parser
    doc = run(
        it,
        f"""
        risponde   rispondere VERB  0 ROOT {FIN}
        Roberto    Roberto    PROPN 1 nsubj
        Fieschi    Fieschi    PROPN 2 flat:name
        dell'      di         ADP   5 case
        università università NOUN  2 nmod
        di         di         ADP   7 case
        Parma      Parma      PROPN 5 nmod
    """,
        [("Roberto Fieschi", "PERSON"), ("università di Parma", "ORG")],
    )
    assert triples(doc) == {("Roberto Fieschi", "works_for", "università di Parma")}
    # a plain noun (no entity) there is no affiliation
    doc = run(
        it,
        f"""
        risponde   rispondere VERB  0 ROOT {FIN}
        Roberto    Roberto    PROPN 1 nsubj
        Fieschi    Fieschi    PROPN 2 flat:name
        della      di         ADP   5 case
        commissione commissione NOUN 2 nmod
    """,
        [("Roberto Fieschi", "PERSON")],
    )
    assert triples(doc) == set()


# -- title.after: name, title, entity in a row, read off the word order ----------------------


def test_it_title_after_across_a_broken_parse(it: Language) -> None:
    # "Carlo Rossi, direttore del marketing della Olivetti": the parser made the words one flat
    # name; the NER took Olivetti for a person (an unknown one-word "person" with a director
    # is an organisation)
    doc = run(
        it,
        f"""
        risponde  rispondere VERB  0 ROOT {FIN}
        Carlo     Carlo      PROPN 1 nsubj
        Rossi     Rossi      PROPN 2 flat:name
        ,         ,          PUNCT 2 punct
        direttore direttore  NOUN  2 flat:name
        del       di         ADP   2 flat:name
        marketing marketing  NOUN  2 flat:name
        della     di         ADP   2 flat:name
        Olivetti  Olivetti   PROPN 2 flat:name
    """,
        [("Carlo Rossi", "PERSON"), ("Olivetti", "PERSON")],
    )
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text) == ("Carlo Rossi", "works_for",
                                                           "Olivetti")
    assert r.rule == "title.after+loc_as_org"
    # a title right before a name is that name's: "Carlo Rossi direttore Mario Bianchi" says
    # nothing of Rossi working for Bianchi
    doc = run(
        it,
        f"""
        risponde  rispondere VERB  0 ROOT {FIN}
        Carlo     Carlo      PROPN 1 nsubj
        Rossi     Rossi      PROPN 2 flat:name
        direttore direttore  NOUN  2 flat:name
        Mario     Mario      PROPN 2 flat:name
        Bianchi   Bianchi    PROPN 5 flat:name
    """,
        [("Carlo Rossi", "PERSON"), ("Mario Bianchi", "PERSON")],
    )
    assert not any(r.rule.startswith("title.after") for r in doc._.relations)
    # nouns of a department between the title and the unknown one-word "person": still the
    # organisation the person works for ("Carlo Rossi direttore marketing Olivetti")
    doc = run(
        it,
        f"""
        risponde  rispondere VERB  0 ROOT {FIN}
        Carlo     Carlo      PROPN 1 nsubj
        Rossi     Rossi      PROPN 2 flat:name
        direttore direttore  NOUN  2 flat:name
        marketing marketing  NOUN  4 compound
        Olivetti  Olivetti   PROPN 2 flat:name
    """,
        [("Carlo Rossi", "PERSON"), ("Olivetti", "PERSON")],
    )
    assert triples(doc) == {("Carlo Rossi", "works_for", "Olivetti")}
    # a one-word name first ("Prodi consigliere economico Rossi": Rossi is Prodi's
    # adviser), or a one-word person the document names in full: a person, no organisation
    rows = """
        risponde  rispondere VERB  0 ROOT {fin}
        {name}
        direttore direttore  NOUN  2 flat:name
        marketing marketing  NOUN  {head} compound
        Bianchi   Bianchi    PROPN 2 flat:name
        {more}
    """
    doc = run(it, rows.format(fin=FIN, name="Prodi Prodi PROPN 1 nsubj", head=3, more=""),
              [("Prodi", "PERSON"), ("Bianchi", "PERSON")])
    assert not any(r.rule.startswith("title.after") for r in doc._.relations)
    doc = run(
        it,
        rows.format(fin=FIN, name="Carlo Carlo PROPN 1 nsubj\n Rossi Rossi PROPN 2 flat:name",
                    head=4, more="e e CCONJ 9 cc\n Marco Marco PROPN 2 conj\n "
                    "Bianchi Bianchi PROPN 8 flat:name"),
        [("Carlo Rossi", "PERSON"), ("Bianchi", "PERSON"), ("Marco Bianchi", "PERSON")],
    )
    assert not any(r.rule.startswith("title.after") for r in doc._.relations)
    # with a comma and words of a part of the organisation: works for it
    doc = run(
        it,
        f"""
        conferma   confermare VERB  0 ROOT {FIN}
        Franco     Franco     PROPN 1 nsubj
        Agostinucci Agostinucci PROPN 2 flat:name
        ,          ,          PUNCT 5 punct
        direttore  direttore  NOUN  2 appos
        delle      di         ADP   7 case
        strategie  strategia  NOUN  5 nmod
        di         di         ADP   9 case
        prodotto   prodotto   NOUN  7 nmod
        Fiat       Fiat       PROPN 1 obj
    """,
        [("Franco Agostinucci", "PERSON"), ("Fiat", "ORG")],
    )
    assert triples(doc) == {("Franco Agostinucci", "works_for", "Fiat")}


def test_title_after_coordinated_titles(en: Language, it: Language) -> None:
    # "X, a researcher at A, a firm, and associate professor at B": both titles are X's
    # (the parse leaves the second one hanging elsewhere)
    doc = run(
        en,
        """
        spoke      speak      VERB  0 ROOT
        with       with       ADP   3 case
        Mario      Mario      PROPN 1 obl
        Rossi      Rossi      PROPN 3 flat
        ,          ,          PUNCT 6 punct
        researcher researcher NOUN  3 appos
        at         at         ADP   8 case
        Acme       Acme       PROPN 6 nmod
        ,          ,          PUNCT 11 punct
        a          a          DET   11 det
        firm       firm       NOUN  8 appos
        ,          ,          PUNCT 15 punct
        and        and        CCONJ 15 cc
        associate  associate  ADJ   15 amod
        professor  professor  NOUN  1 conj
        at         at         ADP   18 case
        Webster    Webster    PROPN 18 compound
        University University PROPN 15 nmod
    """,
        [("Mario Rossi", "PERSON"), ("Acme", "ORG"), ("Webster University", "ORG")],
    )
    assert ("Mario Rossi", "works_for", "Webster University") in triples(doc)
    # after a finite verb the apposition is over: "..., met students and professors at B"
    doc = run(
        en,
        f"""
        Mario      Mario      PROPN 6 nsubj
        Rossi      Rossi      PROPN 1 flat
        ,          ,          PUNCT 4 punct
        researcher researcher NOUN  1 appos
        ,          ,          PUNCT 4 punct
        met        meet       VERB  0 ROOT {PAST}
        students   student    NOUN  6 obj
        and        and        CCONJ 9 cc
        professors professor  NOUN  7 conj
        at         at         ADP   11 case
        Acme       Acme       PROPN 9 nmod
    """,
        [("Mario Rossi", "PERSON"), ("Acme", "ORG")],
    )
    assert ("Mario Rossi", "works_for", "Acme") not in triples(doc)
    # another person's title is not his: "X, director of A, and Y, professor at B"
    doc = run(
        it,
        """
        Mario      Mario      PROPN 0 ROOT
        Rossi      Rossi      PROPN 1 flat:name
        ,          ,          PUNCT 4 punct
        direttore  direttore  NOUN  1 appos
        di         di         ADP   6 case
        Acme       Acme       PROPN 4 nmod
        e          e          CCONJ 8 cc
        Anna       Anna       PROPN 1 conj
        Bianchi    Bianchi    PROPN 8 flat:name
        ,          ,          PUNCT 11 punct
        professore professore NOUN  8 appos
        a          a          ADP   13 case
        Bologna    Bologna    PROPN 11 nmod
    """,
        [("Mario Rossi", "PERSON"), ("Acme", "ORG"), ("Anna Bianchi", "PERSON"),
         ("Bologna", "ORG")],
    )
    got = triples(doc)
    assert ("Mario Rossi", "head_of", "Acme") in got
    assert not any(t[0] == "Mario Rossi" and t[2] == "Bologna" for t in got)
    # Italian: "X, ricercatore presso A e professore all'Università di B"
    doc = run(
        it,
        """
        Mario      Mario      PROPN 0 ROOT
        Rossi      Rossi      PROPN 1 flat:name
        ,          ,          PUNCT 4 punct
        ricercatore ricercatore NOUN 1 appos
        presso     presso     ADP   6 case
        Acme       Acme       PROPN 4 nmod
        e          e          CCONJ 8 cc
        professore professore NOUN  6 conj
        all'       a          ADP   10 case
        Università Università PROPN 1 nmod
        di         di         ADP   12 case
        Bologna    Bologna    PROPN 10 flat:name
    """,
        [("Mario Rossi", "PERSON"), ("Acme", "ORG"),
         ("Università di Bologna", "ORG", "University of Bologna")],
    )
    assert ("Mario Rossi", "works_for", "University of Bologna") in triples(doc)


def test_part_of_by_word_order(en: Language, it: Language) -> None:
    # "Hong Kong come parte della Repubblica Popolare Cinese": "come parte" hangs elsewhere
    doc = run(
        it,
        """
        fedeltà    fedeltà    NOUN  0 ROOT
        a          a          ADP   3 case
        Hong       Hong       PROPN 1 nmod
        Kong       Kong       PROPN 3 flat:name
        come       come       ADP   6 case
        parte      parte      NOUN  1 nmod
        della      di         ADP   8 case
        Repubblica Repubblica PROPN 6 nmod
        Popolare   Popolare   PROPN 8 flat:name
        Cinese     Cinese     PROPN 8 flat:name
    """,
        [("Hong Kong", "LOC"), ("Repubblica Popolare Cinese", "STATE", "China")],
    )
    assert triples(doc) == {("Hong Kong", "located_in", "China")}
    rows = f"""
        Italy      Italy      PROPN 3 nsubj
        {{neg}}
        is         be         AUX   3 cop {FIN}
        part       part       NOUN  0 ROOT
        of         of         ADP   5 case
        NATO       NATO       PROPN 3 nmod
    """
    ents: list[Ent] = [("Italy", "STATE"), ("NATO", "ORG")]
    assert triples(run(en, rows.format(neg=""), ents)) == {("Italy", "member_of", "NATO")}
    # a negation between them: nothing; an organisation is no member of one
    assert triples(run(en, rows.format(neg="not not PART 3 advmod"), ents)) == set()
    assert triples(run(en, rows.format(neg=""), [("Italy", "ORG"), ("NATO", "ORG")])) == set()
    doc = run(
        it,
        f"""
        L'         il         DET   2 det
        Italia     Italia     PROPN 3 nsubj
        fa         fare       VERB  0 ROOT {FIN}
        parte      parte      NOUN  3 obj
        integrante integrante ADJ   4 amod
        della      di         ADP   7 case
        Nato       Nato       PROPN 4 nmod
    """,
        [("Italia", "STATE", "Italy"), ("Nato", "ORG", "NATO")],
    )
    assert triples(doc) == {("Italy", "member_of", "NATO")}


def test_title_before_entity_and_name(it: Language, en: Language) -> None:
    # "presidente dell'Infn Antonino Zichichi": the parser hangs the name on the organisation
    rows = """
        era        essere     AUX   2 cop {fin}
        {title}
        dell'      di         ADP   4 case
        Infn       Infn       PROPN 2 nmod
        Antonino   Antonino   PROPN 4 flat:name
        Zichichi   Zichichi   PROPN 4 flat:name
    """
    ents: list[Ent] = [("Infn", "ORG"), ("Antonino Zichichi", "PERSON")]
    doc = run(it, rows.format(fin=FIN, title="presidente presidente NOUN 0 ROOT"), ents)
    assert triples(doc) == {("Antonino Zichichi", "head_of", "Infn")}
    # a noun that is no title: nothing ("il figlio dell'Infn X" says nothing of X's job)
    doc = run(it, rows.format(fin=FIN, title="figlio figlio NOUN 0 ROOT"), ents)
    assert triples(doc) == set()
    doc = run(
        en,
        """
        the        the        DET   2 det
        president  president  NOUN  0 ROOT
        of         of         ADP   4 case
        Fiat       Fiat       PROPN 2 nmod
        Mario      Mario      PROPN 4 flat
        Rossi      Rossi      PROPN 5 flat
    """,
        [("Fiat", "ORG"), ("Mario Rossi", "PERSON")],
    )
    assert triples(doc) == {("Mario Rossi", "head_of", "Fiat")}


def test_title_after_comma_separated_titles(it: Language) -> None:
    # "X, professore a Bologna, ricercatore al Cern": the second title is X's too
    doc = run(
        it,
        """
        Zichichi   Zichichi   PROPN 0 ROOT
        ,          ,          PUNCT 3 punct
        professore professore NOUN  1 appos
        a          a          ADP   5 case
        Bologna    Bologna    PROPN 3 nmod
        ,          ,          PUNCT 7 punct
        ricercatore ricercatore NOUN 3 appos
        al         a          ADP   9 case
        Cern       Cern       PROPN 7 nmod
    """,
        [("Zichichi", "PERSON"), ("Bologna", "LOC"), ("Cern", "ORG", "CERN")],
    )
    assert ("Zichichi", "works_for", "CERN") in triples(doc)


def test_office_of_an_organisation(it: Language, en: Language) -> None:
    rows = f"""
        Rossi      Rossi      PROPN 3 nsubj:pass
        è          essere     AUX   3 aux:pass {FIN}
        {{verb}}
        {{prep}}
        guida      guida      NOUN  3 obl
        della      di         ADP   7 case
        Fiat       Fiat       PROPN 5 nmod
    """
    ents: list[Ent] = [("Rossi", "PERSON"), ("Fiat", "ORG")]
    eletto = f"eletto eleggere VERB 0 ROOT {PART}"
    doc = run(it, rows.format(verb=eletto, prep="alla a ADP 5 case"), ents)
    r = only(doc)
    assert (r.subject.text, r.relation, r.object.text, r.rule) == (
        "Rossi", "head_of", "Fiat", "office.of")
    # leaving an office ("dalla guida") or running for it: nothing
    assert triples(run(it, rows.format(verb=eletto, prep="dalla da ADP 5 case"), ents)) == set()
    candidato = f"candidato candidare VERB 0 ROOT {PART}"
    assert triples(run(it, rows.format(verb=candidato, prep="alla a ADP 5 case"), ents)) == set()
    # "X, succeduto a Y alla presidenza dell'Infn": the participle's noun is the person
    doc = run(
        it,
        f"""
        Cabibbo    Cabibbo    PROPN 0 ROOT
        ,          ,          PUNCT 3 punct
        succeduto  succedere  VERB  1 acl {PART}
        alla       a          ADP   5 case
        presidenza presidenza NOUN  3 obl
        dell'      di         ADP   7 case
        Infn       Infn       PROPN 5 nmod
    """,
        [("Cabibbo", "PERSON"), ("Infn", "ORG")],
    )
    assert triples(doc) == {("Cabibbo", "head_of", "Infn")}
    # "X took the helm of Y"; of a state: leader_of
    doc = run(
        en,
        f"""
        Rossi      Rossi      PROPN 2 nsubj
        took       take       VERB  0 ROOT {PAST}
        the        the        DET   4 det
        helm       helm       NOUN  2 obj
        of         of         ADP   6 case
        Italy      Italy      PROPN 4 nmod
    """,
        [("Rossi", "PERSON"), ("Italy", "STATE")],
    )
    assert triples(doc) == {("Rossi", "leader_of", "Italy")}


def test_noun_argument_labelled_obl(it: Language) -> None:
    # "hanno fatto causa all'Unione Europea" with "all'Unione" hung on the noun as obl
    doc = run(
        it,
        f"""
        Bayer      Bayer      PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        fatto      fare       VERB  0 ROOT {PART}
        causa      causa      NOUN  3 obj
        all'       a          ADP   6 case
        Unione     Unione     PROPN 4 obl
        Europea    Europea    PROPN 6 flat:name
    """,
        [("Bayer", "ORG"), ("Unione Europea", "ORG", "European Union")],
    )
    assert triples(doc) == {("Bayer", "accused", "European Union")}


def test_possessive_before_a_title_is_the_sentence_subject(en: Language, it: Language) -> None:
    rows = f"""
        {{subj}}
        hopes      hope       VERB  0 ROOT {FIN}
        with       with       ADP   5 case
        their      their      PRON  5 nmod:poss Poss=Yes|PronType=Prs
        candidate  candidate  NOUN  2 obl
        {{obj}}
        Olney      Olney      PROPN 5 appos
    """
    doc = run(en, rows.format(subj="Labour Labour PROPN 2 nsubj", obj=""),
              [("Labour", "ORG"), ("Olney", "PERSON")])
    assert triples(doc) == {("Olney", "member_of", "Labour")}
    # the nearest entity before the pronoun is not the subject: nothing
    doc = run(
        en,
        f"""
        Police     police     NOUN  2 nsubj
        arrested   arrest     VERB  0 ROOT {PAST}
        Rossi      Rossi      PROPN 2 obj
        and        and        CCONJ 6 cc
        his        his        PRON  6 nmod:poss Poss=Yes|PronType=Prs
        lawyer     lawyer     NOUN  3 conj
        Bianchi    Bianchi    PROPN 6 appos
    """,
        [("Rossi", "PERSON"), ("Bianchi", "PERSON")],
    )
    assert not any(r.rule.startswith("title.adjacent") for r in doc._.relations)
    doc = run(
        it,
        f"""
        Putin      Putin      PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        detto      dire       VERB  0 ROOT {PART}
        che        che        SCONJ 9 mark
        il         il         DET   7 det
        suo        suo        DET   7 det:poss Poss=Yes|PronType=Prs
        portavoce  portavoce  NOUN  9 nsubj
        Peskov     Peskov     PROPN 7 nmod
        parlerà    parlare    VERB  3 ccomp Tense=Fut|VerbForm=Fin
    """,
        [("Putin", "PERSON"), ("Peskov", "PERSON")],
    )
    assert ("Peskov", "works_for", "Putin") in triples(doc)


def test_located_in_a_describing_apposition(it: Language, en: Language) -> None:
    # "il Metropolitan Club, un club privato di Washington": the place hangs on the adjective
    rows = """
        per        per        ADP   3 case
        il         il         DET   3 det
        Metropolitan Metropolitan PROPN 0 ROOT
        Club       Club       PROPN 3 flat:name
        ,          ,          PUNCT 7 punct
        un         uno        DET   7 det
        {head}
        privato    privato    ADJ   7 amod
        di         di         ADP   10 case
        Washington Washington PROPN 8 {dep}
    """
    ents: list[Ent] = [("Metropolitan Club", "LOC"), ("Washington", "LOC")]
    doc = run(it, rows.format(head="club club NOUN 3 appos", dep="obl"), ents)
    assert triples(doc) == {("Metropolitan Club", "located_in", "Washington")}
    # a noun that describes no place or organisation ("un amico privato di Washington")
    doc = run(it, rows.format(head="amico amico NOUN 3 appos", dep="obl"), ents)
    assert triples(doc) == set()
    # a verb between: another clause
    doc = run(
        en,
        """
        Acme       Acme       PROPN 0 ROOT
        ,          ,          PUNCT 4 punct
        a          a          DET   4 det
        company    company    NOUN  1 appos
        that       that       PRON  6 nsubj
        sells      sell       VERB  4 acl:relcl
        in         in         ADP   8 case
        Italy      Italy      PROPN 6 obl
    """,
        [("Acme", "ORG"), ("Italy", "STATE")],
    )
    assert triples(doc) == set()


def test_office_after_a_name_by_word_order(it: Language) -> None:
    # "Francesco Caio, ora al vertice di Avio" (Avio tagged PERSON, the parse elsewhere)
    rows = """
        quello     quello     PRON  0 ROOT
        di         di         ADP   3 case
        Francesco  Francesco  PROPN 1 nmod
        Caio       Caio       PROPN 3 flat:name
        ,          ,          PUNCT 8 punct
        ora        ora        ADV   8 advmod
        {prep}
        vertice    vertice    NOUN  1 obl
        di         di         ADP   10 case
        Avio       Avio       PROPN 8 nmod
    """
    ents: list[Ent] = [("Francesco Caio", "PERSON"), ("Avio", "PERSON")]
    doc = run(it, rows.format(prep="al a ADP 8 case"), ents)
    assert triples(doc) == {("Francesco Caio", "head_of", "Avio")}
    # "dal vertice" (from): no longer there
    assert triples(run(it, rows.format(prep="dal da ADP 8 case"), ents)) == set()


def test_complex_preposition_nouns(it: Language) -> None:
    # "l'indagine della Procura a carico di X": the parser heads "a carico di" with its noun
    doc = run(
        it,
        """
        l'         il         DET   2 det
        indagine   indagine   NOUN  0 ROOT
        della      di         ADP   4 case
        Procura    Procura    PROPN 2 nmod
        a          a          ADP   6 case
        carico     carico     NOUN  2 nmod
        di         di         ADP   8 case
        Rossi      Rossi      PROPN 6 nmod
    """,
        [("Procura", "ORG"), ("Rossi", "PERSON")],
    )
    assert triples(doc) == {("Procura", "investigated", "Rossi")}
    # "l'accusa mossa da X nei confronti di Y"
    doc = run(
        it,
        """
        l'         il         DET   2 det
        accusa     accusa     NOUN  0 ROOT
        di         di         ADP   4 case
        Fiat       Fiat       PROPN 2 nmod
        nei        in         ADP   6 case
        confronti  confronto  NOUN  2 nmod
        di         di         ADP   8 case
        Rossi      Rossi      PROPN 6 nmod
    """,
        [("Fiat", "ORG"), ("Rossi", "PERSON")],
    )
    assert triples(doc) == {("Fiat", "accused", "Rossi")}


def test_occupation_with_nationality_gives_citizenship(it: Language) -> None:
    # "un fisico americano, Raymond Davis": the title says nothing of a state; the parser
    # labels the name after the comma nmod
    rows = """
        un         uno        DET   2 det
        fisico     fisico     NOUN  0 ROOT
        americano  americano  ADJ   2 amod
        ,          ,          PUNCT {h} punct
        Raymond    Raymond    PROPN 2 {dep}
        Davis      Davis      PROPN 5 flat:name
    """
    ents: list[Ent] = [("americano", "STATE", "United States"), ("Raymond Davis", "PERSON")]
    for dep in ("appos", "nmod"):
        doc = run(it, rows.format(h=5, dep=dep), ents)
        assert triples(doc) == {("Raymond Davis", "citizen_of", "United States")}
    # a name after a preposition is no apposition: "un fisico americano di Raymond Davis"
    doc = run(it, rows.replace(",          ,          PUNCT {h} punct",
                               "di         di         ADP   {h} case").format(h=5, dep="nmod"),
              ents)
    assert triples(doc) == set()


def test_place_apposition_must_follow_the_place(en: Language) -> None:
    # "Badarpur, south-east Delhi": a direction may come between
    doc = run(
        en,
        """
        Badarpur   Badarpur   PROPN 7 nsubj
        ,          ,          PUNCT 6 punct
        south      south      NOUN  6 compound
        -          -          PUNCT 6 punct
        east       east       ADJ   6 amod
        Delhi      Delhi      PROPN 1 appos
        said       say        VERB  0 ROOT
    """,
        [("Badarpur", "LOC"), ("Delhi", "LOC")],
    )
    assert triples(doc) == {("Badarpur", "located_in", "Delhi")}
    # "Seagal, whose grandmother came from Vladivostok": a clause between, no apposition
    doc = run(
        en,
        """
        Seagal     Seagal     PROPN 7 nsubj
        ,          ,          PUNCT 6 punct
        whose      whose      PRON  4 nmod:poss
        grandmother grandmother NOUN 5 nsubj
        came       come       VERB  1 acl:relcl
        Vladivostok Vladivostok PROPN 1 appos
        said       say        VERB  0 ROOT
    """,
        [("Seagal", "LOC"), ("Vladivostok", "LOC")],
    )
    assert triples(doc) == set()


def test_title_of_organisation_then_name_is_the_argument(it: Language, en: Language) -> None:
    # "ha ricevuto il candidato dell'Ump Nicolas Sarkozy": the name hangs on the party
    rows = f"""
        Chirac     Chirac     PROPN 3 nsubj
        ha         avere      AUX   3 aux {FIN}
        ricevuto   ricevere   VERB  0 ROOT {PART}
        il         il         DET   5 det
        {{noun}}
        dell'      di         ADP   7 case
        Ump        Ump        PROPN 5 nmod
        Nicolas    Nicolas    PROPN 7 flat:name
        Sarkozy    Sarkozy    PROPN 8 flat:name
    """
    ents: list[Ent] = [("Chirac", "PERSON"), ("Nicolas Sarkozy", "PERSON")]
    doc = run(it, rows.format(noun="candidato candidato NOUN 3 obj"), ents)
    assert ("Chirac", "hosted", "Nicolas Sarkozy") in triples(doc)
    # a noun that is no title: the name is not what was received ("il libro dell'Ump X")
    doc = run(it, rows.format(noun="libro libro NOUN 3 obj"), ents)
    assert ("Chirac", "hosted", "Nicolas Sarkozy") not in triples(doc)
    # English: "Putin met the president of Fiat Mario Rossi"
    doc = run(
        en,
        f"""
        Putin      Putin      PROPN 2 nsubj
        met        meet       VERB  0 ROOT {PAST}
        the        the        DET   4 det
        president  president  NOUN  2 obj
        of         of         ADP   6 case
        Fiat       Fiat       PROPN 4 nmod
        Mario      Mario      PROPN 6 flat
        Rossi      Rossi      PROPN 7 flat
    """,
        [("Putin", "PERSON"), ("Fiat", "ORG"), ("Mario Rossi", "PERSON")],
    )
    assert ("Putin", "met", "Mario Rossi") in triples(doc)


def test_plural_title_is_each_coordinated_name(it: Language, en: Language) -> None:
    # "due medici della Mayo, Edward Kendall e Philip Hench": both work for Mayo
    rows = """
        due        due        NUM   2 nummod
        {title}
        della      di         ADP   4 case
        Mayo       Mayo       PROPN 2 nmod
        ,          ,          PUNCT 6 punct
        Kendall    Kendall    PROPN 2 appos
        e          e          CCONJ 8 cc
        Hench      Hench      PROPN 6 conj
    """
    ents: list[Ent] = [("Mayo", "ORG"), ("Kendall", "PERSON"), ("Hench", "PERSON")]
    doc = run(it, rows.format(title="medici medico NOUN 0 ROOT Number=Plur"), ents)
    assert triples(doc) == {("Kendall", "works_for", "Mayo"), ("Hench", "works_for", "Mayo")}
    # a singular title is one person's: "il medico della Mayo, Kendall, e Hench"
    doc = run(it, rows.format(title="medico medico NOUN 0 ROOT Number=Sing"), ents)
    assert triples(doc) == {("Kendall", "works_for", "Mayo")}
    doc = run(
        en,
        """
        two        two        NUM   2 nummod
        doctors    doctor     NOUN  0 ROOT Number=Plur
        at         at         ADP   4 case
        Mayo       Mayo       PROPN 2 nmod
        ,          ,          PUNCT 6 punct
        Kendall    Kendall    PROPN 2 appos
        and        and        CCONJ 8 cc
        Hench      Hench      PROPN 6 conj
    """,
        ents,
    )
    assert triples(doc) == {("Kendall", "works_for", "Mayo"), ("Hench", "works_for", "Mayo")}


def test_it_place_apposition_must_follow_the_place(it: Language) -> None:
    # "Pavia, Lombardia": right after the comma
    doc = run(
        it,
        """
        Pavia      Pavia      PROPN 0 ROOT
        ,          ,          PUNCT 3 punct
        Lombardia  Lombardia  PROPN 1 appos
    """,
        [("Pavia", "LOC"), ("Lombardia", "LOC")],
    )
    assert triples(doc) == {("Pavia", "located_in", "Lombardia")}
    # "Seagal, che viveva ..., Lombardia": a clause between the two
    doc = run(
        it,
        """
        Seagal     Seagal     PROPN 0 ROOT
        ,          ,          PUNCT 4 punct
        che        che        PRON  4 nsubj
        viveva     vivere     VERB  1 acl:relcl
        Lombardia  Lombardia  PROPN 1 appos
    """,
        [("Seagal", "LOC"), ("Lombardia", "LOC")],
    )
    assert triples(doc) == set()


def test_title_adjacent_across_a_closing_bracket(en: Language, it: Language) -> None:
    rows = """
        from       from       ADP   7 case
        (          (          PUNCT 5 punct
        Air        Air        PROPN 4 compound
        France     France     PROPN 5 compound
        {title}
        )          )          PUNCT 5 punct
        Christian  Christian  PROPN 0 ROOT
        Blanc      Blanc      PROPN 7 flat
    """
    ents: list[Ent] = [("Air France", "ORG"), ("Christian Blanc", "PERSON")]
    doc = run(en, rows.format(title="chairman chairman NOUN 7 compound"), ents)
    assert triples(doc) == {("Christian Blanc", "head_of", "Air France")}
    # a word that is no title inside the brackets: nothing
    doc = run(en, rows.format(title="flights flight NOUN 7 compound"), ents)
    assert triples(doc) == set()
    # Italian word order puts the organisation after the title: "(presidente della Fiat)"
    doc = run(
        it,
        """
        (          (          PUNCT 2 punct
        presidente presidente NOUN  6 nmod
        della      di         ADP   4 case
        Fiat       Fiat       PROPN 2 nmod
        )          )          PUNCT 2 punct
        Rossi      Rossi      PROPN 0 ROOT
    """,
        [("Fiat", "ORG"), ("Rossi", "PERSON")],
    )
    assert not any(r.rule.startswith("title.adjacent") for r in doc._.relations)


def test_en_title_after_and_its_limits(en: Language) -> None:
    rows = """
        said     say      VERB  0 ROOT
        Igor     Igor     PROPN 1 nsubj
        Kartavykh Kartavykh PROPN 2 flat
        ,        ,        PUNCT 5 punct
        {title}
        of       of       ADP   7 case
        Sputnik  Sputnik  PROPN 1 obl
    """
    ents: list[Ent] = [("Igor Kartavykh", "PERSON"), ("Sputnik", "ORG")]
    doc = run(en, rows.format(title="director director NOUN 2 appos"), ents)
    assert triples(doc) == {("Igor Kartavykh", "head_of", "Sputnik")}
    # a verb after the name, or a word that is no title: nothing from the word order
    doc = run(en, rows.format(title="left leave VERB 1 conj"), ents)
    assert not any(r.rule.startswith("title.after") for r in doc._.relations)
    doc = run(en, rows.format(title="fan fan NOUN 2 appos"), ents)
    assert not any(r.rule.startswith("title.after") for r in doc._.relations)
    # a one-word "person" that is the surname of a person of the document stays a person
    doc = run(
        en,
        """
        Mario    Mario    PROPN 0 ROOT
        Rossi    Rossi    PROPN 1 flat
        met      meet     VERB  1 conj
        John     John     PROPN 3 obj
        Smith    Smith    PROPN 4 flat
        director director NOUN  4 appos
        of       of       ADP   8 case
        Rossi    Rossi    PROPN 6 nmod
    """,
        [("Mario Rossi", "PERSON"), ("John Smith", "PERSON"), ("Rossi", "PERSON")],
    )
    assert not any(r.rule.startswith("title.after") for r in doc._.relations)


def test_it_title_after_place_after_a_locative_preposition_stays_a_place(it: Language) -> None:
    # "professore a Bologna": a place where one teaches, not an employer called Bologna
    doc = run(
        it,
        f"""
        parla      parlare    VERB  0 ROOT {FIN}
        Antonino   Antonino   PROPN 1 nsubj
        Zichichi   Zichichi   PROPN 2 flat:name
        ,          ,          PUNCT 5 punct
        professore professore NOUN  2 appos
        a          a          ADP   7 case
        Bologna    Bologna    PROPN 5 nmod
    """,
        [("Antonino Zichichi", "PERSON"), ("Bologna", "LOC")],
    )
    assert not any(r.rule.startswith("title.after") for r in doc._.relations)


def test_it_title_after_person_object_behind_a_noun_of_the_chain(it: Language) -> None:
    # "direttore delle strategie di prodotto Olivetti" with Olivetti tagged PERSON: the word
    # before it is no title word, so the title is not that name's
    doc = run(
        it,
        f"""
        conferma   confermare VERB  0 ROOT {FIN}
        Franco     Franco     PROPN 1 nsubj
        Agostinucci Agostinucci PROPN 2 flat:name
        ,          ,          PUNCT 5 punct
        direttore  direttore  NOUN  2 appos
        delle      di         ADP   7 case
        strategie  strategia  NOUN  5 nmod
        di         di         ADP   9 case
        prodotto   prodotto   NOUN  7 nmod
        Olivetti   Olivetti   PROPN 9 nmod
    """,
        [("Franco Agostinucci", "PERSON"), ("Olivetti", "PERSON")],
    )
    assert ("Franco Agostinucci", "works_for", "Olivetti") in triples(doc)
