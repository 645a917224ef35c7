#!/usr/bin/env python3
"""Propose inflected siblings of the plausibility-gated single-word entries, for review.

The family-A spinner swaps every form of a word ("attempting" for "trying", "utilizing" for
"using"), so an entry such as ``contemplate -> consider`` implies ``contemplating ->
considering``. `lemminflect` (MIT; `pip install '.[curate]'`, a curation tool only, never a
runtime dependency) gives the forms. Only entries whose spun and canonical words have one part of
speech (verb or noun) are expanded, and only to forms that are unambiguous too: "points" ->
"issues" (noun) must not yield "pointed" -> "issued". New rows keep the parent's gate
(``case=lower plausible=3``: applied only in spun documents, where bigram counts prefer the
canonical) and print to stdout; review them, drop the odd ones, then append to
lexicons/words.tsv and run ``repair lexicon fmt``.

    python tools/inflect_entries.py > /tmp/proposed.tsv
"""

from __future__ import annotations

import sys
from pathlib import Path

from lemminflect import getAllInflections, getAllLemmas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from repair.lexicon import load_entries

GATE = "case=lower plausible=3"
OPEN_CLASSES = ("NOUN", "VERB", "ADJ", "ADV")
REJECTED = {"inhabitant", "gave", "giving", "selection", "authority"}
"""Reviewed and dropped: wrong sense or number ("inhabitant" -> "population") or a common verb
the spinner writes for another ("gave" -> "provided")."""


def parts_of_speech(word: str) -> set[str]:
    return {p for p in getAllLemmas(word) if p in OPEN_CLASSES}


def proposals() -> dict[str, tuple[str, str, str, str]]:
    """spun form -> (canonical form, tag, parent spun, parent canonical)."""
    entries = load_entries()
    triggers = {e.spun.lower() for e in entries}
    canonicals = {c.lower() for e in entries for c in e.canonicals}
    out: dict[str, tuple[str, str, str, str]] = {}
    for e in entries:
        if (e.category != "word" or e.tier != "context" or e.context.source != GATE
                or len(e.canonicals) != 1 or " " in e.spun or " " in e.canonicals[0]):
            continue
        spun, canon = e.spun.lower(), e.canonicals[0].lower()
        pos = parts_of_speech(spun)
        if len(pos) != 1 or pos != parts_of_speech(canon) or pos - {"NOUN", "VERB"}:
            continue
        upos = next(iter(pos))
        forms_s = getAllInflections(getAllLemmas(spun)[upos][0], upos)
        forms_c = getAllInflections(getAllLemmas(canon)[upos][0], upos)
        tags_s = {t for t, f in forms_s.items() if spun in f}
        if not tags_s & {t for t, f in forms_c.items() if canon in f}:
            continue  # the entry pairs different forms; no safe analogy
        for tag, forms in forms_s.items():
            if tag not in forms_c or tag in tags_s:
                continue
            fs, fc = forms[0], forms_c[tag][0]
            if fs == fc or fs in triggers or fs in canonicals or fc in triggers or fs in REJECTED:
                continue
            if parts_of_speech(fs) != {upos} or parts_of_speech(fc) != {upos}:
                continue
            out.setdefault(fs, (fc, tag, spun, canon))
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args(argv)
    for fs, (fc, tag, spun, canon) in sorted(proposals().items()):
        print(f"{fs}\t{fc}\tcontext\t0.75\thabit:A\t{GATE}\t# {tag} of {spun} -> {canon}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
