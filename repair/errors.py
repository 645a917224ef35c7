"""Error types: one base class so callers can catch everything the toolkit raises on purpose."""

from __future__ import annotations


class RepairError(Exception):
    """Base class for expected, user-facing failures (bad lexicon, bad config, bad input)."""


class LexiconError(RepairError):
    """A lexicon file is malformed; ``problems`` holds one ``file:line: message`` per error."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class ConfigError(RepairError):
    """A configuration value is out of range or unknown."""


class BackendError(RepairError):
    """The backend asked for cannot run here: the native core was not built, or it does not know
    a clause the lexicon uses."""


class InputError(RepairError):
    """An input document cannot be read as text (missing, binary, undecodable)."""


class SkippedInput(InputError):
    """An input passed over on purpose (a binary file): a note in a folder walk, not a failure."""
