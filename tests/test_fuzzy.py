"""Fuzzy name matching against the gazetteer (rapidfuzz), in spun documents only."""

from __future__ import annotations

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
