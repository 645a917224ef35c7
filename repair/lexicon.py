"""Lexicon data: the entry type, the file registry, parsing, validation and formatting.

A lexicon file is UTF-8 text with one entry per line and tab-separated columns::

    spun  canonical  tier  confidence  provenance  [context]

``#`` starts a comment line. ``canonical`` may list several candidates separated by ``|``;
such entries are only ever suggested. See lexicons/README.md for the full description.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .context import Context
from .errors import LexiconError

TIERS = ("certain", "likely", "context", "suggest")
"""Tiers from strongest to weakest; see the lexicon README for what each means."""

PROVENANCE_KINDS = frozenset({"seed", "dev", "habit", "thesaurus", "gazetteer", "pps", "user"})
COLUMNS = ("spun", "canonical", "tier", "confidence", "provenance", "context")
HEADER_COLUMNS = "# columns: " + "\t".join(COLUMNS)


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """One lexicon entry: a spun phrase, its canonical form(s) and how sure we are.

    Compared and hashed by identity (cheap in the hot path); ``key`` is its data identity.
    """

    spun: str
    canonicals: tuple[str, ...]
    tier: str
    confidence: float
    provenance: str
    context: Context
    category: str
    origin: str  # "file:line", for explanations and error messages

    @property
    def canonical(self) -> str:
        """The first (for single-candidate entries, the only) canonical form."""
        return self.canonicals[0]

    @property
    def key(self) -> tuple[str, str]:
        """Identity for duplicate detection: the folded spun phrase and its context."""
        return (self.spun.casefold(), self.context.source)

    def row(self) -> str:
        """The entry as a normalised lexicon line."""
        cols = [
            self.spun,
            "|".join(self.canonicals),
            self.tier,
            f"{self.confidence:.2f}",
            self.provenance,
        ]
        if self.context:
            cols.append(self.context.source)
        return "\t".join(cols)


@dataclass(frozen=True, slots=True)
class LexiconFile:
    """A bundled lexicon file: its name, category and what it holds."""

    name: str
    filename: str
    category: str
    description: str


REGISTRY: tuple[LexiconFile, ...] = (
    LexiconFile("abbreviations", "abbreviations.tsv", "abbreviation",
                "Abbreviations the spinner reads as words (U.K. -> U.Okay.)."),
    LexiconFile("names", "names.tsv", "name",
                "Named entities, titles and institutions with spun dictionary words."),
    LexiconFile("collocations", "collocations.tsv", "collocation",
                "Multi-word phrases whose spun form is implausible English."),
    LexiconFile("words", "words.tsv", "word",
                "Single words swapped by the spinner; mostly context-gated."),
)
"""Every bundled lexicon file, in load order."""


def bundled_dir() -> Path:
    """Directory of the bundled lexicons: inside the installed package, or the source tree."""
    packaged = resources.files("repair").joinpath("lexicons")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "lexicons"


def _single_spaced(s: str) -> bool:
    return s == " ".join(s.split()) and s != ""


def parse_line(line: str, *, category: str, origin: str) -> Entry:
    """Parse one non-comment lexicon line; raises ValueError with a short message."""
    cols = line.rstrip("\r\n").split("\t")
    if not 5 <= len(cols) <= 6:
        raise ValueError(f"expected 5 or 6 tab-separated columns ({', '.join(COLUMNS)}), got {len(cols)}")
    spun, canonical, tier, confidence, provenance = cols[:5]
    context_spec = cols[5] if len(cols) == 6 else ""
    if not _single_spaced(spun):
        raise ValueError(f"spun phrase {spun!r} is empty or has stray spaces")
    canonicals = tuple(canonical.split("|"))
    for c in canonicals:
        if not _single_spaced(c):
            raise ValueError(f"canonical {c!r} is empty or has stray spaces")
        if c.casefold() == spun.casefold():
            raise ValueError(f"canonical {c!r} is the spun phrase itself")
    if len(set(c.casefold() for c in canonicals)) != len(canonicals):
        raise ValueError("canonical candidates repeat")
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r} (known: {', '.join(TIERS)})")
    try:
        conf = float(confidence)
    except ValueError:
        raise ValueError(f"confidence {confidence!r} is not a number") from None
    if not (0.0 <= conf <= 1.0) or math.isnan(conf):
        raise ValueError(f"confidence {confidence!r} is outside 0..1")
    kind = provenance.split(":", 1)[0]
    if kind not in PROVENANCE_KINDS:
        raise ValueError(
            f"provenance {provenance!r} must start with one of {', '.join(sorted(PROVENANCE_KINDS))}"
        )
    try:
        context = Context.parse(context_spec)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    if tier == "context" and not context:
        raise ValueError("tier 'context' needs a context column")
    return Entry(spun, canonicals, tier, conf, provenance, context, category, origin)


def parse_lexicon(text: str, *, category: str, name: str) -> tuple[list[Entry], list[str]]:
    """Parse a whole lexicon file; returns (entries, problems as ``name:line: message``)."""
    entries: list[Entry] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        origin = f"{name}:{lineno}"
        try:
            entry = parse_line(line, category=category, origin=origin)
        except ValueError as exc:
            problems.append(f"{origin}: {exc}")
            continue
        if entry.key in seen:
            problems.append(f"{origin}: duplicate of line {seen[entry.key]} ({entry.spun!r})")
            continue
        seen[entry.key] = lineno
        entries.append(entry)
    return entries, problems


def read_lexicon_file(path: Path, *, category: str = "user") -> list[Entry]:
    """Read and validate one lexicon file; raises LexiconError listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError([f"{path}: cannot read lexicon: {exc}"]) from None
    entries, problems = parse_lexicon(text, category=category, name=str(path))
    if problems:
        raise LexiconError(problems)
    return entries


