"""Interactive review: the state (decide, undo) and the loop, reading keys and writing lines
through the functions it is given. No terminal code here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .edits import Edit
from .ignore import occurrence_rule, phrase_rule

ACCEPT, REJECT = "accept", "reject"


@dataclass
class Review:
    """Decisions over ``items`` (edits first, then suggestions whose first candidate is offered)."""

    text: str
    items: list[Edit]
    decisions: dict[int, str] = field(default_factory=dict)
    history: list[list[int]] = field(default_factory=list)
    rejected_rules: dict[int, str] = field(default_factory=dict)

    def current(self) -> int | None:
        """Index of the next undecided item, or None when all are decided."""
        for i in range(len(self.items)):
            if i not in self.decisions:
                return i
        return None

    def decide(self, index: int, decision: str, *, whole_entry: bool = False) -> None:
        """Decide one item, or (``whole_entry``) every undecided item with the same replacement."""
        target = phrase_rule(self.items[index])
        picked = [i for i in range(len(self.items)) if i not in self.decisions
                  and (i == index or (whole_entry and phrase_rule(self.items[i]) == target))]
        for i in picked:
            self.decisions[i] = decision
            if decision == REJECT:
                self.rejected_rules[i] = target if whole_entry else occurrence_rule(self.text, self.items[i])
        self.history.append(picked)

    def undo(self) -> bool:
        if not self.history:
            return False
        for i in self.history.pop():
            self.decisions.pop(i, None)
            self.rejected_rules.pop(i, None)
        return True

    def accepted(self) -> list[Edit]:
        """Accepted edits, non-overlapping, in text order (suggestions take their first candidate)."""
        chosen, last_end = [], -1
        for i in sorted((i for i, d in self.decisions.items() if d == ACCEPT), key=lambda i: self.items[i].start):
            e = self.items[i]
            if e.start >= last_end:
                chosen.append(e._replace(after=e.after.split(" | ")[0]))
                last_end = e.end
        return chosen


KEYS = "[y]es [n]o [a]ccept all of this entry [r]eject all of this entry [u]ndo [q]uit"


@dataclass
class Outcome:
    """How a file's review ended: the accepted edits (empty after ``q``), the rejection rules
    to remember (kept after ``q`` too: a decision made is not lost) and whether the reviewer
    quit."""

    accepted: list[Edit]
    rejected: list[str]
    quit: bool = False


def shown_line(session: Review, index: int, color: bool) -> str:
    """The line of item ``index`` as it reads with the edits already accepted on it applied,
    the item itself marked ``[-before-]{+after+}``."""
    from .worddiff import word_diff

    text, e = session.text, session.items[index]
    start = text.rfind("\n", 0, e.start) + 1
    end = text.find("\n", e.end)
    end = len(text) if end == -1 else end
    done = [a for a in session.accepted() if start <= a.start and a.end <= end and (a.end <= e.start or a.start >= e.end)]
    line, shift = [], start
    pos = start
    for a in done:
        line.append(text[pos:a.start])
        line.append(a.after)
        if a.end <= e.start:
            shift += (a.end - a.start) - len(a.after)
        pos = a.end
    line.append(text[pos:end])
    here = e._replace(start=e.start - shift, end=e.end - shift)
    return word_diff("".join(line), [here], color=color, context_lines=-1).rstrip("\n")


def run(name: str, session: Review, edits: int, ask: Callable[[], str], say: Callable[[str], None],
        *, color: bool = False, line_col: Callable[[str, int], tuple[int, int]]) -> Outcome:
    """The review loop: show each undecided item, read a key with ``ask``, decide. Ctrl-C or
    Ctrl-D raise KeyboardInterrupt (nothing written, nothing remembered)."""
    while (i := session.current()) is not None:
        e = session.items[i]
        line, col = line_col(session.text, e.start)
        kind = "edit" if i < edits else "suggestion"
        say(f"\n[{i + 1}/{len(session.items)}] {name}:{line}:{col}  {kind}  {e.entry}  {e.tier}  "
            f"confidence {e.confidence:.2f}")
        say(f"  {shown_line(session, i, color)}")
        say(f"  why: {e.reason}")
        key = ask()
        if key in ("\x03", "\x04"):
            raise KeyboardInterrupt
        if key in ("y", "n", "a", "r"):
            session.decide(i, ACCEPT if key in ("y", "a") else REJECT, whole_entry=key in ("a", "r"))
        elif key == "u":
            if not session.undo():
                say("  nothing to undo")
        elif key == "q":
            return Outcome([], list(session.rejected_rules.values()), quit=True)
        else:
            say(f"  keys: {KEYS}")
    return Outcome(session.accepted(), list(session.rejected_rules.values()))
