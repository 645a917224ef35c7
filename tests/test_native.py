"""The native core (repair/_core.pyx) against the pure-Python reference it mirrors.

Every answer of the compiled path must be the reference's: candidates, hits, scans, edits and
text. Where the core was not built (no C compiler) these tests skip, unless
REPAIR_REQUIRE_NATIVE=1 (CI sets it) makes its absence a failure.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repair import Config, Edit, Repairer, load_entries
from repair.matcher import Matcher, native_core

try:
    from repair import _core
except ImportError:  # pragma: no cover - only where no compiler built it
    _core = None

if _core is None and os.environ.get("REPAIR_REQUIRE_NATIVE") == "1":  # pragma: no cover
    raise RuntimeError("REPAIR_REQUIRE_NATIVE=1 but repair._core was not built")
pytestmark = pytest.mark.skipif(_core is None, reason="native core not built")

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _pair(entries, config=None, **kw) -> tuple[Repairer, Repairer]:
    """(native, reference) repairers over the same entries."""
    reference = Repairer(entries, config, backend="python", **kw)
    native = Repairer(entries, config, backend="native", **kw)
    assert native.native and not reference.native
    assert (native.backend, reference.backend) == ("native", "python")
    return native, reference


@pytest.fixture(scope="module")
def repairers() -> tuple[Repairer, Repairer]:
    return _pair(load_entries())


def test_environment_switch_selects_the_python_path(monkeypatch) -> None:
    monkeypatch.setenv("REPAIR_NATIVE", "0")
    assert native_core(["said"], 1) is None
    assert not Repairer(load_entries()[:10]).native
    assert Repairer(load_entries()[:10], backend="native").native  # chosen in code: the variable only overrides "auto"


def test_backend_is_chosen_once_and_travels_to_workers() -> None:
    import pickle

    entries = load_entries()[:50]
    for backend in ("native", "python"):
        r = Repairer(entries, backend=backend)
        assert r.backend == backend and pickle.loads(pickle.dumps(r)).backend == backend
    with pytest.raises(ValueError, match="unknown backend"):
        Repairer(entries, backend="fast")


def test_native_backend_refuses_what_it_cannot_run(monkeypatch) -> None:
    """Asked for by name, the core is there or an error says why; a context clause or word
    class the core does not know is refused rather than ignored."""
    from repair import matcher

    monkeypatch.setattr(_core, "KNOWN_CONTEXT_FIELDS", _core.KNOWN_CONTEXT_FIELDS - {"doc_has"})
    with pytest.raises(matcher.BackendError, match="doc_has"):
        Repairer(load_entries()[:10], backend="native")
    assert Repairer(load_entries()[:10], backend="python").backend == "python"
    monkeypatch.undo()
    monkeypatch.setattr(matcher, "native_built", lambda: False)
    with pytest.raises(matcher.BackendError, match="not built"):
        Repairer(load_entries()[:10], backend="native")
    assert Repairer(load_entries()[:10]).backend == "python"  # auto falls back


def test_candidates_match_the_reference_for_every_code_point() -> None:
    """Folding on the fly: each code point, alone and beside letters, is found exactly where
    fold() + the automaton + the boundary checks find it (Kelvin sign, dotted capital I,
    combining marks, curly apostrophes and no-break spaces included)."""
    patterns = [*"abcdefghijklmnopqrstuvwxyz0123456789", "é", "ø", "£5", "it's", "a b", "x-y", ".one"]
    matcher = Matcher(patterns)
    core = native_core(patterns, len(patterns) // 2, backend="native")
    assert core is not None
    step = 4096
    for lo in range(0, 0x110000, step):
        chars = [chr(c) for c in range(lo, lo + step) if not 0xD800 <= c <= 0xDFFF]
        for text in (" ".join(chars), "a".join(chars), "".join(f"{c}b {c}" for c in chars)):
            assert core.split_candidates(text) == matcher.split_candidates(text, len(patterns) // 2)


_SEGMENT_PATTERNS = ["abcdefg", "abcdefgh", "abcdefghi", "abcdefgh ij", "abcdefghi jk", "abcdefghij", "ab",
                     "ab cdefghij", "abcdefgh's", "ab-cdefgh", "\u00e9bcdefgh", "stra\u00dfe", "x.y.", "q"]
_SEGMENT_WORDS = st.sampled_from([
    "abcdefg", "abcdefgh", "ABCDEFGH", "abcdefghi", "abcdefghij", "abcdefghijk", "ab", "Ab", "abc", "ij", "jk",
    "cdefghij", "'s", "-", "\u00e9bcdefgh", "\u00c9BCDEFGH", "stra\u00dfe", "strasse", "x.y.", "q", "qq", "_",
    "\u00f6", "1", "\u212a", "\u0301",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_SEGMENT_WORDS, max_size=12), st.lists(st.sampled_from([" ", "", "-", "\n", ". "]), max_size=12))
def test_segments_short_and_long_are_found_as_the_reference_finds_them(words, seps) -> None:
    """The core looks a first segment of up to eight classes up by its hash and length, and
    walks a longer one from its first character: either way the reference's candidates."""
    text = "".join(w + (seps[k] if k < len(seps) else " ") for k, w in enumerate(words))
    split = len(_SEGMENT_PATTERNS) // 2
    core = native_core(_SEGMENT_PATTERNS, split, backend="native")
    assert core.split_candidates(text) == Matcher(_SEGMENT_PATTERNS).split_candidates(text, split)


