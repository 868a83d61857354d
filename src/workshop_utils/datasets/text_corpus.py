"""A small, invented text corpus: local news headlines and short product reviews.

The *small_town_text* corpus is written by this module, not collected: 32
headline templates and a review builder fill slots from word lists of
invented towns, people, organisations and brands, with a fixed seed. Every
name is made up; any resemblance to real people, places or brands is a
coincidence. Because the text is generated, it can be shipped, regenerated
byte for byte, and discussed without anyone's writing or privacy at stake.

Two kinds of line, one per line of text:

- headlines, e.g. ``Quillmouth council approves revised plan for a new cycle path``;
- reviews, which start with a rating, e.g. ``2/5 Stopped working after 3 weeks. ...``.

The shipped files ``data/text/small_town_text.train.txt`` and
``small_town_text.heldout.txt`` hold a fixed split: the held-out lines never
appear in the training file. :func:`workshop_utils.detection.human.text_quiz_items`
mixes held-out lines with lines written by the pretrained character model for a
"corpus or model?" quiz. (The corpus lines are themselves generated, from
templates people wrote: the game compares a hand-written generator with a
learned one.)

:func:`check_line` reads a line against the same templates: it says whether
the corpus's own generator could have written it and, if not, what gives it
away (a sentence the templates never write, stars that contradict the words,
two products mixed up). Every shipped line passes it; a language model's
lines pass it only as often as the model has learned the templates.

Used in: lessons/04_industry, lessons/05_manipulation_in_society, solutions/04_text_generation.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .._validate import check_choice, check_int, check_number

__all__ = [
    "CORPUS_NAME",
    "SEED",
    "SPLITS",
    "LineCheck",
    "check_line",
    "generate_lines",
    "line_kind",
    "lines",
    "load",
    "make_corpus",
    "write_corpus",
]

CORPUS_NAME = "small_town_text"
#: The seed the shipped files were generated with.
SEED = 4
#: Number of lines in each split of the shipped corpus.
SPLITS = {"train": 3000, "heldout": 400}

# ---------------------------------------------------------------------------
# Word lists. All names are invented for the workshop.
# ---------------------------------------------------------------------------
TOWNS = [
    "Quillmouth", "Ostervale", "Larkhaven", "Wrenmoor", "Cindervale", "Hollowmere", "Saltreach",
    "Marrowgate", "Dunmarsh", "Thistlecombe", "Emberlea", "Gorsewick", "Pebbleford", "Ravensholt",
    "Sorrelby", "Tarnbury",
]
FIRST_NAMES = [
    "Ada", "Bram", "Celia", "Dev", "Eun-ji", "Farid", "Greta", "Hamid", "Ines", "Jonah", "Kemi",
    "Lior", "Mara", "Niall", "Oona", "Priya", "Quentin", "Rosa", "Sami", "Tova", "Uma", "Viktor",
    "Wren", "Yusuf", "Zofia",
]
SURNAMES = [
    "Quenby", "Thistlewood", "Marchbank", "Oakridge", "Penhallow", "Larkworthy", "Fenwick-Hale",
    "Ashcombe", "Brightwater", "Cordell", "Dunstable-Ray", "Ellery", "Farrowdale", "Gillow", "Harrowby",
]
ROLES = ["mayor", "deputy mayor", "council leader", "harbour master", "head librarian", "fire chief", "town clerk"]
COMPANIES = [
    "Pemberfold Foods", "Dapplewick Energy", "Corvane Logistics", "Saltglass Media", "Thornquill Bank",
    "Brindlecraft", "Nettlebright Dairies", "Glimmerton Rail", "Harlow & Finch Builders", "Kestrel Mills",
]
PUBLIC_BODIES = [
    "the water board", "the harbour authority", "the library service", "the bus company",
    "the health trust", "the county council", "the ferry operator", "the school board",
]
FACILITIES = [
    "its depot", "its call centre", "its bakery", "a branch", "the visitor centre", "its warehouse",
    "the sorting office", "a factory",
]
PROJECTS = [
    "a new cycle path", "a second bridge", "the harbour wall", "cheaper parking", "a skate park",
    "flood defences", "a new swimming pool", "the old cinema", "a solar farm", "more bus stops",
    "a community garden", "affordable homes",
]
PLAN_ADJECTIVES = ["revised", "controversial", "long-awaited", "costly", "scaled-back", "ambitious"]
SERVICES = ["buses", "broadband", "street lighting", "public toilets", "bin collections", "parks", "roads"]
ROADS = ["the coast road", "Route 7", "Mill Lane", "the bypass", "the old toll road", "Harbour Street", "Station Road"]
TEAMS = ["Rovers", "United", "Athletic", "Harriers", "Wanderers", "Town"]
FOODS = ["sourdough", "pork pies", "lemon cake", "rye bread", "cheese scones", "apple tarts"]
INCIDENTS = ["a break-in", "a collision", "a fire", "a theft from a van", "a burst water main"]
CONCERNS = ["parking worries", "noise complaints", "delays", "rising costs", "a petition"]
RATINGS = ["outstanding", "good", "requires improvement", "inadequate"]
WEATHER = ["Heavy rain", "Strong winds", "Fog", "Sunshine", "Snow", "Thunderstorms", "Frost"]
REGIONS = ["the north coast", "the valley", "the eastern hills", "the lowlands", "the islands"]
DAYS = ["weekend", "Monday", "week", "afternoon", "Friday"]
ATTRACTIONS = ["a dog show", "live music", "a boat race", "fireworks", "a pie contest", "a silent disco"]
PETS = ["cat", "dog", "tortoise", "parrot", "ferret", "goat"]
MONTHS = ["January", "March", "April", "June", "September", "October", "December"]
TOPICS = ["the new car park", "school uniforms", "wind turbines", "the harbour fees", "late-night buses"]
WATERWAYS = ["river", "canal", "stream", "estuary"]
BUILDINGS = ["warehouse", "school", "farm", "hotel", "garage", "church hall"]
OFFENCES = ["late payments", "a pollution leak", "misleading adverts", "unsafe scaffolding", "data errors"]
VENUES = ["cafe", "noodle bar", "bistro", "pub", "bakery", "pizzeria"]
VERDICTS = ["is worth the wait", "misses the mark", "is a welcome surprise", "needs more time", "gets it right"]
REASONS = ["high winds", "staff shortages", "engine trouble", "a storm warning", "low tides"]
SUPERLATIVES = ["the friendliest", "the happiest", "the most expensive", "the quietest", "the greenest"]

BRANDS = [
    "Brindle", "Corvane", "Dapplewick", "Fenwright", "Glimmerton", "Hollin", "Nettlebright", "Pemberfold",
    "Quayle & Stone", "Tallowmere", "Larkspur Home", "Otterby",
]
#: Product -> (praised aspects, criticised aspects).
PRODUCTS: dict[str, tuple[list[str], list[str]]] = {
    "kettle": (["boils really fast", "is quiet", "pours without dripping"],
               ["has a lid that sticks", "is very loud", "leaks from the base"]),
    "desk lamp": (["gives a warm, even light", "is easy to angle", "has a sturdy base"],
                  ["flickers", "gets hot", "wobbles on the desk"]),
    "rain jacket": (["kept me dry all day", "has deep pockets", "packs down small"],
                    ["soaked through in light rain", "runs small", "has a flimsy zip"]),
    "backpack": (["fits a laptop and lunch", "has comfy straps", "feels solid"],
                 ["tore at the strap", "is smaller than it looks", "smells of plastic"]),
    "blender": (["crushes ice easily", "is simple to clean", "makes smooth soup"],
                ["cracked on day two", "is deafening", "leaves lumps"]),
    "headset": (["sounds clear", "fits well", "has a long battery life"],
                ["hurts my ears", "keeps losing connection", "crackles at high volume"]),
    "garden hose": (["does not kink", "reaches the whole garden", "has a good nozzle"],
                    ["split at the tap", "kinks all the time", "is shorter than stated"]),
    "coffee grinder": (["grinds evenly", "is compact", "is easy to adjust"],
                       ["jams", "makes a mess", "is painfully slow"]),
    "umbrella": (["survived a storm", "opens with one hand", "is light"],
                 ["turned inside out", "rusted", "drips on my shoulders"]),
    "toaster": (["toasts evenly", "has wide slots", "looks smart"],
                ["burns one side", "trips the fuse", "has a stiff lever"]),
    "bike light": (["is very bright", "charges quickly", "clips on securely"],
                   ["fell off", "dies after an hour", "is too dim"]),
    "board game": (["kept the family laughing", "has clear rules", "is great with four players"],
                   ["has confusing rules", "was missing pieces", "drags on too long"]),
    "office chair": (["is comfy for long days", "was easy to assemble", "supports my back"],
                     ["squeaks", "sinks slowly", "came with a missing screw"]),
}
RELATIVES = ["my mum", "my dad", "my sister", "my partner", "my son", "a friend", "my neighbour"]


def _n(lo: int, hi: int) -> Callable[[random.Random, dict], str]:
    return lambda rng, used: str(rng.randint(lo, hi))


def _one_of(options: list[str]) -> Callable[[random.Random, dict], str]:
    def pick(rng: random.Random, used: dict) -> str:
        fresh = [o for o in options if o not in used.values()]  # e.g. two different towns
        return rng.choice(fresh or options)

    return pick


def _person(rng: random.Random, used: dict) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _money(rng: random.Random, used: dict) -> str:
    return f"${rng.choice([2, 5, 12, 40, 75, 150, 300])},000"


def _score(rng: random.Random, used: dict) -> str:
    return str(rng.choices(range(6), weights=[4, 5, 4, 2, 1, 1])[0])


def _win(rng: random.Random, used: dict) -> str:
    loser = rng.choices(range(4), weights=[5, 4, 2, 1])[0]
    return f"{loser + rng.choices([1, 2, 3, 4], weights=[5, 3, 2, 1])[0]}-{loser}"


SLOTS: dict[str, Callable[[random.Random, dict], str]] = {
    "town": _one_of(TOWNS), "person": _person, "role": _one_of(ROLES), "company": _one_of(COMPANIES),
    "body": _one_of(PUBLIC_BODIES), "facility": _one_of(FACILITIES), "project": _one_of(PROJECTS),
    "plan_adj": _one_of(PLAN_ADJECTIVES), "service": _one_of(SERVICES), "road": _one_of(ROADS),
    "team": _one_of(TEAMS), "food": _one_of(FOODS), "incident": _one_of(INCIDENTS),
    "concern": _one_of(CONCERNS), "rating": _one_of(RATINGS), "weather": _one_of(WEATHER),
    "region": _one_of(REGIONS), "day": _one_of(DAYS), "attraction": _one_of(ATTRACTIONS),
    "pet": _one_of(PETS), "month": _one_of(MONTHS), "topic": _one_of(TOPICS),
    "waterway": _one_of(WATERWAYS), "building": _one_of(BUILDINGS), "offence": _one_of(OFFENCES),
    "venue": _one_of(VENUES), "verdict": _one_of(VERDICTS), "reason": _one_of(REASONS),
    "superlative": _one_of(SUPERLATIVES), "money": _money, "score": _score, "win": _win,
    "years": _n(3, 120), "count": _n(12, 950), "jobs": _n(8, 400), "pct": _n(2, 19), "miles": _n(2, 60),
    "ordinal": _one_of(["second", "third", "fourth", "fifth"]),
}

HEADLINES = [
    "{town} council approves {plan_adj} plan for {project}",
    "{company} to close {facility} in {town} after {years} years",
    "{person}, {role} of {town}, steps down",
    "Opinion: {town} deserves better {service}",
    "Flooding closes {road} between {town} and {town2}",
    "{town} {team} beat {town2} {team2} {win}",
    "{town} {team} hold {town2} to {score}-{score} draw",
    "Power cut leaves {count} homes in {town} without electricity",
    "Bus fares in {town} to rise by {pct}% from {month}",
    "{town} bakery wins regional award for its {food}",
    "Police appeal for witnesses after {incident} in {town}",
    "New {venue} opens in {town} despite {concern}",
    "Residents protest plans for {project} in {town}",
    "{company} announces {jobs} new jobs at {town} site",
    "School in {town} rated '{rating}' by inspectors",
    "Weather: {weather} expected across {region} this {day}",
    "{town} festival returns with {count} stalls and {attraction}",
    "Council tax in {town} set to rise by {pct}%",
    "Missing {pet} found safe {miles} miles from home in {town}",
    "{person} elected {role} of {town}",
    "Roadworks on {road} to last until {month}",
    "Letters: readers divided over {topic}",
    "{town} hospital waiting times fall for {ordinal} month in a row",
    "Volunteers plant {count} trees along the {town} {waterway}",
    "Fire at {town} {building} under control, crews say",
    "{company} fined {money} over {offence}",
    "Library in {town} to extend opening hours from {month}",
    "Review: new {venue} in {town} {verdict}",
    "{town} named {superlative} place to live in {region}",
    "Ferry between {town} and {town2} cancelled due to {reason}",
    "{body} apologises to {town} residents over {concern}",
    "{person} of {company}: '{town} is ready for {project}'",
]


def _fill(template: str, rng: random.Random) -> str:
    used: dict[str, str] = {}
    for _, field, _, _ in string.Formatter().parse(template):
        if field and field not in used:
            used[field] = SLOTS[field.rstrip("0123456789")](rng, used)
    line = template.format(**used)
    return line[0].upper() + line[1:]


def _review(rng: random.Random) -> str:
    stars = rng.choices([1, 2, 3, 4, 5], weights=[15, 10, 15, 25, 35])[0]
    brand, product = rng.choice(BRANDS), rng.choice(sorted(PRODUCTS))
    good, bad = (rng.sample(aspects, 2) for aspects in PRODUCTS[product])
    item = f"{brand} {product}" if rng.random() < 0.5 else f"this {product}"
    if stars >= 4:
        openers = [f"Great {product}.", f"Really pleased with {item}.", "Does exactly what it says.",
                   f"Bought {item} for {rng.choice(RELATIVES)}. A big hit.", f"Best {product} I have owned."]
        middle = [f"It {good[0]}.", f"It {good[0]} and {good[1]}."]
        closers = ["Would buy again.", "Five stars." if stars == 5 else "Four stars.", "Highly recommend.", ""]
    elif stars == 3:
        openers = [f"Decent {product} for the price.", "Good but not perfect.", f"{item[0].upper()}{item[1:]} is fine."]
        middle = [f"It {good[0]}, but it {bad[0]}.", f"It {good[0]}. Shame it {bad[0]}."]
        closers = ["Might keep it.", "Three stars.", "Okay for now.", ""]
    else:
        openers = [f"Stopped working after {rng.randint(2, 9)} weeks.", "Very disappointed.", "Not worth the money.",
                   f"Arrived broken and the box was {rng.choice(['soaked', 'crushed', 'open'])}."]
        middle = [f"The {product} {bad[0]}.", f"It {bad[0]} and the {rng.choice(['seller', 'shop'])} "
                  f"took {rng.randint(3, 21)} days to reply."]
        closers = ["Returned it.", "Would not recommend.", "Avoid.", ""]
    parts = [rng.choice(openers), rng.choice(middle)]
    if rng.random() < 0.3:
        parts.append(f"Delivery took {rng.randint(1, 9)} days.")
    parts.append(rng.choice(closers))
    return f"{stars}/5 " + " ".join(p for p in parts if p)


def generate_lines(n: int, seed: int = SEED, review_share: float = 0.4) -> list[str]:
    """Write ``n`` distinct corpus lines (headlines and reviews) with a seed.

    Parameters
    ----------
    n : int
        How many lines to write.
    seed : int
        Seed of the random generator: the same seed gives the same lines.
    review_share : float
        Probability that a line is a review rather than a headline.

    Returns
    -------
    list of str
        ``n`` different lines, without line breaks.

    Used in: :func:`make_corpus`, tests/test_text_corpus.
    """
    check_int("n", n, minimum=1, maximum=100_000)
    check_int("seed", seed, minimum=0)
    review_share = check_number("review_share", review_share, minimum=0.0, maximum=1.0)
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        line = _review(rng) if rng.random() < review_share else _fill(rng.choice(HEADLINES), rng)
        if line not in seen:
            seen.add(line)
            out.append(line)
    return out


def make_corpus(seed: int = SEED) -> dict[str, str]:
    """Build both splits of the corpus as text (one line per headline or review).

    The first ``SPLITS["train"]`` distinct lines go to ``"train"``, the next
    ``SPLITS["heldout"]`` to ``"heldout"``, so no held-out line is in the
    training text.

    Returns
    -------
    dict of str to str
        ``{"train": ..., "heldout": ...}``, each ending with a newline.

    Used in: :func:`write_corpus`, tests/test_text_corpus.
    """
    all_lines = generate_lines(sum(SPLITS.values()), seed)
    n_train = SPLITS["train"]
    return {"train": "\n".join(all_lines[:n_train]) + "\n", "heldout": "\n".join(all_lines[n_train:]) + "\n"}


def _folder() -> Path:
    return Path(str(resources.files("workshop_utils").joinpath("data/text")))


def write_corpus(folder: str | Path | None = None, seed: int = SEED) -> dict[str, Path]:
    """Regenerate the corpus files (the shipped ones by default).

    Parameters
    ----------
    folder : str or Path, optional
        Where to write ``small_town_text.<split>.txt``; defaults to the
        package's ``data/text`` folder.
    seed : int
        Generator seed.

    Returns
    -------
    dict of str to Path
        The path of each split's file.

    Used in: maintenance (``python -c "from workshop_utils import text_corpus; text_corpus.write_corpus()"``).
    """
    folder = _folder() if folder is None else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for split, text in make_corpus(seed).items():
        paths[split] = folder / f"{CORPUS_NAME}.{split}.txt"
        paths[split].write_text(text, encoding="utf-8", newline="\n")
    return paths


def load(split: str = "train") -> str:
    """The shipped text of one split, ``"train"`` or ``"heldout"``.

    Used in: lessons/04_industry, solutions/04_text_generation.
    """
    check_choice("split", split, SPLITS)
    return (_folder() / f"{CORPUS_NAME}.{split}.txt").read_text(encoding="utf-8")


def lines(split: str = "train") -> list[str]:
    """The shipped lines of one split, without line breaks.

    Used in: lessons/04_industry.
    """
    return load(split).splitlines()


_REVIEW = re.compile(r"^[1-5]/5 ")


def line_kind(line: str) -> str:
    """``"review"`` if a line starts with a rating such as ``4/5 ``, else ``"headline"``.

    Used in: :func:`workshop_utils.detection.human.text_quiz_items`.
    """
    if not isinstance(line, str):
        raise TypeError(f"line must be a string, got {type(line).__name__}")
    return "review" if _REVIEW.match(line) else "headline"


# ---------------------------------------------------------------------------
# Reading a line against the templates: could the corpus's generator have written it?
# The patterns below mirror _fill and _review; a test checks that every shipped line passes.
# ---------------------------------------------------------------------------

_NUMBER_SLOTS = {"years", "count", "jobs", "pct", "miles", "score"}
_STAR_GROUPS = {1: "low", 2: "low", 3: "mid", 4: "high", 5: "high"}


def _alternation(options) -> str:
    return "(?:" + "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True)) + ")"


def _slot_pattern(slot: str) -> str:
    lists = {"town": TOWNS, "role": ROLES, "company": COMPANIES, "body": PUBLIC_BODIES, "facility": FACILITIES,
             "project": PROJECTS, "plan_adj": PLAN_ADJECTIVES, "service": SERVICES, "road": ROADS, "team": TEAMS,
             "food": FOODS, "incident": INCIDENTS, "concern": CONCERNS, "rating": RATINGS, "weather": WEATHER,
             "region": REGIONS, "day": DAYS, "attraction": ATTRACTIONS, "pet": PETS, "month": MONTHS,
             "topic": TOPICS, "waterway": WATERWAYS, "building": BUILDINGS, "offence": OFFENCES, "venue": VENUES,
             "verdict": VERDICTS, "reason": REASONS, "superlative": SUPERLATIVES,
             "ordinal": ["second", "third", "fourth", "fifth"]}
    if slot in lists:
        return _alternation(lists[slot])
    if slot == "person":
        return _alternation(FIRST_NAMES) + " " + _alternation(SURNAMES)
    if slot == "money":
        return r"\$\d+,000"
    if slot == "win":
        return r"\d+-\d+"
    if slot in _NUMBER_SLOTS:
        return r"\d+"
    raise KeyError(slot)


@lru_cache(maxsize=1)
def _headline_patterns() -> tuple[re.Pattern, ...]:
    patterns = []
    for template in HEADLINES:
        regex = ""
        for literal, field, _, _ in string.Formatter().parse(template):
            regex += re.escape(literal)
            if field:
                regex += _slot_pattern(field.rstrip("0123456789"))
        patterns.append(re.compile(regex))
    return tuple(patterns)


def _review_sentences(product: str) -> list[tuple[str, frozenset[int], str]]:
    """(regex, stars it may go with, role) for every sentence a review of ``product`` can contain."""
    good, bad = (_alternation(a) for a in PRODUCTS[product])
    p = re.escape(product)
    item = f"(?:{_alternation(BRANDS)} {p}|this {p})"
    item_cap = f"(?:{_alternation(BRANDS)} {p}|This {p})"
    high, mid, low = frozenset({4, 5}), frozenset({3}), frozenset({1, 2})
    return [
        (f"Great {p}\\.", high, "opener"), (f"Really pleased with {item}\\.", high, "opener"),
        (r"Does exactly what it says\.", high, "opener"), (f"Best {p} I have owned\\.", high, "opener"),
        (f"Bought {item} for {_alternation(RELATIVES)}\\. A big hit\\.", high, "opener"),
        (f"It {good}\\.", high, "middle"), (f"It {good} and {good}\\.", high, "middle"),
        (f"Decent {p} for the price\\.", mid, "opener"), (r"Good but not perfect\.", mid, "opener"),
        (f"{item_cap} is fine\\.", mid, "opener"),
        (f"It {good}, but it {bad}\\.", mid, "middle"), (f"It {good}\\. Shame it {bad}\\.", mid, "middle"),
        (r"Stopped working after \d+ weeks\.", low, "opener"), (r"Very disappointed\.", low, "opener"),
        (r"Not worth the money\.", low, "opener"),
        (r"Arrived broken and the box was (?:soaked|crushed|open)\.", low, "opener"),
        (f"The {p} {bad}\\.", low, "middle"),
        (f"It {bad} and the (?:seller|shop) took \\d+ days to reply\\.", low, "middle"),
        (r"Delivery took \d+ days\.", frozenset({1, 2, 3, 4, 5}), "delivery"),
        (r"Would buy again\.", high, "closer"), (r"Highly recommend\.", high, "closer"),
        (r"Five stars\.", frozenset({5}), "closer"), (r"Four stars\.", frozenset({4}), "closer"),
        (r"Might keep it\.", mid, "closer"), (r"Three stars\.", mid, "closer"), (r"Okay for now\.", mid, "closer"),
        (r"Returned it\.", low, "closer"), (r"Would not recommend\.", low, "closer"), (r"Avoid\.", low, "closer"),
    ]


@lru_cache(maxsize=1)
def _review_patterns() -> tuple[tuple[str, re.Pattern, frozenset[int], str], ...]:
    """(product, compiled sentence regex, stars, role); sentences naming no product repeat per product."""
    return tuple((product, re.compile(regex), stars, role)
                 for product in sorted(PRODUCTS) for regex, stars, role in _review_sentences(product))


def _is_review_sentence(sentence: str) -> bool:
    return any(pattern.fullmatch(sentence) for _, pattern, _, _ in _review_patterns())


_ROLE_ORDER = {"opener": 0, "middle": 1, "delivery": 2, "closer": 3}
_SENTENCE = re.compile(r"[^.]*\.(?: A big hit\.| Shame it [^.]*\.)?")


@dataclass(frozen=True)
class LineCheck:
    """What :func:`check_line` found about one line.

    Attributes
    ----------
    line : str
        The line checked.
    kind : str
        ``"headline"`` or ``"review"`` (see :func:`line_kind`).
    problems : tuple of str
        Plain-language tells: why the corpus's templates could not have
        written this line. Empty if they could.
    """

    line: str
    kind: str
    problems: tuple[str, ...]

    @property
    def fits(self) -> bool:
        """True if the corpus's own templates could have written the line."""
        return not self.problems


