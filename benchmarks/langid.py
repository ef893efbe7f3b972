"""Compare language identifiers on short Italian / English paragraphs.

    python benchmarks/langid.py [--shared ../shared] [--per-source 400] [--seed 0]

Data (all read from ``shared/``, nothing is copied into the repository):
- the seed articles ``seeds/*.txt``, one item per line (000 is Italian with English headlines on
  the lines listed in SEED_EN_LINES, 003 is English); lines with fewer than two words of three or
  more letters (dates, "px" debris) are left out;
- the gold inputs ``gold/*/(it|en)/*.txt``, one item per line;
- ``# text =`` lines of the Italian and English UD ``*-dev.conllu`` files (a random sample of
  ``--per-source`` sentences per file);
- "long paragraphs": 3 to 6 consecutive UD dev sentences of one file joined with spaces.

Detectors: py3langid (all 97 languages, and restricted to it/en + fr/de/es/pt/ru, and to
it/en) and lingua (high- and low-accuracy mode, restricted to the same sets). Accuracy is
"predicted code == gold code" (so a guess of fr/es/pt for an Italian line is an error).
Speed: wall-clock per item on this machine, single thread, after a warm-up call (model loading
is reported separately as "load").

The last two sections look at relextract's own routing: how often lingua's confidence on short
items is wrong above a threshold, and ``relextract.langid.detect_paragraphs`` (with neighbour
smoothing) on the seed articles, line by line.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

TARGET = ("it", "en")
SEVEN = ("it", "en", "fr", "de", "es", "pt", "ru")
# 1-based line numbers of the English headlines in the Italian seed article 000
SEED_EN_LINES = {1, 21, 40, 61}
_WORD = re.compile(r"[^\W\d_]{3,}")
# py3langid is only needed here (pip install py3langid); without it its rows are left out
HAVE_PY3LANGID = importlib.util.find_spec("py3langid") is not None

Item = tuple[str, str, str]  # (text, gold lang, source)

# A few news-like lines in the other languages the routing must recognise (and skip), written
# for this benchmark: long-ish ones and short ones (headings).
OTHER_LINES = {
    "fr": [
        "Le président français a rencontré hier le chancelier allemand à Paris pour parler "
        "d'énergie.",
        "Les négociations entre les deux pays reprendront la semaine prochaine à Genève.",
        "Le gouvernement a annoncé de nouvelles sanctions contre plusieurs entreprises.",
        "Une réunion très attendue",
        "Le sommet de Bruxelles",
    ],
    "de": [
        "Der Bundeskanzler traf sich am Montag mit dem französischen Präsidenten in Berlin.",
        "Die Verhandlungen zwischen beiden Ländern sollen nächste Woche fortgesetzt werden.",
        "Die Regierung hat neue Sanktionen gegen mehrere Unternehmen angekündigt.",
        "Die Sitzung wurde vertagt.",
        "Gipfeltreffen in Brüssel",
    ],
    "es": [
        "El presidente del Gobierno se reunió ayer con el primer ministro italiano en Madrid.",
        "Las negociaciones entre ambos países continuarán la próxima semana en Ginebra.",
        "El Gobierno anunció nuevas sanciones contra varias empresas del sector energético.",
        "La reunión fue un éxito.",
        "Cumbre en Bruselas",
    ],
    "pt": [
        "O presidente brasileiro encontrou-se ontem com o primeiro-ministro português em Lisboa.",
        "As negociações entre os dois países vão continuar na próxima semana em Genebra.",
        "O governo anunciou novas sanções contra várias empresas do setor energético.",
        "A reunião foi adiada.",
        "Cimeira em Bruxelas",
    ],
    "ru": [
        "Президент России встретился вчера с президентом Азербайджана в Душанбе.",
        "Переговоры между двумя странами продолжатся на следующей неделе в Женеве.",
        "Правительство объявило о новых санкциях против нескольких компаний.",
        "Встреча была отложена.",
        "Саммит в Брюсселе",
    ],
}


def other_items() -> list[Item]:
    return [(t, lang, "other") for lang, lines in OTHER_LINES.items() for t in lines]


def _usable(line: str) -> bool:
    return len(_WORD.findall(line)) >= 2


def load_items(shared: Path, per_source: int, rng: random.Random) -> list[Item]:
    items: list[Item] = []
    for f in sorted((shared / "seeds").glob("*.txt")):
        is_it = f.name.startswith("000_")
        for i, line in enumerate(f.read_text(encoding="utf-8").split("\n"), start=1):
            line = line.strip()
            if not _usable(line):
                continue
            gold = "en" if (not is_it or i in SEED_EN_LINES) else "it"
            items.append((line, gold, "seeds"))
    for lang in TARGET:
        for f in sorted((shared / "gold").glob(f"*/{lang}/*.txt")):
            for line in f.read_text(encoding="utf-8").split("\n"):
                line = line.strip()
                if _usable(line):
                    items.append((line, lang, f"gold/{f.parent.parent.name}"))
    for f in sorted((shared / "corpora").glob("UD_*/*-dev.conllu")):
        lang = f.name[:2]
        if lang not in TARGET:
            continue
        sents = _ud_sentences(f)
        for s in rng.sample(sents, min(per_source, len(sents))):
            items.append((s, lang, "ud-dev"))
    return items


def _ud_sentences(f: Path) -> list[str]:
    out = []
    for line in f.read_text(encoding="utf-8").split("\n"):
        if line.startswith("# text ="):
            s = line[len("# text =") :].strip()
            if _usable(s):
                out.append(s)
    return out


def load_long(shared: Path, per_source: int, rng: random.Random) -> list[Item]:
    items: list[Item] = []
    for f in sorted((shared / "corpora").glob("UD_*/*-dev.conllu")):
        lang = f.name[:2]
        if lang not in TARGET:
            continue
        sents = _ud_sentences(f)
        for _ in range(max(1, per_source // 8)):
            k = rng.randint(3, 6)
            i = rng.randrange(0, max(1, len(sents) - k))
            items.append((" ".join(sents[i : i + k]), lang, "ud-long"))
    return items


def make_detectors() -> dict[str, tuple[Callable[[], Callable[[str], str]], str]]:
    def py3(langs: tuple[str, ...] | None) -> Callable[[], Callable[[str], str]]:
        def build() -> Callable[[str], str]:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            if langs:
                ident.set_languages(list(langs))

            def detect(text: str) -> str:
                return str(ident.classify(text)[0])

            return detect

        return build

    def lingua(langs: tuple[str, ...], low: bool) -> Callable[[], Callable[[str], str]]:
        def build() -> Callable[[str], str]:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            ls = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in langs]
            b = LanguageDetectorBuilder.from_languages(*ls)
            if low:
                b = b.with_low_accuracy_mode()
            det = b.build()

            def detect(text: str) -> str:
                lang = det.detect_language_of(text)
                return lang.iso_code_639_1.name.lower() if lang is not None else "und"

            return detect

        return build

    py3_rows = {
        "py3langid (97 langs)": (py3(None), "all"),
        "py3langid (7 langs)": (py3(SEVEN), "7"),
        "py3langid (it,en)": (py3(TARGET), "2"),
    }
    return {
        **(py3_rows if HAVE_PY3LANGID else {}),
        "lingua high (7 langs)": (lingua(SEVEN, False), "7"),
        "lingua low (7 langs)": (lingua(SEVEN, True), "7"),
        "lingua high (it,en)": (lingua(TARGET, False), "2"),
        "lingua low (it,en)": (lingua(TARGET, True), "2"),
    }


def _acc(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return "-"
    ok = sum(p == g for p, g in pairs)
    return f"{100 * ok / len(pairs):.1f}% ({len(pairs) - ok} err)"


def compare(items: list[Item], long_items: list[Item]) -> None:
    short = [it for it in items if len(it[0]) < 60]
    longer = [it for it in items if len(it[0]) >= 60]
    seeds = [it for it in items if it[1] and it[2] == "seeds"]
    print(
        f"items: {len(short)} short (< 60 chars), {len(longer)} sentences/lines >= 60 chars, "
        f"{len(long_items)} multi-sentence paragraphs, {len(seeds)} seed lines"
    )
    print()
    others = other_items()
    print(
        "| detector | load | µs/item | short < 60 | lines >= 60 | paragraphs | seed lines "
        f"| fr/de/es/pt/ru lines ({len(others)}) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    everything = items + long_items + others
    for name, (build, _) in make_detectors().items():
        t0 = time.perf_counter()
        detect = build()
        detect("warm up: questo è un testo di prova")
        load = time.perf_counter() - t0
        preds: dict[int, str] = {}
        times = []
        for i, (text, _, _) in enumerate(everything):
            t = time.perf_counter()
            preds[i] = detect(text)
            times.append(time.perf_counter() - t)
        res = [(preds[i], everything[i][1]) for i in range(len(everything))]
        idx = {id(it): i for i, it in enumerate(everything)}

        def sel(
            subset: list[Item],
            _res: list[tuple[str, str]] = res,
            _idx: dict[int, int] = idx,
        ) -> list[tuple[str, str]]:
            return [_res[_idx[id(it)]] for it in subset]

        print(
            f"| {name} | {load:.2f} s | {1e6 * statistics.mean(times):.0f} | "
            f"{_acc(sel(short))} | {_acc(sel(longer))} | {_acc(sel(long_items))} | "
            f"{_acc(sel(seeds))} | {_acc(sel(others))} |"
        )
    print()
    print("load: building the detector + first call. lingua loads each language model once per")
    print("process (on first use), so only the first lingua row pays for it.")


def _backends() -> dict[str, Callable[[str, object], dict[str, float]]]:
    """Score functions (text -> {code: confidence}) over the 7 languages, to plug into
    relextract's routing in place of its lingua call."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    ls = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in SEVEN]
    high = LanguageDetectorBuilder.from_languages(*ls).build()
    low = LanguageDetectorBuilder.from_languages(*ls).with_low_accuracy_mode().build()

    def lingua_scores(det: object) -> Callable[[str, object], dict[str, float]]:
        def scores(text: str, _languages: object) -> dict[str, float]:
            vals = det.compute_language_confidence_values(text)  # type: ignore[attr-defined]
            return {v.language.iso_code_639_1.name.lower(): v.value for v in vals}

        return scores

    out = {
        "lingua high (7 langs)": lingua_scores(high),
        "lingua low (7 langs)": lingua_scores(low),
    }
    if HAVE_PY3LANGID:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.set_languages(list(SEVEN))

        def py3_scores(text: str, _languages: object) -> dict[str, float]:
            return {str(k): float(v) for k, v in ident.rank(text)}

        out["py3langid (7 langs)"] = py3_scores
    return out