_PIECES = st.sampled_from([
    "said", "mentioned", "Mentioned", "MENTIONED", "White Home", "white home", "the", "U.Okay.",
    "Nationwide Guard", "pure gasoline", "instructed", "reporters", "in line with", "scenario",
    "stated", "on", "Tuesday", "It's", "it’s", "co-operation", "-", "—", "’", "\"", "“", "”", ".",
    ",", "\n", "\n\n", " ", "  ", "\u00a0", "\t", "é", "İ", "\u212a", "e\u0301", "3.One", "dad and mom",
    "eating places", "Officers", "officers", "native", "assist", "help", "HOUSE", "SAYS", "TODAY",
    "Éric", "ÉTAT", "²", "Ⓐ", "don’t", "\u2009", "½",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=40), st.booleans())
def test_repair_matches_the_reference(repairers, pieces, spaced) -> None:
    native, reference = repairers
    text = (" " if spaced else "").join(pieces)
    result = native.repair(text)
    assert result == reference.repair(text)
    assert native.scan(text) == reference.scan(text)
    assert native.fix(text) == reference.fix(text) == result.text  # fix makes no suggestions


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=30))
def test_repair_matches_the_reference_on_any_unicode(repairers, pieces) -> None:
    """Arbitrary code points (surrogates, marks, other scripts, controls) beside the phrases:
    the core's folding, word boundaries and token reading must agree with the reference's."""
    native, reference = repairers
    text = " ".join(pieces)
    assert native.repair(text) == reference.repair(text)


_QUOTED = st.sampled_from([
    "\"", "\"", "“", "”", "\n", " ", "mentioned", "instructed", "stated", "said", "White Home",
    "officers", "scenario", "the", "reporters", ".",
])


@pytest.fixture(scope="module")
def spun_repairers() -> tuple[Repairer, Repairer]:
    return _pair(load_entries(), Config(assume_spun=True))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_QUOTED, max_size=30))
def test_quotation_rule_matches_the_reference(spun_repairers, pieces) -> None:
    """Weak edits inside quotations (kept verbatim, or spun with the rest): the core finds the
    quotation spans and decides whether they show spins itself; the reference is _Quotes."""
    native, reference = spun_repairers
    text = " ".join(pieces)
    result = native.repair(text)
    assert result == reference.repair(text)
    assert native.fix(text) == reference.fix(text) == result.text


_SAME_DOCUMENT = st.sampled_from([
    "collection", "Collection", "collection 10", "series", "finale", "the", "The", "“", "”", "\"",
    "within", "within the", "additional", "individuals", "constructive", "check", "present",
    "safety", "measures", "again", "back", "manufacturing", "jobs", "visitor", "announcers",
    "pointers", "distancing", ".", ",", "\n", "COLLECTION", "Manufacturing", "\u017feries",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_SAME_DOCUMENT, max_size=30))
def test_same_document_rule_matches_the_reference(spun_repairers, pieces) -> None:
    """The same-document rule: the core's Document.consistent (free candidates, evidence,
    left-alone counts, kept quotations, case clauses, vetoes) and repair.consistency must give
    the same edits."""
    native, reference = spun_repairers
    text = " ".join(pieces)
    result = native.repair(text)
    assert result == reference.repair(text)
    assert native.fix(text) == reference.fix(text) == result.text


_JUNCTION = st.sampled_from([
    "Republican main", "main cause", "cause", "cause's", "Cause’s", "main", "Main", "cause.",
    "(main", "\"main", "main,", "journey commerce deal", "commerce deal", "trade", "trade-off",
    "journey", "deal", "used to be", "be able to", "able", "to", "stay", "home", "had been",
    "tested", "é", "\x1c", "’", "\n", ".", "x" * 130, " " * 50, "the", "The",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_JUNCTION, max_size=30), st.sampled_from(["", " ", "  "]))
