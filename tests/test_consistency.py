"""Same-document consistency (repair.consistency): a context entry's spun word whose clause
fails is rewritten where the document's own edits rewrote that word elsewhere."""

from __future__ import annotations

import pytest

from repair import Config, Repairer
from repair.consistency import evidence, extend, free_candidates, mask, plan
from repair.lexicon import parse_line

BACKENDS = ["python", "native"]


def entry(spun: str, canonical: str, tier: str = "context", context: str = "", conf: float = 0.8):
    row = "\t".join([spun, canonical, tier, f"{conf}", "user:test"] + ([context] if context else []))
    return parse_line(row, category="test", origin="test:1")


LEXICON = [
    entry("collection", "series", context="case=lower after=finale|10"),
    entry("present", "show", context="case=lower after=returns"),
    entry("present", "current", context="case=lower after=situation"),
    entry("pure gasoline", "natural gas", tier="certain", conf=0.95),
]


def build(backend: str, **config) -> Repairer:
    if backend == "native":
        pytest.importorskip("repair._core")
    return Repairer(LEXICON, Config(assume_spun=True, **config), backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_documents_own_edit_carries_to_the_same_word(backend: str) -> None:
    text = "The collection finale aired. Fans say the collection was the best."
    result = build(backend).repair(text)
    assert result.text == "The series finale aired. Fans say the series was the best."
    first, second = result.edits
    assert "same document" not in first.reason
    assert "same document" in second.reason and "'collection' at 4" in second.reason
    assert (second.entry, second.tier, second.confidence) == ("test:1", "context", 0.8)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_word_the_document_mostly_leaves_alone_is_its_own(backend: str) -> None:
    """More than MAX_LEFT (2) occurrences left alone per edit: the word is the document's own."""
    twice = "The collection finale aired. A collection, the collection."
    assert build(backend).fix(twice) == "The series finale aired. A series, the series."
    thrice = "The collection finale aired. A collection, the collection, my collection."
    assert build(backend).fix(thrice) == "The series finale aired. A collection, the collection, my collection."
    two_edits = "The collection finale aired. A collection, the collection, my collection 10."
    assert build(backend).fix(two_edits) == "The series finale aired. A series, the series, my series 10."


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_evidence_no_edit(backend: str) -> None:
    text = "Fans say the collection was the best."
    assert build(backend).fix(text) == text


@pytest.mark.parametrize("backend", BACKENDS)
def test_it_can_be_switched_off(backend: str) -> None:
    text = "The collection finale aired. Fans say the collection was the best."
    assert build(backend, same_document=False).fix(text) == "The series finale aired. Fans say the collection was the best."


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_word_with_two_readings_is_never_guessed(backend: str) -> None:
    text = "The present returns in May. The present is popular."
    assert build(backend).fix(text) == "The show returns in May. The present is popular."


@pytest.mark.parametrize("backend", BACKENDS)
def test_kept_quotations_and_other_cases_are_left_alone(backend: str) -> None:
    text = 'The collection finale aired. "The collection was hard," she said. Collection notes.'
    assert build(backend).fix(text) == 'The series finale aired. "The collection was hard," she said. Collection notes.'


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_quotation_that_shows_spins_is_no_kept_quotation(backend: str) -> None:
    text = 'The collection finale aired. "Pure gasoline and the collection," she said.'
    assert build(backend).fix(text) == 'The series finale aired. "Natural gas and the series," she said.'


@pytest.mark.parametrize("backend", BACKENDS)
def test_only_in_documents_found_spun(backend: str) -> None:
    if backend == "native":
        pytest.importorskip("repair._core")
    repairer = Repairer(LEXICON, Config(threshold=1.0), backend=backend)
    text = "The collection finale aired. Fans say the collection was the best."
    assert repairer.fix(text) == text


@pytest.mark.parametrize("backend", BACKENDS)
def test_repairing_twice_changes_nothing_more(backend: str) -> None:
    repairer = build(backend)
    text = "Pure gasoline prices. The collection 10 opens; the collection is long; collection."
    once = repairer.fix(text)
    assert once == "Natural gas prices. The series 10 opens; the series is long; series."
    assert repairer.fix(once) == once


def test_plan_keeps_single_canonical_context_patterns() -> None:
    rules = [[(e, e.context, False, False) for e in LEXICON if e.spun == p]
             for p in ("collection", "present", "pure gasoline")]
    found = plan(rules, 0.5)
    assert list(found.rules) == [0] and found.rules[0][1] == "series"
    assert found.keys == {"test:1": ((0, "collection", "series"),)}
    assert mask([0, 2], 3) == b"\x01\x00\x01"
    assert plan(rules, 0.9).rules == {}  # below the confidence an edit needs


def test_evidence_and_extend_skip_what_is_taken_or_overlapping() -> None:
    from repair.edits import Edit

    rules = [[(LEXICON[0], LEXICON[0].context, False, False)]]
    found = plan(rules, 0.5)
    text = "collection finale, collection, collection"
    shown = Edit(0, 10, "collection", "series", "test:1", "context", 0.8, "r")
    name = Edit(0, 10, "collection", "series", "gazetteer.tsv:1", "fuzzy", 1.0, "r")
    assert evidence(found, [name]) == {}
    seen = evidence(found, [shown])
    assert seen == {0: [shown]}
    cands = [(31, 41, 0), (19, 29, 0), (0, 10, 0)]
    assert free_candidates(cands, seen, [(0, 10), (19, 29)]) == [(31, 41, 0)]
    assert free_candidates(cands, {}, []) == []
    never = lambda pos: False  # noqa: E731
    free = cands[:2]
    assert [o[:2] for o in extend(text, [shown], free, found, seen, never)] == [(19, 29), (31, 41)]
    assert extend(text, [shown], [(0, 10, 0)], found, seen, never) == []  # an edit is there
    assert extend(text, [shown], free, found, seen, lambda pos: pos > 10) == []  # kept quotations
