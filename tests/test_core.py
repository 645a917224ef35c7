"""Unit and property tests for the core: casing, matching, gating, edits."""

from __future__ import annotations

import itertools
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repair import Config, ConfigError, Edit, Repairer, apply_edits
from repair.casing import transfer_case
from repair.context import Context, next_token, prev_token
from repair.lexicon import parse_line
from repair.matcher import Matcher, fold, leftmost_longest, native_available, reference_candidates

from .conftest import golden


def entry(spun: str, canonical: str, tier: str = "certain", context: str = "", conf: float = 0.9):
    row = "\t".join([spun, canonical, tier, f"{conf}", "user:test"] + ([context] if context else []))
    return parse_line(row, category="test", origin="test:1")


@pytest.mark.parametrize(
    ("source", "canonical", "expected"),
    [
        ("Japanese Europe", "Eastern Europe", "Eastern Europe"),
        ("JAPANESE EUROPE", "Eastern Europe", "EASTERN EUROPE"),
        ("pure gasoline", "natural gas", "natural gas"),
        ("Pure gasoline", "natural gas", "Natural gas"),
        ("Pure Gasoline", "natural gas", "Natural Gas"),
        ("examined constructive", "tested positive", "tested positive"),
        ("Additionally they", "they also", "They also"),
        ("U.Okay.", "U.K.", "U.K."),
    ],
)
def test_transfer_case(source: str, canonical: str, expected: str) -> None:
    assert transfer_case(source, canonical) == expected


def test_fold_keeps_length_with_dotted_capital_i() -> None:
    text = "İstanbul White Home"
    assert len(fold(text)) == len(text)


def test_matcher_is_whole_word_and_case_insensitive() -> None:
    m = Matcher(["home", "white home"])
    text = "A WHITE HOME, homes and Home."
    spans = [(s, e) for s, e, _ in m.candidates(text)]
    assert spans == [(2, 12), (8, 12), (24, 28)]  # 'homes' is not a whole-word match


def test_leftmost_longest_prefers_longest_then_falls_back() -> None:
    m = Matcher(["army", "army help"])
    cands = m.candidates("extra army help now")
    assert [c[:2] for c in leftmost_longest(cands)] == [(6, 15)]
    only_short = leftmost_longest(cands, accept=lambda c: c[1] - c[0] == 4)
    assert [c[:2] for c in only_short] == [(6, 10)]


def test_tokens_around_a_match() -> None:
    text = "the  army, said"
    assert prev_token(text, 5) == "the"
    assert next_token(text, 9) == ","
    assert prev_token(text, 0) is None and next_token(text, len(text)) is None


def test_context_clauses() -> None:
    ctx = Context.parse("case=title after=Speaker|Republicans before!=the")
    text = "Home Speaker and the Home Speaker and Home Office"
    assert ctx.holds(text, 0, 4)
    assert not ctx.holds(text, 21, 25)  # before=the
    assert not ctx.holds(text, 38, 42)  # after=Office


@pytest.mark.parametrize("bad", ["after", "after=", "colour=red", "case=loud", "after=@nope"])
def test_bad_context_is_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        Context.parse(bad)


def test_gating_keeps_weak_tiers_off_in_clean_text() -> None:
    r = Repairer([entry("mentioned", "said", "likely"), entry("White Home", "White House")])
    assert r.fix("She mentioned it.") == "She mentioned it."
    spun = Repairer([entry("mentioned", "said", "likely")], Config(assume_spun=True))
    assert spun.fix("She mentioned it.") == "She said it."


def test_several_candidates_are_only_suggested() -> None:
    r = Repairer([entry("present", "show|current", "certain")])
    result = r.repair("the present season")
    assert result.text == "the present season"
    assert [s.after for s in result.suggestions] == ["show | current"]


def test_low_confidence_is_only_suggested() -> None:
    r = Repairer([entry("pure gasoline", "natural gas", conf=0.3)])
    result = r.repair("pure gasoline")
    assert not result.edits and "suggestion only (confidence 0.30" in result.suggestions[0].reason


def test_min_tier_certain_skips_likely() -> None:
    cfg = Config(assume_spun=True, min_tier="certain")
    r = Repairer([entry("mentioned", "said", "likely")], cfg)
    assert r.repair("he mentioned").text == "he mentioned"


@pytest.mark.parametrize("kwargs", [{"threshold": 2.0}, {"min_tier": "suggest"}, {"min_confidence": -1}])
def test_bad_config_is_rejected(kwargs: dict) -> None:
    with pytest.raises(ConfigError):
        Config(**kwargs)


def test_edit_explains_itself(repairer: Repairer) -> None:
    result = repairer.repair("The pure gasoline pipeline.")
    (edit,) = result.edits
    assert isinstance(edit, Edit)
    assert (edit.before, edit.after, edit.tier) == ("pure gasoline", "natural gas", "certain")
    assert edit.entry.startswith("collocations.tsv:") and "applied" in edit.reason