def test_junction_checks_match_the_reference(spun_repairers, pieces, sep) -> None:
    """Edits beside a restored-looking phrase: the core reads the words around plain ASCII
    itself (junctions.meets elsewhere); possessives, punctuation, long words at the window's
    edge and non-ASCII or \x1c-\x1f characters nearby must give the reference's answer."""
    native, reference = spun_repairers
    text = sep.join(pieces)
    result = native.repair(text)
    assert result == reference.repair(text)
    assert native.fix(text) == reference.fix(text) == result.text


@pytest.mark.parametrize("text", [
    "The vote said in may just happen.",  # a backward check of two words: held
    "The vote said in\u00a0may just happen.",  # a space that is not ASCII: the reference reads it
    "The vote said\u2009in may just happen.",
    "zzzzsaid" + " " * 65 + "in may just happen.",  # the window begins inside "...said": not held
    "The Republican main cause's timing.",  # a possessive after the phrase: held
    "The Republican main cause, timing.",
    "The Republican main (cause timing.",
    "The Republican main é cause's timing.",  # non-ASCII nearby: the reference's reading
    "The Republican main\x1c cause's timing.",  # str.isspace() but not ASCII_SPACE
    "The Republican main " + "c" * 130,
    "The Republican main" + " " * 116 + "cause timing.",  # junctions._SPAN ends inside "cause"
    "The Republican main" + " " * 115 + "cause timing.",
])
def test_junction_edge_cases_match_the_reference(spun_repairers, text: str) -> None:
    native, reference = spun_repairers
    assert native.repair(text) == reference.repair(text)


def test_junction_texts_match_the_reference(spun_repairers) -> None:
    """Every text of test_core's junction cases (two bundled entries meeting at a restored
    phrase), on both backends."""
    from tests.test_core import _junction_texts

    native, reference = spun_repairers
    texts = _junction_texts(1)
    assert len(texts) > 1000
    held = 0
    for text in texts:
        result = native.repair(text)
        assert result == reference.repair(text), text
        held += any("shares words with" in s.reason for s in result.suggestions)
    assert held > 10


_CAPS_PIECES = st.sampled_from([
    "THE", "NEW", "BILL", "Invoice", "Home", "RELIEF", "Invoice EXTENDS", "A", "I", "US", "U.S.",
    "the", "said", "\u00c9T\u00c9", "\u00e9t\u00e9", "\u01c5", "\u01c4", "\u00df", "\u2162", "\u0301", "1",
    "_", ".", ",", "\u201c", "\u2019", " ", "  ", "\n", "\u00a0", "\u2009", "\x1c", "\x1f", "\t",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_CAPS_PIECES, max_size=24), st.data())
def test_beside_capitals_matches_the_reference(pieces, data) -> None:
    """The core's test for capitals around an edit reads every code point as str.isupper,
    str.isalpha and str.strip do (title case, uncased letters, non-ASCII spaces)."""
    from repair.repairer import _beside_capitals

    text = "".join(pieces)
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    assert _core.beside_capitals(text, s, e) == _beside_capitals(text, s, e)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_CAPS_PIECES, max_size=30))
def test_headline_case_matches_the_reference(spun_repairers, pieces) -> None:
    """Edits in and beside ALL-CAPS headlines (written in capitals or not) on both backends."""
    native, reference = spun_repairers
    text = " ".join(pieces)
    assert native.repair(text) == reference.repair(text)


_HEADLINE_PIECES = st.sampled_from([
    "RELIEF", "BILL", "Invoice", "EXTENDS", "TO", "the", "said", "NHS", "ITV\u2019s", "BBC's", "U.K", "U.K.",
    "CO-OP", "AB1", "X_Y", "A", "I", "Ab", "aB", "\u201cNEW\u201d", "\u2014", "\u2026", "\u00a0", "\u2009", "-", "'",
    ".", ",", "\n", "\t", "\x1c", "x" * 150, "ALL CAPS LINE OF WORDS", "\u00c9T\u00c9", "caf\u00e9", "\u0301",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_HEADLINE_PIECES, max_size=20), st.sampled_from(["", " ", "  "]), st.data())
def test_headline_checks_match_the_reference(pieces, sep, data) -> None:
    """The core's headline checks answer as repairer._may_hold_headline and _in_caps_run do
    wherever they answer (ASCII and news punctuation), and leave the rest to them (-1)."""
    from repair.repairer import _beside_capitals, _in_caps_run, _may_hold_headline

    text = sep.join(pieces)
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, min(len(text), s + 12)))
    headline, run = _core.headline_checks(text, s, e)
    assert headline in (-1, 0, 1) and run in (-1, 0, 1)
    if headline >= 0:
        assert bool(headline) == _may_hold_headline(text)
    if run >= 0 and _beside_capitals(text, s, e):
        assert bool(run) == _in_caps_run(text, s, e)