def calibration(items: list[Item]) -> None:
    print()
    print("Confidence calibration (7 languages): items whose top confidence is >= threshold,")
    print("and how many of those are right. relextract keeps a paragraph's own it/en guess at")
    print(">= 0.5 (a line under 40 chars also needs 12 letters) and a fr/de/es/pt/ru guess at")
    print(">= 0.8; otherwise the paragraph follows its neighbours.")
    print()
    print(
        "| detector | items | >= 0.5 kept / acc | >= 0.7 kept / acc | >= 0.8 kept / acc | "
        ">= 0.9 kept / acc |"
    )
    print("|---|---|---|---|---|---|")
    for name, score in _backends().items():
        for label, lo, hi in (("< 40 chars", 0, 40), ("40-59 chars", 40, 60)):
            sub = [it for it in items if lo <= len(it[0]) < hi]
            scored = []
            for text, gold, _ in sub:
                sc = score(text, SEVEN)
                best = max(sc, key=lambda k: sc[k]) if sc else "und"
                scored.append((best, sc.get(best, 0.0), gold))
            cells = []
            for thr in (0.5, 0.7, 0.8, 0.9):
                kept = [(b, g) for b, c, g in scored if c >= thr]
                cells.append(f"{len(kept)} / {_acc(kept)}")
            print(f"| {name} | {label} ({len(sub)}) | " + " | ".join(cells) + " |")


