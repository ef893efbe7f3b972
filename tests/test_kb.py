"""The bundled knowledge base: files load, validate, and answer lookups."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from relextract.kb import KnowledgeBase, normalize, strip_article, validate
from relextract.resources import list_resources, load_tsv

ROOT = Path(__file__).resolve().parents[1]


def _build_kb_module():
    spec = importlib.util.spec_from_file_location("build_kb", ROOT / "scripts" / "build_kb.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_kb_file_loads():
    files = list_resources("kb", (".tsv",))
    assert {"kb/states.tsv", "kb/demonyms.tsv", "kb/organisations.tsv"} <= set(files)
    for rel in files:
        rows = load_tsv(rel)
        assert rows, rel


def test_kb_validates():
    problems = validate()
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_states_have_both_languages_and_unique_ids():
    kb = KnowledgeBase.for_lang("it")
    assert len(kb.states) >= 193
    for st in kb.states.values():
        assert st.name_en and st.name_it, st
    assert kb.state("AZE").name_it == "Azerbaigian"
    assert kb.state("USA").name_it == "Stati Uniti"
    assert kb.state("AZE").qid == "Q227"


@pytest.mark.parametrize(
    ("surface", "iso3"),
    [("Stati Uniti", "USA"), ("USA", "USA"), ("U.S.", "USA"), ("America", "USA"),
     ("Stati Uniti d’America", "USA"), ("Regno Unito", "GBR"), ("UK", "GBR"),
     ("Britain", "GBR"), ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Turchia", "TUR"),
     ("turkiye", "TUR"), ("l'Azerbaigian", "AZE"), ("Azerbaijan", "AZE"), ("la Russia", "RUS"),
     ("Federazione Russa", "RUS")],
)
def test_lookup_state(surface, iso3):
    for lang in ("it", "en"):
        st = KnowledgeBase.for_lang(lang).lookup_state(surface)
        assert st is not None and st.iso3 == iso3, (lang, surface)


def test_acronyms_are_case_sensitive():
    kb = KnowledgeBase.for_lang("it")
    assert kb.lookup_state("us") is None
    assert kb.lookup_org("un") is None
    assert kb.lookup_org("UN").qid == "Q1065"
    assert kb.lookup_org("ONU").qid == "Q1065"


def test_acronyms_written_as_names():
    # Italian papers write acronyms as names: "il Cern", "la Nato", "gli Usa", "l'Onu"
    kb = KnowledgeBase.for_lang("it")
    assert kb.lookup_org("Cern") is kb.lookup_org("CERN") is not None
    assert kb.lookup_org("Onu").qid == "Q1065"
    assert kb.lookup_state("Usa").iso3 == "USA"
    # not lower case, not mixed case, not a two-letter word
    assert kb.lookup_org("cern") is None and kb.lookup_org("CeRN") is None
    assert kb.lookup_state("us") is None and kb.lookup_org("Un") is None


@pytest.mark.parametrize(
    ("word", "iso3"),
    [("azero", "AZE"), ("azera", "AZE"), ("azeri", "AZE"), ("azere", "AZE"),
     ("azerbaigiano", "AZE"), ("azerbaigiane", "AZE"), ("russo", "RUS"), ("russa", "RUS"),
     ("russi", "RUS"), ("russe", "RUS"), ("statunitense", "USA"), ("statunitensi", "USA"),
     ("americano", "USA"), ("armena", "ARM"), ("cinesi", "CHN"), ("francese", "FRA"),
     ("italiani", "ITA"), ("iraniana", "IRN"), ("turca", "TUR"), ("turchi", "TUR"),
     ("turche", "TUR"), ("ucraine", "UKR"), ("greci", "GRC"), ("belgi", "BEL")],
)
def test_italian_demonyms(word, iso3):
    dem = KnowledgeBase.for_lang("it").lookup_demonym(word)
    assert dem is not None and dem.iso3 == iso3, word


@pytest.mark.parametrize(
    ("word", "iso3"),
    [("Azerbaijani", "AZE"), ("Azeri", "AZE"), ("Russian", "RUS"), ("American", "USA"),
     ("Hungarian", "HUN"), ("Italian", "ITA"), ("Turkish", "TUR"), ("Congolese", "COD")],
)
def test_english_demonyms(word, iso3):
    dem = KnowledgeBase.for_lang("en").lookup_demonym(word)
    assert dem is not None and dem.iso3 == iso3, word


def test_demonyms_are_per_language():
    assert KnowledgeBase.for_lang("en").lookup_demonym("russa") is None
    assert KnowledgeBase.for_lang("it").lookup_demonym("Hungarian") is None


@pytest.mark.parametrize(
    ("surface", "name_en", "country"),
    [("CSI", "Commonwealth of Independent States", ""),
     ("CIS", "Commonwealth of Independent States", ""),
     ("BRICS", "BRICS", ""), ("NATO", "NATO", ""), ("UE", "European Union", ""),
     ("OCS", "Shanghai Cooperation Organisation", ""),
     ("Congresso degli Stati Uniti", "United States Congress", "USA"),
     ("US Congress", "United States Congress", "USA"),
     ("Camera dei Rappresentanti", "United States House of Representatives", "USA"),
     ("Cremlino", "Kremlin", "RUS"), ("Casa Bianca", "White House", "USA"),
     ("State Department", "United States Department of State", "USA"),
     ("AZAL", "Azerbaijan Airlines", "AZE")],
)
def test_lookup_org(surface, name_en, country):
    org = KnowledgeBase.for_lang("it").lookup_org(surface)
    assert org is not None and org.name_en == name_en and org.country == country, surface


def test_capitals_and_metonyms():
    kb = KnowledgeBase.for_lang("it")
    assert kb.lookup_capital("Mosca").iso3 == "RUS"
    assert kb.lookup_capital("Baku").iso3 == "AZE"
    assert kb.lookup_capital("Bruxelles").target == "Q458"  # Brussels stands for the EU
    assert kb.lookup_capital("Singapore") is None  # a state name, not a capital


def test_leaders():
    kb = KnowledgeBase.for_lang("en")
    putin = kb.lookup_person("Vladimir Putin")
    assert putin.country == "RUS" and putin.office == "President" and putin.qid == "Q7747"
    assert kb.lookup_person("Ilham Aliev").name == "Ilham Aliyev"
    assert kb.lookup_person("Aliyev").name == "Ilham Aliyev"  # one current leader of that name
    old = [ld for ld in kb.leaders if ld.name == "Heydar Aliyev"]
    assert old and all(ld.start for ld in old)


def test_normalize():
    assert normalize("Stati Uniti d’America") == normalize("stati uniti d'america")
    assert normalize("Türkiye") == "turkiye"
    assert strip_article("l’Azerbaigian") == "Azerbaigian"
    assert strip_article("the Kremlin") == "Kremlin"


@pytest.mark.parametrize(
    ("masc", "forms"),
    [("azero", {"azero", "azera", "azeri", "azere"}),
     ("francese", {"francese", "francesi"}),
     ("statunitense", {"statunitense", "statunitensi"}),
     ("turco", {"turco", "turca", "turchi", "turche"}),
     ("austriaco", {"austriaco", "austriaca", "austriaci", "austriache"}),
     ("libico", {"libico", "libica", "libici", "libiche"}),
     ("saudita", {"saudita", "sauditi", "saudite"}),
     ("malgascio", {"malgascio", "malgascia", "malgasci", "malgasce"}),
     ("burkinabé", {"burkinabé"})],
)
def test_inflect_it(masc, forms):
    mod = _build_kb_module()
    assert {f for f, _, _ in mod.inflect_it(masc)} == forms


def test_inflect_it_rejects_unknown_endings():
    mod = _build_kb_module()
    with pytest.raises(ValueError):
        mod.inflect_it("xyz")


def test_unsupported_language():
    with pytest.raises(ValueError, match="E301"):
        KnowledgeBase.for_lang("de")