@pytest.mark.parametrize("text, word, expected", [
    ("RELIEF Invoice EXTENDS STIMULUS CHECKS", "Invoice", (1, 1)),
    ("DEMOCRATS\u2019 $3T CORONAVIRUS Relief Invoice EXTENDS CHECKS", "Invoice", (1, 1)),
    ("The NHS said on Monday that the BBC and ITV would pay.", "said", (1, 0)),
    ("The U.K. said the Home Office would pay.", "Home", (0, 0)),
    ("NATO SAID\nThe Home Office would pay for it all now.", "Home", (0, 0)),
])
def test_headline_checks_answer_in_plain_news(text, word, expected) -> None:
    """Plain ASCII news with curly quotes is answered by the core, as the Python code would."""
    from repair.repairer import _beside_capitals, _in_caps_run, _may_hold_headline

    s = text.index(word)
    found = _core.headline_checks(text, s, s + len(word))
    assert found == expected
    assert bool(found[0]) == _may_hold_headline(text)
    if _beside_capitals(text, s, s + len(word)):
        assert bool(found[1]) == _in_caps_run(text, s, s + len(word))


_FOLDING = st.sampled_from([
    "it's", "don't", "aren't", "knowledgeable", "KNOWLEDGEABLE", "\u212anowledgeable", "unknowledgeable",
    "knowledgeable\u00e9", "\u00e9", "well being", "well\u00a0being", "U.Okay.", "u.okay.", "fb", "FB",
    "\ufb00", "\u00df", "\u0130", "\u0149", "\u0301", "subsequent", "manufacturing", "_", "1", "x",
    "used to be", "they idea", "gained't", "season", "viewers", "Host", "\n", ".",
    "had been", "They had been", "would possibly", "WOULD POSSIBLY", "_would possibly", "x-would possibly",
    "was_once", "wasonce",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_FOLDING, max_size=20), st.sampled_from(["", " "]))
def test_doc_has_matches_the_reference(spun_repairers, pieces, sep) -> None:
    """doc-has= phrases: the core finds ASCII phrases in the text itself, letter case aside,
    where the reference searches text.casefold(); characters that fold to ASCII (Kelvin sign,
    ligatures) or to letters beside a phrase must give the same answers."""
    native, reference = spun_repairers
    text = sep.join(pieces)
    assert native.repair(text) == reference.repair(text)


_NEIGHBOURS = st.sampled_from([
    "at present", "AT PRESENT", "At Present", "as a result of", "be part of", "had been", "the",
    "The", "THE", "they", "They", "\u212ahey", "k\u0131ng", "officials", "Officials", "police",
    "ſaid", "said", "stated", "caf\u00e9", "\u00e9", "1990", "U.K.", "don't", "don\u2019t", ",",
    "a whole bunch", "of", "people", "price", "prices", "market", "\u0130stanbul", "\n",
    "attributable to", "ATTRIBUTABLE TO", "avoid wasting", "money", "Money", "rain", "r\u00e4in",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_NEIGHBOURS, max_size=24), st.sampled_from([" ", "  ", "\u00a0"]))
def test_words_beside_a_match_match_the_reference(spun_repairers, pieces, sep) -> None:
    """The words beside a match, which the core looks up by number (context word sets, the
    bigram tables) where they are ASCII and as strings where not: capitals, characters that
    fold to ASCII letters and curly apostrophes must give the reference's answers."""
    native, reference = spun_repairers
    text = sep.join(pieces)
    assert native.repair(text) == reference.repair(text)


@pytest.mark.parametrize("config", [Config(assume_spun=True), Config(min_tier="certain"),
                                    Config(min_confidence=0.9, suggestions=False)])
def test_repair_matches_the_reference_under_configs(config) -> None:
    native, reference = _pair(load_entries(), config)
    from benchmarks.corpus import documents

    for doc in documents(0.05):
        assert native.repair(doc) == reference.repair(doc)


def test_repair_matches_the_reference_on_the_benchmark_corpus(repairers) -> None:
    from benchmarks.corpus import documents

    native, reference = repairers
    for doc in documents(0.2):
        assert native.repair(doc) == reference.repair(doc)


