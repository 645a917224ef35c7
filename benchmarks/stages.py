"""Where `fix()` spends its time on real spun news, stage by stage, and what that leaves for
the speed ratios the project aims at.

    python benchmarks/stages.py [--data DIR] [--mb 2] [--rounds 5]

Runs `Repairer.fix` over the dev set's real spun news (the pairs' spun texts and spun_only,
repeated to about ``--mb`` MB as test_speed_real.py repeats them), one document at a time after
a warm-up pass, with the native core's calls and the Python stages timed from outside: the
repairer is the shipped one and runs its own code, so the texts are checked equal to a plain
`fix()`. Beside it, in the same process: flashtext with the shipped phrases, and the core's own
steps of a first pass alone (the scan; with its decisions and verdict; with its edit loop and
the edits applied), which bound what any pipeline built on them can cost. A pass is the first
one over a document (a short document's second look included) or a later one (`repair.settle`
repairing the repaired text). Minimum of ``--rounds`` per row. Needs the native core; skips
cleanly without the data.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair import Repairer, load_entries  # noqa: E402
from repair import repairer as repairer_module  # noqa: E402
from repair.repairer import QUOTES_SPUN_DISTINCT  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("REPAIR_EVAL_DIR", ROOT.parent / "shared" / "eval" / "dev"))

# the core's Document calls, by the stage they stand for
_DOCUMENT_STAGES = {
    "run": "decisions (run)", "verdict": "scan verdict", "scan_parts": "scan verdict",
    "edits": "edit loop", "consistent": "same-document rule", "apply": "apply edits",
    "fuzzy_windows": "fuzzy names", "free_windows": "fuzzy names", "held_at_junctions": "junction checks",
    "settled": "settled check",
}
# the Repairer's Python steps around them (their core calls are counted above, not twice);
# a pass's own code between its stages counts as the pass
_PYTHON_STAGES = {"_fuzzy_names": "fuzzy names", "_write_consistent": "same-document rule",
                  "_at_junctions": "junction checks", "_native_scan": "scan verdict",
                  "_repair_once": "the pass's own Python", "_later_edits": "the pass's own Python"}


class _Clock:
    """Time spent per (pass, stage), nested calls counted once (by the innermost stage)."""

    def __init__(self) -> None:
        self.spent: Counter[tuple[str, str]] = Counter()
        self.passes = 0  # documents made within the current fix() call
        self._stack: list[list] = []

    def timed(self, stage: str, fn: Callable) -> Callable:
        def run(*args, **kwargs):
            frame = [stage, 0.0]  # time of inner stages, taken off this one
            self._stack.append(frame)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                took = time.perf_counter() - start
                self._stack.pop()
                self.spent[(self.pass_name(), stage)] += took - frame[1]
                if self._stack:
                    self._stack[-1][1] += took
        return run

    def pass_name(self) -> str:
        return "first pass" if self.passes <= 1 else "later passes"


class _TimedDocument:
    def __init__(self, doc, clock: _Clock) -> None:
        self._doc, self._clock = doc, clock

    def __getattr__(self, name: str):
        found = getattr(self._doc, name)
        stage = _DOCUMENT_STAGES.get(name)
        return found if stage is None or not callable(found) else self._clock.timed(stage, found)


class _TimedCore:
    def __init__(self, core, clock: _Clock) -> None:
        self._core, self._clock = core, clock

    def document(self, text: str) -> _TimedDocument:
        self._clock.passes += 1  # each pass reads its text once
        return _TimedDocument(self._clock.timed("scan (document)", self._core.document)(text), self._clock)

    def __getattr__(self, name: str):
        return getattr(self._core, name)


def _corpus(data: Path, mb: float) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(data.glob("pairs/*/spun.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(data.glob("spun_only/*.txt"))]
    docs: list[str] = []
    while texts and sum(map(len, docs)) < mb * 1e6:
        docs.extend(texts)
    return docs


def _each(docs: list[str], fn: Callable[[str], object]) -> None:
    for d in docs:
        fn(d)


def _best(fn: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def measure(docs: list[str], rounds: int = 5) -> dict:
    """Milliseconds per pass over ``docs``: fix() in all, each (pass, stage), flashtext, the scan."""
    repairer = Repairer.from_lexicons()
    if repairer.backend != "native":
        raise SystemExit("stage timing needs the native core (REPAIR_NATIVE unset, a built extension)")
    plain = [repairer.fix(d) for d in docs]
    total = _best(lambda: _each(docs, repairer.fix), rounds)
    scan = _best(lambda: _each(docs, repairer._core.document), rounds)
    # the core's own steps of a first pass, with none of the Python stages between or after
    # them: a bound on what any pipeline built on these decisions can cost
    decided = _best(lambda: _each(docs, partial(_decide, repairer)), rounds)
    written = _best(lambda: _each(docs, partial(_write, repairer)), rounds)
    clock = _Clock()
    core = repairer._core
    saved = {name: getattr(repairer_module.Repairer, name) for name in _PYTHON_STAGES}
    repairer._core = _TimedCore(core, clock)
    try:
        for name, stage in _PYTHON_STAGES.items():
            setattr(repairer_module.Repairer, name, clock.timed(stage, saved[name]))
        best: dict[tuple[str, str], float] = {}
        timed_total = float("inf")
        for _ in range(rounds):
            clock.spent.clear()
            gc.collect()
            start = time.perf_counter()
            out = []
            for d in docs:
                clock.passes = 0
                out.append(repairer.fix(d))
            timed_total = min(timed_total, time.perf_counter() - start)
            if out != plain:
                raise SystemExit("the timed run's texts differ from fix()'s: the stage table is stale")
            for key, took in clock.spent.items():
                best[key] = min(best.get(key, float("inf")), took)
    finally:
        repairer._core = core
        for name, fn in saved.items():
            setattr(repairer_module.Repairer, name, fn)
    # one pass (the first, as a document gets it but for a short text's second look), and the
    # same without fuzzy names: what fix() would cost with no later pass
    # (each loop keeps no result: a list of 1,200 Results with their edits costs the garbage
    # collector a tenth more time)
    once = _best(lambda: _each(docs, lambda d: repairer._repair_once(d, suggest=False)), rounds)
    bare = _best(lambda: _each(docs, lambda d: repairer._repair_once(d, fuzzy=False, suggest=False)), rounds)
    flash = _flashtext()
    peer = _best(lambda: _each(docs, flash.replace_keywords), rounds) if flash else None
    return {"fix": total, "timed": timed_total * 1000, "scan": scan, "flashtext": peer, "once": once,
            "once_bare": bare, "decided": decided, "written": written,
            "stages": {k: v * 1000 for k, v in best.items()},
            "mb": sum(len(d.encode()) for d in docs) / 1e6}


def _decide(repairer: Repairer, text: str):
    """A first pass's scan, decisions and verdict in the core (the pass's hits, no edit made)."""
    doc = repairer._core.document(text)
    doc.run(False)
    scan = repairer._native_scan(doc, False)
    if scan.spun and doc.has_late:
        doc.run(True)
    return doc, scan


def _write(repairer: Repairer, text: str) -> str:
    """:func:`_decide`, then the core's edit loop and the edits applied: a pass without fuzzy
    names, the same-document rule and the junction checks."""
    doc, scan = _decide(repairer, text)
    return doc.apply(doc.edits(scan, QUOTES_SPUN_DISTINCT, False)[0])


def _flashtext():
    try:
        import flashtext
    except ImportError:
        return None
    kp = flashtext.KeywordProcessor()
    for e in load_entries():
        kp.add_keyword(e.spun, e.canonicals[0])
    return kp


def render(found: dict) -> str:
    stages = found["stages"]
    timed = found["timed"]
    lines = [f"{found['mb']:.2f} MB of real spun news; fix() {found['fix']:.1f} ms "
             f"({found['timed']:.1f} ms with the stages timed)", "",
             "| pass | stage | ms | share of the timed run |", "|---|---|---|---|"]
    for (name, stage), took in sorted(stages.items(), key=lambda kv: (kv[0][0], -kv[1])):
        lines.append(f"| {name} | {stage} | {took:.1f} | {100 * took / timed:.0f}% |")
    other = timed - sum(stages.values())
    lines.append(f"| both | settle, composing and fix() around the passes | {other:.1f} | {100 * other / timed:.0f}% |")
    peer = found["flashtext"]
    lines.append("")
    rows = [("fix()", found["fix"]), ("one pass (no later pass)", found["once"]),
            ("one pass without fuzzy names", found["once_bare"]),
            ("the core's scan, decisions, edit loop and applying edits alone", found["written"]),
            ("the core's scan, decisions and verdict alone", found["decided"]),
            ("the core's scan alone", found["scan"])]
    for label, ms in rows:
        ratio = f", {peer / ms:.2f}x flashtext ({peer:.1f} ms)" if peer else ""
        lines.append(f"- {label}: {ms:.1f} ms{ratio}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the dev set (default ../shared/eval/dev)")
    parser.add_argument("--mb", type=float, default=2.0, help="MB of documents (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="passes per row; the minimum counts (default 5)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.mb <= 0:
        parser.error("--rounds must be at least 1 and --mb above 0")
    docs = _corpus(args.data, args.mb)
    if not docs:
        print(f"skipped: no spun texts under {args.data}")
        return 0
    print(render(measure(docs, args.rounds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