def test_repairer_pickles_and_rebuilds(repairer: Repairer) -> None:
    clone = pickle.loads(pickle.dumps(repairer))
    text = "The White Home and the Nationwide Guard."
    assert clone.repair(text) == repairer.repair(text)


def test_fix_many_streams_in_order(repairer: Repairer) -> None:
    out = [r.text for r in repairer.fix_many(["White Home", "clean text"])]
    assert out == ["White House", "clean text"]


def test_seed_requirements_in_own_words(repairer: Repairer) -> None:
    text = (
        "Spokespeople have instructed Newsweek that troops in Japanese Europe and the Nationwide Guard "
        "will stay. The International Ministry said the U.Okay. would comply with swimsuit, in line with "
        "international coverage chief Ann Lee. Army drills and extra army help follow the safety scenario."
    )
    out = repairer.fix(text)
    for phrase in ["told Newsweek", "Eastern Europe", "National Guard", "Foreign Ministry", "U.K.",
                   "follow suit", "according to", "foreign policy chief", "security situation", "military aid"]:
        assert phrase in out


@pytest.mark.parametrize("case", golden("positive"), ids=lambda c: c["label"])
def test_golden_positive(repairer: Repairer, case: dict) -> None:
    assert repairer.fix(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", golden("negative"), ids=lambda c: c["label"])
def test_golden_negative_unchanged(repairer: Repairer, case: dict) -> None:
    assert repairer.fix(case["text"]) == case["text"]


# -- properties ---------------------------------------------------------------------------

WORDS = ["white", "home", "White", "Home", "army", "help", "mentioned", "pure", "gasoline", "U.Okay.",
         "Nationwide", "Guard", "the", "safety", "scenario", "İ", "ß", "é", "\u0301", "—", ",", ".", "\r\n"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=3)), max_size=40).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_replaying_edits_reproduces_output(spun_repairer: Repairer, text: str) -> None:
    result = spun_repairer.repair(text)
    assert apply_edits(text, result.edits) == result.text


@settings(max_examples=200, deadline=None)
@given(texts)
def test_text_outside_edits_is_unchanged(spun_repairer: Repairer, text: str) -> None:
    result = spun_repairer.repair(text)
    pos = 0
    out_pos = 0
    for e in result.edits:
        gap = e.start - pos
        assert result.text[out_pos : out_pos + gap] == text[pos : e.start]
        assert text[e.start : e.end] == e.before
        out_pos += gap + len(e.after)
        pos = e.end
    assert result.text[out_pos:] == text[pos:]


@settings(max_examples=200, deadline=None)
@given(texts)
def test_repair_is_idempotent(spun_repairer: Repairer, text: str) -> None:
    once = spun_repairer.fix(text)
    assert spun_repairer.fix(once) == once


@settings(max_examples=150, deadline=None)
@given(st.randoms(use_true_random=False))
def test_repair_is_idempotent_on_spun_like_documents(repairer: Repairer, rng) -> None:
    """Overlapping spins and canonicals that are other entries' triggers: the repaired text is
    repaired again until settled, so a second run changes nothing (python tools/idempotence.py
    runs 100,000 such documents)."""
    from tests.spunlike import document

    once = repairer.fix(document(rng))
    assert repairer.fix(once) == once


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["home", "white home", "ab", "b", "ab ab", "é"]), min_size=1, max_size=5, unique=True), texts)
def test_fast_matcher_agrees_with_reference(patterns: list[str], text: str) -> None:
    assert Matcher(patterns).candidates(text) == reference_candidates(patterns, text)



def test_hyphen_joins_words_at_match_edges() -> None:
    m = Matcher(["handed"])
    assert m.candidates("a heavy-handed reply") == []
    assert [c[:2] for c in m.candidates("she handed - over")] == [(4, 10)]


def test_plausibility_picks_the_canonical_that_fits() -> None:
    from repair.plausibility import best_candidate

    text = "restaurants will stay open on an ongoing foundation"
    start = text.index("foundation")
    assert best_candidate(text, start, len(text), "foundation", ("basis",), 5.0) == "basis"
    text = "the charity foundation said"
    assert best_candidate(text, 12, 22, "foundation", ("basis",), 5.0) is None


def test_a_much_more_frequent_candidate_wins_where_no_bigram_was_seen() -> None:
    from repair.plausibility import PRIOR_RATIO, best_candidate

    text = "He despatched tens of letters"  # no bigram for either form; "sent" is far more common
    assert PRIOR_RATIO >= 10
    assert best_candidate(text, 3, 13, "despatched", ("sent",), 3.0) == "sent"
    text = "fearing untimely cancellation"  # "premature" is commoner, but not by enough
    assert best_candidate(text, 8, 16, "untimely", ("premature",), 3.0) is None