def test_repair_matches_the_reference_on_the_news_like_corpus() -> None:
    """The speed benchmark's news-like corpus (own sentences spun by the lexicon played
    backwards; half spun, half clean), with fuzzy names on as the CLI runs them."""
    from benchmarks.corpus import news_documents

    native, reference = _pair(load_entries(), fuzzy_names=True)
    docs = news_documents(0.3, seed=3)
    assert any(native.repair(doc).edits for doc in docs)
    for doc in docs:
        assert native.repair(doc) == reference.repair(doc)


@pytest.mark.skipif(not (SHARED / "eval" / "dev").is_dir(), reason="../shared/eval/dev absent")
def test_repair_matches_the_reference_on_the_dev_set() -> None:
    native, reference = _pair(load_entries(), fuzzy_names=True)
    for path in sorted((SHARED / "eval" / "dev").rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        result = native.repair(text)
        assert result == reference.repair(text), path
        assert native.fix(text) == reference.fix(text) == result.text, path


def test_duplicate_patterns_after_folding_are_refused() -> None:
    with pytest.raises(ValueError, match="distinct"):
        native_core(["it's", "it’s"], 2, backend="native")


_NAME_PIECES = st.sampled_from([
    "White", "Home", "House", "Nationwide", "Guard", "Safety", "Courtroom", "Dwell", "TV", "of", "the",
    "and", "&", "for", "Public", "Officers", "iPhone", "Home.", "Home’s", "Home-Grown", "x", "said",
    " ", "  ", "\n", ", ", ". ", "'", "’", "-", "(", "U.S.", "Instances", "New", "York", "officials",
    "eBay", "AT&T", "&", "Global", "Struggle", "II", "Walking", "Lifeless", "Concern", "—", "\u00a0",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_NAME_PIECES, max_size=40), st.booleans())
def test_fuzzy_prefilter_never_drops_a_name_run(pieces, spaced) -> None:
    """The compiled prefilter of the fuzzy name pass (known spun words, capitalised, next to
    another capitalised word) only skips documents where the full scan finds nothing."""
    from repair.lexicon import gazetteer_index

    index = gazetteer_index()
    text = (" " if spaced else "").join(pieces)
    filtered = index.find(text)
    index.__dict__["_prefilter"] = None  # no prefilter: the full scan of every document
    try:
        assert index.find(text) == filtered
    finally:
        del index.__dict__["_prefilter"]


@pytest.fixture(scope="module")
def name_repairers() -> tuple[Repairer, Repairer]:
    """Fuzzy names on, every document taken for spun; the native one has met a spun document,
    so its passes note where name words may be (Core.set_names)."""
    native, reference = _pair(load_entries(), Config(assume_spun=True), fuzzy_names=True)
    native.repair("The White Home said the Nationwide Guard left.")
    assert native._core.names_on
    return native, reference


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_NAME_PIECES, max_size=40), st.booleans())
def test_names_noted_in_the_pass_match_the_reference(name_repairers, pieces, spaced) -> None:
    native, reference = name_repairers
    text = (" " if spaced else "").join(pieces)
    assert native.repair(text) == reference.repair(text)


def test_output_refuses_edits_that_do_not_fit(repairers) -> None:
    """The core copies text by offsets: edits that overlap, run backwards or past the end are
    refused, as edits.apply_edits refuses them, never read out of bounds."""
    native, _ = repairers
    doc = native._core.document("abc def")
    for bad in ([(5, 2, "x", "y")], [(0, 3, "abc", "x"), (2, 4, "c ", "y")], [(6, 9, "f", "z")]):
        with pytest.raises(ValueError, match="does not fit"):
            doc.apply(bad)
    assert doc.apply([(0, 3, "abc", "xyz")]) == "xyz def"


_WIDTHS = st.sampled_from(["a", "b", " ", "\u00e9", "\u2019", "\u201c", "\U0001f600", "\n"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WIDTHS, max_size=30).map("".join), st.data())
def test_output_is_as_wide_as_its_widest_character(repairers, text: str, data) -> None:
    """Document.apply equals edits.apply_edits, width included (a str as wide as its widest
    character: a curly quote edited away leaves a Latin-1 or ASCII string), whatever the
    widths of the text and of the replacements."""
    from repair.edits import apply_edits

    native, _ = repairers
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    for a, b in zip(cuts[0::2], cuts[1::2]):
        edits.append(Edit(a, b, text[a:b], data.draw(st.lists(_WIDTHS, max_size=3).map("".join)),
                          "t", "certain", 1.0, "", "word"))
    out = native._core.document(text).apply(edits)
    expected = apply_edits(text, edits)
    assert out == expected and out.isascii() == expected.isascii()
    assert sys.getsizeof(out) == sys.getsizeof(expected)  # the same width of code points


