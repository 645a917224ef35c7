#!/usr/bin/env python3
"""Derive lexicons/gazetteer.tsv from the CC0/MIT lists in ../shared/data/gazetteer.

Keeps names of two or more words that hold at least one word the spinner swaps (per
lexicons/swaps.tsv): only those can be spun. Run from the repository root:

    python tools/build_gazetteer.py [../shared/data/gazetteer]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = ROOT.parent / "shared" / "data" / "gazetteer"

HEADER = """# gazetteer: canonical names the spinner rewrites word by word (see lexicons/swaps.tsv).
# columns: name	kind	provenance
# Derived by tools/build_gazetteer.py from ../shared/data/gazetteer: dotgov agency lists and
# congressional committees (unitedstates/congress-legislators, cisagov/dotgov-data; CC0) and the
# US local news outlets list (yinleon/LocalNewsDataset; MIT licence, see ../shared/data/README.md),
# plus hand-curated names.
"""

CURATED = """Associated Press	outlet
Washington Post	outlet
New York Post	outlet
Huffington Post	outlet
Jerusalem Post	outlet
Financial Times	outlet
Los Angeles Times	outlet
New York Times	outlet
Seattle Times	outlet
Irish Times	outlet
Sunday Times	outlet
Hindustan Times	outlet
Straits Times	outlet
Moscow Times	outlet
Kyiv Post	outlet
Daily Mail	outlet
Daily Beast	outlet
Daily Telegraph	outlet
Daily Show	programme
Late Show	programme
Tonight Show	programme
Fox News	outlet
CBS News	outlet
NBC News	outlet
ABC News	outlet
Sky News	outlet
BBC News	outlet
Yahoo News	outlet
Bloomberg News	outlet
Kyodo News	outlet
Fox Business	outlet
National Public Radio	outlet
National Geographic	outlet
Saturday Night Live	programme
Good Morning America	programme
Facebook Live	product
Instagram Live	product
White House	government
House of Representatives	government
Supreme Court	government
High Court	government
National Guard	military
National Security Council	government
National Weather Service	government
National Hurricane Center	government
National Institutes of Health	government
World Health Organization	international
Centers for Disease Control and Prevention	government
Food and Drug Administration	government
Department of Homeland Security	government
Department of Health and Human Services	government
Department of Justice	government
Department of Defense	government
State Department	government
Justice Department	government
Foreign Ministry	government
Foreign Office	government
Health Ministry	government
Defense Ministry	government
City Hall	government
City Council	government
Fire Department	government
Police Department	government
National Football League	sport
National Basketball Association	sport
National Hockey League	sport
World Health Assembly	international
International Monetary Fund	international
World Bank	international
Universal Television	company
Universal Pictures	company
Entertainment Weekly	outlet
Entertainment Tonight	outlet
Eastern Europe	place
Red Cross	organisation
Watch What Happens Live	programme
The Good Fight	programme
The Good Place	programme
The Good Doctor	programme
The Walking Dead	programme
Fear the Walking Dead	programme
Better Call Saul	programme
Late Night	programme
Late Late Show	programme
Real Time	programme
Face the Nation	programme
Meet the Press	programme
Big Brother	programme
Big Little Lies	programme
Big Bang Theory	programme
Stranger Things	programme
Game of Thrones	programme
Law & Order	programme
Law and Order	programme
Family Guy	programme
Modern Family	programme
Morning Show	programme
Morning Joe	programme
House of Cards	programme
House of the Dragon	programme
Dancing with the Stars	programme
General Hospital	programme
Chicago Fire	programme
World News Tonight	programme
Nightly News	programme
Last Week Tonight	programme
Top Chef	programme
Top Gun	programme
Top Gun: Maverick	programme
Night Court	programme
A Quiet Place Part II	programme
Dune: Part Two	programme
Jurassic World	programme
Star Wars	programme
CBS All Access	product
Apple TV Plus	product
Facebook Watch	product
Major League Baseball	sport
Major League Soccer	sport
World Series	sport
World Cup	sport
World Championships	sport
Premier League	sport
World War I	history
World War II	history
First World War	history
Second World War	history
Cold War	history
Civil War	history
Vietnam War	history
Korean War	history
Gulf War	history
Iraq War	history
Great Depression	history
United States Postal Service	government
U.S. Postal Service	government
Postal Service	government"""


def swappable() -> set[str]:
    words = set()
    for line in (ROOT / "lexicons" / "swaps.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            canonical, spun = line.split("\t")[:2]
            if spun != canonical:
                words.add(canonical)
    return words


def clean(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("src", nargs="?", type=Path, default=DEFAULT_SRC,
                        help="the gazetteer data directory (default ../shared/data/gazetteer)")
    src = parser.parse_args(argv).src
    if not src.is_dir():
        print(f"no gazetteer data at {src}", file=sys.stderr)
        return 1
    words = swappable()
    rows: dict[str, tuple[str, str]] = {}

    def add(name: str, kind: str, prov: str) -> None:
        name = clean(name)
        toks = name.split()
        if len(toks) < 2 or not any(t in words for t in toks) or "\t" in name:
            return
        rows.setdefault(name, (kind, prov))

    for line in CURATED.splitlines():
        name, kind = line.split("\t")
        add(name, kind, "habit:A")
    with open(src / "dotgov_agencies-and-subs.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            add(r["Agency"], "government", "gazetteer:dotgov")
            if r["Bureau"]:
                add(r["Bureau"], "government", "gazetteer:dotgov")
    with open(src / "dotgov_current-federal.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            add(r["Organization name"], "government", "gazetteer:dotgov")
            add(r["Suborganization name"], "government", "gazetteer:dotgov")
    for m in re.finditer(r"^\s*-?\s*name: (.+)$", (src / "congress_committees-current.yaml").read_text(encoding="utf-8"), re.MULTILINE):
        add(m.group(1).strip().strip("'\""), "committee", "gazetteer:congress")
    with open(src / "us_local_news_outlets_2018.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            add(r["name"], "outlet", "gazetteer:localnews")
    out = HEADER + "".join(f"{n}\t{k}\t{p}\n" for n, (k, p) in sorted(rows.items(), key=lambda kv: kv[0].casefold()))
    (ROOT / "lexicons" / "gazetteer.tsv").write_text(out, encoding="utf-8")
    print(f"{len(rows)} names", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