def test_word_frequency_never_overturns_the_seen_bigrams() -> None:
    from repair.plausibility import best_candidate

    # "stood firm" is missing from the bigram tables like "stood company", and "firm in" fits
    # better than "company in": the commoner word must not win on its frequency alone
    text = "The coach stood firm in the face of criticism"
    start = text.index("firm")
    assert best_candidate(text, start, start + 4, "firm", ("company",), 3.0) is None
    text = "the software firm said on Monday"
    start = text.index("firm")
    assert best_candidate(text, start, start + 4, "firm", ("company",), 3.0) == "company"


def test_plausible_entries_only_fire_in_spun_documents() -> None:
    e = entry("foundation", "basis", "context", "case=lower plausible=5")
    text = "It is reviewed on an ongoing foundation."
    assert Repairer([e]).fix(text) == text
    fixed = Repairer([e], Config(assume_spun=True)).repair(text)
    assert fixed.text == "It is reviewed on an ongoing basis."
    assert "bigram plausibility chose 'basis'" in fixed.edits[0].reason


def test_no_evidence_entries_neither_score_nor_fire_in_clean_text() -> None:
    weak = entry("mentioned", "said", "likely")
    contraction = entry("we're", "we are", "context", "evidence=no")
    text = "We're ready, she mentioned. " * 20
    scan = Repairer([weak, contraction]).scan(text)
    assert [ev.spun for ev in scan.evidence] == ["mentioned"]  # the contraction adds no evidence
    assert Repairer([contraction]).fix(text) == text
    fixed = Repairer([weak, contraction], Config(assume_spun=True, language_model=False)).repair("We're ready, she mentioned.")
    assert fixed.text == "We are ready, she said."
    assert "only in a spun document" in Repairer([contraction]).explain_phrase("We're ready.", "we're")[0][1]
    with pytest.raises(ValueError, match="evidence= takes only 'no'"):
        Context.parse("evidence=yes")


def test_bad_plausible_margin_is_rejected() -> None:
    for bad in ("plausible=x", "plausible=0.5"):
        with pytest.raises(ValueError):
            Context.parse(bad)


def test_bigram_subset_is_cached_and_exact(tmp_path, monkeypatch) -> None:
    import wordsegment

    from repair import plausibility

    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path))
    words = plausibility.plausibility_words(["foundation", "basis", "in keeping with", "according to"])
    built = plausibility._subset(words)
    plausibility.tables.cache_clear()
    first = plausibility.tables(words)
    assert list(tmp_path.glob("bigrams-v*-*.pickle")) and first == built
    plausibility.tables.cache_clear()
    assert plausibility.tables(words) == built  # read back from the cache file
    assert built[1]["ongoing basis"] > 0 and "ongoing" in built[0]
    # the subset compares phrases exactly as the full tables do (a neighbour outside the subset
    # has no bigram with any of the phrases, so its own count cancels out of every comparison)
    full = (wordsegment.UNIGRAMS, wordsegment.BIGRAMS, float(wordsegment.Segmenter.TOTAL))
    pairs = [("foundation", "basis"), ("in keeping with", "according to")]
    def margin(tabs, prev, spun, canonical, nxt):
        return plausibility.fit(tabs, prev, canonical, nxt)[0] - plausibility.fit(tabs, prev, spun, nxt)[0]

    for prev, nxt in [("ongoing", "for"), ("the", "of"), ("xylophone", "the"), (None, "and"), ("be", "xylophone")]:
        for spun, canonical in pairs:
            assert margin(built, prev, spun, canonical, nxt) == pytest.approx(
                margin(full, prev, spun, canonical, nxt)), (prev, spun, nxt)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the White\nHome said", "the White\nHouse said"),  # a phrase broken across lines
        ("the White\u00a0Home said", "the White\u00a0House said"),  # a no-break space
        ("1000\u2019s of people", "thousands of people"),  # a curly apostrophe
        ("the WHITE HOME", "the WHITE HOUSE"),  # capitals
        ("the White Home's lawn", "the White House's lawn"),  # possessive
    ],
)
def test_spelling_variants_match(repairer: Repairer, text: str, expected: str) -> None:
    assert repairer.fix(text) == expected


def test_replacement_inside_an_all_caps_headline_is_all_caps(spun_repairer: Repairer) -> None:
    assert spun_repairer.fix("SENATE PASSES RELIEF Invoice AFTER TALKS") == "SENATE PASSES RELIEF BILL AFTER TALKS"


def test_headline_with_several_dictionary_case_words_is_still_a_headline(spun_repairer: Repairer) -> None:
    # the spinner rewrote two neighbouring words in dictionary case: the line is still ALL CAPS
    assert spun_repairer.fix("MAYOR SIGNS Stimulus Invoice FOR CITY SCHOOLS") == "MAYOR SIGNS STIMULUS BILL FOR CITY SCHOOLS"
    # an ordinary sentence with one acronym beside the word is not a headline
    assert spun_repairer.fix("Officials said the relief invoice NOW goes to the Senate.") == "Officials said the relief bill NOW goes to the Senate."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Members have presently voted twice.", "Members have already voted twice."),
        ("The plan is presently on hold.", "The plan is currently on hold."),
        ("The verdict was in keeping with the law.", "The verdict was in keeping with the law."),
    ],
)
def test_context_decides_between_readings(spun_repairer: Repairer, text: str, expected: str) -> None:
    assert spun_repairer.fix(text) == expected