def test_output_narrower_than_its_text(repairers) -> None:
    """A Latin-1 or UCS-2 text whose only wide character is edited away gives an ASCII or
    Latin-1 str (CPython 3.11's PyUnicode_CopyCharacters refused 'éa' less 'é' here)."""
    native, _ = repairers
    for text, edit, expected in (("\u00e9a", Edit(0, 1, "\u00e9", "", "t", "certain", 1.0, "", "word"), "a"),
                                 ("a\u2019b\u00e9", Edit(1, 2, "\u2019", "'", "t", "certain", 1.0, "", "word"),
                                  "a'b\u00e9"),
                                 ("x\U0001f600y", Edit(1, 2, "\U0001f600", "\u00e9", "t", "certain", 1.0, "", "word"),
                                  "x\u00e9y")):
        out = native._core.document(text).apply([edit])
        assert out == expected and sys.getsizeof(out) == sys.getsizeof(expected)


def test_core_reads_the_same_news_punctuation_as_the_python_code() -> None:
    """Every mark repairer._NEWS_PUNCTUATION lets the headline word count skip is one the
    core's headline checks read themselves (and no other non-ASCII character is)."""
    from repair.repairer import _NEWS_PUNCTUATION

    for mark in _NEWS_PUNCTUATION:
        assert _core.headline_checks(f"NATO{mark}SAID THE BBC", 0, 4)[0] == 1, hex(ord(mark))
    assert _core.headline_checks("NATO\u00e9SAID THE BBC", 0, 4)[0] == -1


_RUN_PIECES = st.sampled_from([
    "Bank", "of", "the", "and", "for", "on", "in", "to", "&", "America", "U.S.", "O’Brien", "iPhone",
    "X", "off", "then", "into", "ofthe", "St.", "Jean-Luc", "McDonald", "é", "É", "Ünal", " ", "  ",
    "\n", "\u00a0", "\u2009", "\x1c", ",", ".", "-", "’", "'", "_", "2", "²", "a",
])


@settings(max_examples=1000, deadline=None)
@given(st.lists(_RUN_PIECES, max_size=24), st.booleans(), st.data())
def test_native_runs_equal_the_run_regex(pieces, spaced, data) -> None:
    """fuzzy.RUN read natively: runs of capitalised words (small words and any whitespace
    between, starting inside a word after a small letter) exactly as RUN.finditer finds them
    in each stretch, cut at the stretch's end as the regex cuts at endpos."""
    from repair.fuzzy import RUN, SMALL_WORDS

    text = (" " if spaced else "").join(pieces)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    stretches = list(itertools.pairwise([0, *cuts, len(text)]))[::2] if cuts else [(0, len(text))]
    want = [(m.start(), m.end()) for lo, hi in stretches for m in RUN.finditer(text, lo, hi)]
    assert _core.run_spans(text, stretches, SMALL_WORDS) == want


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=30), st.data())
def test_native_free_windows_equal_python(repairers, pieces, data) -> None:
    """Fuzzy names' windows kept by the core from its own hits (no list of them built) are
    fuzzy.free_windows's: overlapping no hit but an edit's own, cutting through no edit."""
    from repair.fuzzy import free_windows

    native, _ = repairers
    text = " ".join(pieces)
    doc = native._core.document(text)
    doc.run(False)
    spans = doc.spans(False)
    keep = data.draw(st.lists(st.booleans(), min_size=len(spans), max_size=len(spans)))
    edits = [(s, e, text[s:e], text[s:e].upper()) for (s, e), k in zip(spans, keep, strict=True) if k]
    bounds = st.integers(0, len(text))
    windows = [(min(a, b), max(a, b) + 1, ()) for a, b in data.draw(st.lists(st.tuples(bounds, bounds), max_size=12))]
    assert doc.free_windows(windows, edits) == free_windows(windows, spans, edits)


def test_native_spin_score_equals_scoring(repairers) -> None:
    """The core's twin of scoring.spin_score gives the same float, bit for bit, over a grid
    of evidence counts and lengths (short texts, the corroboration cap, the weak baseline)."""
    from repair.scoring import spin_score

    core = repairers[0]._core
    for certain in range(4):
        for weak in (0, 1, 2, 3, 4, 5, 9):
            for hits in (0, 1, 2, 3, 5, 8, 13, 21, 40, 77):
                for words in (0, 1, 7, 40, 100, 149, 150, 151, 333, 1000, 5077):
                    assert core.spin_score(certain, hits, weak, words) == spin_score(certain, hits, weak, words)


