"""Interactive review state: walk edits and suggestions, decide, undo. No terminal code here."""

from __future__ import annotations

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
