"""repair: find and undo synonym-spun, machine-paraphrased text.

Quick use::

    import repair
    repair.fix("The White Home mentioned ...")
    r = repair.Repairer.from_lexicons()
    result = r.repair(text)   # result.text, result.edits, result.scan.spin_score
"""

from __future__ import annotations

from functools import lru_cache

from .config import Config
from .edits import Edit, Evidence, Result, Scan, apply_edits
from .errors import BackendError, ConfigError, InputError, LexiconError, RepairError
from .lexicon import REGISTRY, Entry, LexiconFile, load_entries
from .repairer import Repairer

__all__ = [
    "REGISTRY",
    "BackendError",
    "Config",
    "ConfigError",
    "Edit",
    "Entry",
    "Evidence",
    "InputError",
    "LexiconError",
    "LexiconFile",
    "RepairError",
    "Repairer",
    "Result",
    "Scan",
    "apply_edits",
    "default_repairer",
    "fix",
    "load_entries",
    "repair",
    "scan",
]
__version__ = "0.1.0"


@lru_cache(maxsize=1)
def default_repairer() -> Repairer:
    """The shared repairer over the bundled lexicons with the default config."""
    return Repairer.from_lexicons()


def fix(text: str) -> str:
    """Repair ``text`` with the bundled lexicons and default settings."""
    return default_repairer().fix(text)


def repair(text: str) -> Result:
    """Repair ``text`` and return the full result (text, edits, suggestions, scan)."""
    return default_repairer().repair(text)


def scan(text: str) -> Scan:
    """Spin score and evidence for ``text``."""
    return default_repairer().scan(text)