def mixed_docs(items: list[Item], n: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    """Synthetic articles: 5-12 lines of one language, half of them with one or two lines of
    the other language (a quoted headline, an English title) inserted somewhere."""
    pool = {lang: [t for t, g, s in items if g == lang and s != "seeds"] for lang in TARGET}
    docs = []
    for _ in range(n):
        main_lang = rng.choice(TARGET)
        other = "en" if main_lang == "it" else "it"
        lines = [(t, main_lang) for t in rng.sample(pool[main_lang], rng.randint(5, 12))]
        if rng.random() < 0.5:
            pos = rng.randrange(len(lines) + 1)
            k = rng.choice((1, 1, 2))
            lines[pos:pos] = [(t, other) for t in rng.sample(pool[other], k)]
        docs.append(("\n".join(t for t, _ in lines), [g for _, g in lines]))
    return docs


def routing(shared: Path, items: list[Item], n_docs: int, rng: random.Random) -> None:
    import relextract.langid as rl

    docs = mixed_docs(items, n_docs, rng)
    n_foreign = sum(1 for _, golds in docs for g in golds if g != max(set(golds), key=golds.count))
    print()
    print("relextract.langid routing (detect_paragraphs: thresholds + neighbour smoothing) with")
    print("each detector plugged in. Single-line: every item as a one-line document (no")
    print(f"neighbours; an unsure line gets the best of it/en). Mixed: {len(docs)} synthetic")
    print(f"articles of UD/gold lines, {sum(len(g) for _, g in docs)} lines, {n_foreign} of them")
    print("inserted lines of the other language. Seeds: every non-blank line of the seed")
    print("articles (000: Italian with 4 English headlines; 003: English).")
    print()
    print(
        "| detector | single-line < 60 | single-line >= 60 | mixed: all lines | "
        "mixed: inserted other-language lines | mixed: ms/article | seed lines (errors) | "
        "single-line fr/de/es/pt/ru |"
    )
    print("|---|---|---|---|---|---|---|---|")
    short = [it for it in items if len(it[0]) < 60]
    longer = [it for it in items if len(it[0]) >= 60]
    original, fast = rl._lingua_scores, rl.FAST_PATH
    runs = [(name, score, True) for name, score in _backends().items()]
    high = _backends()["lingua high (7 langs)"]
    # relextract's setting (above: function-word fast path, then the detector) and the detector
    # alone on every paragraph
    runs.insert(1, ("lingua high (7 langs), no fast path", high, False))
    try:
        for name, score, use_fast in runs:
            rl._lingua_scores = score  # type: ignore[assignment]
            rl.FAST_PATH = use_fast

            def single(sub: list[Item]) -> str:
                return _acc([(rl.detect_paragraphs(t)[0].lang, g) for t, g, _ in sub])

            pairs, foreign, times = [], [], []
            for text, golds in docs:
                t0 = time.perf_counter()
                segs = rl.detect_paragraphs(text)
                times.append(time.perf_counter() - t0)
                main_lang = max(set(golds), key=golds.count)
                for s, g in zip(segs, golds, strict=True):
                    pairs.append((s.lang, g))
                    if g != main_lang:
                        foreign.append((s.lang, g))
            print(
                f"| {name} | {single(short)} | {single(longer)} | {_acc(pairs)} | "
                f"{_acc(foreign)} | {1e3 * statistics.mean(times):.1f} | {_seed_errors(shared)} | "
                f"{single(other_items())} |"
            )
    finally:
        rl._lingua_scores = original  # type: ignore[assignment]
        rl.FAST_PATH = fast


def _seed_errors(shared: Path) -> str:
    from relextract.langid import detect_paragraphs

    errs, total = 0, 0
    for f in sorted((shared / "seeds").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        is_it = f.name.startswith("000_")
        starts = [0]
        for line in text.split("\n"):
            starts.append(starts[-1] + len(line) + 1)
        for s in detect_paragraphs(text):
            i = max(k for k, st in enumerate(starts) if st <= s.start) + 1
            gold = "en" if (not is_it or i in SEED_EN_LINES) else "it"
            errs += s.lang != gold
            total += 1
    return f"{errs} of {total}"


def throughput(items: list[Item], long_items: list[Item]) -> None:
    from relextract.langid import segment

    paras = [t for t, _, _ in long_items] + [t for t, _, s in items if s == "ud-dev"]
    text = "\n".join(paras)
    while len(text) < 1_000_000:
        text = text + "\n" + text
    t0 = time.perf_counter()
    segs = segment(text)
    dt = time.perf_counter() - t0
    print()
    print(
        f"Throughput: segment() on one {len(text) / 1e6:.1f} MB document of "
        f"{text.count(chr(10)) + 1} paragraphs: {dt:.1f} s ({len(text) / 1e6 / dt:.2f} MB/s), "
        f"{len(segs)} segments."
    )


def fast_path_check(shared: Path) -> None:
    """The function-word fast path against the detector on every UD sentence (all splits of
    every Italian and English treebank) and every gold input line."""
    import relextract.langid as rl

    rows: list[tuple[str, str]] = []
    for lang, pattern in (("it", "UD_Italian-*/*.conllu"), ("en", "UD_English-*/*.conllu")):
        for f in sorted((shared / "corpora").glob(pattern)):
            rows += [(lang, line[9:].strip()) for line in f.read_text(encoding="utf-8")
                     .splitlines() if line.startswith("# text = ")]  # fmt: skip
    for f in sorted((shared / "gold").glob("*/*/*.txt")):
        rows += [(f.parent.name, line.strip())
                 for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    fast_n = wrong = differs = det_wrong = 0
    t_fast = t_det = 0.0
    for lang, text in rows:
        t0 = time.perf_counter()
        fast = rl._function_word_language(text, ("it", "en"))
        t1 = time.perf_counter()
        t_fast += t1 - t0
        if fast is None:
            continue
        scores = rl._lingua_scores(text, ("it", "en"))
        t_det += time.perf_counter() - t1
        best = max(scores, key=lambda k: scores[k])
        fast_n += 1
        wrong += fast != lang
        differs += fast != best
        det_wrong += best != lang
    print()
    print(f"Fast path (resources/langid/function_words.yml) on {len(rows):,} lines (every "
          "UD Italian/English sentence and gold input line):")
    print(f"{fast_n:,} decided by their function words ({fast_n / len(rows):.0%}); of those, "
          f"{wrong} wrong against the line's language, {differs} differ from the detector "
          f"(which is wrong on {det_wrong} of them); {1e6 * t_fast / len(rows):.0f} µs per "
          f"line for the check against {1e6 * t_det / max(fast_n, 1):.0f} µs for the detector.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--per-source", type=int, default=400, help="UD sentences per dev file")
    ap.add_argument("--docs", type=int, default=300, help="synthetic mixed articles")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    items = list({it[0]: it for it in load_items(args.shared, args.per_source, rng)}.values())
    long_items = load_long(args.shared, args.per_source, rng)
    compare(items, long_items)
    calibration(items)
    routing(args.shared, items, args.docs, rng)
    throughput(items, long_items)
    fast_path_check(args.shared)


if __name__ == "__main__":
    main()
