"""Speed benchmarks (pytest-benchmark): `repair` against the peers a user would otherwise pick,
on the same corpus and lexicon, timed in the same run.

    pip install '.[bench]' && python -m pytest benchmarks/test_speed.py --benchmark-only

Sizes: REPAIR_BENCH_MB (default "1,10"; add 100 for the linearity check) and three lexicons:
the shipped one (about 6k patterns with the generated name variants and protected names), and
the shipped one plus 10k and plus 100k synthetic phrases absent from the corpus.
Outputs are checked before anything is timed.

The `news` rows stand in for real news on machines without ../shared
(benchmarks/test_speed_real.py times the real documents): news-like documents with the
densities of the dev set's real spun and clean news (`python benchmarks/densities.py` compares
them), REPAIR_BENCH_NEWS_MB (default 2) MB each of spun, clean and mixed (half and half).
"""

from __future__ import annotations

import gc
import os

import pytest

from repair import Config, Repairer, load_entries
from repair.lexicon import parse_line

from .corpus import documents, news_documents, synthetic_entries

flashtext = pytest.importorskip("flashtext")
ahocorasick_rs = pytest.importorskip("ahocorasick_rs")
regex = pytest.importorskip("regex")

SIZES_MB = [float(x) for x in os.environ.get("REPAIR_BENCH_MB", "1,10").split(",")]
LEXICON_SIZES = {"shipped": 0, "plus10k": 10_000, "plus100k": 100_000}


def mb(docs: list[str]) -> float:
    return sum(len(d) for d in docs) / 1e6


def entries_of(size: str):
    base = load_entries()
    extra = [
        parse_line(f"{p}\t{p.split()[0]}\tcertain\t0.90\tuser:synthetic", category="user", origin="synthetic")
        for p in synthetic_entries(LEXICON_SIZES[size])
    ]
    return base + extra


def _collect() -> None:
    """Before each round: collect what earlier tests left behind, so that no row pays for
    another's garbage (each still pays for the collections its own allocations cause)."""
    gc.collect()


ROUNDS = {"rounds": 5, "warmup_rounds": 1, "iterations": 1, "setup": _collect}
"""Five timed rounds after one untimed round (lazy loads, caches); the tables report the minimum."""

_CORPUS: dict[float, list[str]] = {}
_REPAIRERS: dict[str, Repairer] = {}


@pytest.fixture(scope="module", params=SIZES_MB, ids=lambda s: f"{s:g}MB")
def corpus(request) -> list[str]:
    return _CORPUS.setdefault(request.param, documents(request.param))


@pytest.fixture(scope="module", params=list(LEXICON_SIZES), ids=lambda s: f"lex{s}")
def lexicon(request):
    return entries_of(request.param)


def _flashtext(entries):
    kp = flashtext.KeywordProcessor()
    for e in entries:
        kp.add_keyword(e.spun, e.canonical)
    return kp


def test_outputs_agree_before_timing(corpus) -> None:
    """On never-English phrases without context rules, `repair` (certain tier only) and flashtext
    make the same replacements; they differ only in letter case, which `repair` keeps and
    flashtext drops, and in suggestions, which flashtext would write."""
    entries = [e for e in load_entries() if e.tier == "certain" and not e.context and len(e.canonicals) == 1]
    ours = Repairer(entries, Config(min_tier="certain"))
    kp = _flashtext(entries)
    for doc in corpus[:200]:
        assert ours.fix(doc).lower() == kp.replace_keywords(doc).lower()


def test_repair_fix(benchmark, corpus, lexicon) -> None:
    r = Repairer(lexicon)
    r.repair("warm up the plausibility tables: the White Home mentioned it")
    results = benchmark.pedantic(lambda: [r.repair(d) for d in corpus], **ROUNDS)
    benchmark.extra_info["MB"] = mb(corpus)
    benchmark.extra_info["edits"] = sum(len(x.edits) for x in results)


