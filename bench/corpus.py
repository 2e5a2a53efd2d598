"""Generate a corpus of invented, news-length wire reports for the benchmarks.

Each report reads like a wire story: a headline, a dateline with an invented outlet,
then paragraphs. A few sentences carry facts of the kinds tidings extracts
(designations and delistings, envoys and embassies, trade figures with hedges,
targets, deals); most are background about the economy, weather, sport, culture
and politics, as in real news, where most sentences carry none of our facts. Every
sentence template here was written for this benchmark. The generator is seeded and
deterministic: the same (count, seed) gives the same texts, and no two reports of
one corpus have the same text.

Usage:
  python bench/corpus.py OUT --count 5000 [--seed 0] [--format txt|jsonl]
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import random
from pathlib import Path

# Words per report: wire stories run from about 500 to 1,000 words.
MIN_WORDS = 500
MAX_WORDS = 1000
# Fact-bearing sentences per report: most wire stories carry one to four.
MIN_FACTS = 1
MAX_FACTS = 4
# Records per JSON Lines file, so a 5,000-report corpus is a handful of files.
JSONL_PER_FILE = 1000

# (name, demonym, capital); capitals are used only as datelines.
STATES = [
    ("Kazakhstan", "Kazakh", "Astana"),
    ("Uzbekistan", "Uzbek", "Tashkent"),
    ("Tajikistan", "Tajik", "Dushanbe"),
    ("Kyrgyzstan", "Kyrgyz", "Bishkek"),
    ("Turkmenistan", "Turkmen", "Ashgabat"),
    ("Afghanistan", "Afghan", "Kabul"),
    ("Pakistan", "Pakistani", "Islamabad"),
    ("India", "Indian", "New Delhi"),
    ("China", "Chinese", "Beijing"),
    ("Russia", "Russian", "Moscow"),
    ("Iran", "Iranian", "Tehran"),
    ("Turkey", "Turkish", "Ankara"),
    ("Azerbaijan", "Azerbaijani", "Baku"),
    ("Georgia", "Georgian", "Tbilisi"),
    ("Armenia", "Armenian", "Yerevan"),
    ("Mongolia", "Mongolian", "Ulaanbaatar"),
    ("Qatar", "Qatari", "Doha"),
    ("Saudi Arabia", "Saudi", "Riyadh"),
    ("United Arab Emirates", "Emirati", "Abu Dhabi"),
    ("Egypt", "Egyptian", "Cairo"),
    ("Indonesia", "Indonesian", "Jakarta"),
    ("Malaysia", "Malaysian", "Kuala Lumpur"),
    ("Japan", "Japanese", "Tokyo"),
    ("Germany", "German", "Berlin"),
    ("France", "French", "Paris"),
    ("Italy", "Italian", "Rome"),
    ("Poland", "Polish", "Warsaw"),
    ("Hungary", "Hungarian", "Budapest"),
    ("Belarus", "Belarusian", "Minsk"),
    ("Ukraine", "Ukrainian", "Kyiv"),
    ("Brazil", "Brazilian", "Brasilia"),
    ("Argentina", "Argentine", "Buenos Aires"),
    ("Nigeria", "Nigerian", "Abuja"),
    ("Kenya", "Kenyan", "Nairobi"),
    ("Ethiopia", "Ethiopian", "Addis Ababa"),
    ("Bangladesh", "Bangladeshi", "Dhaka"),
    ("Vietnam", "Vietnamese", "Hanoi"),
    ("Thailand", "Thai", "Bangkok"),
    ("Oman", "Omani", "Muscat"),
    ("Jordan", "Jordanian", "Amman"),
]
GROUPS = [
    "Taliban",
    "Hizb ut-Tahrir",
    "Muslim Brotherhood",
    "Islamic Movement of Uzbekistan",
    "Jamaat Ansarullah",
    "Hezbollah",
    "Hamas",
    "Tablighi Jamaat",
    "Wagner Group",
    "Houthis",
    "Islamic State Khorasan Province",
    "Al-Shabaab",
    "Lashkar-e-Taiba",
    "Akromiya",
    "Jaish al-Adl",
]
OUTLETS = [
    "Steppe Courier",
    "Caspian Ledger",
    "Meridian Wire",
    "Pamir Dispatch",
    "Silk Gate Times",
    "Northern Corridor News",
    "Amu Bulletin",
    "Lowland Herald",
    "Crossroads Daily",
    "Highland Monitor",
]
MONTHS = list(calendar.month_name)[1:]
PEOPLE = ["Aidos Nurlanov", "Farida Osmonova", "Rustam Kholov", "Leyla Amirova", "Bekzod Tursunov", "Dana Seitova"]
TEAMS = ["Kairat", "Pakhtakor", "Istiklol", "Dordoi", "Ordabasy", "Navbahor", "Khujand", "Alga"]
DEAL_GOODS = ["wheat", "fertiliser", "railway wagons", "power transformers", "cotton yarn", "solar panels", "cement"]
HEDGES = ["", "", "almost ", "about ", "more than ", "nearly ", "over "]

# Fact-bearing sentences. {a} and {b} are states, {da} and {db} their demonyms.
FACT_TEMPLATES = [
    "{a} removed the {org} from its national list of banned terrorist organizations on {date}.",
    "The Supreme Court of {a} ruled on {date} to strike the {org} off the country's list of prohibited groups.",
    "{a} designated the {org} as a terrorist organization on {date}, the prosecutor general's office said.",
    "{a} added the {org} to its list of extremist organizations in {month_year}.",
    "{a} suspended the ban on the {org} on {date}, pending a review by the security council.",
    "{a} accepted the credentials of a {db} ambassador on {date}, the foreign ministry said.",
    "On {date}, {a} allowed envoys appointed by {b} to take charge of the {db} embassy in {capital_a}.",
    "The {db} embassy in {capital_a} was handed over to diplomats sent by the government of {b} on {date}.",
    "Trade between {a} and {b} reached {hedge}${amount} million in {year}, the statistics agency said.",
    "{da} exports to {b} totalled {hedge}${amount} million in the first half of {year}.",
    "Bilateral trade turnover between {a} and {b} stood at {hedge}${amount} million in {year}, customs data show.",
    "{a} and {b} aim to raise their annual trade to ${target} billion by {target_year}.",
    "Officials said {a} and {b} intend to lift mutual trade to ${target} billion within the next few years.",
    "{da} and {db} companies signed contracts worth ${amount} million for the supply of {goods} on {date}.",
    "{a} signed a ${amount} million deal with {b} on {date} to deliver {goods} over three years.",
    "Imports from {b} into {a} came to {hedge}${amount} million between January and {month} {year}.",
]
# Background sentences: none carries a fact of our kinds.
FILLER_TEMPLATES = [
    "Inflation in {a} slowed to {pct} percent in {month}, the central bank said in its monthly review.",
    "The national bank kept its base rate at {pct} percent, citing steady prices for food and fuel.",
    "Analysts at a local brokerage expect growth of around {pct} percent next year, driven by construction.",
    "Farmers in the south reported a late harvest after weeks of unusually cold nights.",
    "Temperatures in {capital_a} are forecast to drop to {temp} degrees by the weekend, the weather service said.",
    "Heavy snow closed two mountain passes on Tuesday, and road crews expected to reopen them within days.",
    "A dust storm reduced visibility across the plains, and several regional flights were delayed.",
    "Rainfall this spring was {pct} percent above the long-term average, which should help the reservoirs.",
    "{team_a} beat {team_b} {score_a}-{score_b} on Sunday to move to the top of the league table.",
    "The national football team will play two friendly matches in {month} before the qualifiers begin.",
    "A local wrestler won gold at the regional championships, the sports ministry announced.",
    "Tickets for the season opener between {team_a} and {team_b} sold out within an hour.",
    "The city theatre opened its season with a new staging of a classic comedy, drawing a full house.",
    "A photography exhibition about nomadic life runs at the national museum until the end of {month}.",
    "Organizers of the film festival said {num} films from {num2} countries had been submitted this year.",
    "A restored caravanserai on the old trade route reopened to visitors after four years of work.",
    '"We expect the reforms to take time, but the direction is clear," {person} told reporters.',
    "{person}, a member of parliament, said the budget debate would continue into next week.",
    "The opposition criticised the government's plan to merge two ministries, calling it rushed.",
    "Parliament approved amendments to the tax code in a first reading with {num} votes in favour.",
    "The mayor of {capital_a} promised to finish the new tram line before the end of the year.",
    "Fuel prices at the pump rose slightly after the state refinery began scheduled maintenance.",
    "The state airline said it would add {num} weekly flights on regional routes from {month}.",
    "A new bridge over the river cut the journey between two district centres by almost an hour.",
    "Teachers in rural schools will receive a pay rise of {pct} percent from the new academic year.",
    "Health officials urged residents to get vaccinated ahead of the flu season.",
    "The ministry of energy said power cuts in the northern districts had been caused by a faulty substation.",
    "A survey by a local research centre found that {pct} percent of young people plan to study abroad.",
    "Residents of the old quarter protested against plans to demolish a row of Soviet-era houses.",
    "The central market will extend its opening hours during the holiday period, the city council said.",
    "Archaeologists unearthed pottery fragments believed to be more than a thousand years old.",
    "A charity concert raised money for families affected by the spring floods.",
    "The stock exchange index closed {pct} percent higher, led by banking and telecoms shares.",
    "Mobile operators agreed to extend coverage to {num} remote villages by the end of next year.",
    "The government plans to plant {num} thousand trees along the highways to slow desertification.",
    "A delegation of university rectors discussed joint degree programmes at a forum in {capital_a}.",
    "The price of bread remained unchanged for a third month, according to the statistics office.",
    "{person} said the ministry would publish a draft of the new labour code for public comment.",
    "Police said the traffic accident on the ring road left {num2} people with minor injuries.",
    "Construction of the new stadium is {pct} percent complete, the contractor said on Thursday.",
]
HEADLINES = [
    "{a} and {b} discuss closer ties as officials meet in {capital_a}",
    "{da} officials review relations with {b} amid busy diplomatic season",
    "{a} weighs new steps on trade, security with {b}",
    "Week in review: {a} budget, {db} visit and a cold snap",
    "{da} ministers set out plans for the year ahead",
]


def make_report(rng: random.Random, index: int) -> dict[str, str]:
    """One invented wire report as a record: id, title, outlet, published, text."""
    a, b = rng.sample(STATES, 2)
    year = rng.randint(2015, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    slots = _make_slots(rng, a, b, year=year)
    outlet = rng.choice(OUTLETS)
    dateline = f"{a[2].upper()}, {MONTHS[month - 1]} {day}, {year} ({outlet}) — "
    facts = [rng.choice(FACT_TEMPLATES).format(**_make_slots(rng, a, b, year=year)) for _ in range(_n_facts(rng))]
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    paragraphs: list[str] = []
    words = 0
    while words < target or facts:
        sentences = [rng.choice(FILLER_TEMPLATES).format(**_make_slots(rng, a, b, year=year)) for _ in range(3)]
        if facts and (rng.random() < 0.5 or words >= target):
            sentences.insert(rng.randint(0, len(sentences)), facts.pop())
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    paragraphs[0] = dateline + paragraphs[0]
    return {
        "id": f"bench-{index:06d}",
        "title": rng.choice(HEADLINES).format(**slots),
        "outlet": outlet,
        "published": f"{year:04d}-{month:02d}-{day:02d}",
        "text": "\n\n".join(paragraphs),
    }


def iter_reports(count: int, *, seed: int = 0) -> list[dict[str, str]]:
    """`count` distinct report records (a text that repeats an earlier one is drawn again)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    records: list[dict[str, str]] = []
    while len(records) < count:
        record = make_report(rng, len(records))
        digest = hashlib.sha256(record["text"].encode("utf-8")).hexdigest()
        if digest not in seen:
            seen.add(digest)
            records.append(record)
    return records


