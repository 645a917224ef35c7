"""Shared fixtures: the bundled repairer is built once per session (it is immutable)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from repair import Config, Repairer

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory) -> None:
    """Keep the bigram cache of test runs out of the user's home."""
    os.environ["REPAIR_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


def golden(name: str) -> list[dict[str, str]]:
    """Labelled golden cases from tests/golden/NAME.json."""
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def repairer() -> Repairer:
    return Repairer.from_lexicons()


@pytest.fixture(scope="session")
def spun_repairer() -> Repairer:
    """Bundled lexicons with detection skipped: every tier may fire."""
    return Repairer.from_lexicons(config=Config(assume_spun=True))
