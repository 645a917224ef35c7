"""The on-disk cache: compiled lexicon and bigram subsets, best effort and self-pruning."""

from __future__ import annotations

import os

from repair import cache
from repair.lexicon import _bundled, load_entries


def test_store_load_and_prune(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path))
    for i in range(cache.KEEP + 3):
        cache.store(f"thing-{i}.pickle", {"n": i})
        os.utime(tmp_path / f"thing-{i}.pickle", (i, i))  # distinct ages
    cache.store("other-0.pickle", [1])
    assert cache.load(f"thing-{cache.KEEP + 2}.pickle") == {"n": cache.KEEP + 2}
    assert len(list(tmp_path.glob("thing-*"))) == cache.KEEP
    assert cache.load("other-0.pickle") == [1]
    assert cache.load("missing.pickle") is None
    (tmp_path / "bad.pickle").write_bytes(b"not a pickle")
    assert cache.load("bad.pickle") is None


def test_unwritable_cache_is_not_an_error(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("REPAIR_CACHE_DIR", str(blocker / "sub"))  # a path under a file
    cache.store("thing-1.pickle", 1)
    assert cache.load("thing-1.pickle") is None


def test_compiled_lexicon_comes_back_from_the_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path))
    _bundled.cache_clear()
    first = load_entries()
    assert list(tmp_path.glob("lexicon-*.pickle"))
    _bundled.cache_clear()
    again = load_entries()  # read from the cache file: equal data, new objects
    assert [e.row() for e in again] == [e.row() for e in first]
    assert [e.origin for e in again] == [e.origin for e in first]
    _bundled.cache_clear()


def test_keys_follow_kind_and_content() -> None:
    assert cache.key("lexicon", b"a", b"b") == cache.key("lexicon", b"a", b"b")
    assert cache.key("lexicon", b"a", b"b") != cache.key("lexicon", b"ab")  # parts stay apart
    assert cache.key("names", b"a").startswith(f"names-v{cache.FORMAT}-")


def test_entries_and_contexts_pickle_as_tuples_and_share_parsed_contexts() -> None:
    import pickle

    from repair.context import Context
    from repair.lexicon import parse_line

    a = Context.parse("case=lower after=aid|help")
    assert Context.parse("case=lower after=aid|help") is a  # one object per distinct column
    e = parse_line("army\tmilitary\tcontext\t0.85\tseed:000\tcase=lower after=aid|help", category="word",
                   origin="test:1")
    assert e.context is a
    copy = pickle.loads(pickle.dumps(e))
    assert (copy.spun, copy.canonicals, copy.tier, copy.confidence, copy.provenance) == (
        e.spun, e.canonicals, e.tier, e.confidence, e.provenance)
    assert copy.context == a and copy.context.lower_only and copy.context.after == a.after
    assert type(e).__getstate__(e)[0] == "army"  # the compact state: a tuple of the fields


def test_a_large_user_lexicon_is_read_from_the_cache_until_it_changes(tmp_path, monkeypatch) -> None:
    from repair import lexicon

    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(lexicon, "CACHED_FROM", 0)
    path = tmp_path / "mine.tsv"
    path.write_text("blue moon\tgreen sun\tcertain\t0.9\tuser:test\n", encoding="utf-8")
    first = lexicon.read_lexicon_file(path)
    assert list((tmp_path / "cache").glob("user-*.pickle"))
    parsed = []
    monkeypatch.setattr(lexicon, "parse_lexicon", lambda *a, **k: parsed.append(1) or ([], []))
    again = lexicon.read_lexicon_file(path)
    assert parsed == [] and [e.row() for e in again] == [e.row() for e in first]
    path.write_text("blue moon\tgreen sun\tcertain\t0.8\tuser:test\n", encoding="utf-8")
    assert lexicon.read_lexicon_file(path) == [] and parsed == [1]  # changed bytes: parsed anew
