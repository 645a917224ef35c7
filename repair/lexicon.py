"""Lexicon data: the entry type, the file registry, parsing, validation and formatting.

A lexicon file is UTF-8 text with one entry per line and tab-separated columns::

    spun  canonical  tier  confidence  provenance  [context]

``#`` starts a comment line. ``canonical`` may list several candidates separated by ``|``;
such entries are only ever suggested. See lexicons/README.md for the full description.
"""

from __future__ import annotations

import gc
import math
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .cache import quick_pickle
from .context import Context
from .errors import LexiconError

TIERS = ("certain", "likely", "context", "suggest")
"""Tiers from strongest to weakest; see the lexicon README for what each means."""
PROTECT = "protect"
"""Tier of generated entries for protected phrases: matched, never changed, no evidence."""

PROVENANCE_KINDS = frozenset({"seed", "dev", "habit", "thesaurus", "gazetteer", "pps", "user", "learned"})
COLUMNS = ("spun", "canonical", "tier", "confidence", "provenance", "context")
_PROVENANCE_WORDS = {
    "seed": "seen in seed article {}",
    "dev": "seen in the development set's aligned articles (spinner family {})",
    "habit": "follows the spinner's synonym table (family {})",
    "thesaurus": "from the {} thesaurus",
    "gazetteer": "a real name from the {} list",
    "pps": "a tortured phrase listed by the Problematic Paper Screener",
    "user": "from a user lexicon",
    "learned": "learned by `repair learn` from aligned pairs ({})",
}


def describe_provenance(provenance: str) -> str:
    """A provenance label in words for people ("habit:A" -> "follows the spinner's synonym
    table (family A)"); the label itself stays in the lexicon files and JSON output."""
    kind, _, detail = provenance.partition(":")
    words = _PROVENANCE_WORDS.get(kind)
    if words is None or (not detail and "{}" in words):
        return provenance
    return words.format(detail) if "{}" in words else words


@quick_pickle
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
            _confidence(self.confidence),
            self.provenance,
        ]
        if self.context:
            cols.append(self.context.source)
        return "\t".join(cols)


@dataclass(frozen=True, slots=True)
class LexiconFile:
    """A bundled lexicon file: its name, category, format and what it holds.

    ``kind`` is "entries" (spun -> canonical rows), "gazetteer" (canonical names), "swaps"
    (the spinner's word table for names) or "protected" (phrases never changed).
    """

    name: str
    filename: str
    category: str
    description: str
    kind: str = "entries"


REGISTRY: tuple[LexiconFile, ...] = (
    LexiconFile("abbreviations", "abbreviations.tsv", "abbreviation",
                "Abbreviations the spinner reads as words (U.K. -> U.Okay.)."),
    LexiconFile("names", "names.tsv", "name",
                "Named entities, titles and institutions with spun dictionary words."),
    LexiconFile("collocations", "collocations.tsv", "collocation",
                "Multi-word phrases whose spun form is implausible English."),
    LexiconFile("words", "words.tsv", "word",
                "Single words swapped by the spinner; mostly context-gated."),
    LexiconFile("gazetteer", "gazetteer.tsv", "name",
                "Canonical names; their spun variants are generated with the swaps table.", "gazetteer"),
    LexiconFile("swaps", "swaps.tsv", "name",
                "The spinner's word table for names (National -> Nationwide, News -> Information).", "swaps"),
    LexiconFile("protected", "protected.tsv", "protected",
                "Real names and phrases holding a spinner's word that are never changed.", "protected"),
)
"""Every bundled lexicon file, in load order."""


def bundled_dir() -> Path:
    """Directory of the bundled lexicons: inside the installed package, or the source tree."""
    here = Path(__file__).resolve().parent
    packaged = here / "lexicons"  # the wheel force-includes them as repair/lexicons
    return packaged if packaged.is_dir() else here.parent / "lexicons"


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
    if len({c.casefold() for c in canonicals}) != len(canonicals):
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
    # the few distinct tiers, provenances and categories are shared, not stored per entry
    return Entry(spun, canonicals, sys.intern(tier), conf, sys.intern(provenance), context, sys.intern(category), origin)


def _confidence(value: float) -> str:
    """A confidence as written in a lexicon: two decimals where that is exact, else every digit
    it needs (0.499 must not become 0.50, which would turn a suggestion into an applied edit)."""
    short = f"{value:.2f}"
    return short if float(short) == value else repr(value)


def parse_lexicon(text: str, *, category: str, name: str) -> tuple[list[Entry], list[str]]:
    """Parse a whole lexicon file; returns (entries, problems as ``name:line: message``). A byte
    order mark at the start is not part of the first entry."""
    text = text.removeprefix("\ufeff")
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


CACHED_FROM = 1 << 20
"""User lexicon files from this size (bytes) on are cached parsed, keyed by their bytes."""