_JUNCTION_PIECES = st.sampled_from([
    "the", "White", "House", "Reason's", "Reason’s", "REASON'S", "reaſon’ſ", "’s", "'", "\"", "“", "”",
    "‘", "’", "«", "»", "(", ")", "[", "]", ".", ",", ";", "!", "?", "Straße", "İstanbul", "ǅ", " ", "  ",
    "\n", "\u00a0", "\u2009", "\u3000", "\x1c", "\x1f", "\x85", "co-op", "U.S.", "é", "\U0001d400",
])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_JUNCTION_PIECES, max_size=40), st.data())
def test_native_junction_words_equal_python(repairers, pieces, data) -> None:
    """The words the core reads beside an edit for the junction checks are junctions'
    _following and _preceding in every script: any whitespace str.split() knows, curly and
    angle quotation marks, possessives (the long s too), casefolded words."""
    from repair.junctions import _following, _preceding

    native, _ = repairers
    text = data.draw(st.sampled_from(["", " "])).join(pieces)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    need = data.draw(st.integers(1, 9))
    doc = native._core.document(text)
    assert doc.junction_words(start, end, need) == (_preceding(text, start, need), _following(text, end, need))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_native_consistency_evidence_equals_python(repairers, data) -> None:
    """The same-document rule's evidence, gathered by the core, is consistency.evidence's:
    edits by a planned pattern's entries that wrote its canonical (any case), per pattern of
    the free candidates, in text order."""
    from repair.consistency import evidence

    native, _ = repairers
    plan = native._consistency
    origins = sorted(plan.keys)
    items = [(origin, item) for origin in origins[:200] for item in plan.keys[origin]]
    edits = []
    for k in range(data.draw(st.integers(0, 12))):
        origin, (p, spun, canonical) = data.draw(st.sampled_from(items))
        before = data.draw(st.sampled_from([spun, spun.upper(), spun.title(), "other"]))
        after = data.draw(st.sampled_from([canonical, canonical.capitalize(), "else"]))
        entry = data.draw(st.sampled_from([origin, "user.tsv:1"]))
        edits.append(Edit(10 * k, 10 * k + len(before), before, after, entry, "context", 0.8, "why", "word"))
    patterns = data.draw(st.lists(st.sampled_from([p for _o, (p, _s, _c) in items]), max_size=6))
    free = [(0, 1, p) for p in patterns]
    assert native._core.evidence(plan.keys, edits, free) == evidence(plan, edits, {c[2] for c in free})


_WORDISH = st.text(alphabet=st.sampled_from("abAB'.-\u00e9\u212a\x00"), max_size=4)


@settings(max_examples=500, deadline=None)
@given(st.lists(_WORDISH, max_size=12), _WORDISH)
def test_word_numbers_match_a_dict(words, word) -> None:
    """The core's table of ASCII words (word sets, bigram tables) finds an ASCII token, read
    in lower case, at the place a dict of the list gives it: the last place of a word listed
    twice, none for words a lower-cased ASCII token cannot be."""
    if not word.isascii():
        return  # the core asks for ASCII tokens only
    want = {w: i for i, w in enumerate(words)}.get(word.lower(), -1)
    assert _core.word_number(words, word) == want


_SPAN_WORDS = st.sampled_from([
    "got", "here", "got here", "Monday", "an", "individual", "The", "schedule", "“quote”", "’s", "(said",
    "\u212aing", "caf\u00e9", "stra\u00dfe", "\ufb01nal", "\u00a0", " ", "\n", "\x1c", "«x»", "x—y", "'", "",
])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_SPAN_WORDS, min_size=1, max_size=5).map(" ".join))
def test_core_answers_spans_with_no_edge_word_as_junctions_does(repairers, span) -> None:
    """Where the core answers a junction plan itself (no word of the span, cut as
    Junctions._checks cuts it, is an edge word of a restored phrase), Junctions finds no
    checks either; where Junctions finds checks, the core asks it."""
    from repair.junctions import Junctions

    native, _ = repairers
    junctions = Junctions(native.entries)
    junctions.share_with(native._core)
    checks = junctions._checks(span)
    if native._core.edge_free(span):
        assert checks == ()
    words = [w.strip("\"'.,;:!?)]}”’»([{“‘«") for w in span.casefold().split()]
    if span.isascii() and not any(w in junctions._edges for w in words):
        assert native._core.edge_free(span)  # (not vacuous: ASCII spans with no edge word)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from("abZQ '\t1-.\u00e9"), max_size=14),
       st.sampled_from(["said", "told", "the U.S.", "won't", "New York", "a b", "don't know", "1", "x-ray",
                        "'s", "caf\u00e9", "two words here"]))
