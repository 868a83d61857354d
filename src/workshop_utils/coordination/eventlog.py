"""A seeded, synthetic sharing log with planted coordinated groups, and the answer key kept apart.

Everything in a log is invented: account names, domains (all under the
reserved ``.example`` top-level domain), headlines and profile photos. It
models a month on a small platform where accounts share items (links).

What a log holds
----------------
- **Organic accounts** share items. Which account: heavy-tailed activity
  (log-normal weights). Which item: Zipf popularity (exponent 1), with the
  head flattened so that no item takes more than 2% of the shares. When: the
  item's publication time (uniform over the period) plus a log-normal delay
  (median 12 hours, sigma 1.5: from minutes to days).
- **Planted groups** (the answer key):

  ==============  ====  ======================================================
  group           size  behaviour
  ==============  ====  ======================================================
  ``push_1``      6     co-share 45 items of one domain within 0-6 s; new
                        accounts; their headlines can be written by the
                        workshop's character model, their profile photos are
                        drawn by its face-swap model (:mod:`.media`)
  ``push_2``      5     co-share 35 items within 0-20 s; as above
  ``disguised``   7     pages named like entertainment pages that co-share 40
                        political items within 0-8 s
  ``activist``    8     an open campaign: members post 25 campaign items at an
                        agreed time (18:00), within 0-30 s of each other
  ``decoy``       2     two ordinary accounts that once shared the same item
                        2 s apart, by chance
  ``cell_NNN``    3-6   small background cells (20-60 items, lags 0-3 to 0-15 s)
  ==============  ====  ======================================================

  Members of planted groups also share popular organic items ("cover"), and
  each planted item is shared by a few ordinary accounts later on.
- **Background cells: a modelling choice.** Small anonymous cells are added
  until 8% of the items are pushed by coordinated groups. CooRnet's estimate
  of the coordination interval rests on the 10% of items whose second share
  came fastest; when coordinated items are much rarer than that, it returns
  the organic delay (hours) instead of seconds (measured in the prototype of
  this lab at 100,000 events: 5-12 s over 30 seeds with 8%, about 7 hours
  with none; lesson 06 measures both on its own run). The 8%
  is chosen so the published procedure works on this log; it is not a fact
  about any platform. See the datasheet ``coordination_log``.
- Account and item ids are shuffled, so an id says nothing about a group.

Events are three numpy arrays, ``account_id`` (int32), ``item_id`` (int32) and
``ts`` (int64, whole seconds since the start of the period), in no particular
order. They are generated in chunks of one million events, each with its own
seed, so the same seed always gives the same log and ten million events take
about 160 MB.

Used in: lessons/06_coordination_lab, solutions/05_coordination, tools/bench.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._validate import check_int, check_number

__all__ = [
    "DAY",
    "GROUPS",
    "MIN_EVENTS",
    "EventLog",
    "GroupSpec",
    "generate",
    "write_parquet",
]

DAY = 86_400
_CHUNK = 1_000_000
#: The smallest log :func:`generate` makes (the planted groups alone take about 1,000 events).
MIN_EVENTS = 5_000
_DECOY_GAP_S = 2


@dataclass(frozen=True)
class GroupSpec:
    """One named planted group.

    Attributes
    ----------
    name : str
        The group's name in the answer key.
    size : int
        Number of accounts.
    n_items : int
        Items the group pushes together.
    max_lag_s : int
        Members share each item within this many seconds of the first.
    participation : float
        Chance that a member joins in on a given item.
    kind : str
        ``"push"``, ``"disguised"`` or ``"activist"``.
    inauthentic : bool
        Whether the group pretends to be something it is not (fake or
        disguised accounts). The activists coordinate openly.
    """

    name: str
    size: int
    n_items: int
    max_lag_s: int
    participation: float
    kind: str
    inauthentic: bool


#: The named planted groups.
GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec("push_1", 6, 45, 6, 0.85, "push", True),
    GroupSpec("push_2", 5, 35, 20, 0.85, "push", True),
    GroupSpec("disguised", 7, 40, 8, 0.80, "disguised", True),
    GroupSpec("activist", 8, 25, 30, 0.90, "activist", False),
)


@dataclass
class EventLog:
    """A generated log: what a researcher sees, and apart from it the answer key.

    Attributes
    ----------
    events : dict of numpy.ndarray
        ``account_id`` (int32), ``item_id`` (int32), ``ts`` (int64 seconds), unsorted.
    accounts : pandas.DataFrame or None
        One row per account: ``account_id, name, page_type, profile_photo,
        created_day`` (days relative to the start of the period; negative is
        before). None when generated with ``metadata=False``.
    items : pandas.DataFrame or None
        One row per item: ``item_id, domain, section, headline, published_ts``.
    truth : pandas.DataFrame
        The answer key, one row per planted account: ``account_id, group,
        kind, inauthentic``. Not part of what learners analyse: show it with
        :meth:`reveal` at the end.
    truth_items : pandas.DataFrame
        ``item_id, group, headline_source`` for every planted item.
    params : dict
        The generator's settings and the population sizes.
    """

    events: dict[str, np.ndarray]
    accounts: Any
    items: Any
    truth: Any
    truth_items: Any
    params: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.events["ts"])

    def __repr__(self) -> str:
        p = self.params
        return (f"EventLog({len(self):,} shares by {p.get('n_accounts', 0):,} accounts of "
                f"{p.get('n_items', 0):,} items over {p.get('days')} days, seed {p.get('seed')})")

    def events_frame(self):
        """The events as a pandas DataFrame (columns ``account_id, item_id, ts``; no copy)."""
        import pandas as pd

        return pd.DataFrame(self.events, copy=False)

    def reveal(self):
        """The answer key with each planted account's name and page type (for the end of the lab)."""
        table = self.truth.copy()
        if self.accounts is not None:
            table = table.merge(self.accounts[["account_id", "name", "page_type", "created_day"]],
                                on="account_id", how="left")
        return table