def test_doc_has_takes_alternatives() -> None:
    e = entry("gizmo", "gadget", "certain", "doc-has=widget|spare_part")
    r = Repairer([e])
    assert r.fix("A gizmo broke.") == "A gizmo broke."  # neither phrase in the document
    assert r.fix("A gizmo broke. The widget held.") == "A gadget broke. The widget held."
    assert r.fix("A gizmo broke; a spare part came.") == "A gadget broke; a spare part came."
    assert r.fix("A gizmo broke; a spare partition came.") == "A gizmo broke; a spare partition came."
    with pytest.raises(ValueError, match="empty phrase"):
        entry("gizmo", "gadget", "certain", "doc-has=widget|")


def test_name_case_needs_every_word_capitalised(repairer: Repairer) -> None:
    e = entry("Air Drive", "Air Force", "certain", "case=name|upper")
    r = Repairer([e])
    assert r.fix("She joined the Air Drive in 1990.") == "She joined the Air Force in 1990."
    assert r.fix("AIR DRIVE UNIT") == "AIR FORCE UNIT"
    assert r.fix("Air drive systems move the belt.") == "Air drive systems move the belt."
    # the bundled gazetteer variants are gated the same way
    assert repairer.fix("New instances are created on demand.") == "New instances are created on demand."


def test_context_failure_names_the_clause_and_what_was_found() -> None:
    from repair.context import Context

    ctx = Context.parse("case=lower after=the|a before!=be")
    assert ctx.failure("It will be stated the rule", 11, 17, "stated") == "before!= failed: the previous word is 'be'"
    assert ctx.failure("He Stated the rule", 3, 9, "stated") == "case=lower failed: the text writes 'Stated' (title)"
    assert ctx.failure("He stated it", 3, 9, "stated") == "after= failed: the next word is 'it'"
    assert ctx.failure("He stated the rule", 3, 9, "stated") is None
    assert Context.parse("doc-has=widget").failure("a gizmo", 2, 7).startswith("doc-has= failed")


def test_replacement_keeps_the_source_apostrophe_style(spun_repairer: Repairer) -> None:
    assert spun_repairer.fix("the present\u2019s history") == "the show\u2019s history"
    assert spun_repairer.fix("the present's history") == "the show's history"


@pytest.mark.parametrize("case", golden("spun_habits"), ids=lambda c: c["label"])
def test_golden_spinner_habits_in_spun_documents(spun_repairer: Repairer, case: dict) -> None:
    """Habits of the three spinner families, in sentences written for these tests, with the
    legitimate look-alikes their context rules must leave alone."""
    assert spun_repairer.fix(case["text"]) == case["expected"]


def test_spin_score_combines_evidence() -> None:
    from repair.scoring import spin_score

    threshold = Config().threshold
    assert spin_score(0, 0, 0, 500) == 0.0
    assert spin_score(1, 0, 0, 500) < threshold  # one never-English phrase alone: a typo, a quote
    assert spin_score(1, 2, 2, 500) >= threshold  # ...corroborated by two independent weaker spins
    assert spin_score(2, 0, 0, 500) >= threshold
    assert spin_score(0, 2, 2, 500) == 0.0  # weak evidence alone needs three kinds and density
    assert spin_score(0, 6, 2, 500) == 0.0
    assert spin_score(0, 30, 6, 500) >= threshold  # 60 per 1,000 words of six different spins
    assert spin_score(1, 40, 10, 500) < 1.0


def test_short_profile_score_is_a_clean_news_tail() -> None:
    """Distinct weak spins in a short text, weighed by how rarely clean news of that length
    shows them: two tell in 60 words, not in 100; three in 149; nothing from 150 words on (the
    density score takes over) or from one spin."""
    from repair.scoring import MIN_WORDS, short_profile_score

    threshold = Config().threshold
    assert short_profile_score(1, 20) == 0.0
    assert short_profile_score(2, 30) >= threshold
    assert short_profile_score(2, 60) >= threshold
    assert short_profile_score(2, 100) < threshold
    assert short_profile_score(3, MIN_WORDS - 1) >= threshold
    assert short_profile_score(9, MIN_WORDS) == 0.0
    for n in (10, 60, 120):
        scores = [short_profile_score(d, n) for d in range(1, 8)]
        assert scores == sorted(scores) and all(0.0 <= x <= 1.0 for x in scores)
    assert [short_profile_score(3, n) for n in range(1, 150)] == sorted(
        (short_profile_score(3, n) for n in range(1, 150)), reverse=True)