def write_corpus(folder: str | Path, count: int, *, seed: int = 0, fmt: str = "txt") -> list[Path]:
    """Write `count` reports into `folder`: one .txt file each, or .jsonl files of JSONL_PER_FILE records."""
    if fmt not in ("txt", "jsonl"):
        raise ValueError(f"fmt must be 'txt' or 'jsonl', not {fmt!r}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    records = iter_reports(count, seed=seed)
    paths: list[Path] = []
    if fmt == "txt":
        for record in records:
            path = out / f"{record['id']}.txt"
            path.write_text(f"{record['title']}\n\n{record['text']}\n", encoding="utf-8")
            paths.append(path)
        return paths
    for start in range(0, len(records), JSONL_PER_FILE):
        path = out / f"reports-{start // JSONL_PER_FILE:03d}.jsonl"
        lines = (json.dumps(record, ensure_ascii=False) for record in records[start : start + JSONL_PER_FILE])
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _n_facts(rng: random.Random) -> int:
    return rng.randint(MIN_FACTS, MAX_FACTS)


def _make_slots(rng: random.Random, a: tuple[str, str, str], b: tuple[str, str, str], *, year: int) -> dict[str, str]:
    """Values for every placeholder of every template (str.format ignores the unused ones)."""
    month = rng.randint(1, 12)
    team_a, team_b = rng.sample(TEAMS, 2)
    return {
        "a": a[0],
        "b": b[0],
        "da": a[1],
        "db": b[1],
        "capital_a": a[2],
        "org": rng.choice(GROUPS),
        "date": f"{rng.randint(1, 28)} {MONTHS[month - 1]} {year}",
        "month_year": f"{MONTHS[month - 1]} {year}",
        "month": MONTHS[month - 1],
        "year": str(year - rng.randint(0, 1)),
        "hedge": rng.choice(HEDGES),
        "amount": f"{rng.randint(5, 990)}.{rng.randint(0, 9)}",
        "target": str(rng.randint(1, 10)),
        "target_year": str(year + rng.randint(2, 6)),
        "goods": rng.choice(DEAL_GOODS),
        "pct": f"{rng.randint(1, 30)}.{rng.randint(0, 9)}",
        "temp": str(rng.randint(-25, 38)),
        "team_a": team_a,
        "team_b": team_b,
        "score_a": str(rng.randint(0, 4)),
        "score_b": str(rng.randint(0, 3)),
        "person": rng.choice(PEOPLE),
        "num": str(rng.randint(3, 400)),
        "num2": str(rng.randint(2, 60)),
    }


def main() -> None:
    """The command line: write the corpus and say where."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the reports into")
    parser.add_argument("--count", type=int, default=5000, help="number of reports (default 5000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--format", dest="fmt", choices=["txt", "jsonl"], default="txt")
    args = parser.parse_args()
    paths = write_corpus(args.out, args.count, seed=args.seed, fmt=args.fmt)
    print(f"wrote {args.count} reports in {len(paths)} files to {args.out}")


if __name__ == "__main__":
    main()
