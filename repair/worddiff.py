"""Word-level diff rendering of a repair, like ``git diff --word-diff``, from the edit list."""

from __future__ import annotations

from .edits import Edit

RED, GREEN, RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"


def word_diff(text: str, edits: tuple[Edit, ...] | list[Edit], *, color: bool, context_lines: int = 0) -> str:
    """The text with each edit shown in place: ``[-before-]{+after+}``, or in red and green.

    With ``context_lines`` >= 0 only the lines holding edits (and that many around them) are
    shown, each prefixed by its line number; -1 shows the whole text.
    """
    if not edits:
        return ""
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        out.append(text[pos : e.start])
        if color:
            out.append(f"{RED}{e.before}{RESET}{GREEN}{e.after}{RESET}")
        else:
            out.append(f"[-{e.before}-]{{+{e.after}+}}")
        pos = e.end
    out.append(text[pos:])
    rendered = "".join(out)
    if context_lines < 0:
        return rendered if rendered.endswith("\n") else rendered + "\n"
    marker = (RED if color else "[-")
    lines = rendered.splitlines()
    keep = set()
    for i, line in enumerate(lines):
        if marker in line or (not color and "{+" in line):
            keep.update(range(max(0, i - context_lines), min(len(lines), i + context_lines + 1)))
    return "".join(f"{i + 1}: {lines[i]}\n" for i in sorted(keep))