def load_entries(extra: Sequence[Path] = (), *, bundled: bool = True) -> list[Entry]:
    """Load the bundled lexicons (unless ``bundled`` is False) and any user lexicon files.

    A user entry with the same spun phrase and context as an earlier one replaces it, so users
    can override the shipped data.
    """
    entries: list[Entry] = []
    problems: list[str] = []
    if bundled:
        root = bundled_dir()
        for spec in REGISTRY:
            path = root / spec.filename
            try:
                stamp = path.stat()
            except OSError as exc:
                problems.append(f"{path}: cannot read bundled lexicon: {exc}")
                continue
            found, bad = _parse_bundled(str(path), spec, stamp.st_mtime_ns, stamp.st_size)
            entries.extend(found)
            problems.extend(bad)
    for path in extra:
        try:
            entries.extend(read_lexicon_file(Path(path)))
        except LexiconError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LexiconError(problems)
    return dedupe(entries)


@lru_cache(maxsize=16)
def _parse_bundled(
    path: str, spec: LexiconFile, mtime_ns: int, size: int
) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    """Parse a bundled file once per process and file version (entries are immutable)."""
    text = Path(path).read_text(encoding="utf-8")
    found, bad = parse_lexicon(text, category=spec.category, name=spec.filename)
    return tuple(found), tuple(bad)


def dedupe(entries: Iterable[Entry]) -> list[Entry]:
    """Keep the last entry for each key (later files override earlier ones), in first-seen order."""
    by_key: dict[tuple[str, str], Entry] = {}
    for e in entries:
        by_key[e.key] = e
    return list(by_key.values())


def _sort_key(line: str) -> tuple[str, str, str]:
    cols = line.split("\t")
    ctx = cols[5] if len(cols) > 5 else ""
    return (cols[0].casefold(), ctx, cols[0])


def format_lexicon(text: str, *, category: str = "user", name: str = "<lexicon>") -> str:
    """Return the canonical form of a lexicon file: header comments, then entries sorted.

    Comment lines inside the body travel with the entry that follows them. Raises
    LexiconError when the file does not parse.
    """
    entries, problems = parse_lexicon(text, category=category, name=name)
    if problems:
        raise LexiconError(problems)
    lines = text.splitlines()
    header: list[str] = []
    i = 0
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
        if lines[i].strip():
            header.append(lines[i].rstrip())
        i += 1
    blocks: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    it = iter(entries)
    for line in lines[i:]:
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            pending.append(line.rstrip())
            continue
        row = next(it).row()
        blocks.append((row, pending))
        pending = []
    blocks.sort(key=lambda b: _sort_key(b[0]))
    out = header[:]
    for row, comments in blocks:
        out.extend(comments)
        out.append(row)
    out.extend(pending)
    return "\n".join(out) + "\n"