def test_two_different_weak_spins_make_a_short_text_spun(repairer: Repairer) -> None:
    """A short text with two different weak spins (and nothing certain) is found spun on the
    second look; the same spin twice, or one, is not."""
    spun = ("The minister stated on Friday that extra troops would arrive within the week, and "
            "officials mentioned that talks would proceed.")
    result = repairer.repair(spun)
    assert result.scan.spun and "said on Friday" in result.text and "officials said" in result.text
    assert not repairer.scan("Officials mentioned the plan on Friday.").spun
    assert not repairer.scan("Officials stated the plan. The mayor stated it too.").spun
    # names are not counted: a short text about real offices may name several
    assert repairer.fix("The Division of Labor and the Division of Power are chapters in her "
                        "textbook.").startswith("The Division of Labor")


def test_one_certain_spin_tells_in_a_short_text() -> None:
    """A short text has room for few spins: one never-English phrase makes a 60-word text spun
    (clean news shows none), not a 150-word one, and the weight only falls as texts grow."""
    from repair.scoring import MIN_WORDS, spin_score

    threshold = Config().threshold
    assert spin_score(1, 0, 0, 60) >= threshold
    assert spin_score(1, 0, 0, 100) >= threshold
    assert spin_score(1, 0, 0, MIN_WORDS) < threshold
    assert spin_score(1, 1, 1, 125) >= threshold  # one weaker spin beside it, a little longer
    assert spin_score(0, 2, 2, 20) == 0.0  # weak evidence gets no such help
    scores = [spin_score(1, 1, 1, n) for n in range(1, 400)]
    assert scores == sorted(scores, reverse=True)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["said Mentioned, Instructed in it", "The mentioned Home", "MENTIONED by"]),
       st.sampled_from(["case=lower after=in|by", "case=title before=@none|said", "case=lower|upper after!=in",
                        "before=said after=in case=lower", "case=name"]))
def test_context_token_cache_changes_no_decision(text: str, spec: str) -> None:
    """Sharing next/previous tokens between the entries of one match (``near``) gives the same
    answers as reading them for each entry."""
    from repair.context import NOT_READ

    ctx = Context.parse(spec)
    i = text.lower().index("mentioned")
    near = [NOT_READ, NOT_READ]
    first = ctx.holds(text, i, i + 9, "mentioned", None, near)
    assert first == ctx.holds(text, i, i + 9, "mentioned") == ctx.holds(text, i, i + 9, "mentioned", None, near)


def test_in_quotation_reads_curly_and_straight_quotes_per_paragraph() -> None:
    from repair.context import in_quotation

    text = 'He said “we’re ready” and left. "It isn\'t over," she said.\n“Next paragraph runs on'
    assert in_quotation(text, text.index("we’re"))
    assert not in_quotation(text, text.index("and left"))
    assert in_quotation(text, text.index("isn't"))
    assert not in_quotation(text, text.index("she said"))
    assert in_quotation(text, text.index("runs on"))


def test_weak_edits_inside_kept_quotations_become_suggestions() -> None:
    """Some spinners keep quotations verbatim: a weak edit inside a quotation is applied only
    when the first pass found spins inside the document's quotations (a certain one, or two
    distinct entries); otherwise it is a suggestion that says why."""
    weak = entry("mentioned", "said", "likely")
    contraction = entry("isn't", "is not", "context", "evidence=no")
    within = entry("within", "in", "likely")
    certain = entry("well being", "health", "certain")
    r = Repairer([weak, contraction, within, certain], Config(assume_spun=True, language_model=False))
    kept = "“It isn't within reach,” she mentioned. The plan isn't within reach."
    result = r.repair(kept)
    assert result.text == "“It isn't within reach,” she said. The plan is not in reach."
    assert {s.before for s in result.suggestions} == {"isn't", "within"}
    assert all("quotation" in s.reason for s in result.suggestions)
    spun = "“It isn't within reach for well being,” she mentioned."
    assert r.fix(spun) == "“It is not in reach for health,” she said."


@pytest.mark.skipif(not native_available(), reason="native core not built")
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='ab “”"\n\xe9\U0001f600', max_size=60), st.integers(0, 40))
def test_native_quotation_spans_equal_python(text: str, pad: int) -> None:
    """The core's quotation spans, read in the text's own width (Latin-1, UCS-2, UCS-4, and
    sixteen or eight code points a step where the compiler has SSE2), are
    context.quotation_spans."""
    from repair.context import quotation_spans

    padded = "a" * pad + text  # marks at every offset of a step
    assert _native_core().document(padded).quotation_spans() == quotation_spans(padded)


def _native_core():
    """One compiled core over a tiny lexicon, built on first use."""
    global _CORE
    if _CORE is None:
        _CORE = Repairer([parse_line("mentioned\tsaid\tcertain\t0.9\tuser:test", category="word", origin="t")],
                         backend="native")._core
    return _CORE


