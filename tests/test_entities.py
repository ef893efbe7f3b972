"""The entity layer (``relextract_entities``) on hand-built docs: no trained model needed."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

import relextract.components.entities  # noqa: F401  (registers the factory)
from relextract.components.entities import (
    EntityLayerError,
    _anchor_words,
    _common_word,
    _regions,
    map_ner_label,
)
from relextract.components.entity_names import merge_person_names, similar_names

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def nlp_it():
    nlp = spacy.blank("it")
    nlp.add_pipe("relextract_entities", config={"lang": "it"})
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def nlp_en():
    nlp = spacy.blank("en")
    nlp.add_pipe("relextract_entities", config={"lang": "en"})
    nlp.initialize()
    return nlp


def run(nlp, words, *, heads=None, deps=None, pos=None, lemmas=None, ents=None, spaces=None):
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos,
              lemmas=lemmas, ents=ents)
    return nlp.get_pipe("relextract_entities")(doc)


def ents(doc):
    return [(e.text, e.label_, e._.canonical) for e in doc.ents]


def by_text(doc):
    return {e.text: e for e in doc.ents}


# -- labels from the NER ------------------------------------------------------------------


def test_ner_label_map():
    assert map_ner_label("PER") == "PERSON"
    assert map_ner_label("FAC") == "LOC"
    assert map_ner_label("DATE") is None
    assert map_ner_label("WHATEVER") == "MISC"


def test_ner_labels_relabelled_it(nlp_it):
    doc = run(nlp_it, ["Mario", "Rossi", "lavora", "per", "Fiat", "a", "Torino", "in", "Italia",
                       "."],
              ents=["B-PER", "I-PER", "O", "O", "B-ORG", "O", "B-LOC", "O", "B-LOC", "O"])
    got = {e.text: (e.label_, e._.canonical, e._.country) for e in doc.ents}
    assert got["Mario Rossi"] == ("PERSON", "Mario Rossi", None)
    assert got["Fiat"] == ("ORG", "Fiat", None)
    assert got["Torino"][0] == "LOC"
    assert got["Italia"] == ("STATE", "Italy", "ITA")
    assert by_text(doc)["Italia"]._.kb_id == "Q38"


def test_ontonotes_labels_en(nlp_en):
    doc = run(nlp_en, ["Russia", "and", "the", "Pentagon", "met", "on", "Monday", "at",
                       "Heathrow", "."],
              ents=["B-GPE", "O", "O", "B-ORG", "O", "O", "B-DATE", "O", "B-FAC", "O"])
    got = {e.text: (e.label_, e._.canonical) for e in doc.ents}
    assert got["Russia"] == ("STATE", "Russia")
    assert got["Pentagon"] == ("ORG", "Pentagon")
    assert "Monday" not in got
    assert got["Heathrow"][0] == "LOC"


def test_gpe_that_is_not_a_state_is_loc(nlp_en):
    doc = run(nlp_en, ["He", "lives", "in", "Ohio", "."], ents=["O", "O", "O", "B-GPE", "O"])
    assert ents(doc) == [("Ohio", "LOC", "Ohio")]


# -- gazetteer on a blank pipeline ----------------------------------------------------------


def test_blank_pipeline_finds_gazetteer_entities(nlp_it):
    doc = nlp_it("Il Congresso degli Stati Uniti e la CSI hanno parlato con l’Azerbaigian.")
    got = {e.text: (e.label_, e._.canonical, e._.kb_id, e._.country) for e in doc.ents}
    assert got["Congresso degli Stati Uniti"] == ("ORG", "United States Congress", "Q11268",
                                                  "USA")
    assert got["CSI"][:2] == ("ORG", "Commonwealth of Independent States")
    assert got["Azerbaigian"] == ("STATE", "Azerbaijan", "Q227", "AZE")


def test_lowercase_words_are_not_names(nlp_it, nlp_en):
    assert ents(nlp_it("un uomo usa la forchetta")) == []
    assert ents(nlp_en("we ate turkey from china in america")) == []


def test_known_leader_found_without_ner(nlp_en):
    doc = nlp_en("Yesterday Vladimir Putin spoke.")
    e = by_text(doc)["Vladimir Putin"]
    assert (e.label_, e._.country, e._.kb_id) == ("PERSON", "RUS", "Q7747")


# -- demonyms ------------------------------------------------------------------------------


def test_demonym_modifying_office_is_state_parse(nlp_it):
    words = ["il", "presidente", "azero", "Ilham", "Aliyev"]
    doc = run(nlp_it, words, heads=[1, 1, 1, 1, 3], deps=["det", "ROOT", "amod", "nmod", "flat"],
              pos=["DET", "NOUN", "ADJ", "PROPN", "PROPN"],
              ents=["O", "O", "O", "B-PER", "I-PER"])
    got = by_text(doc)
    assert (got["azero"].label_, got["azero"]._.canonical, got["azero"]._.country) == (
        "STATE", "Azerbaijan", "AZE")
    assert got["Ilham Aliyev"].label_ == "PERSON"


def test_demonym_modifying_an_act_of_state_is_state(nlp_it, nlp_en):
    # "Iraqi involvement", "l'intervento iracheno": the act is the state's
    doc = run(nlp_en, ["Britain", "condemned", "Iraqi", "involvement", "."], heads=[1, 1, 3, 1, 1],
              deps=["nsubj", "ROOT", "amod", "obj", "punct"],
              pos=["PROPN", "VERB", "ADJ", "NOUN", "PUNCT"])
    assert by_text(doc)["Iraqi"].label_ == "STATE"
    assert by_text(doc)["Iraqi"]._.canonical == "Iraq"
    doc = run(nlp_it, ["condannato", "l'", "intervento", "iracheno"], heads=[0, 2, 0, 2],
              deps=["ROOT", "det", "obj", "amod"], pos=["VERB", "DET", "NOUN", "ADJ"])
    assert (by_text(doc)["iracheno"].label_, by_text(doc)["iracheno"]._.canonical) == (
        "STATE", "Iraq")


def test_demonym_modifying_an_occupation_is_state(nlp_it):
    doc = run(nlp_it, ["un", "fisico", "americano"], heads=[1, 1, 1], deps=["det", "ROOT", "amod"],
              pos=["DET", "NOUN", "ADJ"])
    assert (by_text(doc)["americano"].label_, by_text(doc)["americano"]._.canonical) == (
        "STATE", "United States")


def test_demonym_adjacency_without_parse(nlp_it, nlp_en):
    doc = nlp_it("Le forze speciali russe hanno arrestato un giornalista russo.")
    assert [(e.text, e.label_, e._.canonical) for e in doc.ents] == [
        ("russe", "STATE", "Russia"), ("russo", "STATE", "Russia")]
    doc = nlp_en("Hungarian officials met the Russian President.")
    assert ents(doc) == [("Hungarian", "STATE", "Hungary"), ("Russian", "STATE", "Russia")]


def test_demonym_as_language_is_not_state(nlp_it, nlp_en):
    assert ents(nlp_it("le scuole di lingua russa")) == []
    doc = run(nlp_it, ["la", "lingua", "russa"], heads=[1, 1, 1], deps=["det", "ROOT", "amod"])
    assert ents(doc) == []
    assert ents(nlp_en("She teaches Russian language classes.")) == []


def test_demonym_group_stays_misc(nlp_en):
    doc = run(nlp_en, ["The", "Russians", "arrived", "."], ents=["O", "B-NORP", "O", "O"])
    assert ents(doc) == [("Russians", "MISC", "Russians")]


def test_demonym_parse_says_not_state(nlp_it):
    # "spazio aereo russo": airspace is not an actor of the state
    doc = run(nlp_it, ["nello", "spazio", "aereo", "russo"], heads=[1, 1, 1, 1],
              deps=["case", "ROOT", "amod", "amod"])
    assert ents(doc) == []


# -- corrections of the NER ------------------------------------------------------------------


def test_ner_span_loses_dashes_and_commas_at_its_edges(nlp_en):
    words = ["researcher", "at", "Vision", "Trends", "–", "International", "Institute"]
    doc = run(nlp_en, words, ents=["O", "O", "B-ORG", "I-ORG", "I-ORG", "B-ORG", "I-ORG"])
    assert [e.text for e in doc.ents] == ["Vision Trends", "International Institute"]


def test_name_after_an_article_is_an_organisation_and_a_person(nlp_it, nlp_en):
    # Italian names take no article: "presidente dell'Infn Antonino Zichichi"
    words = ["presidente", "dell'", "Infn", "Antonino", "Zichichi", "e", "altri"]
    doc = run(nlp_it, words, ents=["O", "O", "B-PER", "I-PER", "I-PER", "O", "O"])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Infn", "ORG"), ("Antonino Zichichi", "PERSON")]
    # an organisation is split only when its last words are a person the document knows
    words = ["il", "candidato", "dell'", "Ump", "Nicolas", "Sarkozy", "e", "Nicolas", "Sarkozy"]
    doc = run(nlp_it, words, ents=["O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O", "B-PER",
                                   "I-PER"])
    assert ("Ump", "ORG") in [(e.text, e.label_) for e in doc.ents]
    doc = run(nlp_it, ["sede", "della", "Banca", "Mario", "Rossi"],
              ents=["O", "O", "B-ORG", "I-ORG", "I-ORG"])
    assert [(e.text, e.label_) for e in doc.ents] == [("Banca Mario Rossi", "ORG")]
    # no article, or English (no such list): the name stays whole
    doc = run(nlp_it, ["con", "Gian", "Maria", "Volonté"], ents=["O", "B-PER", "I-PER", "I-PER"])
    assert [e.text for e in doc.ents] == ["Gian Maria Volonté"]
    doc = run(nlp_en, ["of", "the", "Mary", "Ann", "Smith"], ents=["O", "O", "B-PER", "I-PER",
                                                                  "I-PER"])
    assert [e.text for e in doc.ents] == ["Mary Ann Smith"]


def test_name_with_a_middle_initial_is_a_person(nlp_it, nlp_en):
    doc = nlp_it("Adnan Z. Amin, direttore generale, ne è convinto.")
    assert ("Adnan Z. Amin", "PERSON") in [(e.text, e.label_) for e in doc.ents]
    doc = nlp_en("He met John F. Kennedy in 1961.")
    assert ("John F. Kennedy", "PERSON") in [(e.text, e.label_) for e in doc.ents]
    # a title or a common word before the initial is no first name
    doc = nlp_en("Yesterday President Z. Amin spoke.")
    assert not any(e.label_ == "PERSON" for e in doc.ents)  # (the NER may still find Z. Amin)
    # streets and institutions named after a person are no person
    doc = nlp_it("Abita in Via G. Verdi e studia al Liceo G. Carducci.")
    assert not any(e.label_ == "PERSON" for e in doc.ents)


def test_known_first_name_and_surname_is_a_person(nlp_it, nlp_en):
    # first names come from the NER training data (kb/first_names.tsv)
    from relextract.kb import first_names

    assert {"Andy", "Giuseppe", "Mario"} <= first_names()
    assert not {"De", "Van", "Don", "La"} & first_names()
    doc = nlp_it("Ieri Andy Haldane ha contestato il contributo.")
    assert ("Andy Haldane", "PERSON") in [(e.text, e.label_) for e in doc.ents]
    # any other reading wins; an organisation word, a fourth capitalised word: no person
    doc = run(nlp_en, ["Mario", "Rossi", "Inc", "said"], ents=["B-ORG", "I-ORG", "I-ORG", "O"])
    assert [(e.text, e.label_) for e in doc.ents] == [("Mario Rossi Inc", "ORG")]
    assert not any(e.label_ == "PERSON" for e in nlp_it("Mario Università parla.").ents)
    assert not any(e.label_ == "PERSON"
                   for e in nlp_en("Mario Rossi Bianchi Verdi spoke.").ents)


def test_second_name_of_a_pair_is_a_person(nlp_it, nlp_en):
    words = ["i", "deputati", "Mario", "Rossi", "e", "Gianni", "Verdi", "hanno", "votato"]
    doc = run(nlp_it, words, ents=["O", "O", "B-PER", "I-PER", "O", "O", "O", "O", "O"])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Mario Rossi", "PERSON"), ("Gianni Verdi", "PERSON")]
    doc = run(nlp_en, ["John", "Smith", "and", "Mary", "Jones", "spoke"],
              ents=["O", "O", "O", "B-PER", "I-PER", "O"])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("John Smith", "PERSON"), ("Mary Jones", "PERSON")]


@pytest.mark.parametrize("other", [
    ["Stati", "Uniti"],             # a state
    ["Banca", "Popolare"],          # an organisation word
    ["Gianni"],                     # one word: may be anything
    ["Gianni", "Verdi", "Neri", "Bianchi"],  # four capitalised words: not a plain name
])
def test_pair_rule_needs_a_plain_name(nlp_it, other):
    words = ["Mario", "Rossi", "e", *other, "hanno", "votato"]
    doc = run(nlp_it, words, ents=["B-PER", "I-PER"] + ["O"] * (len(words) - 2))
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == ["Mario Rossi"]


def test_ner_person_that_is_a_state_capital_or_demonym(nlp_en):
    words = ["Türkiye", "and", "Baku", "back", "Azerbaijani", "interests", "."]
    doc = run(nlp_en, words, heads=[3, 2, 0, 3, 5, 3, 3],
              deps=["nsubj", "cc", "conj", "ROOT", "amod", "obj", "punct"],
              pos=["PROPN", "CCONJ", "PROPN", "VERB", "ADJ", "NOUN", "PUNCT"],
              ents=["B-PER", "O", "B-PER", "O", "B-PER", "O", "O"])
    got = {e.text: (e.label_, e._.canonical) for e in doc.ents}
    assert got["Türkiye"] == ("STATE", "Türkiye")
    assert got["Baku"] == ("STATE", "Azerbaijan")  # a subject: the capital acts
    assert got["Azerbaijani"] == ("STATE", "Azerbaijan")  # modifies "interests"


def test_ner_person_that_is_a_known_organisation(nlp_it):
    doc = run(nlp_it, ["ricercatore", "al", "Cern", "di", "Ginevra"],
              ents=["O", "O", "B-PER", "O", "B-LOC"])
    got = {e.text: (e.label_, e._.canonical) for e in doc.ents}
    assert got["Cern"] == ("ORG", "European Organization for Nuclear Research")
    # an acronym written as a name is a person's name without an article before it
    doc = run(nlp_it, ["studenti", "come", "Rai", "parlano"], ents=["O", "O", "B-PER", "O"])
    assert [(e.text, e.label_) for e in doc.ents] == [("Rai", "PERSON")]


def test_ner_person_with_a_place_name_that_is_also_a_given_name(nlp_en):
    doc = run(nlp_en, ["Jordan", "Henderson", "met", "Jordan", "."],
              ents=["B-PER", "I-PER", "O", "B-PER", "O"])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Jordan Henderson", "PERSON"), ("Jordan", "PERSON")]


def test_ner_person_containing_a_state_is_an_organisation(nlp_it):
    doc = run(nlp_it, ["direttore", "di", "Sputnik", "Azerbaijan", "e", "Mario", "Rossi"],
              ents=["O", "O", "B-PER", "I-PER", "O", "B-PER", "I-PER"])
    got = {e.text: e.label_ for e in doc.ents}
    assert got == {"Sputnik Azerbaijan": "ORG", "Mario Rossi": "PERSON"}


def test_ner_org_with_its_city_is_cut(nlp_en):
    words = ["a", "researcher", "at", "Webster", "University", "in", "Tashkent"]
    doc = run(nlp_en, words, ents=["O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"])
    got = {e.text: (e.label_, e._.canonical) for e in doc.ents}
    assert got["Webster University"] == ("ORG", "Webster University")
    assert got["Tashkent"][0] == "LOC"
    # not cut: what follows "in" is not a known place
    doc = run(nlp_en, ["Institute", "in", "Global", "Studies"], ents=["B-ORG", "I-ORG", "I-ORG",
                                                                       "I-ORG"])
    assert ents(doc) == [("Institute in Global Studies", "ORG", "Institute in Global Studies")]


def test_ner_person_starting_with_an_initial_takes_the_first_name(nlp_en, nlp_it):
    # the NER left the first name out: a name does not start with a middle initial
    doc = run(nlp_en, ["Adnan", "Z.", "Amin", ",", "the", "director", ",", "spoke"],
              ents=["O", "B-PER", "I-PER", "O", "O", "O", "O", "O"])
    assert ents(doc) == [("Adnan Z. Amin", "PERSON", "Adnan Z. Amin")]
    # a title, a common word, or a word on the line before is no first name
    for first in (["President"], ["Yesterday"]):
        doc = run(nlp_en, [*first, "Z.", "Amin", "spoke"], ents=["O", "B-PER", "I-PER", "O"])
        assert [e.text for e in doc.ents] == ["Z. Amin"]
    doc = run(nlp_it, ["Cronache", "\n", "J.", "Smith", "parla"],
              spaces=[False, False, True, True, False], ents=["O", "O", "B-PER", "I-PER", "O"])
    assert [e.text for e in doc.ents] == ["J. Smith"]


def test_ner_mentions_that_are_no_names(nlp_it):
    words = ["Intanto", ",", "il", "governo", "ha", "parlato", ".", "\n", "Cronaca",
             "cittadina", ":", "Roma"]
    pos = ["ADV", "PUNCT", "DET", "NOUN", "AUX", "VERB", "PUNCT", "SPACE", "NOUN", "ADJ",
           "PUNCT", "PROPN"]
    doc = run(nlp_it, words, pos=pos, spaces=[False, True, True, True, True, False, False,
                                             False, True, False, True, False],
              ents=["B-LOC", "O", "O", "B-ORG", "O", "O", "O", "O", "B-PER", "O", "O", "B-LOC"])
    assert [e.text for e in doc.ents] == ["Roma"]


def test_ner_mention_across_a_line_break_is_dropped(nlp_en):
    words = ["the", "PEACE", "Act", "\n", "Meanwhile", "Smith"]
    doc = run(nlp_en, words, spaces=[True, True, False, False, True, False],
              ents=["O", "B-ORG", "B-PER", "I-PER", "I-PER", "I-PER"])
    got = {e.text: e.label_ for e in doc.ents}
    assert got == {"PEACE Act": "LAW"}  # the law pattern, no longer blocked by the NER


def test_surname_mislabelled_by_the_ner_is_the_person(nlp_it):
    words = ["Ilham", "Aliyev", "è", "arrivato", ".", "Aliyev", "ha", "parlato", "con", "Mosca"]
    doc = run(nlp_it, words, ents=["B-PER", "I-PER", "O", "O", "O", "B-LOC", "O", "O", "O",
                                   "B-LOC"])
    got = [(e.text, e.label_, e._.canonical) for e in doc.ents]
    assert ("Aliyev", "PERSON", "Ilham Aliyev") in got
    assert got[-1][:2] == ("Mosca", "LOC")  # a known place is never taken for a surname
    # no full name in the document: the surname of one current leader of the knowledge base
    doc = run(nlp_it, ["Aliyev", "ha", "parlato"], ents=["B-LOC", "O", "O"])
    assert ents(doc) == [("Aliyev", "PERSON", "Ilham Aliyev")]
    # neither: the NER's label stays
    doc = run(nlp_it, ["Rossetti", "ha", "parlato"], ents=["B-LOC", "O", "O"])
    assert ents(doc) == [("Rossetti", "LOC", "Rossetti")]


# -- capitals ------------------------------------------------------------------------------


def test_capital_acting_is_state(nlp_it):
    words = ["Baku", "aveva", "chiesto", "a", "Mosca", "di", "scusarsi"]
    doc = run(nlp_it, words, heads=[2, 2, 2, 4, 2, 6, 2],
              deps=["nsubj", "aux", "ROOT", "case", "obl", "mark", "xcomp"],
              lemmas=["Baku", "avere", "chiedere", "a", "Mosca", "di", "scusare"],
              pos=["PROPN", "AUX", "VERB", "ADP", "PROPN", "ADP", "VERB"],
              ents=["B-LOC", "O", "O", "O", "B-LOC", "O", "O"])
    got = {e.text: (e.label_, e._.canonical, e._.country) for e in doc.ents}
    assert got == {"Baku": ("STATE", "Azerbaijan", "AZE"), "Mosca": ("STATE", "Russia", "RUS")}


def test_capital_as_place_stays_loc(nlp_it):
    words = ["Il", "vertice", "si", "è", "svolto", "a", "Dushanbe"]
    doc = run(nlp_it, words, heads=[1, 4, 4, 4, 4, 6, 4],
              deps=["det", "nsubj", "expl", "aux", "ROOT", "case", "obl"],
              lemmas=["il", "vertice", "si", "essere", "svolgere", "a", "Dushanbe"],
              ents=["O", "O", "O", "O", "O", "O", "B-LOC"])
    e = by_text(doc)["Dushanbe"]
    assert (e.label_, e._.canonical, e._.country) == ("LOC", "Dushanbe", "TJK")


def test_capital_without_parse_is_loc_with_english_name(nlp_it):
    e = by_text(nlp_it("Siamo arrivati a Mosca."))["Mosca"]
    assert (e.label_, e._.canonical) == ("LOC", "Moscow")


def test_capital_possessor_en(nlp_en):
    words = ["Baku", "'s", "partner"]
    doc = run(nlp_en, words, heads=[2, 0, 2], deps=["nmod:poss", "case", "ROOT"],
              ents=["B-GPE", "O", "O"])
    assert ents(doc) == [("Baku", "STATE", "Azerbaijan")]


def test_capital_in_relation_noun(nlp_en):
    words = ["ties", "with", "Rome"]
    doc = run(nlp_en, words, heads=[0, 2, 0], deps=["ROOT", "case", "nmod"],
              ents=["O", "O", "B-GPE"])
    assert ents(doc) == [("Rome", "STATE", "Italy")]


def test_brussels_stands_for_the_eu(nlp_en):
    words = ["Brussels", "demanded", "reforms"]
    doc = run(nlp_en, words, heads=[1, 1, 1], deps=["nsubj", "ROOT", "obj"],
              ents=["B-GPE", "O", "O"])
    assert ents(doc) == [("Brussels", "ORG", "European Union")]


# -- Georgia -------------------------------------------------------------------------------


def test_georgia_us_state_vs_country(nlp_en):
    doc = nlp_en("He flew from Atlanta, Georgia to Tbilisi in Georgia.")
    georgias = [(e.label_, e._.canonical) for e in doc.ents if e.text == "Georgia"]
    assert georgias == [("LOC", "Georgia (U.S. state)"), ("STATE", "Georgia")]
    doc = nlp_en("The Georgia governor spoke.")
    assert [(e.label_, e._.country) for e in doc.ents] == [("LOC", "USA")]


# -- EVENT, LAW, ORG patterns ----------------------------------------------------------------


def test_events_it(nlp_it):
    doc = nlp_it("Nel vertice della CSI a Dushanbe si è parlato dell’incidente dell’aereo di "
                 "AZAL e della guerra in Ucraina.")
    got = {e.text: (e.label_, e._.canonical) for e in doc.ents}
    assert got["vertice della CSI"] == ("EVENT", "CIS summit")
    assert got["incidente dell’aereo di AZAL"] == ("EVENT", "AZAL plane crash")
    assert got["guerra in Ucraina"] == ("EVENT", "war in Ukraine")
    assert got["Dushanbe"][0] == "LOC"


def test_events_en(nlp_en):
    doc = nlp_en("After the CIS summit and the Aktau plane crash, the war in Ukraine went on.")
    got = {e.text: (e.label_, e._.canonical) for e in doc.ents}
    assert got["CIS summit"] == ("EVENT", "CIS summit")
    assert got["war in Ukraine"] == ("EVENT", "war in Ukraine")
    assert "plane crash" in got.get("Aktau plane crash", ("", ""))[1] or \
        "Aktau" not in "".join(got)  # Aktau is in no gazetteer: needs the NER (golden test)
    doc = run(nlp_en, ["the", "Aktau", "plane", "crash"], ents=["O", "B-GPE", "O", "O"])
    assert ents(doc) == [("Aktau plane crash", "EVENT", "Aktau plane crash")]
    doc = run(nlp_en, ["the", "Dushanbe", "meeting"], ents=["O", "B-GPE", "O"])
    assert ents(doc) == [("Dushanbe meeting", "EVENT", "Dushanbe meeting")]


def test_laws(nlp_it, nlp_en):
    doc = nlp_it("Il Congresso ha presentato la PEACE Act (H.R.5632) e ha ricordato la "
                 "Dichiarazione del 2022 sulla Cooperazione Alleata, il trattato di Lisbona e gli "
                 "Accordi di Minsk.")
    got = {e.text: (e.label_, e._.canonical) for e in doc.ents if e.label_ == "LAW"}
    assert got == {
        "PEACE Act (H.R.5632)": ("LAW", "PEACE Act"),
        "Dichiarazione del 2022 sulla Cooperazione Alleata":
            ("LAW", "Dichiarazione del 2022 sulla Cooperazione Alleata"),
        "trattato di Lisbona": ("LAW", "trattato di Lisbona"),
        "Accordi di Minsk": ("LAW", "Accordi di Minsk"),
    }
    doc = nlp_en("The Treaty of Lisbon and the Preventing Escalation and Advancing Caucasus "
                 "Engagement Act passed.")
    laws = [e.text for e in doc.ents if e.label_ == "LAW"]
    assert laws == ["Treaty of Lisbon",
                    "Preventing Escalation and Advancing Caucasus Engagement Act"]


def test_law_pattern_does_not_take_a_person(nlp_it):
    doc = run(nlp_it, ["la", "dichiarazione", "di", "Mario", "Rossi"],
              ents=["O", "O", "O", "B-PER", "I-PER"])
    assert ents(doc) == [("Mario Rossi", "PERSON", "Mario Rossi")]


def test_university_pattern(nlp_en):
    doc = nlp_en("He teaches at Webster University in Tashkent.")
    assert ("Webster University", "ORG", "Webster University") in ents(doc)


def test_pattern_anchor_is_the_rarest_required_word(nlp_en, nlp_it):
    common = _common_word(nlp_en)
    pattern = [{"LOWER": {"IN": ["war", "crisis", "invasion"]}}, {"LOWER": {"IN": ["in", "of"]}},
               {"LOWER": "the", "OP": "?"}, {"ENT_TYPE": "LOC", "OP": "+"}]
    # the prepositions are the smaller set, but stop words: they would gate nothing
    assert _anchor_words(pattern, common) == {"war", "crisis", "invasion"}
    assert _anchor_words(pattern) == {"in", "of"}  # without the stop-word test: smallest set
    law = [{"ORTH": "("}, {"ORTH": {"IN": ["Act", "Bill"]}}]
    assert _anchor_words(law, common) == {"Act", "Bill"}
    assert _anchor_words([{"IS_TITLE": True, "OP": "+"}, {"ENT_TYPE": "ORG"}], common) is None
    assert _common_word(nlp_it)("della") and not _common_word(nlp_it)("vertice")


def test_pattern_regions_merge_neighbouring_sentences():
    starts = [0, 5, 9, 20, 30, 41]  # six sentences
    assert _regions([6], starts) == [(0, 2)]
    assert _regions([6, 7, 21], starts) == [(0, 4)]  # (0, 2) and (2, 4) overlap
    assert _regions([1, 42], starts) == [(0, 1), (4, 5)]
    assert _regions([1, 31], starts) == [(0, 1), (3, 5)]
    assert _regions([1, 22], starts) == [(0, 4)]  # (0, 1) and (2, 4) adjacent


def test_each_pattern_runs_around_its_own_anchor(nlp_en):
    # sentence 1 holds an event noun, sentence 4 the law noun: each pattern is looked for
    # around its own anchor only, and both are found; a University far from any anchor
    # sentence of its pattern is still found (its anchor word is in its own sentence)
    words = ["The", "summit", "ended", ".", "It", "rained", ".", "People", "left", ".",
             "The", "Clean", "Air", "Act", "passed", ".", "Students", "of", "Webster",
             "University", "cheered", "."]
    sent_starts = [i in (0, 4, 7, 10, 16) for i in range(len(words))]
    doc = Doc(nlp_en.vocab, words=words, sent_starts=sent_starts)
    doc = nlp_en.get_pipe("relextract_entities")(doc)
    got = {e.text: e.label_ for e in doc.ents}
    assert got.get("Clean Air Act") == "LAW"
    assert got.get("Webster University") == "ORG"
    # the same doc without sentence boundaries: the patterns run on the whole doc, same result
    flat = nlp_en.get_pipe("relextract_entities")(Doc(nlp_en.vocab, words=words))
    assert {e.text: e.label_ for e in flat.ents} == got


def test_italian_university_of_a_city_in_lower_case(nlp_it):
    doc = run(nlp_it, ["docente", "dell'", "università", "di", "Parma"],
              spaces=[True, False, True, True, False], ents=["O", "O", "O", "O", "B-LOC"])
    assert ("università di Parma", "ORG") in [(e.text, e.label_) for e in doc.ents]
    doc = run(nlp_it, ["l'", "università", "di", "ricerca"], spaces=[False, True, True, False])
    assert not doc.ents  # no place after "di": no name


def test_ner_misc_law_overridden_by_pattern(nlp_en):
    doc = run(nlp_en, ["the", "PEACE", "Act", "passed"], ents=["O", "B-MISC", "I-MISC", "O"])
    assert ents(doc) == [("PEACE Act", "LAW", "PEACE Act")]


# -- canonical names -----------------------------------------------------------------------


def test_titles_stripped_and_short_names_merged(nlp_it):
    words = ["il", "presidente", "Aliev", "e", "Ilham", "Aliyev", "e", "Mario", "Rossi", "e",
             "Rossi"]
    doc = run(nlp_it, words, ents=["O", "B-PER", "I-PER", "O", "B-PER", "I-PER", "O", "B-PER",
                                   "I-PER", "O", "B-PER"])
    got = [(e.text, e._.canonical, e._.country) for e in doc.ents]
    assert got == [
        ("presidente Aliev", "Ilham Aliyev", "AZE"),
        ("Ilham Aliyev", "Ilham Aliyev", "AZE"),
        ("Mario Rossi", "Mario Rossi", None),
        ("Rossi", "Mario Rossi", None),
    ]


def test_names_are_stable_across_docs(nlp_it, nlp_en):
    a = by_text(nlp_it("Il Cremlino e gli Stati Uniti."))
    b = by_text(nlp_en("The Kremlin and the United States."))
    assert a["Cremlino"]._.canonical == b["Kremlin"]._.canonical == "Kremlin"
    assert a["Stati Uniti"]._.canonical == b["United States"]._.canonical == "United States"


def test_merge_person_names_helpers():
    assert similar_names("Aliev", "Aliyev")
    assert similar_names("Zelensky", "Zelenskyy")
    assert not similar_names("Putin", "Pashinyan")
    m = merge_person_names(["Aliyev", "Ilham Aliyev", "Heydar Aliyev"])
    assert m["Aliyev"] == "Aliyev"  # two different full names: ambiguous, left alone
    assert merge_person_names(["Putin", "Vladimir Putin"])["Putin"] == "Vladimir Putin"


# -- debris --------------------------------------------------------------------------------


def test_debris_filtered(nlp_en):
    words = ["16", "px", "Source", ":", "Share", "Read", "more", "www.example.com",
             "info@example.com", "Cookie", "Policy"]
    doc = run(nlp_en, words, ents=["B-MISC", "I-MISC", "B-ORG", "O", "B-ORG", "B-MISC", "I-MISC",
                                   "B-ORG", "B-ORG", "B-MISC", "I-MISC"])
    assert ents(doc) == []


# -- lifecycle -----------------------------------------------------------------------------


def test_lazy_initialisation():
    nlp = spacy.blank("en")
    nlp.add_pipe("relextract_entities", config={"lang": "en"})
    doc = nlp("Russia and Azerbaijan")  # no nlp.initialize()
    assert [e._.canonical for e in doc.ents] == ["Russia", "Azerbaijan"]


def test_bad_lang():
    nlp = spacy.blank("en")
    with pytest.raises(EntityLayerError, match="E311"):
        nlp.add_pipe("relextract_entities", config={"lang": "de"})


def test_bad_lexicon():
    nlp = spacy.blank("en")
    layer = nlp.add_pipe("relextract_entities", config={"lang": "en"})
    with pytest.raises(EntityLayerError, match="E313"):
        layer.initialize(lexicon={"titles": []})


def test_to_disk_round_trip(tmp_path, nlp_it):
    nlp_it.to_disk(tmp_path / "p")
    nlp2 = spacy.load(tmp_path / "p")
    text = "Il presidente azero e il Cremlino al vertice della CSI."
    assert ents(nlp2(text)) == ents(nlp_it(text))
    assert (tmp_path / "p" / "relextract_entities" / "lexicon.json").exists()


def test_bytes_round_trip(nlp_en):
    data = nlp_en.to_bytes()
    nlp2 = spacy.blank("en")
    nlp2.add_pipe("relextract_entities", config={"lang": "en"})
    nlp2.from_bytes(data)
    assert ents(nlp2("Hungarian officials")) == [("Hungarian", "STATE", "Hungary")]


# -- golden tests with the trained models ---------------------------------------------------

IT_PARAGRAPH = (
    "Il presidente russo Vladimir Putin ha incontrato a Mosca il primo ministro armeno Nikol "
    "Pashinyan. Secondo il Cremlino, i due leader hanno discusso del vertice della CSI e "
    "dell'Unione europea. Putin ha detto che la Russia sostiene l'Armenia."
)
EN_PARAGRAPH = (
    "Russian President Vladimir Putin met Armenian Prime Minister Nikol Pashinyan in Moscow. "
    "According to the Kremlin, the two leaders discussed the CIS summit and the European Union. "
    "Putin said that Russia supports Armenia."
)


def _model(lang):
    path = ROOT / "models" / lang
    if not (path / "config.cfg").exists():
        pytest.skip(f"models/{lang} not built")
    nlp = spacy.load(path)
    if "relextract_entities" not in nlp.pipe_names:
        nlp.add_pipe("relextract_entities", config={"lang": lang})
    return nlp


@pytest.mark.models
@pytest.mark.parametrize(("lang", "text"), [("it", IT_PARAGRAPH), ("en", EN_PARAGRAPH)])
def test_golden_paragraph(lang, text):
    nlp = _model(lang)
    doc = nlp(text)
    got = {(e._.canonical, e.label_) for e in doc.ents}
    expected = {
        ("Vladimir Putin", "PERSON"), ("Nikol Pashinyan", "PERSON"), ("Russia", "STATE"),
        ("Armenia", "STATE"), ("Kremlin", "ORG"), ("CIS summit", "EVENT"),
        ("European Union", "ORG"),
    }
    missing = expected - got
    assert not missing, (missing, sorted(got))
    assert all(e.label_ in ("PERSON", "STATE", "ORG", "EVENT", "LAW", "LOC", "MISC")
               for e in doc.ents)
