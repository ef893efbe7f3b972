"""Regenerate relextract's knowledge base (``src/relextract/resources/kb/*.tsv``).

Inputs (build time only; nothing here is imported at run time):

* ``../shared/corpora/countries/countries.json`` (mledoze/countries, ODbL 1.0): states, ISO codes,
  capitals, English names and demonyms, some Italian names;
* ``babel`` (CLDR, Unicode licence): Italian country names; ``pycountry`` (LGPL 2.1, ISO 3166 data):
  names and the list of valid alpha-3 codes;
* ``../shared/corpora/supraverden/data/general_list.yaml`` (CC BY-SA 4.0): international
  organisations with Wikidata QIDs and abbreviations;
* ``../shared/corpora/CountryInfo/CountryInfo.120116.txt`` (CC BY-SA 3.0): dated leaders;
* ``scripts/kb_curated/*.yml`` (hand-written, MIT): Italian demonyms and capitals, QIDs,
  aliases, Italian organisation names, national institutions, media, current leaders.

Usage::

    python scripts/build_kb.py [--corpora ../shared/corpora] [--out src/relextract/resources/kb]

The output is deterministic (sorted rows), so ``git diff`` shows what a source update changed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "scripts" / "kb_curated"

#: states beyond UN members that news treats as state-level polities
EXTRA_STATES = {"VAT", "PSE", "UNK", "TWN"}
#: codes that countries.json spells differently from common practice
ISO3_FIX = {"UNK": "XKX"}  # Kosovo: user-assigned ISO code used by the EU, IMF, ...
#: supraverden abbreviations that mean something else far more often in news
BAD_ABBREVIATIONS = {"ESA", "WB", "PBC", "EP", "JIU", "COE", "ICC", "UN Tourism"}
#: leaders whose term ended before this year are not kept (the file is for news after 1990)
LEADER_MIN_YEAR = 1990


# ---------------------------------------------------------------------------------------------
# Italian inflection of demonym adjectives


def inflect_it(masc_sg: str) -> list[tuple[str, str, str]]:
    """The four forms ``(form, gender, number)`` of a regular Italian demonym adjective.

    ``azero`` -> azero/azera/azeri/azere; ``francese`` -> francese/francesi (both genders);
    ``turco`` -> turchi/turche; ``austriaco`` -> austriaci; ``libico`` -> libici;
    ``saudita`` -> sauditi/saudite; ``malgascio`` -> malgasci/malgasce; ``burkinabé`` invariant.
    Irregular words (``greco``, ``belga``) are listed with all forms in the curated file.
    """
    w = masc_sg
    if w.endswith(("é", "è", "i", "u")):  # invariable (burkinabé)
        return [(w, g, n) for g in ("m", "f") for n in ("sg", "pl")]
    if w.endswith("e"):
        pl = w[:-1] + "i"
        return [(w, "m", "sg"), (w, "f", "sg"), (pl, "m", "pl"), (pl, "f", "pl")]
    if w.endswith("a"):  # -ita, -ota, -ida: saudita, cipriota
        stem = w[:-1]
        return [(w, "m", "sg"), (w, "f", "sg"), (stem + "i", "m", "pl"), (stem + "e", "f", "pl")]
    if not w.endswith("o"):
        raise ValueError(f"cannot inflect Italian demonym {w!r}: list its forms in dem_it_forms")
    stem = w[:-1]
    f_sg, f_pl = stem + "a", stem + "e"
    if w.endswith(("iaco", "ico")):
        m_pl = stem + "i"
        f_pl = stem + "he"
    elif w.endswith(("co", "go")):
        m_pl = stem + "hi"
        f_pl = stem + "he"
    elif w.endswith(("cio", "gio")):  # malgascio -> malgasci / malgasce
        m_pl = stem
        f_pl = stem[:-1] + "e"
    elif w.endswith("io"):
        m_pl = stem
    else:
        m_pl = stem + "i"
    return [(w, "m", "sg"), (f_sg, "f", "sg"), (m_pl, "m", "pl"), (f_pl, "f", "pl")]


# ---------------------------------------------------------------------------------------------
# sources


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _valid_iso3() -> set[str]:
    import pycountry

    return {c.alpha_3 for c in pycountry.countries} | {"XKX"}


def _it_country_names() -> dict[str, str]:
    from babel import Locale

    return dict(Locale("it").territories)


def _uniq(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        item = " ".join(item.split())
        if item and item not in seen:
            seen[item] = None
    return list(seen)


def build_states(corpora: Path) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    import pycountry

    countries = json.loads((corpora / "countries" / "countries.json").read_text(encoding="utf-8"))
    curated = _load_yaml(CURATED / "states.yml")
    prefer_en = curated.pop("demonym_preference_en", {}) or {}
    it_names = _it_country_names()
    states, names, demonyms, capitals = [], [], [], []
    en_dem_owners: dict[str, list[str]] = defaultdict(list)
    for c in sorted(countries, key=lambda c: c["cca3"]):
        if not (c.get("unMember") or c["cca3"] in EXTRA_STATES):
            continue
        src3 = c["cca3"]
        iso3 = ISO3_FIX.get(src3, src3)
        cur = curated.get(src3) or {}
        name_en = c["name"]["common"]
        name_it = (cur.get("name_it") or it_names.get(c["cca2"])
                   or c["translations"]["ita"]["common"])
        capital_en = list(c.get("capital") or [])
        capital_it = list(cur.get("capital_it") or capital_en)
        states.append(
            {
                "iso3": iso3,
                "iso2": c["cca2"],
                "qid": cur.get("qid", ""),
                "name_en": name_en,
                "name_it": name_it,
                "capital_en": "|".join(capital_en),
                "capital_it": "|".join(capital_it),
            }
        )
        en_forms = [name_en, c["name"]["official"], *cur.get("alias_en", [])]
        pc = pycountry.countries.get(alpha_3=src3)
        if pc is not None:
            en_forms += [getattr(pc, "common_name", ""), pc.name, getattr(pc, "official_name", "")]
        en_forms += [a for a in c.get("altSpellings", []) if len(a) > 3 and a.isascii()]
        it_forms = [
            name_it,
            c["translations"]["ita"]["common"],
            c["translations"]["ita"]["official"],
            *cur.get("alias_it", []),
        ]
        for lang, forms in (("en", en_forms), ("it", it_forms)):
            for form in _uniq(forms):
                if "," in form:  # "Korea, Republic of": catalogue order, never in text
                    continue
                kind = "acronym" if form.replace(".", "").isupper() and len(form) <= 6 else "name"
                names.append({"iso3": iso3, "lang": lang, "name": form, "kind": kind})
        for lang, caps in (("en", capital_en + cur.get("capital_en", [])), ("it", capital_it)):
            for cap in _uniq(caps):
                capitals.append({"name": cap, "lang": lang, "iso3": iso3, "target": iso3})
        # demonyms
        it_forms_dem: list[tuple[str, str, str]] = []
        if cur.get("dem_it_forms"):
            for spec in cur["dem_it_forms"]:
                form, gender, number = spec.split(":")
                it_forms_dem.append((form, gender, number))
        for masc in cur.get("dem_it", []):
            if any(f == masc for f, _, _ in it_forms_dem):
                continue
            it_forms_dem += inflect_it(masc)
        for form, gender, number in it_forms_dem:
            demonyms.append({"iso3": iso3, "lang": "it", "form": form, "gender": gender,
                             "number": number})
        en_dem = {v for v in (c.get("demonyms", {}).get("eng") or {}).values() if v}
        en_dem |= set(cur.get("dem_en", []))
        for form in sorted(en_dem):
            en_dem_owners[form].append(iso3)
    for form, owners in sorted(en_dem_owners.items()):
        if len(owners) > 1:
            owner = prefer_en.get(form)
            if owner is None:
                print(f"note: English demonym {form!r} is shared by {owners}; dropped",
                      file=sys.stderr)
                continue
            owners = [owner]
        demonyms.append({"iso3": owners[0], "lang": "en", "form": form, "gender": "",
                         "number": ""})
    # an entry that is both a capital and a state name (Singapore, Kuwait) is a state name
    state_name_set = {n["name"].casefold() for n in names}
    capitals = [c for c in capitals if c["name"].casefold() not in state_name_set]
    org_cur = _load_yaml(CURATED / "organisations.yml")
    for met in org_cur.get("metonyms", []):
        for surface in met["surface"]:
            for cap in capitals:
                if cap["name"] == surface:
                    cap["target"] = met["target"]
    return states, names, demonyms, capitals


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def build_orgs(corpora: Path) -> tuple[list[dict], list[dict]]:
    sv = _load_yaml(corpora / "supraverden" / "data" / "general_list.yaml")
    cur = _load_yaml(CURATED / "organisations.yml")
    orgs: dict[str, dict] = {}
    onames: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    by_qid: dict[str, str] = {}
    for key, v in sv.items():
        qid = v.get("Wikidata_code") or ""
        if not qid.startswith("Q"):
            qid = ""
        oid = qid or "sv_" + _slug(key)
        name_en = v.get("Name_en") or key
        orgs[oid] = {"id": oid, "qid": qid, "name_en": name_en, "name_it": v.get("Name_it") or "",
                     "country": "", "type": "igo", "source": "supraverden"}
        if qid:
            by_qid[qid] = oid
        for field in ("Name_en", "Name_other_en", "Name_other_1_en", "Name_other_2_en",
                      "Name_other_3_en", "Name_other_4_en"):
            if v.get(field):
                onames[oid].append(("en", str(v[field]), "name"))
        if v.get("Name_it"):
            onames[oid].append(("it", str(v["Name_it"]), "name"))
        for field in ("Abbreviation_en", "Abbreviation_other_en", "Abbreviation_other_2_en"):
            abbr = str(v.get(field) or "")
            if abbr and abbr not in BAD_ABBREVIATIONS and len(abbr) >= 3:
                onames[oid].append(("en", abbr, "acronym"))
    for section, default_type in (("igo_extra", "igo"), ("institutions", "institution"),
                                  ("companies", "company"), ("media", "media")):
        for entry in cur.get(section, []) or []:
            qid = entry.get("qid", "")
            oid = by_qid.get(qid) if qid else None
            if oid is None:
                oid = entry.get("id") or qid
                if not oid:
                    raise ValueError(f"organisations.yml/{section}: entry without id: {entry}")
                orgs[oid] = {"id": oid, "qid": qid, "name_en": entry["name_en"],
                             "name_it": entry.get("name_it", entry["name_en"]), "country": "",
                             "type": entry.get("type", default_type), "source": "curated"}
                if qid:
                    by_qid[qid] = oid
            org = orgs[oid]
            for fld in ("name_en", "name_it"):
                if entry.get(fld):
                    org[fld] = entry[fld]
            if entry.get("country"):
                org["country"] = entry["country"]
            if section != "igo_extra":
                org["type"] = entry.get("type", default_type)
            onames[oid].append(("en", org["name_en"], "name"))
            onames[oid].append(("it", org["name_it"], "name"))
            for a in entry.get("alias_en", []):
                onames[oid].append(("en", a, "name"))
            for a in entry.get("alias_it", []):
                onames[oid].append(("it", a, "name"))
            for a in entry.get("acronym", []):
                onames[oid].append(("any", a, "acronym"))
    for org in orgs.values():
        if not org["name_it"]:
            org["name_it"] = org["name_en"]
    rows = sorted(orgs.values(), key=lambda o: o["id"])
    name_rows = []
    for oid in sorted(onames):
        seen = set()
        for lang, name, kind in onames[oid]:
            name = " ".join(name.split())
            if (lang, name) in seen or not name:
                continue
            seen.add((lang, name))
            name_rows.append({"id": oid, "lang": lang, "name": name, "kind": kind})
    return rows, name_rows


_LEADER_LINE = re.compile(r"^\s*(\{.*\}|[A-Z][A-Z0-9_.'\-]*_?)\s+(\[.*)$")
_RANGE = re.compile(r"\[\s*(\d{8})\s*-\s*(\d{8})\s*\]|\[\s*>(\d{8})\s*\]")


def _title_name(raw: str) -> str:
    words = [w for w in raw.strip("_").split("_") if w]
    out = []
    for w in words:
        parts = re.split(r"([\-'])", w)
        out.append("".join(p.capitalize() if p not in "-'" else p for p in parts))
    return " ".join(out)


def _iso_date(d: str) -> str:
    return f"{d[:4]}-{d[4:6]}-{d[6:]}"


def build_leaders(corpora: Path, states: set[str]) -> list[dict]:
    text = (corpora / "CountryInfo" / "CountryInfo.120116.txt").read_text(encoding="utf-8",
                                                                          errors="replace")
    rows: list[dict] = []
    for block in re.findall(r"<Country>(.*?)</Country>", text, flags=re.S):
        m = re.search(r"<ISO3166-alpha3>(\w+)</ISO3166-alpha3>", block)
        lm = re.search(r"<Leaders>(.*?)</Leaders>", block, flags=re.S)
        if not m or not lm:
            continue
        iso3 = m.group(1)
        if iso3 not in states:
            continue
        office = ""
        for line in lm.group(1).splitlines():
            line = line.split("#", 1)[0].rstrip()
            tag = re.match(r"^\s*<([^/][^>]*)>\s*$", line)
            if tag:
                office = tag.group(1).strip()
                office = office[:-1] if office.endswith("s") else office
                office = office[:1].upper() + office[1:]
                continue
            lm2 = _LEADER_LINE.match(line)
            if not lm2 or not office:
                continue
            raw_names = re.findall(r"\{([^}]*)\}", lm2.group(1)) or [lm2.group(1)]
            names = _uniq(_title_name(n) for n in raw_names)
            for rng in _RANGE.finditer(lm2.group(2)):
                if rng.group(3):
                    start, end = _iso_date(rng.group(3)), ""
                    note = "in office at source update (2012)"
                else:
                    start, end, note = _iso_date(rng.group(1)), _iso_date(rng.group(2)), ""
                if (end or "9999") < f"{LEADER_MIN_YEAR}":
                    continue
                rows.append({"name": names[0], "alias": "|".join(names[1:]), "qid": "",
                             "country": iso3, "office": office, "start": start, "end": end,
                             "note": note, "source": "CountryInfo"})
    for entry in _load_yaml(CURATED / "leaders.yml"):
        rows.append({"name": entry["name"], "alias": "|".join(entry.get("alias", [])),
                     "qid": entry.get("qid", ""), "country": entry["country"],
                     "office": entry["office"], "start": str(entry.get("start", "")),
                     "end": str(entry.get("end", "") or ""),
                     "note": "" if entry.get("end") else "in office in 2025",
                     "source": "curated"})
    rows.sort(key=lambda r: (r["country"], r["name"], r["start"], r["office"]))
    return rows


# ---------------------------------------------------------------------------------------------
# output

HEADERS = {
    "states.tsv": ("iso3", "iso2", "qid", "name_en", "name_it", "capital_en", "capital_it"),
    "state_names.tsv": ("iso3", "lang", "name", "kind"),
    "demonyms.tsv": ("iso3", "lang", "form", "gender", "number"),
    "capitals.tsv": ("name", "lang", "iso3", "target"),
    "organisations.tsv": ("id", "qid", "name_en", "name_it", "country", "type", "source"),
    "org_names.tsv": ("id", "lang", "name", "kind"),
    "leaders.tsv": ("name", "alias", "qid", "country", "office", "start", "end", "note", "source"),
}


def write_tsv(path: Path, rows: list[dict], header: tuple[str, ...]) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# generated by scripts/build_kb.py; do not edit (see resources/SOURCES.md)\n")
        w = csv.DictWriter(fh, fieldnames=header, delimiter="\t", lineterminator="\n",
                           quoting=csv.QUOTE_NONE, escapechar=None)
        w.writeheader()
        for row in rows:
            for k, v in row.items():
                if "\t" in str(v) or "\n" in str(v):
                    raise ValueError(f"{path.name}: tab/newline in {k}={v!r}")
            w.writerow(row)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "relextract" / "resources" / "kb")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    states, names, demonyms, capitals = build_states(args.corpora)
    valid = _valid_iso3()
    bad = [s["iso3"] for s in states if s["iso3"] not in valid]
    if bad:
        raise SystemExit(f"invalid ISO3 codes: {bad}")
    orgs, org_names = build_orgs(args.corpora)
    leaders = build_leaders(args.corpora, {s["iso3"] for s in states})
    out = {
        "states.tsv": states,
        "state_names.tsv": sorted(names, key=lambda r: (r["iso3"], r["lang"], r["name"])),
        "demonyms.tsv": sorted(demonyms, key=lambda r: (r["iso3"], r["lang"], r["form"])),
        "capitals.tsv": sorted(capitals, key=lambda r: (r["iso3"], r["lang"], r["name"])),
        "organisations.tsv": orgs,
        "org_names.tsv": org_names,
        "leaders.tsv": leaders,
    }
    for fname, rows in out.items():
        write_tsv(args.out / fname, rows, HEADERS[fname])
        print(f"{fname}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