def test_ascii_replacements_are_repairers(before, canonical) -> None:
    """The core's own case transfer for ASCII matches gives repairer._replacement's answer
    (ALL CAPS, capitals word by word or on the first word alone, canonicals with capitals of
    their own), and leaves to it what it does not decide."""
    from repair.repairer import _replacement

    found = _core.ascii_replacement(before, canonical)
    if found is not None:
        assert found == _replacement(before, canonical)
    if before.isascii() and canonical.isascii() and before.strip() == before and before and all(
            c == " " or not c.isspace() for c in before) and "  " not in before:
        assert found is not None  # (not vacuous)


_NAME_PIECES = st.sampled_from([
    "Japanese Europe", "Nationwide Guard", "White Home", "Worldwide Ministry", "the", "of", "and", "The",
    "New York Instances", "Solar Occasions", "Fox Information", "Bank of America", "&", "U.S.", "said",
    "iPhone", "O\u2019Brien", "Jean-Luc", "\u00c9cole", "x", "Home", "Guard", ",", ".", "\n", "\u00a0", "-",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_NAME_PIECES, max_size=24), st.sampled_from([" ", "  ", ""]))
def test_fuzzy_windows_are_the_name_index_windows(repairers, pieces, sep) -> None:
    """Document.fuzzy_windows (the runs where the pass noted name words, planned with the
    index's own memo) gives NameIndex.windows over the same stretches and runs."""
    from repair.fuzzy import SMALL_WORDS
    from repair.lexicon import gazetteer_index

    native, _ = repairers
    index = gazetteer_index()
    if not native._core.names_on:
        native._core.set_names(index.name_words())
    text = sep.join(pieces)
    doc = native._core.document(text)
    stretches = doc.name_windows(SMALL_WORDS)
    want = index.windows(text, stretches, native._core.runs(text, stretches, SMALL_WORDS)) if stretches else []
    assert doc.fuzzy_windows(SMALL_WORDS, *index.window_parts()) == want


@pytest.fixture(scope="module")
def settle_repairers() -> list[tuple[Repairer, Repairer]]:
    """(native, reference) pairs: the shipped config, a threshold that little evidence reaches,
    and one that applies only the most confident entries."""
    return [_pair(load_entries()), _pair(load_entries(), Config(threshold=0.05)),
            _pair(load_entries(), Config(min_confidence=0.99))]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False), st.booleans())
def test_a_settled_text_makes_no_edit(settle_repairers, rng, repaired) -> None:
    """Document.settled and Repairer._settled agree, and a pass over a text they find settled
    makes no edit (settle's later passes skip it), on both backends: spun-like documents and
    their repairs (what the later passes read), in three configurations."""
    from repair.scoring import count_words
    from tests.spunlike import document

    text = document(rng)
    for native, reference in settle_repairers:
        found = native.fix(text) if repaired else text
        early = reference._matcher.split_candidates(found, reference._late_offset)[0]
        settled = reference._settled(early, count_words(found))
        assert native._core.document(found).settled() == settled
        if settled:
            assert native._repair_once(found, suggest=False).edits == ()
            assert reference._repair_once(found, suggest=False).edits == ()


def test_settled_texts_in_plain_news(settle_repairers) -> None:
    """Clean prose and a repaired text are settled; a certain entry, enough weak evidence or a
    config that takes every text for spun is not."""
    native, reference = settle_repairers[0]
    always = _pair(load_entries(), Config(assume_spun=True))
    for text, want in [
        ("The minister said the plan was fine and would go ahead on Monday.", True),
        (native.fix("The Overseas Ministry mentioned that pure gasoline prices rose in Japanese Europe."), True),
        ("Officials said pure gasoline prices rose.", False),  # a certain entry may write anywhere
    ]:
        for repairer in (native, reference):
            assert repairer._later_edits(text) == repairer._repair_once(text, suggest=False).edits
        assert native._core.document(text).settled() is want
        assert always[0]._core.document(text).settled() is False


def test_long_segments_no_pattern_starts_with_are_not_walked() -> None:
    """A segment of more than eight characters that the filter lets through although no
    pattern starts with its first character ("x" here) finds nothing: thousands of them, some
    past the filter by its false positives, give the Python matcher's candidates."""
    import random

    patterns = ["ab", "bx", "ab ba"]
    rng = random.Random(3)
    words = ["x" + "".join(rng.choice("abx") for _ in range(rng.randint(8, 14))) for _ in range(6000)]
    text = " ".join(w + (" ab" if k % 7 == 0 else "") for k, w in enumerate(words))
    core = native_core(patterns, 2, backend="native")
    assert core.split_candidates(text) == Matcher(patterns).split_candidates(text, 2)