def test_repair_fix_with_fuzzy_names(benchmark, corpus) -> None:
    """What `repair fix` runs by default: the shipped lexicon plus fuzzy name matching against
    the gazetteer in spun documents (the rows above leave fuzzy matching off, as a library
    user's `Repairer(entries)` does)."""
    r = Repairer.from_lexicons()
    r.repair("warm up the name index: the White Home mentioned that Nationwide Guard troops left")
    results = benchmark.pedantic(lambda: [r.repair(d) for d in corpus], **ROUNDS)
    benchmark.extra_info["MB"] = mb(corpus)
    benchmark.extra_info["fuzzy_edits"] = sum(e.tier == "fuzzy" for x in results for e in x.edits)


def test_peer_flashtext_replace(benchmark, corpus, lexicon) -> None:
    kp = _flashtext(lexicon)
    benchmark.pedantic(lambda: [kp.replace_keywords(d) for d in corpus], **ROUNDS)
    benchmark.extra_info["MB"] = mb(corpus)


def test_peer_bare_automaton_scan(benchmark, corpus, lexicon) -> None:
    ac = ahocorasick_rs.AhoCorasick(sorted({e.spun.lower() for e in lexicon}),
                                    matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    benchmark.pedantic(lambda: [ac.find_matches_as_indexes(d.lower()) for d in corpus], **ROUNDS)
    benchmark.extra_info["MB"] = mb(corpus)


def test_peer_regex_alternation(benchmark, corpus) -> None:
    """Only the smallest corpus with the shipped lexicon: a big alternation is ~100x slower."""
    if mb(corpus) > 1.5:
        pytest.skip("regex alternation is timed on the 1 MB corpus only")
    phrases = sorted({e.spun for e in load_entries()}, key=len, reverse=True)
    pattern = regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(p) for p in phrases) + r")(?!\w)", regex.I)
    small = corpus[: max(1, len(corpus) // 10)]
    benchmark.pedantic(lambda: [pattern.findall(d) for d in small], rounds=1, iterations=1)
    benchmark.extra_info["MB"] = mb(small)


NEWS_MB = float(os.environ.get("REPAIR_BENCH_NEWS_MB", "2"))
_NEWS_SHARE = {"spun": 1.0, "clean": 0.0, "mixed": 0.5}


@pytest.fixture(scope="module", params=list(_NEWS_SHARE), ids=lambda k: f"news-{k}")
def news(request) -> list[str]:
    return news_documents(NEWS_MB, spun=_NEWS_SHARE[request.param])


def _bytes_mb(docs: list[str]) -> float:
    return sum(len(d.encode("utf-8")) for d in docs) / 1e6


def test_news_repair_fix(benchmark, news) -> None:
    """`repair fix` as the CLI runs it (shipped lexicon, fuzzy names), one document at a time."""
    r = Repairer.from_lexicons()
    r.fix(news[0])
    benchmark.pedantic(lambda: [r.fix(d) for d in news], **ROUNDS)
    benchmark.extra_info["MB"] = _bytes_mb(news)


def test_news_peer_flashtext(benchmark, news) -> None:
    kp = _flashtext(load_entries())
    benchmark.pedantic(lambda: [kp.replace_keywords(d) for d in news], **ROUNDS)
    benchmark.extra_info["MB"] = _bytes_mb(news)


def test_news_peer_bare_automaton_scan(benchmark, news) -> None:
    ac = ahocorasick_rs.AhoCorasick(sorted({e.spun.lower() for e in load_entries()}),
                                    matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    benchmark.pedantic(lambda: [ac.find_matches_as_indexes(d.lower()) for d in news], **ROUNDS)
    benchmark.extra_info["MB"] = _bytes_mb(news)


def test_compile_lexicon(benchmark, lexicon) -> None:
    """Building the repairer (automaton and pattern groups) from parsed entries."""
    benchmark.pedantic(lambda: Repairer(lexicon), rounds=3, iterations=1)
    benchmark.extra_info["entries"] = len(lexicon)