def _check_share(name: str, value: float, maximum: float) -> float:
    return check_number(name, value, minimum=0.0, maximum=maximum)


def generate(
    n_events: int = 100_000,
    seed: int = 0,
    *,
    days: int = 30,
    coordinated_item_share: float = 0.08,
    max_item_share: float = 0.02,
    metadata: bool = True,
    headline_writer: Callable[[int, int], list[str]] | None = None,
) -> EventLog:
    """Generate a log of exactly ``n_events`` shares with the planted groups.

    Parameters
    ----------
    n_events : int
        Total number of shares (organic and planted), at least 5,000. The
        numbers of accounts (about ``n_events / 8``) and items (about
        ``n_events / 25``) grow with it.
    seed : int
        The same seed gives the same log, bit for bit.
    days : int
        Length of the period.
    coordinated_item_share : float
        Share of items pushed by coordinated groups (named groups plus
        background cells), between 0 and 0.5. See the module docstring for
        why it is 0.08.
    max_item_share : float
        No item takes more than this share of the organic shares (between
        0.001 and 1; 1 leaves the Zipf head as it is).
    metadata : bool
        Build the account and item tables (turn off for very large logs).
    headline_writer : callable, optional
        ``headline_writer(n, seed) -> list of n str`` writes the headlines of
        the push cells' items, e.g. :func:`workshop_utils.coordination.media.model_headlines`
        (the workshop's character model). Without it they get template headlines.

    Returns
    -------
    EventLog

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type or out of range (the message names it).
    """
    n_events = check_int("n_events", n_events, minimum=MIN_EVENTS)
    seed = check_int("seed", seed, minimum=0)
    days = check_int("days", days, minimum=7, maximum=3650)
    coordinated_item_share = _check_share("coordinated_item_share", coordinated_item_share, 0.5)
    max_item_share = check_number("max_item_share", max_item_share, minimum=0.001, maximum=1.0)
    if headline_writer is not None and not callable(headline_writer):
        raise TypeError(f"headline_writer must be a function (n, seed) -> list of str, got {type(headline_writer).__name__}")

    period = days * DAY
    n_acc, n_items = max(400, n_events // 8), max(800, n_events // 25)
    s_struct, s_plant, s_meta, s_chunks = np.random.SeedSequence([seed, 20_601]).spawn(4)
    rng = np.random.default_rng(s_struct)
    log_median, delay_sigma = np.log(12 * 3600.0), 1.5

    # --- organic population -------------------------------------------------
    activity = rng.lognormal(0.0, 1.0, n_acc)
    acc_p = activity / activity.sum()
    popularity = np.arange(1, n_items + 1, dtype=float) ** -1.0
    for _ in range(50):  # flatten the head; capping renormalises, so repeat until it holds
        popularity /= popularity.sum()
        if popularity.max() <= max_item_share * 1.0001:
            break
        popularity = np.minimum(popularity, max_item_share)
    item_p = popularity[rng.permutation(n_items)]  # rank -> a random item
    item_p /= item_p.sum()
    item_cdf = np.cumsum(item_p)
    acc_cdf = np.cumsum(acc_p)
    published = rng.integers(0, period, n_items, dtype=np.int64)

    def pick(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
        return np.minimum(np.searchsorted(cdf, u), len(cdf) - 1)

    # --- planted groups (internal ids follow the organic ones) ----------------
    prng = np.random.default_rng(s_plant)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    truth_rows: list[tuple[int, str, str, bool]] = []
    truth_item_rows: list[tuple[int, str, str]] = []
    planted_published: list[np.ndarray] = []
    next_acc, next_item = n_acc, n_items

    def cover(members: np.ndarray, n_cover: int) -> None:
        """Ordinary-looking shares of popular items by the members."""
        what = pick(item_cdf, prng.random(n_cover))
        when = published[what] + prng.lognormal(log_median, delay_sigma, n_cover).astype(np.int64)
        parts.append((prng.choice(members, n_cover), what, when))

    for spec in GROUPS:
        members = np.arange(next_acc, next_acc + spec.size)
        items = np.arange(next_item, next_item + spec.n_items)
        next_acc, next_item = next_acc + spec.size, next_item + spec.n_items
        if spec.kind == "activist":  # an agreed time: 18:00 on different days
            starts = prng.choice(np.arange(1, days), spec.n_items, replace=False) * DAY + 18 * 3600
        else:
            starts = prng.integers(0, period - 3600, spec.n_items)
        starts = starts.astype(np.int64)
        for item, t0 in zip(items, starts):
            joined = members[prng.random(spec.size) < spec.participation]
            if len(joined) < 2:
                joined = members[:2]
            lags = prng.integers(0, spec.max_lag_s + 1, len(joined))
            lags[0] = 0
            parts.append((joined, np.full(len(joined), item), t0 + lags))
            k_later = prng.poisson(2.0)  # ordinary people share it later
            if k_later:
                who = pick(acc_cdf, prng.random(k_later))
                when = t0 + prng.lognormal(log_median, delay_sigma, k_later).astype(np.int64)
                parts.append((who, np.full(k_later, item), when))
        planted_published.append(starts)
        cover(members, spec.size * int(prng.integers(20, 60)))
        truth_rows += [(int(a), spec.name, spec.kind, spec.inauthentic) for a in members]
        source = "model" if spec.kind == "push" else ("campaign" if spec.kind == "activist" else "template")
        truth_item_rows += [(int(i), spec.name, source) for i in items]

    # background cells: the many small networks a bigger data set holds (a modelling choice, see above)
    named_items = sum(g.n_items for g in GROUPS)
    n_background = max(0, int(round((coordinated_item_share * n_items - named_items) / 40)))
    for b in range(n_background):
        size, k_items, max_lag = int(prng.integers(3, 7)), int(prng.integers(20, 61)), int(prng.integers(3, 16))
        members = np.arange(next_acc, next_acc + size)
        items = np.arange(next_item, next_item + k_items)
        next_acc, next_item = next_acc + size, next_item + k_items
        starts = prng.integers(0, period - 3600, k_items).astype(np.int64)
        joined = prng.random((k_items, size)) < 0.8
        joined[:, :2] = True
        lags = prng.integers(0, max_lag + 1, (k_items, size))
        lags[:, 0] = 0
        r, c = np.nonzero(joined)
        parts.append((members[c], items[r], starts[r] + lags[r, c]))
        cover(members, size * int(prng.integers(10, 40)))
        planted_published.append(starts)
        name = f"cell_{b + 1:03d}"
        truth_rows += [(int(a), name, "background", True) for a in members]
        truth_item_rows += [(int(i), name, "template") for i in items]

    # the decoy: two quiet ordinary accounts share one ordinary item 2 s apart, once
    quiet = np.argsort(activity)[: n_acc // 2]
    decoy = prng.choice(quiet, 2, replace=False)
    d_item = int(pick(item_cdf, prng.random(1))[0])
    d_t = int(published[d_item] + prng.lognormal(log_median, delay_sigma))
    parts.append((decoy, np.array([d_item, d_item]), np.array([d_t, d_t + _DECOY_GAP_S])))
    truth_rows += [(int(a), "decoy", "decoy", False) for a in decoy]

    p_acc = np.concatenate([p[0] for p in parts]).astype(np.int32)
    p_item = np.concatenate([p[1] for p in parts]).astype(np.int32)
    p_ts = np.concatenate([p[2] for p in parts]).astype(np.int64)
    n_org = n_events - len(p_ts)
    if n_org < n_events // 2:
        raise ValueError(f"n_events={n_events} is too small for the planted groups ({len(p_ts)} events); "
                         f"use at least {2 * len(p_ts)}")

    # --- organic events in fixed chunks (deterministic, bounded memory) -------
    account_id = np.empty(n_events, np.int32)
    item_id = np.empty(n_events, np.int32)
    ts = np.empty(n_events, np.int64)
    acc_idx, item_idx = np.arange(n_acc, dtype=np.int32), np.arange(n_items, dtype=np.int32)
    for c, child in enumerate(s_chunks.spawn(-(-n_org // _CHUNK))):
        lo, hi = c * _CHUNK, min(n_org, (c + 1) * _CHUNK)
        crng = np.random.default_rng(child)
        # multinomial counts + repeat is much faster than searching random draws; shuffling
        # one of the two sorted columns pairs accounts and items at random
        account_id[lo:hi] = crng.permutation(np.repeat(acc_idx, crng.multinomial(hi - lo, acc_p)))
        chosen = np.repeat(item_idx, crng.multinomial(hi - lo, item_p))
        item_id[lo:hi] = chosen
        ts[lo:hi] = published[chosen] + crng.lognormal(log_median, delay_sigma, hi - lo).astype(np.int64)
    account_id[n_org:], item_id[n_org:], ts[n_org:] = p_acc, p_item, p_ts

    # --- hide the planted groups: shuffle both id spaces ----------------------
    acc_perm = rng.permutation(next_acc).astype(np.int32)
    item_perm = rng.permutation(next_item).astype(np.int32)
    np.take(acc_perm, account_id, out=account_id)
    np.take(item_perm, item_id, out=item_id)

    import pandas as pd

    truth = pd.DataFrame(truth_rows, columns=["account_id", "group", "kind", "inauthentic"])
    truth_items = pd.DataFrame(truth_item_rows, columns=["item_id", "group", "headline_source"])
    accounts = items_table = None
    if metadata:
        all_published = np.concatenate([published, *planted_published])
        accounts, items_table = _metadata(np.random.default_rng(s_meta), next_acc, next_item, truth, truth_items,
                                          all_published, seed, headline_writer)
        accounts["account_id"] = acc_perm[accounts["account_id"].to_numpy()]
        items_table["item_id"] = item_perm[items_table["item_id"].to_numpy()]
        accounts = accounts.sort_values("account_id", ignore_index=True)
        items_table = items_table.sort_values("item_id", ignore_index=True)
    truth["account_id"] = acc_perm[truth["account_id"].to_numpy()]
    truth_items["item_id"] = item_perm[truth_items["item_id"].to_numpy()]
    params = dict(n_events=n_events, seed=seed, days=days, coordinated_item_share=coordinated_item_share,
                  max_item_share=max_item_share, n_accounts=int(next_acc), n_items=int(next_item),
                  n_planted_events=int(len(p_ts)), n_background_cells=n_background)
    return EventLog({"account_id": account_id, "item_id": item_id, "ts": ts}, accounts, items_table, truth,
                    truth_items, params)


def write_parquet(log: EventLog, path: str | Path) -> Path:
    """Write the events (not the answer key) to a Parquet file through DuckDB.

    Parameters
    ----------
    log : EventLog
        A generated log.
    path : str or Path
        The file to write; its folder must exist.

    Returns
    -------
    Path
    """
    import duckdb
    import pandas as pd

    if not isinstance(log, EventLog):
        raise TypeError(f"log must be an EventLog from generate(), got {type(log).__name__}")
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"path: the folder {path.parent} does not exist")
    con = duckdb.connect(config={"threads": 2})
    try:
        con.register("log_events", pd.DataFrame(log.events, copy=False))
        target = str(path).replace("'", "''")  # COPY takes no parameters in older DuckDB releases
        con.execute(f"COPY log_events TO '{target}' (FORMAT parquet)")
    finally:
        con.close()
    return path


# ---------------------------------------------------------------------------
# What a researcher sees about accounts and items (internal ids; the caller maps them)
# ---------------------------------------------------------------------------
_LOCAL_PAGES = ["Gazette", "Courier", "Post", "Herald", "Chronicle"]
_COMMUNITY = ["Neighbours", "Allotment Society", "Parents Group", "Runners"]
_ENTERTAINMENT = ["Cute Pets Daily", "LOL Central", "Celebrity Buzz 24", "Pure Memes", "Viral Kitchen",
                  "Weekend Vibes", "Cat Facts Club", "Quiz Night HQ"]
_GROUP_DOMAINS = {"push_1": "truthledger-now.example", "push_2": "realvoice-report.example",
                  "disguised": "civic-alarm.example", "activist": "save-the-harbour-wall.example"}
_SPAM_WORDS = ["deal-alert", "hot-news", "breaking-now", "miracle-cure", "crypto-tips", "the-real-story"]
_ORGANIC_DOMAINS = ["{t}-gazette.example", "{t}-courier.example", "news-{t}.example", "{t}-sport.example",
                    "{t}-today.example"]
_CAMPAIGN_HEADLINES = ["Petition: keep the harbour wall open to the public",
                       "Join us on Saturday: walk for the harbour wall",
                       "Write to the council about the harbour wall plan",
                       "Why the harbour wall matters to Saltreach",
                       "Harbour wall meeting tonight at the library, all welcome"]
_POLITICAL_HEADLINES = ["{t} council hides the real cost of the new bypass",
                        "What they are not telling {t} about the election count",
                        "{t} residents furious: the vote was rigged, insiders say",
                        "Shocking: {t} candidate linked to secret deal",
                        "Share before it is deleted: the truth about {t} council"]


def _metadata(rng, n_total, n_items_total, truth, truth_items, published, seed, headline_writer):
    """Account and item tables: what a researcher would see on the platform."""
    import pandas as pd

    from ..datasets import text_corpus as tc

    def person() -> str:
        return f"{tc.FIRST_NAMES[rng.integers(len(tc.FIRST_NAMES))]} {tc.SURNAMES[rng.integers(len(tc.SURNAMES))]}"

    page_type = rng.choice(np.array(["person"] * 4 + ["local news", "community"], dtype=object), n_total)
    names, photos = [], []
    for kind in page_type:
        town = tc.TOWNS[rng.integers(len(tc.TOWNS))]
        if kind == "person":
            names.append(person())
            photos.append("default avatar" if rng.random() < 0.3 else "personal photo")
        elif kind == "local news":
            names.append(f"{town} {_LOCAL_PAGES[rng.integers(len(_LOCAL_PAGES))]}")
            photos.append("logo")
        else:
            names.append(f"{town} {_COMMUNITY[rng.integers(len(_COMMUNITY))]}")
            photos.append("logo")
    names = np.array(names, dtype=object)
    photos = np.array(photos, dtype=object)
    created = -rng.integers(200, 3000, n_total)  # account age: days before the period
    for group, members in truth.groupby("group")["account_id"]:
        members = members.to_numpy()
        if group.startswith("push"):  # new "people" with (generated) photos
            page_type[members], photos[members] = "person", "personal photo"
            names[members] = [person() for _ in members]
            created[members] = -rng.integers(5, 40, len(members))
        elif group == "disguised":
            page_type[members], photos[members] = "entertainment", "logo"
            names[members] = [_ENTERTAINMENT[j % len(_ENTERTAINMENT)] for j in range(len(members))]
            created[members] = -rng.integers(30, 120, len(members))
        elif group.startswith("cell_"):  # small spam cells: ordinary-looking, fairly new
            created[members] = -rng.integers(10, 200, len(members))
        elif group == "activist":  # open and long-standing
            page_type[members], photos[members] = "campaign", "personal photo"
            names[members] = [f"{person()} (Harbour Wall campaign)" for _ in members]
            names[members[0]], photos[members[0]] = "Save the Harbour Wall", "logo"
            created[members] = -rng.integers(400, 2000, len(members))
    accounts = pd.DataFrame({"account_id": np.arange(n_total, dtype=np.int32), "name": names,
                             "page_type": page_type, "profile_photo": photos, "created_day": created})

    towns = [tc.TOWNS[t].lower() for t in rng.integers(len(tc.TOWNS), size=n_items_total)]
    domains = np.array([_ORGANIC_DOMAINS[k].format(t=t) for k, t in zip(rng.integers(5, size=n_items_total), towns)],
                       dtype=object)
    section = rng.choice(np.array(["local", "local", "politics", "sport", "entertainment"], dtype=object), n_items_total)
    lines = tc.generate_lines(min(n_items_total, 100_000), seed=seed, review_share=0.0)
    headlines = np.array([lines[i % len(lines)] for i in range(n_items_total)], dtype=object)
    for group, ids in truth_items.groupby("group")["item_id"]:
        ids = ids.to_numpy()
        if group in _GROUP_DOMAINS:
            domains[ids] = _GROUP_DOMAINS[group]
        else:
            number = int(group[5:])
            domains[ids] = f"{_SPAM_WORDS[number % len(_SPAM_WORDS)]}-{number:03d}.example"
        if group == "activist":
            section[ids] = "campaign"
            headlines[ids] = [_CAMPAIGN_HEADLINES[rng.integers(len(_CAMPAIGN_HEADLINES))] for _ in ids]
        elif not group.startswith("cell_"):
            section[ids] = "politics"
            headlines[ids] = [_POLITICAL_HEADLINES[rng.integers(len(_POLITICAL_HEADLINES))].format(
                t=tc.TOWNS[rng.integers(len(tc.TOWNS))]) for _ in ids]
    if headline_writer is not None:
        ids = truth_items.loc[truth_items["headline_source"] == "model", "item_id"].to_numpy()
        written = list(headline_writer(len(ids), seed))
        if len(written) != len(ids) or not all(isinstance(line, str) for line in written):
            raise ValueError(f"headline_writer must return {len(ids)} strings, got {len(written)} items")
        headlines[ids] = written
    items = pd.DataFrame({"item_id": np.arange(n_items_total, dtype=np.int32), "domain": domains,
                          "section": section, "headline": headlines, "published_ts": published})
    return accounts, items
