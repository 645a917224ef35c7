"""The HTML report: escaping in unit tests, and the real page in headless Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from repair import Config, Repairer
from repair.cli import app
from repair.report import render_report

runner = CliRunner()
HOSTILE = ('The White Home said <script>window.__pwned = 1</script> and '
           '<img src=x onerror="window.__pwned = 2"> the Nationwide Guard came.\n')
SPUN = ("The White Home mentioned that the Nationwide Guard would assist, the New York Instances "
        "reported, and a spokesperson instructed reporters the safety scenario had improved.\n")


def test_document_text_is_escaped(repairer: Repairer) -> None:
    page = render_report([("evil.txt", HOSTILE, repairer.repair(HOSTILE))])
    assert "<script>window.__pwned" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "onerror=&quot;" in page


def test_suggestions_are_marked_apart() -> None:
    r = Repairer.from_lexicons(config=Config(min_confidence=0.99))
    page = render_report([("doc.txt", SPUN, r.repair(SPUN))])
    assert 'class="suggestion"' in page


def test_cli_writes_the_page(tmp_path: Path) -> None:
    src = tmp_path / "spun.txt"
    src.write_text(SPUN, encoding="utf-8")
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(src), "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_unchanged_documents_are_listed_not_printed(tmp_path: Path) -> None:
    from repair.report import render_report

    clean = Repairer.from_lexicons().repair("The committee met on Tuesday.")
    page = render_report([("quiet.txt", "The committee met on Tuesday.", clean)])
    assert "quiet.txt" in page and "<div class='doc'>" not in page and "1 unchanged" in page
    assert "<div class='doc'>" in render_report([("quiet.txt", "The committee met on Tuesday.", clean)], everything=True)


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("no Chromium on this machine (Debian package 'chromium'; .ci/run installs it)")
    pytest.importorskip("playwright.sync_api", reason="pip install playwright (in the test extra)")
    return path


def test_report_in_headless_chromium(tmp_path: Path) -> None:
    chromium = _chromium()
    from playwright.sync_api import sync_playwright

    spun, evil = tmp_path / "spun.txt", tmp_path / "evil.txt"
    spun.write_text(SPUN, encoding="utf-8")
    evil.write_text(HOSTILE, encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text("The committee met on Tuesday and adjourned.\n", encoding="utf-8")
    page_path = tmp_path / "report.html"
    assert runner.invoke(app, ["report", str(clean), str(spun), str(evil), "-o", str(page_path)]).exit_code == 0

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page()
            page.goto(page_path.as_uri())
            assert page.title() == "repair report"
            edits = page.locator(".edit")
            assert edits.count() >= 6
            assert page.locator(".edit ins", has_text="White House").first.is_visible()
            assert "names.tsv" in (edits.first.get_attribute("title") or "")
            # hostile text rendered as text, never executed
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.locator("text=<script>window.__pwned = 1</script>").count() == 1
            # the tier filter hides certain-tier replacements
            certain = page.locator(".edit[data-tier='certain'] ins").first
            assert certain.is_visible()
            page.locator("input[data-filter='tier:certain']").uncheck()
            assert not certain.is_visible()
            assert page.locator(".edit[data-tier='likely'] ins").first.is_visible()
            # the unchanged document is a hidden row of the table, not a page of text
            assert page.locator("h2", has_text="clean.txt").count() == 0
            row = page.locator("#summary tr.unchanged")
            assert row.count() == 1 and not row.is_visible()
            page.locator("#show-clean").check()
            assert row.is_visible()
            # a click on "edits" sorts the table, most edits first
            page.locator("#summary th", has_text="edits").click()
            counts = [int(c) for c in page.locator("#summary tbody tr td:nth-child(4)").all_text_contents()]
            assert counts == sorted(counts, reverse=True)
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000
