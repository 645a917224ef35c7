"""Data tests for the bundled lexicons, and bad rows that prove each validation rule fires."""

from __future__ import annotations

from collections import defaultdict

import pytest

from repair import REGISTRY, Config, LexiconError, Repairer, load_entries
from repair.lexicon import bundled_dir, format_lexicon, parse_lexicon
from repair.matcher import Matcher

ENTRIES = load_entries()


def test_registry_names_every_file_and_nothing_else() -> None:
    on_disk = {p.name for p in bundled_dir().glob("*.tsv")}
    assert on_disk == {spec.filename for spec in REGISTRY}


ENTRY_FILES = [spec for spec in REGISTRY if spec.kind == "entries"]


@pytest.mark.parametrize("spec", ENTRY_FILES, ids=lambda s: s.name)
def test_file_is_formatted(spec) -> None:
    text = (bundled_dir() / spec.filename).read_text(encoding="utf-8")
    assert format_lexicon(text, category=spec.category, name=spec.filename) == text, (
        "run: repair lexicon fmt"
    )


@pytest.mark.parametrize("spec", ENTRY_FILES, ids=lambda s: s.name)
def test_file_has_header_and_no_problems(spec) -> None:
    text = (bundled_dir() / spec.filename).read_text(encoding="utf-8")
    assert text.startswith(f"# {spec.name}:")
    _, problems = parse_lexicon(text, category=spec.category, name=spec.filename)
    assert problems == []


def test_each_spun_phrase_lives_in_one_file() -> None:
    files = defaultdict(set)
    for spec in ENTRY_FILES:  # parsed file by file: dedupe would hide cross-file repeats
        text = (bundled_dir() / spec.filename).read_text(encoding="utf-8")
        for e in parse_lexicon(text, category=spec.category, name=spec.filename)[0]:
            files[e.spun.casefold()].add(spec.filename)
    assert {k: v for k, v in files.items() if len(v) > 1} == {}


def test_no_conflicting_canonicals_for_the_same_trigger_and_context() -> None:
    seen = {}
    for e in ENTRIES:
        assert seen.setdefault(e.key, e.canonicals) == e.canonicals


def test_no_context_rule_is_shadowed_by_a_plain_entry() -> None:
    """A guarded entry beside an unguarded one with the same output would guard nothing: when
    its context fails, the plain entry fires anyway."""
    plain = {(e.spun.casefold(), e.canonicals) for e in ENTRIES if not e.context and e.tier != "protect"}
    shadowed = [e.origin for e in ENTRIES if e.context and (e.spun.casefold(), e.canonicals) in plain
                and not e.origin.startswith("gazetteer.tsv:")]  # generated: a case gate, not a guard
    assert shadowed == []


def test_no_applied_output_is_itself_a_trigger() -> None:
    """Repairing a canonical form in a spun document changes nothing (no chains, no cycles)."""
    r = Repairer(ENTRIES, Config(assume_spun=True))
    for e in ENTRIES:
        if e.tier == "protect":
            continue
        for canonical in e.canonicals:
            assert r.repair(canonical).edits == (), (e.origin, canonical)


def test_no_canonical_is_an_unconditional_trigger() -> None:
    """No canonical is the spun form of a certain or likely entry: such a chain would change
    restored text on a second run whatever the context. (Context-gated chains, such as "won't"
    -> "will not" only beside family-A telltales, are held by repair.settle within one run.)"""
    unconditional = {e.spun.casefold(): e for e in ENTRIES if e.tier in ("certain", "likely")}
    chains = [(e.origin, c, unconditional[c.casefold()].origin) for e in ENTRIES if e.tier != "protect"
              for c in e.canonicals if c.casefold() in unconditional and c.casefold() != e.spun.casefold()]
    assert chains == []


def test_every_trigger_is_reachable_by_the_matcher() -> None:
    patterns = sorted({e.spun.lower() for e in ENTRIES})
    m = Matcher(patterns)
    for idx, pat in enumerate(m.patterns):
        assert (0, len(pat), idx) in m.candidates(patterns[idx]), pat


def test_the_lexicon_is_substantial() -> None:
    assert len(ENTRIES) >= 500
    assert {e.tier for e in ENTRIES} >= {"certain", "likely", "context"}


BAD_ROWS = {
    "too-few-columns": "pure gasoline\tnatural gas\tcertain",
    "unknown-tier": "pure gasoline\tnatural gas\tsure\t0.9\tuser:x",
    "confidence-not-number": "pure gasoline\tnatural gas\tcertain\thigh\tuser:x",
    "confidence-out-of-range": "pure gasoline\tnatural gas\tcertain\t1.5\tuser:x",
    "unknown-provenance": "pure gasoline\tnatural gas\tcertain\t0.9\tblog:x",
    "canonical-equals-spun": "pure gasoline\tPure Gasoline\tcertain\t0.9\tuser:x",
    "stray-spaces": "pure  gasoline\tnatural gas\tcertain\t0.9\tuser:x",
    "empty-canonical": "pure gasoline\t\tcertain\t0.9\tuser:x",
    "context-tier-without-context": "army\tmilitary\tcontext\t0.9\tuser:x",
    "bad-context-clause": "army\tmilitary\tcontext\t0.9\tuser:x\tnear=help",
    "repeated-candidates": "present\tshow|show\tsuggest\t0.5\tuser:x",
}