_CORE = None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab “”"\n', max_size=40))
def test_quotation_spans_agree_with_in_quotation(text: str) -> None:
    from bisect import bisect_left

    from repair.context import in_quotation, quotation_spans

    spans = quotation_spans(text)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))  # sorted and disjoint
    starts = [s for s, _ in spans]
    for pos in range(len(text) + 1):
        i = bisect_left(starts, pos) - 1
        assert in_quotation(text, pos) == (i >= 0 and pos <= spans[i][1])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["army", "army help", "help", "White", "White Home", "Home", "said",
                                 "Army", "the", ",", "\n", "mentioned"]), max_size=14))
def test_repairer_selection_is_leftmost_longest(words: list[str]) -> None:
    """The repairer's inline selection loop picks what matcher.leftmost_longest would."""
    r = Repairer([entry("army", "military", "context", "case=lower after=help|drills"),
                  entry("army help", "military aid", "likely"), entry("White Home", "White House"),
                  entry("Home", "House", "context", "case=title before=White"),
                  entry("mentioned", "said", "likely")])
    text = " ".join(words)
    cands = r._matcher.candidates(text)
    picked = [(h.start, h.end) for h in r._hits(text, cands, False)]
    ref = leftmost_longest(cands, accept=lambda c: r._entry_for(text, c, [None], False) is not None)
    assert picked == [c[:2] for c in ref]


def _junction_texts(step: int) -> list[str]:
    """Texts in which one entry's restored phrase shares words with another entry's trigger
    ("journey commerce deal": "commerce deal" -> "trade deal" leaves "journey trade"), built
    from every such pair of bundled entries (every ``step``-th of them)."""
    from repair.lexicon import PROTECT, load_entries

    es = [e for e in load_entries() if e.tier != PROTECT and len(e.canonicals) == 1]
    heads: dict[str, list] = {}
    tails: dict[str, list] = {}
    for b in es:
        c = [w.casefold() for w in b.canonicals[0].split()]
        heads.setdefault(c[0], []).append((b, c))
        tails.setdefault(c[-1], []).append((b, c))
    out: list[str] = []
    for a in es:
        s = a.spun.split()
        low = [w.casefold() for w in s]
        for k in range(1, len(s)):
            for b, c in heads.get(low[-k], ()):
                if len(c) > k and low[-k:] == c[:k]:
                    out.append(f"The report said {' '.join(s[:-k])} {b.spun} on Monday.")
            for b, c in tails.get(low[k - 1], ()):
                if len(c) > k and low[:k] == c[-k:]:
                    out.append(f"The report said {b.spun} {' '.join(s[k:])} on Monday.")
    return out[::step]


@pytest.mark.parametrize("step", [pytest.param(1, marks=pytest.mark.slow), 37])
def test_a_restored_phrase_never_completes_another_trigger(spun_repairer: Repairer, step: int) -> None:
    """fix(fix(x)) == fix(x) where entries meet at a restored phrase (repair/junctions.py)."""
    bad = []
    for text in _junction_texts(step):
        once = spun_repairer.fix(text)
        if spun_repairer.fix(once) != once:
            bad.append((text, once))
    assert bad == []


def test_an_edit_beside_a_restored_looking_phrase_is_a_suggestion(spun_repairer: Repairer) -> None:
    # "Republican main" -> "Republican primary", but "main cause" is a restored phrase
    result = spun_repairer.repair("Critics blamed the Republican main cause of the delay.")
    assert result.text == "Critics blamed the Republican main cause of the delay."
    assert [s.before for s in result.suggestions] == ["Republican main"]
    assert "shares words with 'main cause' beside it" in result.suggestions[0].reason
    assert spun_repairer.fix("The Republican main was held in May.") == "The Republican primary was held in May."


def test_language_model_gate_decides_weak_edits() -> None:
    """With the gate on, a likely/context edit is applied only where the trigram model reads the
    canonical as more probable in its window; the reason gives the gain either way."""
    pytest.importorskip("pocketsphinx", reason="pip install 'repair[lm]'")
    gas = entry("pure gasoline", "natural gas", "likely")
    stay = entry("stay", "remain", "context", "before=troops")
    r = Repairer([gas, stay], Config(assume_spun=True, language_model=True))
    result = r.repair("Prices of pure gasoline rose, and the troops stay at the base.")
    assert result.text == "Prices of natural gas rose, and the troops stay at the base."
    assert "trigram gain +" in result.edits[0].reason
    (held,) = result.suggestions
    assert held.before == "stay" and "trigram model prefers the text as written" in held.reason
    # off (the default): both applied; certain-tier and abbreviation edits are never gated
    assert Repairer([gas, stay], Config(assume_spun=True)).fix("the troops stay here") == "the troops remain here"


def test_lm_gate_flag_and_missing_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from repair import lm
    from repair.cli import app

    runner = CliRunner()
    if lm.available():
        out = runner.invoke(app, ["fix", "--lm-gate", "--assume-spun", "--isolated"], input="Pure gasoline costs rose.\n")
        assert out.exit_code == 0 and out.stdout == "Natural gas prices rose.\n"
    monkeypatch.setenv("REPAIR_LM", "0")
    lm.model.cache_clear()
    try:
        out = runner.invoke(app, ["fix", "--lm-gate", "--isolated"], input="text\n")
        assert out.exit_code == 3 and "pip install 'repair[lm]'" in out.stderr
    finally:
        lm.model.cache_clear()


