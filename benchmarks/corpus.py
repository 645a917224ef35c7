"""Deterministic news-like corpus for speed benchmarks, from template sentences written for this
project and the shipped lexicon: about one document in three is spun.

    python benchmarks/corpus.py 10 > corpus-10mb.txt     # size in MB
"""

from __future__ import annotations

import random
import sys
from functools import lru_cache

from repair import load_entries

CLEAN_SENTENCES = (
    "The city council met on Tuesday to discuss the new budget for schools and roads.",
    "Officials said the storm had damaged dozens of homes along the coast overnight.",
    "The company reported higher profits for the third quarter, beating analyst forecasts.",
    "Residents were asked to stay indoors while crews repaired the broken water main.",
    "The minister told reporters that talks with the union would continue next week.",
    "A spokesperson for the hospital said the patient was in stable condition.",
    "Prices for fresh vegetables rose sharply after a dry summer in the south.",
    "The team won its fourth game in a row, with two goals in the final minutes.",
    "Police closed the bridge for several hours after a truck overturned in the rain.",
    "The museum will reopen in the spring with a larger gallery for local artists.",
    "Lawmakers in the House of Representatives voted to extend the program for a year.",
    "The army said on Sunday that the exercise near the border had ended as planned.",
    "Safety regulators are reviewing the design of the heaters after three fires.",
)
SPUN_FRAMES = (
    "The {0} was mentioned in a statement on Monday, the spokesperson instructed reporters.",
    "According to the report, the {0} will stay in place within the coming months.",
    "Officers stated that the {0} had been discussed however no decision was made.",
)


@lru_cache(maxsize=4)
def spun_phrases() -> tuple[str, ...]:
    """Spun phrases of the shipped lexicon's certain and likely entries."""
    return tuple(e.spun for e in load_entries() if e.tier in ("certain", "likely") and not e.context)


def documents(megabytes: float, seed: int = 7) -> list[str]:
    """Documents of four to twelve paragraphs until the corpus reaches ``megabytes``."""
    rng = random.Random(seed)
    phrases = spun_phrases()
    target = int(megabytes * 1_000_000)
    docs, size = [], 0
    while size < target:
        spun = rng.random() < 1 / 3
        paras = []
        for _ in range(rng.randint(4, 12)):
            sents = [rng.choice(CLEAN_SENTENCES) for _ in range(rng.randint(2, 5))]
            if spun:
                sents.insert(rng.randrange(len(sents) + 1),
                             rng.choice(SPUN_FRAMES).format(rng.choice(phrases)))
            paras.append(" ".join(sents))
        doc = "\n\n".join(paras) + "\n"
        docs.append(doc)
        size += len(doc)
    return docs


NEWS_SENTENCES = (
    "{person}, a spokesperson for the {org}, said the new rules would take effect on {day}.",
    "“We are working with our partners to keep people safe,” {person} told reporters.",
    "The {org} said in a statement that the bill would be sent to the House next week.",
    "Officials in {place} said the death toll had risen to {n} after the storm.",
    "Health officials said {n} people had tested positive, and most had mild symptoms.",
    "The show, which was filmed before a live audience, will return to {org} in the spring.",
    "{person} said the military would remain in {place} for several months.",
    "The legislation, which passed the House last year, faces a vote in the Senate.",
    "“It’s a difficult decision, but it is the right one,” {person} said on Twitter.",
    "Experts say the crisis in {place} has pushed consumer prices to a record high.",
    "The production of the series was halted after a member of the cast became ill.",
    "Police said a man had been arrested and was facing charges after the shooting.",
    "The {org} did not immediately respond to a request for comment on {day}.",
    "According to reports, the company is trying to raise more than ${n} million.",
    "{person} — who has led the {org} since {year} — said she would not seek another term.",
    "Students at the high school were told to stay home while the building was repaired.",
    "The White House said the president would address the nation on {day} evening.",
    "Natural gas prices in Eastern Europe rose again as the government announced new limits.",
    "The Foreign Ministry said talks with {place} would continue next week.",
    "“The health and safety of our audience is our top priority,” the {org} said.",
    "The original series, created by {person}, became a hit with younger viewers.",
    "{person}’s lawyer said the judge ruled that the case could go ahead.",
    "Residents who live near the river were asked to leave their homes before dark.",
    "The National Guard was sent to help with the relief effort in {place}.",
    "The company’s shares fell {n}% after it said profits would be lower than expected.",
    "The Supreme Court is expected to rule on the case by the end of June.",
    "At a press conference, {person} said the plan included new funding for schools.",
    "The film, starring {person} and {person2}, opens in theaters on {day}.",
    "{org} said the event would go ahead, but with a smaller crowd than usual.",
    "Doctors said the patient was in stable condition and was expected to recover.",
    "The report shows that economic growth slowed in the third quarter.",
    "“We will not stop until the job is done,” {person} said in an interview.",
    "The number of cases has fallen for the third week in a row, officials said.",
    "Schools will remain closed until the end of the month, and exams have been cancelled.",
    "Prices for fresh food rose sharply after a dry summer, the report said.",
    "It was not clear how many people had been affected by the outage.",
    "The plan would cut emissions by half by 2030, according to the proposal.",
    "Several roads were closed after heavy rain flooded parts of the city overnight.",
    "The hospital said it had enough beds to cope with the rise in patients.",
    "Many businesses say they cannot afford to pay higher wages this year.",
    "The vote is expected to be close, and both parties are still trying to win support.",
    "More than half of the workers said they would strike if the deal was rejected.",
)
PEOPLE = ("Maria Lopez", "José Ortega", "Anna Müller", "Chloé Martin", "David Okafor", "Sarah Chen",
          "Tom Reilly", "Zoë Hart", "Ahmed Nasser", "Laura Nyström", "James Whitaker", "Priya Raman")