def read_lexicon_file(path: Path, *, category: str = "user") -> list[Entry]:
    """Read and validate one lexicon file; raises LexiconError listing every problem. A large
    file (a million generated entries) is parsed once and then read from the on-disk cache."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError([f"{path}: cannot read lexicon: {exc}"]) from None
    key = None
    if len(data) >= CACHED_FROM:
        from . import cache

        here = Path(__file__).resolve().parent
        code = [(here / module).read_bytes() for module in ("lexicon.py", "context.py")]
        key = cache.key("user", *code, str(path).encode("utf-8", "surrogateescape"), category.encode(), data)
        hit = cache.load(key)
        if isinstance(hit, list) and (not hit or isinstance(hit[0], Entry)):
            return hit
    entries, problems = parse_lexicon(text, category=category, name=str(path))
    if problems:
        raise LexiconError(problems)
    if key is not None:
        cache.store(key, entries)
    return entries


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while building many small acyclic objects (entries,
    rules): each collection would walk the whole growing heap, a third of building a
    million-entry lexicon. Reference counting still frees everything as usual."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_entries(extra: Sequence[Path] = (), *, bundled: bool = True) -> list[Entry]:
    """Load the bundled lexicons (unless ``bundled`` is False) and any user lexicon files.

    A user entry with the same spun phrase and context as an earlier one replaces it, so users
    can override the shipped data.
    """
    entries: list[Entry] = []
    problems: list[str] = []
    if bundled:
        root = bundled_dir()
        stamps = []
        for spec in REGISTRY:
            path = root / spec.filename
            try:
                stamp = path.stat()
            except OSError as exc:
                problems.append(f"{path}: cannot read bundled lexicon: {exc}")
                continue
            stamps.append((spec.filename, stamp.st_mtime_ns, stamp.st_size))
        if not problems:
            found, bad = _bundled(str(root), tuple(stamps))
            entries.extend(found)
            problems.extend(bad)
    for path in extra:
        try:
            with paused_gc():
                entries.extend(read_lexicon_file(Path(path)))
        except LexiconError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LexiconError(problems)
    return dedupe(entries)


def _rows(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    """Non-comment rows of a simple tab-separated file, checked for their column count."""
    problems = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != columns or not all(c and c == c.strip() for c in cols):
            problems.append(f"{path.name}:{lineno}: expected {columns} non-empty tab-separated columns")
            continue
        yield lineno, cols
    if problems:
        raise LexiconError(problems)


def read_swaps(path: Path) -> dict[str, tuple[tuple[str, bool], ...]]:
    """canonical word -> ((spun word, telltale?), ...) from swaps.tsv; a canonical word may
    have several rows (one per strength); identity rows are dropped."""
    table: dict[str, list[tuple[str, bool]]] = {}
    for _, (canonical, spun, strength, _prov) in _rows(path, 4):
        for alt in spun.split("|"):
            if alt != canonical:
                table.setdefault(canonical, []).append((alt, strength == "telltale"))
    return {k: tuple(v) for k, v in table.items()}


MAX_VARIANTS = 24
"""Generated spun variants per gazetteer name, at most."""


def name_variants(name: str, swaps: dict[str, tuple[tuple[str, bool], ...]]) -> list[tuple[str, bool]]:
    """Spun variants of ``name`` (with: does it hold a telltale word?): every swappable word
    swapped, and each swappable word swapped alone, as the spinner does when it keeps some."""
    tokens = name.split(" ")
    slots = [i for i, t in enumerate(tokens) if t in swaps]
    out: dict[str, bool] = {}

    def emit(choice: dict[int, tuple[str, bool]]) -> None:
        words = [choice[i][0] if i in choice else t for i, t in enumerate(tokens)]
        telltale = any(tell for _, tell in choice.values())
        out.setdefault(" ".join(words), telltale)

    combos: list[dict[int, tuple[str, bool]]] = [{}]
    for i in slots:
        combos = [{**c, i: alt} for c in combos for alt in swaps[tokens[i]]][:MAX_VARIANTS]
    for c in combos:
        emit(c)
    if len(slots) > 1:
        for i in slots:
            for alt in swaps[tokens[i]]:
                emit({i: alt})
    return list(out.items())[:MAX_VARIANTS]


@lru_cache(maxsize=4)
def gazetteer_index(root: str | None = None):
    """The fuzzy NameIndex over the bundled gazetteer and swap table: built once, and kept in
    the on-disk cache keyed by both files and the matcher's code."""
    from . import cache
    from .fuzzy import NameIndex

    base = Path(root) if root else bundled_dir()
    sources = (Path(__file__).resolve().parent / "fuzzy.py", base / "swaps.tsv", base / "gazetteer.tsv")
    key = cache.key("names", *(source.read_bytes() for source in sources))
    hit = cache.load(key)
    if isinstance(hit, NameIndex):
        return hit
    index = _name_index(base)
    cache.store(key, index)
    return index


def _name_index(base: Path):
    from .fuzzy import NameIndex

    swaps = read_swaps(base / "swaps.tsv")
    pairs = [(alt, canonical) for canonical, alts in swaps.items() for alt, _ in alts]
    names = [(name, lineno) for lineno, (name, _k, _p) in _rows(base / "gazetteer.tsv", 3)]
    return NameIndex(names, pairs)