SHORT_SPUN = ("Followers of the collection will nonetheless have to attend longer, however the author solely "
              "moved the launch date a number of weeks, and the studio is being extra cautious about when "
              "issues go in response to plan.")
SHORT_CLEAN = ("Fans of the series will still have to wait longer, but the writer only moved the release date "
               "a few weeks, and the studio is being more careful about when things go to plan.")


def test_second_look_tells_a_short_spun_text_from_a_short_clean_one() -> None:
    """A short text just short of spun is repaired as if spun once more; dense weak edits then
    make it spun (scan and repair agree); a clean text of the same length stays clean."""
    r = Repairer.from_lexicons()
    off = Repairer.from_lexicons(config=Config(second_look=False))
    assert not off.scan(SHORT_SPUN).spun and off.fix(SHORT_SPUN) != r.fix(SHORT_SPUN)
    scan = r.scan(SHORT_SPUN)
    assert scan.spun and r.repair(SHORT_SPUN).scan == scan
    assert "only moved the release date" in r.fix(SHORT_SPUN)
    assert r.fix(SHORT_SPUN) == r.repair(SHORT_SPUN).text  # fix's passes keep no evidence rows, save here
    assert not r.scan(SHORT_CLEAN).spun and r.fix(SHORT_CLEAN) == SHORT_CLEAN
    assert r.fix(r.fix(SHORT_SPUN)) == r.fix(SHORT_SPUN)


def test_shipped_sentence_initial_however_is_the_spinners_but() -> None:
    """Family A writes "But the ..." as "However the ...": no comma follows, unlike the
    connective; the degree reading ("However you look at it") and quotations stay."""
    r = Repairer.from_lexicons(config=Config(assume_spun=True))
    text = ("The cast was tired. However the producers kept filming. However, nobody knew. "
            "However you look at it, the figures are grim.")
    assert r.fix(text) == ("The cast was tired. But the producers kept filming. However, nobody knew. "
                           "However you look at it, the figures are grim.")
    assert Repairer.from_lexicons().fix(text) == text  # weak: only in a document found spun


def test_apply_edits_within_a_window_of_the_text() -> None:
    text = "The White Home said so."
    edit = Edit(4, 14, "White Home", "White House", "names.tsv:1", "certain", 0.95, "", "name")
    assert apply_edits(text, [edit], 4, 14) == "White House"
    assert apply_edits(text, [edit], 0, 19) == "The White House said"
    with pytest.raises(ValueError):
        apply_edits(text, [edit], 0, 10)  # the edit runs past the window


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["NATO", "ITV", "TV", "Bill", "the", "a", "I", "COVID-19", "city\u2019s", "\u201cgates\u201d",
                                 "\u2014", "\u00e9t\u00e9", "\u00c9T\u00c9", "E\u0301T", "\u01c5", "_", "x2", " ", "\n",
                                 "\u00a0", "\u2009", "\x1c"]), max_size=40), st.data())
def test_caps_words_reads_as_the_regular_expression_does(pieces, data) -> None:
    """The headline check's ASCII path counts the words and ALL-CAPS words the Unicode pattern
    finds, whatever the stretch holds (curly quotes and dashes between words, or letters
    beyond ASCII, which take the pattern's own path)."""
    from repair.repairer import _NEWS_PUNCTUATION, _WORD, _caps_words

    assert _WORD.search(_NEWS_PUNCTUATION) is None  # the punctuation it skips is never part of a word
    text = " ".join(pieces)
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text) + 5))
    words = [w for w in _WORD.findall(text, lo, hi) if len(w) > 1]
    assert _caps_words(text, lo, hi) == (len(words), sum(w.isupper() for w in words))


def test_numbered_tables_answer_as_the_word_tables() -> None:
    """The compiled core's bigram table by word number holds the same counts as the string
    tables: every bigram of two words, every unigram (1.0 where there is none), nothing else."""
    from repair.plausibility import _numbered

    unigrams = {"natural": 50.0, "gas": 40.0, "pure": 30.0}
    bigrams = {"natural gas": 9.0, "pure gasoline": 2.0, "a b c": 1.0, "nospace": 3.0}
    words, counts, keys, values, total = _numbered((unigrams, bigrams, 1000.0))
    number = {w: i for i, w in enumerate(words)}
    assert total == 1000.0 and list(words[:3]) == ["natural", "gas", "pure"]
    assert [counts[number[w]] for w in ("natural", "gas", "pure", "gasoline")] == [50.0, 40.0, 30.0, 1.0]
    assert len(keys) == len(values) == 2  # "a b c" and "nospace" are no pair of words
    pairs = {(words[(k >> 32) - 1], words[(k & 0xFFFFFFFF) - 1]): v for k, v in zip(keys, values)}
    assert pairs == {("natural", "gas"): 9.0, ("pure", "gasoline"): 2.0}