@pytest.mark.parametrize("row", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_bad_row_is_rejected_with_file_and_line(row: str) -> None:
    _, problems = parse_lexicon(f"# header\n{row}\n", category="user", name="my.tsv")
    assert len(problems) == 1 and problems[0].startswith("my.tsv:2: ")


def test_duplicate_row_is_rejected() -> None:
    row = "pure gasoline\tnatural gas\tcertain\t0.9\tuser:x"
    _, problems = parse_lexicon(f"{row}\n{row.replace('pure', 'PURE')}\n", category="user", name="my.tsv")
    assert problems == ["my.tsv:2: duplicate of line 1 ('PURE gasoline')"]


def test_user_lexicon_errors_are_collected(tmp_path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\tcertain\n\nc\td\tnope\t1\tuser:x\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_entries([bad], bundled=False)
    assert [p.split(": ")[0] for p in info.value.problems] == [f"{bad}:1", f"{bad}:3"]


def test_formatter_sorts_and_keeps_comments() -> None:
    text = "# head\nzeta\tz\tcertain\t0.9\tuser:x\n# about alpha\nalpha\ta\tcertain\t0.9\tuser:x\n"
    assert format_lexicon(text) == (
        "# head\n# about alpha\nalpha\ta\tcertain\t0.90\tuser:x\nzeta\tz\tcertain\t0.90\tuser:x\n"
    )


def _simple_rows(name: str) -> list[list[str]]:
    text = (bundled_dir() / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def test_gazetteer_rows_are_sorted_unique_and_complete() -> None:
    rows = _simple_rows("gazetteer.tsv")
    assert len(rows) > 1000 and all(len(r) == 3 and all(r) for r in rows)
    names = [r[0] for r in rows]
    assert names == sorted(names, key=str.casefold) and len(set(names)) == len(names)
    assert {r[2].split(":")[0] for r in rows} <= {"gazetteer", "habit"}


def test_swaps_rows_are_valid() -> None:
    rows = _simple_rows("swaps.tsv")
    assert all(len(r) == 4 and r[2] in ("telltale", "plain") for r in rows)
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), key=str.casefold)


def test_protected_rows_have_reasons() -> None:
    assert all(len(r) == 2 and r[1] for r in _simple_rows("protected.tsv"))


def test_real_names_are_never_changed() -> None:
    """Every gazetteer name and protected phrase survives repair in a spun document."""
    r = Repairer(ENTRIES, Config(assume_spun=True))
    for row in _simple_rows("gazetteer.tsv") + _simple_rows("protected.tsv"):
        assert r.repair(row[0]).edits == (), row[0]


def test_name_variants_and_tiers() -> None:
    from repair.lexicon import name_variants

    swaps = {"National": (("Nationwide", True),), "News": (("Information", False),)}
    variants = dict(name_variants("National Farm News", swaps))
    assert variants == {"Nationwide Farm Information": True, "Nationwide Farm News": True,
                        "National Farm Information": False}
    generated = {e.spun: e for e in ENTRIES if e.origin.startswith("gazetteer.tsv:") and e.tier != "protect"}
    assert generated["Midland Day by day Information"].canonical == "Midland Daily News"
    assert all(e.tier == "certain" for e in generated.values())
    assert "Chief Information" not in generated  # no telltale word: never generated


def test_protected_phrase_shields_its_words(repairer) -> None:
    text = "The Home Secretary spoke; the White Home and the Nationwide Guard replied. Nationwide Building Society agreed."
    out = repairer.fix(text)
    assert "Home Secretary" in out and "Nationwide Building Society" in out and "White House" in out


def test_capitalised_canonicals_are_names_or_case_gated() -> None:
    """A canonical whose first word differs from the spun one and starts with a capital would
    be written capitalised mid-sentence ("greater than" -> "More than"); such entries must say
    with a case clause that they only apply to capitalised text."""
    for spec in ENTRY_FILES:
        if spec.category in ("name", "abbreviation"):
            continue
        text = (bundled_dir() / spec.filename).read_text(encoding="utf-8")
        for e in parse_lexicon(text, category=spec.category, name=spec.filename)[0]:
            c = e.canonical
            name_like = any(w[:1].isupper() for w in c.split()[1:])  # "Bill de Blasio"
            if c[:1].isupper() and e.spun.split()[0] != c.split()[0] and not name_like:
                assert e.context.case is not None, (e.origin, e.spun, c)
