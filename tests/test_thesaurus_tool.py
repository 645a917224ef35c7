"""tools/thesaurus_proposals.py (issue 15 item 4): the proposal rule on sentences written for this
test, with a stand-in thesaurus and language model (the real ones are curation-time extras)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import thesaurus_proposals as tp  # noqa: E402


def _gain(text: str, start: int, end: int, replacement: str) -> float:
    """The stand-in model: it likes "building" and nothing else."""
    return 3.0 if replacement == "building" else -1.0


def test_a_swap_is_proposed_only_with_every_signal() -> None:
    spun = [("story1", "The new edifice opened on Monday near the river."),
            ("story2", "Workers left the edifice after the alarm went off."),
            ("story3", "A clerk said the vote was close.")]
    clean = ["The building opened on Monday.", "The old building was sold.", "A building fell.",
             "Each building has a lift.", "The building is tall.", "Officials said the vote was close."] * 2
    synonyms = {"edifice": ("building", "structure"), "clerk": ("official",)}.get
    common = {"building": 100.0, "structure": 80.0, "edifice": 1.0, "clerk": 5.0, "official": 50.0}.get
    found = tp.propose(spun, clean, set(), lambda w: synonyms(w, ()), _gain, lambda w: common(w, 0.0))
    assert [(p.spun, p.canonical, p.stories) for p in found] == [("edifice", "building", 2)]
    assert found[0].row() == "edifice\tbuilding\tlikely\t0.60\tthesaurus:moby\tcase=lower plausible=3"
    # one story is not enough, a known word is left alone, and the model must prefer the canonical
    assert tp.propose(spun[:1] + spun[2:], clean, set(), lambda w: synonyms(w, ()), _gain, lambda w: common(w, 0.0)) == []
    assert tp.propose(spun, clean, {"edifice"}, lambda w: synonyms(w, ()), _gain, lambda w: common(w, 0.0)) == []
    assert tp.propose(spun, clean, set(), lambda w: synonyms(w, ()), lambda *a: -2.0, lambda w: common(w, 0.0)) == []