def test_a_later_name_match_around_a_restored_word_is_composed() -> None:
    """A word edit ("Well being" -> "Health") lets a later pass find the whole spun name around
    it; the name's changes leave the restored word as it is, so settle composes the two into one
    edit and a second run changes nothing (it used to refuse the name, and the second run made it)."""
    r = Repairer.from_lexicons()
    text = "She works at the Substance Abuse and Psychological Well being Providers Administration, officials mentioned."
    result = r.repair(text)
    assert "Substance Abuse and Mental Health Services Administration" in result.text
    name = next(e for e in result.edits if "Administration" in e.after)
    assert "Well being" in name.before and "; then " in name.reason  # one edit naming both steps
    assert r.fix(result.text) == result.text


def test_settle_counts_only_the_words_an_edit_changes() -> None:
    from repair.settle import _changed

    before = "Substance Abuse and Psychological Health Providers Administration"
    after = "Substance Abuse and Mental Health Services Administration"
    assert [before[a:b] for a, b in _changed(before, after)] == ["Psychological", "Providers"]
    other = "International Minister"
    assert [other[a:b] for a, b in _changed(other, "Foreign Minister")] == ["International"]
    assert _changed("abc", "abc d") == [(3, 3)] and _changed("same", "same") == []
    restored = "new 12 months's"  # letter case aside: a longer entry may capitalise a restored word
    assert [restored[a:b] for a, b in _changed(restored, "New Year's")] == ["12 months"]


def test_a_longer_entry_may_capitalise_a_restored_word(spun_repairer: Repairer) -> None:
    """"brand New" -> "new" leaves "new 12 months's", which "New 12 months's" -> "New Year's"
    reads: settle takes that edit (it rewrites no restored word, only its case), so that a
    second run changes nothing."""
    text = "The report said brand New 12 months's on Monday."
    once = spun_repairer.fix(text)
    assert once == "The report said New Year's on Monday." and spun_repairer.fix(once) == once


def test_reasons_name_the_score_the_second_look_gave() -> None:
    """A short text found spun by the second look: its weak edits' reasons name that score,
    not the first scan's (below the threshold, which would not explain why they were made)."""
    r = Repairer.from_lexicons()
    result = r.repair("She works at the Substance Abuse and Psychological Well being Providers Administration, "
                      "officials mentioned.")
    assert result.scan.spun
    said = next(e for e in result.edits if e.after == "said")
    assert f"spin score {result.scan.spin_score:.2f}; applied" in said.reason


_TOKEN_TEXT = st.text(alphabet="aZ9_ .-'\u2019\u201c\u2014\xe9\xc9\u0130\xb2\u24b6\xa0\u2009\x1c\x85\n\U0001d400\U0001f600", max_size=24)


@pytest.mark.skipif(not native_available(), reason="native core not built")
@settings(max_examples=500, deadline=None)
@given(_TOKEN_TEXT, st.data())
def test_native_tokens_equal_python(text: str, data) -> None:
    """The core reads the tokens beside a match as context.prev_token and next_token do, in
    every width and with the regex module's \\w and \\s (curly quotes, dashes, accented and
    circled letters, superscripts, no-break and thin spaces), casefolded as WordSet compares."""
    pos = data.draw(st.integers(0, len(text)))
    got = _native_core().document(text).tokens(pos)
    for token, found in zip((prev_token(text, pos), next_token(text, pos)), got, strict=True):
        assert found == (None if token is None else (token, token.casefold()))


@pytest.mark.skipif(not native_available(), reason="native core not built")
def test_native_token_classes_are_the_regex_modules() -> None:
    """\\w and \\s of the native token readers are the regex module's, on a sample of every
    plane's code points (all of the BMP's first 0x3100, then every 7th)."""
    import regex

    from repair import _core

    word, space = regex.compile(r"\w"), regex.compile(r"\s")
    points = [*range(0x3100), *range(0x3100, 0x110000, 7)]
    for c in points:
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        want = (1 if word.match(ch) else 0) | (2 if space.match(ch) else 0)
        assert _core.token_class(ch) == want, hex(c)


def test_fast_constructors_make_the_same_values() -> None:
    """edits.make_scan and make_result set the slots directly: equal, hashing, printing,
    pickling and frozen as the dataclasses' own constructors make them."""
    import pickle
    from dataclasses import FrozenInstanceError

    from repair.edits import Result, Scan, make_result, make_scan

    scan, plain = make_scan(0.25, True, (), 7), Scan(0.25, True, (), 7)
    assert scan == plain and hash(scan) == hash(plain) and repr(scan) == repr(plain)
    result = make_result("a", (), (), scan)
    assert result == Result("a", (), (), plain) and pickle.loads(pickle.dumps(result)) == result
    with pytest.raises(FrozenInstanceError):
        scan.spun = False  # type: ignore[misc]