def check_line(line: str) -> LineCheck:
    """Read one line against the templates the corpus was written from.

    A headline fits if one of the 32 headline templates, filled from the
    corpus's word lists, gives exactly this line. A review fits if its
    sentences are ones the review builder writes, in its order (opener,
    middle, optional delivery time, optional closer), all about one product,
    and all allowed with the line's star rating.

    Parameters
    ----------
    line : str
        One headline or review, without the line break.

    Returns
    -------
    LineCheck
        ``fits`` is True for every line of the shipped corpus; otherwise
        ``problems`` lists what gives the line away, for example
        ``"'Avoid.' goes with 1/5 or 2/5 in the corpus, not with 5/5"``.

    Examples
    --------
    >>> check_line("5/5 Great kettle. It is quiet. Five stars.").fits
    True
    >>> check_line("5/5 Great kettle. It is quiet. Avoid.").problems
    ("'Avoid.' goes with 1/5 or 2/5 in the corpus, not with 5/5",)
    """
    kind = line_kind(line)
    text = line.strip()
    if kind == "headline":
        candidates = {text, text[:1].lower() + text[1:]}
        if any(p.fullmatch(c) for p in _headline_patterns() for c in candidates):
            return LineCheck(line, kind, ())
        tail = text.split(". ", 1)[1] if ". " in text else ""
        if re.search(r"\b[1-5]/5\b", text) or any(_is_review_sentence(s.strip()) for s in _SENTENCE.findall(tail)):
            return LineCheck(line, kind, ("a headline and a review run together",))
        return LineCheck(line, kind, ("not a headline the corpus templates can write",))
    stars, body = int(text[0]), text[4:].strip()
    sentences = _SENTENCE.findall(body)
    if not sentences or "".join(sentences).replace(" ", "") != body.replace(" ", ""):
        return LineCheck(line, kind, ("the review breaks off or runs into something that is not a review sentence",))
    problems: list[str] = []
    products: set[str] | None = None
    roles: list[str] = []
    for sentence in (s.strip() for s in sentences):
        matches = [(product, stars_ok, role) for product, pattern, stars_ok, role in _review_patterns()
                   if pattern.fullmatch(sentence)]
        if not matches:
            problems.append(f"{sentence!r} is not a sentence the corpus templates write")
            continue
        allowed = set().union(*(m[1] for m in matches))
        if stars not in allowed:
            listed = " or ".join(f"{s}/5" for s in sorted(allowed))
            problems.append(f"{sentence!r} goes with {listed} in the corpus, not with {stars}/5")
        named = {m[0] for m in matches}
        if len(named) < len(PRODUCTS):  # the sentence is about particular products
            products = named if products is None else products & named
        roles.append(min((m[2] for m in matches), key=_ROLE_ORDER.get))
    if products is not None and not products:
        problems.append("its sentences are about different products")
    order = [_ROLE_ORDER[r] for r in roles]
    if not problems and (roles[:1] != ["opener"] or order != sorted(order) or len(set(roles)) != len(roles)
                         or "middle" not in roles):
        problems.append("its sentences are not in the order the corpus writes reviews")
    return LineCheck(line, kind, tuple(problems))