@lru_cache(maxsize=4)
def _generated(root: str) -> tuple[Entry, ...]:
    """Entries generated from the gazetteer and swaps tables, and the protected phrases."""
    base = Path(root)
    swaps = read_swaps(base / "swaps.tsv")
    names = list(_rows(base / "gazetteer.tsv", 3))
    real = {n.casefold() for _, (n, _k, _p) in names}
    out: list[Entry] = []
    seen: set[str] = set()
    title = Context.parse("case=name|upper")  # "New instances" in a sentence is not "New Instances"
    anywhere = Context.parse("")
    for lineno, (name, _kind, prov) in names:
        for spun, telltale in name_variants(name, swaps):
            key = spun.casefold()
            if not telltale or key in real or key in seen:
                continue  # no telltale word: could be a real name ("Chief Information");
                # a real name of its own; or generated already
            seen.add(key)
            out.append(Entry(spun, (name,), "certain", 0.9, prov, title, "name", f"gazetteer.tsv:{lineno}"))
        # the real name itself is protected: as the longest match it shields the words inside
        out.append(Entry(name, (name,), PROTECT, 1.0, prov, anywhere, "protected", f"gazetteer.tsv:{lineno}"))
    for lineno, (phrase, _reason) in _rows(base / "protected.tsv", 2):
        out.append(Entry(phrase, (phrase,), PROTECT, 1.0, "user:protected", anywhere,
                         "protected", f"protected.tsv:{lineno}"))
    return tuple(out)


def _restored_names(entries: Sequence[Entry]) -> list[Entry]:
    """The canonical of every certain name entry of two or more words ("Amnesty International"
    for "Amnesty Worldwide") is a real name: protected like the gazetteer's, so that the words
    inside it, once restored, are never read as the start of another spin ("International
    Minister"), which would make a second run change what the first one wrote."""
    taken = {e.spun.casefold() for e in entries}
    out: list[Entry] = []
    anywhere = Context.parse("")
    for e in entries:
        if e.tier != "certain" or e.category != "name" or len(e.canonicals) != 1:
            continue
        name = e.canonicals[0]
        key = name.casefold()
        if " " not in name or key in taken:
            continue
        taken.add(key)
        out.append(Entry(name, (name,), PROTECT, 1.0, e.provenance, anywhere, "protected", e.origin))
    return out


@lru_cache(maxsize=4)
def _bundled(root: str, stamps: tuple[tuple[str, int, int], ...]) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    """Every bundled entry, parsed and generated: once per process and file version, and from
    the on-disk cache (keyed by the files' bytes and the code that defines an entry) when it
    has them, which saves most of the start-up parse."""
    from . import cache

    here = Path(__file__).resolve().parent
    code = [(here / module).read_bytes() for module in ("lexicon.py", "context.py")]
    data = [name.encode() + b"\0" + (Path(root) / name).read_bytes() for name, _mtime, _size in stamps]
    key = cache.key("lexicon", *code, *data)
    hit = cache.load(key)
    if isinstance(hit, tuple) and hit and isinstance(hit[0], Entry):
        return hit, ()
    entries: list[Entry] = []
    problems: list[str] = []
    for spec in REGISTRY:
        if spec.kind == "entries":
            found, bad = _parse_bundled(str(Path(root) / spec.filename), spec)
            entries.extend(found)
            problems.extend(bad)
    try:
        entries.extend(_generated(root))
    except LexiconError as exc:
        problems.extend(exc.problems)
    entries.extend(_restored_names(entries))
    if not problems:
        cache.store(key, tuple(entries))
    return tuple(entries), tuple(problems)


def _parse_bundled(path: str, spec: LexiconFile) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    """Parse one bundled file."""
    text = Path(path).read_text(encoding="utf-8")
    found, bad = parse_lexicon(text, category=spec.category, name=spec.filename)
    return tuple(found), tuple(bad)


def dedupe(entries: Iterable[Entry]) -> list[Entry]:
    """Keep one entry per key, in first-seen order: a later file overrides an earlier one, but a
    generated name variant never overrides a hand-written entry."""
    by_key: dict[tuple[str, str], Entry] = {}
    for e in entries:
        old = by_key.get(e.key)
        if old is not None and e.origin.startswith("gazetteer.tsv:") and not old.origin.startswith("gazetteer.tsv:"):
            continue
        by_key[e.key] = e
    return list(by_key.values())


def _sort_key(line: str) -> tuple[str, str, str]:
    cols = line.split("\t")
    ctx = cols[5] if len(cols) > 5 else ""
    return (cols[0].casefold(), ctx, cols[0])


def format_lexicon(text: str, *, category: str = "user", name: str = "<lexicon>") -> str:
    """Return the canonical form of a lexicon file: header comments, then entries sorted.

    Comment lines inside the body travel with the entry that follows them. Raises
    LexiconError when the file does not parse. A byte order mark is dropped.
    """
    text = text.removeprefix("\ufeff")
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
