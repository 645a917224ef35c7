"""Fuzzy name matching against the gazetteer (rapidfuzz), in spun documents only."""

from __future__ import annotations

from bisect import bisect_right

from repair import Config, Repairer
from repair.fuzzy import NameIndex

INDEX = NameIndex([("Florida Department of Health", 1), ("Kansas City Star", 2)],
                  [("Division", "Department"), ("Metropolis", "City")])


def test_known_swap_is_found() -> None:
    (m,) = INDEX.find("Officials at the Florida Division of Health said so.")
    assert (m.name, m.known, m.swaps) == ("Florida Department of Health", True, (("Division", "Department"),))
    assert m.score >= 80


def test_typo_is_found_but_not_known() -> None:
    (m,) = INDEX.find("the Kansas Metropolis Starr reported")
    assert m.name == "Kansas City Star" and not m.known


def test_near_misses_do_not_match() -> None:
    assert INDEX.find("the Georgia Department of Health said") == []  # another state, not a spin
    assert INDEX.find("the Florida Department of Wealth") == []  # not a swap, not a typo
    assert INDEX.find("the Florida Department of Health") == []  # the real name
    assert INDEX.find("the Kansas City Starr reported") == []  # a typo alone is not a spin


def test_taken_spans_are_skipped() -> None:
    text = "the Florida Division of Health"
    assert INDEX.find(text, taken=[(4, 20)]) == []


def test_fuzzy_edits_only_in_spun_documents() -> None:
    r = Repairer.from_lexicons()
    clean = "Inspectors from the Oklahoma Division of Health visited."
    assert r.fix(clean) == clean
    spun = Repairer.from_lexicons(config=Config(assume_spun=True)).repair(clean)
    fuzzy = [e for e in (*spun.edits, *spun.suggestions) if e.tier == "fuzzy"]
    assert all(e.entry.startswith("gazetteer.tsv:") and "fuzzy name match" in e.reason for e in fuzzy)


def test_fuzzy_can_be_turned_off() -> None:
    r = Repairer.from_lexicons(config=Config(assume_spun=True, fuzzy=False))
    assert all(e.tier != "fuzzy" for e in r.repair("the Florida Division of Well being").edits)


TV = NameIndex([("The Good Fight", 1), ("CBS All Access", 2), ("Fear the Walking Dead", 3),
                ("Major League Soccer", 4), ("U.S. Postal Service", 5)],
               [("Battle", "Fight"), ("Entry", "Access"), ("Concern", "Fear"), ("Lifeless", "Dead"),
                ("Significant", "Major"), ("Services", "Service")])


def test_a_run_holding_several_names_is_searched_window_by_window() -> None:
    text = "She streamed The Good Battle on CBS All Entry and Concern the Walking Lifeless on Sundays."
    found = [(text[m.start:m.end], m.name) for m in TV.find(text)]
    assert found == [("The Good Battle", "The Good Fight"), ("CBS All Entry", "CBS All Access"),
                     ("Concern the Walking Lifeless", "Fear the Walking Dead")]


def test_sentence_final_period_is_not_part_of_the_name() -> None:
    text = "Fans of Coachella and Significant League Soccer."
    (m,) = TV.find(text)
    assert text[m.start:m.end] == "Significant League Soccer" and m.known
    (m,) = TV.find("mail from the U.S. Postal Services arrived")
    assert m.name == "U.S. Postal Service"  # "U.S." keeps its periods


def test_inner_edits_are_absorbed_whole_or_not_at_all() -> None:
    text = "They watched Concern the Walking Lifeless again."
    start = text.index("Lifeless")
    (m,) = TV.find(text, inner=[(start, start + len("Lifeless"))])
    assert m.name == "Fear the Walking Dead"
    assert TV.find(text, inner=[(start + 4, start + 14)]) == []  # an edit the window would cut


def test_fuzzy_name_replaces_the_word_edits_inside_it() -> None:
    r = Repairer.from_lexicons(config=Config(assume_spun=True))
    result = r.repair("Viewers stayed with Concern the Walking Lifeless all season.")
    assert "Fear the Walking Dead" in result.text
    (e,) = [e for e in result.edits if "Walking" in e.before]
    assert e.tier == "fuzzy" and e.before == "Concern the Walking Lifeless"


def test_lexicon_entries_keep_their_own_explanation() -> None:
    r = Repairer.from_lexicons(config=Config(assume_spun=True))
    result = r.repair("A reporter for The New York Instances called.")
    (e,) = [e for e in result.edits if "Instances" in e.before]
    assert e.tier != "fuzzy" and result.text == "A reporter for The New York Times called."


def test_disjoint_keeps_what_the_naive_greedy_keeps() -> None:
    """The bisecting overlap resolution equals the quadratic one it replaced."""
    from collections import namedtuple

    from hypothesis import given
    from hypothesis import strategies as st

    from repair.fuzzy import disjoint

    Span = namedtuple("Span", "start end")
    spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda t: Span(t[0], t[0] + t[1])),
                     max_size=40)

    @given(spans)
    def check(found: list) -> None:
        naive: list = []
        for f in found:
            if not any(f.start < o.end and o.start < f.end for o in naive):
                naive.append(f)
        assert disjoint(found) == sorted(naive, key=lambda f: f.start)

    check()


def test_many_names_in_one_long_document_are_all_repaired() -> None:
    """A long spun part with thousands of names: every one repaired (the name pass once
    compared every match with every edit, which made a 1 MB part take minutes)."""
    para = "The White Home said the Nationwide Guard would help. Officials instructed reporters.\n\n"
    text = para * 1500
    fixed = Repairer.from_lexicons().fix(text)
    assert fixed.count("White House") == 1500 and fixed.count("National Guard") == 1500


def test_free_windows_keeps_what_find_would_score() -> None:
    """free_windows (two bisections a window) keeps exactly the windows NameIndex.find's own
    tests keep, with ``taken`` = the spans that are no edit's and ``inner`` = the edits."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from repair.fuzzy import free_windows
    from repair.matcher import overlaps_sorted

    def _straddles(start: int, end: int, spans: list, starts: list) -> bool:
        """The reference: does [start, end) cut through a span (overlap it without holding it
        whole)? (NameIndex.find's own test before free_windows.)"""
        i = bisect_right(starts, end - 1) - 1
        while i >= 0 and spans[i][1] > start:
            s, e = spans[i]
            if s < start or e > end:
                return True
            i -= 1
        return False

    def disjoint_spans(draw_list: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out, end = [], 0
        for gap, length in draw_list:
            start = end + gap
            out.append((start, start + length))
            end = start + length
        return out

    layout = st.lists(st.tuples(st.integers(0, 6), st.integers(1, 8)), max_size=25).map(disjoint_spans)
    windows = st.lists(st.tuples(st.integers(0, 120), st.integers(1, 30)).map(
        lambda t: (t[0], t[0] + t[1], ("W",))), max_size=20)

    @settings(max_examples=300, deadline=None)
    @given(layout, st.data(), windows)
    def check(spans: list, data, wins: list) -> None:
        edits = [s for s in spans if data.draw(st.booleans())]
        inner = set(edits)
        taken = [s for s in spans if s not in inner]
        soft = sorted(inner)
        expected = [w for w in wins
                    if not overlaps_sorted(w[0], w[1], taken, [s for s, _ in taken])
                    and not _straddles(w[0], w[1], soft, [s for s, _ in soft])]
        assert free_windows(wins, spans, edits) == expected

    check()