ORGS = ("World Health Organization", "National Weather Service", "Department of Health", "BBC",
        "Ministry of Defence", "Federal Reserve", "European Commission", "Red Cross",
        "National Institutes of Health", "Food and Drug Administration", "Metropolitan Police")
PLACES = ("Eastern Europe", "New York", "Los Angeles", "São Paulo", "Kraków", "the Middle East",
          "Northern Ireland", "South Korea", "Zürich", "New South Wales")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@lru_cache(maxsize=2)
def _spinner() -> tuple[object, list[str], list[tuple[str, ...]]]:
    """The shipped lexicon read backwards: canonical phrase -> the spun forms its entries undo."""
    from repair.matcher import Matcher

    undo: dict[str, list[str]] = {}
    for e in load_entries():
        if e.tier in ("certain", "likely", "context") and len(e.canonicals) == 1 and e.category != "abbreviation":
            undo.setdefault(e.canonical.lower(), []).append(e.spun)
    phrases = sorted(undo)
    return Matcher(phrases), phrases, [tuple(undo[p]) for p in phrases]


def spin(text: str, rate: float, rng: random.Random) -> str:
    """``text`` with each phrase the lexicon could restore swapped for one of its spun forms at
    ``rate``, in the case it had (the spinner's habit, played backwards)."""
    from repair.casing import transfer_case
    from repair.matcher import leftmost_longest

    matcher, _phrases, forms = _spinner()
    out, pos = [], 0
    for start, end, p in leftmost_longest(matcher.candidates(text)):
        if rng.random() >= rate:
            continue
        out += [text[pos:start], transfer_case(text[start:end], rng.choice(forms[p]))]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def news_documents(megabytes: float, spun: float = 0.5, seed: int = 7, rate: float = 0.37) -> list[str]:
    """News-like documents written from this module's own sentences, with the densities of real
    news (benchmarks/densities.py compares them): 1-3 KB documents, curly quotes and apostrophes,
    accented names, capitalised names and institutions; a ``spun`` share of them spun by
    :func:`spin` at ``rate``."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    docs, size = [], 0
    while size < target:
        paras = []
        for _ in range(rng.randint(6, 13)):
            sents = []
            for _ in range(rng.randint(1, 3)):
                person, person2 = rng.sample(PEOPLE, 2)
                sents.append(rng.choice(NEWS_SENTENCES).format(
                    person=person, person2=person2, org=rng.choice(ORGS), place=rng.choice(PLACES),
                    day=rng.choice(DAYS), n=rng.randint(2, 900), year=rng.randint(1995, 2022)))
            paras.append(" ".join(sents))
        doc = "\n\n".join(paras) + "\n"
        if rng.random() < spun:
            doc = spin(doc, rate, rng)
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs


def synthetic_entries(n: int, seed: int = 11) -> list[str]:
    """``n`` made-up two-word phrases that never occur in the corpus, to grow a lexicon."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = set()
    while len(out) < n:
        w1 = "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
        w2 = "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
        out.add(f"{w1} {w2}")
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    """Write MB of the synthetic corpus to stdout, documents separated by form feeds."""
    import argparse

    parser = argparse.ArgumentParser(description="Write the synthetic benchmark corpus to stdout.")
    parser.add_argument("megabytes", nargs="?", type=float, default=1.0, help="MB to write (default 1)")
    megabytes = parser.parse_args(argv).megabytes
    if megabytes <= 0:
        parser.error("MB must be positive")
    sys.stdout.write("\f".join(documents(megabytes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
