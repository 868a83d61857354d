"""Finding accounts that share the same items within seconds of each other, again and again.

The method follows two published tools (domain-facts §F):

1. **Coordination interval**: CooRnet's ``estimate_coord_interval`` with its
   code's defaults ``q = 0.1, p = 0.5``. For every item shared at least
   twice, rank its shares by time; keep the items whose *second* share came
   fastest (at or below the q-quantile of the time to the second share);
   for each of them, take the time from its first share to the first share
   that puts it past a fraction p of its shares; the interval is the
   p-quantile of those times. 0 s becomes 1 s.
2. **Co-shares**: two shares of the same item by two different accounts at
   most ``window`` seconds apart (inclusive).
3. **Pair weights**: for each pair of accounts, the number of *distinct*
   items they co-shared (as CooRTweet counts them; repetition is the signal).
4. **Threshold**: keep the pairs whose weight is strictly above the
   ``percentile``-quantile of all weights, as CooRTweet's
   ``generate_coordinated_network`` does (``weight > quantile``).
   CooRnet's ``build_coord_graph`` keeps ``weight >= quantile`` instead:
   ``strict=False``. When most pairs co-shared one item, the quantile is 1
   and ``>=`` keeps every pair.
5. **Candidate networks**: the connected components of the kept pairs (networkx).

Two engines give identical answers: **DuckDB** (SQL, for logs of millions of
events; the lesson shows the query) and **pandas** (for lesson-sized logs).
The co-share query is a *time-bucketed equi-join*: a share's partners within
``window`` seconds sit in its own time bucket ``ts // window`` or one of the
two next to it, so the join is on (item, bucket) and the exact test runs on
few candidate pairs. A plain join on the item with ``abs(a.ts - b.ts) <= w``
compares every pair of shares of a popular item instead (584 s instead of
0.4 s at one million events, ``/work/shared/notes/coordination-scale.md``).

The window is bounded by ``max_window`` (600 s by default): cost grows with
the number of chance co-shares, which grows fast with the window, and the
interval estimate can return hours on a log with little coordination. Pass
``max_window=None`` to run a larger window on purpose.

Used in: lessons/06_coordination_lab, solutions/05_coordination, tools/bench.py.
"""

from __future__ import annotations

import atexit
import math
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .._validate import check_int, check_number

__all__ = [
    "CO_SHARES_SQL",
    "INTERVAL_SQL",
    "MAX_WINDOW_S",
    "PAIR_WEIGHTS_SQL",
    "REQUIRED_COLUMNS",
    "Detection",
    "IntervalEstimate",
    "account_network",
    "bipartite_view",
    "candidate_networks",
    "check_events",
    "check_window",
    "co_shares",
    "co_shares_sql",
    "connect",
    "detect",
    "estimate_interval",
    "keep_edges",
    "load_events",
    "pair_weights",
    "pair_weights_sql",
    "weights_graph",
]

#: The columns an event log needs: who shared, what, when (whole seconds).
REQUIRED_COLUMNS = ("account_id", "item_id", "ts")
#: The default bound on the window, in seconds (override with ``max_window=None``).
MAX_WINDOW_S = 600

# ---------------------------------------------------------------------------
# The SQL that learners read in the lesson
# ---------------------------------------------------------------------------
#: Co-shares: pairs of shares of one item by two accounts at most $window seconds apart.
CO_SHARES_SQL = """\
-- Every share gets a time bucket as wide as the window.
WITH shares AS (
    SELECT account_id, item_id, ts, ts // $bucket AS bucket
    FROM events
),
-- A partner within the window sits in the same bucket or a neighbouring one,
-- so copy each share into buckets -1, 0 and +1 ...
neighbours AS (
    SELECT account_id, item_id, ts, bucket + offs AS bucket
    FROM shares, (VALUES (-1), (0), (1)) AS o(offs)
)
-- ... join on (item, bucket), then keep the pairs really within the window.
SELECT a.item_id,
       a.account_id AS account_a,
       b.account_id AS account_b,
       abs(a.ts - b.ts) AS gap_s
FROM shares AS a
JOIN neighbours AS b
  ON a.item_id = b.item_id AND a.bucket = b.bucket
WHERE a.account_id < b.account_id      -- two different accounts, each pair once
  AND abs(a.ts - b.ts) <= $window      -- at most `window` seconds apart
"""

#: Pair weights: how many distinct items each pair co-shared (reads a relation ``co_shares``).
PAIR_WEIGHTS_SQL = """\
SELECT account_a, account_b, count(DISTINCT item_id) AS weight
FROM co_shares
GROUP BY account_a, account_b
"""

#: CooRnet's estimate_coord_interval (q, p) in SQL.
INTERVAL_SQL = """\
-- Per item shared at least twice: how many shares, and its two earliest times.
WITH per_item AS (
    SELECT item_id, count(*) AS n_shares, min(ts, 2) AS first_two
    FROM events
    GROUP BY item_id
    HAVING count(*) >= 2
),
second AS (                  -- seconds from the first to the second share
    SELECT item_id, list_sort(first_two)[2] - list_sort(first_two)[1] AS to_second
    FROM per_item
),
quickest AS (                -- the items whose second share came fastest (q-quantile)
    SELECT item_id FROM second
    WHERE to_second <= (SELECT quantile_cont(to_second, $q) FROM second)
),
ranked AS (                  -- their shares, ranked by time
    SELECT e.item_id,
           e.ts - min(e.ts) OVER w AS since_first,
           row_number() OVER (w ORDER BY e.ts) AS share_rank,
           count(*) OVER w AS n_shares
    FROM events AS e SEMI JOIN quickest AS q ON e.item_id = q.item_id
    WINDOW w AS (PARTITION BY e.item_id)
),
past_p AS (                  -- time until each item passed a fraction p of its shares
    SELECT item_id, min(since_first) AS to_p
    FROM ranked
    WHERE share_rank / n_shares > $p
    GROUP BY item_id
)
SELECT quantile_cont(to_p, $p) AS interval_s, count(*) AS n_items FROM past_p
"""


# ---------------------------------------------------------------------------
# Input checks (clear errors)
# ---------------------------------------------------------------------------
def check_window(window: Any, max_window: int | None = MAX_WINDOW_S) -> int:
    """Return ``window`` as whole seconds (0 or more, at most ``max_window``).

    Parameters
    ----------
    window : int
        Seconds; a float with a whole value (``10.0``) is accepted.
    max_window : int or None
        Refuse larger windows (None: no bound).

    Raises
    ------
    TypeError
        If ``window`` is not a whole number.
    ValueError
        If it is negative or above ``max_window``.
    """
    if isinstance(window, (float, np.floating)) and float(window).is_integer():
        window = int(window)
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)):
        raise TypeError(f"window must be a whole number of seconds, got {window!r} (type {type(window).__name__})")
    window = int(window)
    if window < 0:
        raise ValueError(f"window must be 0 or more seconds, got {window}")
    if max_window is not None:
        max_window = check_int("max_window", max_window, minimum=0)
        if window > max_window:
            raise ValueError(
                f"window={window} s is above max_window={max_window} s. Chance co-shares grow quickly with the "
                "window, and so do time and memory (at ten million events a 600 s window means billions of "
                "candidate pairs). If you mean it, pass max_window=None (or a larger bound).")
    return window


def _check_fraction(name: str, value: Any) -> float:
    return check_number(name, value, minimum=0.0, maximum=1.0)


def check_events(events: Any):
    """Return ``events`` as a pandas DataFrame with the columns ``account_id, item_id, ts``.

    Accepts a DataFrame or a dict of equal-length arrays. Ids may be integers or
    strings; ``ts`` must hold whole seconds as integers. Extra columns are kept.

    Raises
    ------
    TypeError
        If ``events`` is not a table, or a column has the wrong type.
    ValueError
        If a column is missing or has missing values.
    """
    import pandas as pd

    if isinstance(events, dict):
        try:
            events = pd.DataFrame(events, copy=False)
        except ValueError as exc:
            raise ValueError(f"events: the columns of the dict must have the same length ({exc})") from None
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a pandas DataFrame (or a dict of columns), got {type(events).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"events is missing the column(s) {missing}; it needs {list(REQUIRED_COLUMNS)} "
                         f"(it has {list(events.columns)})")
    ts_type = events["ts"].dtype
    if not pd.api.types.is_integer_dtype(ts_type):
        hint = ""
        if pd.api.types.is_datetime64_any_dtype(ts_type):
            hint = "; convert datetimes to seconds, e.g. (events['ts'] - events['ts'].min()).dt.total_seconds().astype('int64')"
        elif pd.api.types.is_float_dtype(ts_type):
            hint = "; round them first, e.g. events['ts'].round().astype('int64')"
        raise TypeError(f"events['ts'] must hold whole seconds as integers, got dtype {ts_type}{hint}")
    for column in ("account_id", "item_id"):
        dtype = events[column].dtype
        if not (pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
            raise TypeError(f"events['{column}'] must hold integer or string ids, got dtype {dtype}")
        if not pd.api.types.is_integer_dtype(dtype):  # integer columns cannot hold missing values
            n_missing = int(events[column].isna().sum())
            if n_missing:
                raise ValueError(f"events['{column}'] has {n_missing} missing value(s); drop or fill them first")
    return events


# ---------------------------------------------------------------------------
# DuckDB
# ---------------------------------------------------------------------------
def _private_folder() -> str:
    folder = tempfile.mkdtemp(prefix="workshop-duckdb-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def connect(threads: int = 2, memory_limit: str | None = "1GB", temp_directory: str | Path | None = None):
    """An in-memory DuckDB database with a fixed number of threads and bounded memory.

    Parameters
    ----------
    threads : int
        Worker threads (1 on Binder, 2 on the workshop machine).
    memory_limit : str or None
        DuckDB's memory limit, e.g. ``"1GB"``; beyond it DuckDB spills to disk.
    temp_directory : str or Path, optional
        Where it spills. By default a private temporary folder, removed when
        Python exits (DuckDB's own default, ``.tmp`` in the working directory,
        would put files in the lessons folder).

    Returns
    -------
    duckdb.DuckDBPyConnection
    """
    import duckdb

    threads = check_int("threads", threads, minimum=1, maximum=64)
    if memory_limit is not None and not isinstance(memory_limit, str):
        raise TypeError(f"memory_limit must be a string such as '1GB' or None, got {memory_limit!r}")
    config = {"threads": threads, "temp_directory": str(temp_directory or _private_folder())}
    if memory_limit:
        config["memory_limit"] = memory_limit
    return duckdb.connect(config=config)


def _is_connection(obj: Any) -> bool:
    return type(obj).__name__ == "DuckDBPyConnection"


def load_events(con, events: Any, name: str = "events") -> int:
    """Put an event log into table ``name`` of a DuckDB connection.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        From :func:`connect`.
    events : DataFrame, dict of arrays, or str / Path of a Parquet file
        The log, with the columns ``account_id, item_id, ts``.
    name : str
        Table name (letters, digits and underscores).

    Returns
    -------
    int
        The number of events loaded.
    """
    if not _is_connection(con):
        raise TypeError(f"con must be a DuckDB connection from connect(), got {type(con).__name__}")
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be a plain table name such as 'events', got {name!r}")
    if isinstance(events, (str, Path)):
        path = Path(events)
        if not path.exists():
            raise FileNotFoundError(f"events: no Parquet file at {path}")
        columns = {row[0]: row[1] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()}
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise ValueError(f"events is missing the column(s) {missing}; it needs {list(REQUIRED_COLUMNS)} "
                             f"(the file has {list(columns)})")
        if "INT" not in columns["ts"].upper():
            raise TypeError(f"events['ts'] must hold whole seconds as integers, got {columns['ts']}")
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT account_id, item_id, ts::BIGINT AS ts "
                    "FROM read_parquet(?)", [str(path)])
    else:
        frame = check_events(events)
        con.register("_incoming_events", frame)
        try:
            con.execute(f"CREATE OR REPLACE TABLE {name} AS "
                        "SELECT account_id, item_id, ts::BIGINT AS ts FROM _incoming_events")
        finally:
            con.unregister("_incoming_events")
    return int(con.execute(f"SELECT count(*) FROM {name}").fetchone()[0])


def _params(window: int) -> dict[str, int]:
    return {"window": window, "bucket": max(window, 1)}


def co_shares_sql(con, window: int, *, max_window: int | None = MAX_WINDOW_S):
    """Co-shares with DuckDB (table ``events`` of ``con``), as a pandas DataFrame.

    Columns ``item_id, account_a, account_b, gap_s``, with ``account_a < account_b``.
    """
    window = check_window(window, max_window)
    return con.execute(CO_SHARES_SQL, _params(window)).df()


def pair_weights_sql(con, window: int, *, max_window: int | None = MAX_WINDOW_S, table: str | None = None):
    """Pair weights with DuckDB: ``account_a, account_b, weight`` (distinct items co-shared).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        With the log in table ``events``.
    window : int
        Seconds.
    max_window : int or None
        See :func:`check_window`.
    table : str, optional
        Keep the weights in this temporary table and return None (for logs
        with millions of pairs); by default return a DataFrame.
    """
    window = check_window(window, max_window)
    query = f"WITH co_shares AS ({CO_SHARES_SQL}) {PAIR_WEIGHTS_SQL}"
    if table is None:
        return con.execute(query, _params(window)).df()
    if not isinstance(table, str) or not table.isidentifier():
        raise ValueError(f"table must be a plain table name, got {table!r}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {query}", _params(window))
    return None


# ---------------------------------------------------------------------------
# pandas (same answers, for lesson-sized logs)
# ---------------------------------------------------------------------------
def co_shares(events: Any, window: int, *, max_window: int | None = MAX_WINDOW_S):
    """Co-shares with pandas: pairs of shares of one item by two accounts at most ``window`` s apart.

    Parameters
    ----------
    events : DataFrame or dict of arrays
        ``account_id, item_id, ts`` (any order).
    window : int
        Seconds, inclusive.
    max_window : int or None
        See :func:`check_window`.

    Returns
    -------
    pandas.DataFrame
        ``item_id, account_a, account_b, gap_s`` with ``account_a < account_b``,
        one row per pair of shares.
    """
    import pandas as pd

    window = check_window(window, max_window)
    ev = check_events(events)[list(REQUIRED_COLUMNS)]
    ev = ev.assign(bucket=ev["ts"] // max(window, 1))
    neighbours = pd.concat([ev.assign(bucket=ev["bucket"] + offset) for offset in (-1, 0, 1)], ignore_index=True)
    pairs = ev.merge(neighbours, on=["item_id", "bucket"], suffixes=("_a", "_b"))
    gap = (pairs["ts_a"] - pairs["ts_b"]).abs()
    keep = (pairs["account_id_a"] < pairs["account_id_b"]) & (gap <= window)
    return pd.DataFrame({"item_id": pairs["item_id"].to_numpy()[keep.to_numpy()],
                         "account_a": pairs["account_id_a"].to_numpy()[keep.to_numpy()],
                         "account_b": pairs["account_id_b"].to_numpy()[keep.to_numpy()],
                         "gap_s": gap.to_numpy()[keep.to_numpy()]})


def _check_co_shares(co_shares: Any):
    import pandas as pd

    if not isinstance(co_shares, pd.DataFrame):
        raise TypeError(f"co_shares must be a DataFrame of co-shares, got {type(co_shares).__name__}")
    missing = [c for c in ("item_id", "account_a", "account_b") if c not in co_shares.columns]
    if missing:
        raise ValueError(f"co_shares is missing the column(s) {missing}; it needs item_id, account_a, account_b")
    return co_shares


def pair_weights(co_shares: Any):
    """Per pair of accounts, the number of distinct items they co-shared.

    Returns
    -------
    pandas.DataFrame
        ``account_a, account_b, weight``.
    """
    co = _check_co_shares(co_shares)
    return (co.groupby(["account_a", "account_b"], sort=True)["item_id"].nunique()
            .rename("weight").reset_index())


def _plain(x: Any) -> Any:
    return x.item() if hasattr(x, "item") else x


def weights_graph(weights: Any):
    """An undirected networkx graph from a table ``account_a, account_b, weight``."""
    import networkx as nx
    import pandas as pd

    if not isinstance(weights, pd.DataFrame) or not {"account_a", "account_b", "weight"} <= set(weights.columns):
        raise TypeError("weights must be a DataFrame with the columns account_a, account_b, weight")
    graph = nx.Graph()
    graph.add_weighted_edges_from(
        (_plain(a), _plain(b), int(w)) for a, b, w in weights[["account_a", "account_b", "weight"]].itertuples(index=False))
    return graph


def account_network(co_shares: Any):
    """The account network of a table of co-shares: edge weight = distinct items the pair co-shared.

    Returns
    -------
    networkx.Graph
        Nodes are account ids; each edge has an integer ``weight``.
    """
    return weights_graph(pair_weights(co_shares))


# ---------------------------------------------------------------------------
# The interval estimate (both engines)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class IntervalEstimate:
    """CooRnet's coordination interval.

    Attributes
    ----------
    seconds : int
        The interval, rounded, at least 1 s.
    raw_seconds : float
        Before rounding and the 0 -> 1 rule.
    n_items : int
        How many items (the quickest ``q`` share) it rests on.
    q, p : float
        The parameters.
    """

    seconds: int
    raw_seconds: float
    n_items: int
    q: float
    p: float

    def __str__(self) -> str:
        return (f"{self.seconds} s (CooRnet's estimate with q={self.q}, p={self.p}, from the {self.n_items:,} "
                "items whose second share came fastest)")


_NO_ESTIMATE = ("cannot estimate the coordination interval: no item was shared at least twice; "
                "pass a window in seconds instead")


def estimate_interval(events_or_con: Any, q: float = 0.1, p: float = 0.5) -> IntervalEstimate:
    """CooRnet's ``estimate_coord_interval`` (code defaults q=0.1, p=0.5), in SQL or pandas.

    Parameters
    ----------
    events_or_con : DuckDB connection (table ``events``), DataFrame or dict of arrays
        A connection runs :data:`INTERVAL_SQL`; a table runs the pandas version.
    q : float
        Share of items kept: those whose second share came fastest.
    p : float
        The fraction of shares, and the quantile taken.

    Returns
    -------
    IntervalEstimate
        Warns when it is above :data:`MAX_WINDOW_S`: that happens when
        coordinated items are rare, and the estimate is then the organic delay.
    """
    q, p = _check_fraction("q", q), _check_fraction("p", p)
    if _is_connection(events_or_con):
        raw, n_items = events_or_con.execute(INTERVAL_SQL, {"q": q, "p": p}).fetchone()
    else:
        raw, n_items = _estimate_pandas(check_events(events_or_con), q, p)
    if raw is None or n_items == 0:
        raise ValueError(_NO_ESTIMATE)
    estimate = IntervalEstimate(max(1, int(round(raw))), float(raw), int(n_items), q, p)
    if estimate.seconds > MAX_WINDOW_S:
        warnings.warn(f"the estimated coordination interval is {estimate.seconds:,} s, above {MAX_WINDOW_S} s: "
                      "coordinated sharing is probably rare in this log, and the estimate is the ordinary delay "
                      "between shares. Choose a window yourself (CooRTweet's default is 10 s).", stacklevel=2)
    return estimate


def _estimate_pandas(ev, q: float, p: float) -> tuple[float | None, int]:
    ev = ev[["item_id", "ts"]]
    ev = ev[ev.groupby("item_id")["ts"].transform("size") >= 2].sort_values(["item_id", "ts"], kind="stable")
    if ev.empty:
        return None, 0
    grouped = ev.groupby("item_id")["ts"]
    ev = ev.assign(since_first=ev["ts"] - grouped.transform("min"), share_rank=grouped.cumcount() + 1,
                   n_shares=grouped.transform("size"))
    second = ev.loc[ev["share_rank"] == 2, ["item_id", "since_first"]]
    quickest = second.loc[second["since_first"] <= second["since_first"].quantile(q), "item_id"]
    past = ev[ev["item_id"].isin(quickest) & (ev["share_rank"] / ev["n_shares"] > p)]
    to_p = past.groupby("item_id")["since_first"].min()
    return (float(to_p.quantile(p)) if len(to_p) else None), len(to_p)


# ---------------------------------------------------------------------------
# Threshold, networks, and the whole pipeline
# ---------------------------------------------------------------------------
def keep_edges(weights: Any, percentile: float = 0.9, strict: bool = True):
    """Keep the pairs whose weight is above the ``percentile``-quantile of all weights.

    Parameters
    ----------
    weights : DataFrame
        ``account_a, account_b, weight``.
    percentile : float
        Between 0 and 1 (0.9: the 90th percentile).
    strict : bool
        ``weight > cut`` (CooRTweet, the default) or ``weight >= cut`` (CooRnet).

    Returns
    -------
    (DataFrame, float)
        The kept pairs and the cut (linear interpolation, as R's and numpy's
        default quantile; infinity for an empty table).
    """
    import pandas as pd

    percentile = _check_fraction("percentile", percentile)
    if not isinstance(weights, pd.DataFrame) or "weight" not in weights.columns:
        raise TypeError("weights must be a DataFrame with the columns account_a, account_b, weight")
    if len(weights) == 0:
        return weights.iloc[0:0], math.inf
    cut = float(np.quantile(weights["weight"].to_numpy(), percentile))
    mask = weights["weight"] > cut if strict else weights["weight"] >= cut
    return weights[mask].reset_index(drop=True), cut


def candidate_networks(kept: Any) -> list[set]:
    """Connected components of the kept pairs (networkx), largest first, then by smallest id."""
    import networkx as nx

    graph = weights_graph(kept)
    components = [set(c) for c in nx.connected_components(graph)]
    return sorted(components, key=lambda c: (-len(c), min(c)))


@dataclass
class Detection:
    """What :func:`detect` found.

    Attributes
    ----------
    window : int
        The window used, in seconds.
    estimate : IntervalEstimate or None
        The interval estimate, when the window was estimated.
    percentile, strict : float, bool
        The threshold rule.
    threshold : float
        The weight quantile (the cut).
    n_pairs : int
        Account pairs with at least one co-share.
    kept : pandas.DataFrame
        The pairs above the threshold: ``account_a, account_b, weight``.
    networks : list of set
        Candidate networks (components of the kept pairs), largest first.
    weights : pandas.DataFrame or None
        All pair weights (None when ``keep_weights=False``).
    """

    window: int
    estimate: IntervalEstimate | None
    percentile: float
    strict: bool
    threshold: float
    n_pairs: int
    kept: Any
    networks: list
    weights: Any = None

    @property
    def flagged(self) -> set:
        """Every account in a candidate network."""
        return set().union(*self.networks) if self.networks else set()

    def __repr__(self) -> str:
        rule = ">" if self.strict else ">="
        return (f"Detection(window={self.window} s, weight {rule} {self.threshold:g} (percentile {self.percentile}), "
                f"{self.n_pairs:,} pairs, {len(self.kept):,} kept, {len(self.networks)} networks, "
                f"{len(self.flagged):,} accounts)")


def detect(events_or_con: Any, window: int | None = None, percentile: float = 0.9, *, strict: bool = True,
           max_window: int | None = MAX_WINDOW_S, keep_weights: bool = True) -> Detection:
    """The whole pipeline: window, co-shares, pair weights, threshold, candidate networks.

    Parameters
    ----------
    events_or_con : DuckDB connection (table ``events``), DataFrame or dict of arrays
        A connection runs in DuckDB; a table runs in pandas.
    window : int, optional
        Seconds; estimated with :func:`estimate_interval` when None.
    percentile : float
        See :func:`keep_edges`.
    strict : bool
        See :func:`keep_edges`.
    max_window : int or None
        Refuse windows (also estimated ones) above this; see :func:`check_window`.
    keep_weights : bool
        Return all pair weights too (turn off for millions of pairs).

    Returns
    -------
    Detection
    """
    percentile = _check_fraction("percentile", percentile)
    estimate = None
    if window is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            estimate = estimate_interval(events_or_con)
        if max_window is not None and estimate.seconds > max_window:
            raise ValueError(
                f"window: the estimated coordination interval is {estimate.seconds:,} s (from {estimate.n_items:,} "
                f"items), above max_window={max_window} s. Coordinated sharing is probably rare in this log, so the "
                "estimate is the ordinary delay between shares. Pass a window yourself (CooRTweet's default is "
                "10 s), or max_window=None to run it anyway.")
        window = estimate.seconds
    window = check_window(window, max_window)
    if _is_connection(events_or_con):
        con = events_or_con
        pair_weights_sql(con, window, max_window=None, table="_pair_weights")
        n_pairs, cut = con.execute("SELECT count(*), quantile_cont(weight, $p) FROM _pair_weights",
                                   {"p": percentile}).fetchone()
        cut = math.inf if cut is None else float(cut)
        rule = ">" if strict else ">="
        kept = con.execute(f"SELECT account_a, account_b, weight FROM _pair_weights WHERE weight {rule} $cut "
                           "ORDER BY account_a, account_b", {"cut": cut if math.isfinite(cut) else 0}).df()
        if not math.isfinite(cut):
            kept = kept.iloc[0:0]
        weights = (con.execute("SELECT * FROM _pair_weights ORDER BY account_a, account_b").df()
                   if keep_weights else None)
        con.execute("DROP TABLE _pair_weights")
    else:
        weights = pair_weights(co_shares(events_or_con, window, max_window=None))
        n_pairs = len(weights)
        kept, cut = keep_edges(weights, percentile, strict)
        weights = weights if keep_weights else None
    return Detection(window, estimate, percentile, strict, cut, int(n_pairs), kept, candidate_networks(kept), weights)


def bipartite_view(co_shares: Any, network: set):
    """The account-item graph of one network: its accounts, and the items they co-shared with each other.

    Nodes are ``("account", id)`` and ``("item", id)`` tuples with the
    attribute ``bipartite`` (0 for accounts, 1 for items), ready for
    ``networkx.algorithms.bipartite.weighted_projected_graph``.
    """
    import networkx as nx

    co = _check_co_shares(co_shares)
    members = set(network)
    inside = co[co["account_a"].isin(members) & co["account_b"].isin(members)]
    graph = nx.Graph()
    graph.add_nodes_from((("account", _plain(a)) for a in sorted(members)), bipartite=0)
    graph.add_nodes_from((("item", _plain(i)) for i in sorted(set(inside["item_id"]))), bipartite=1)
    for column in ("account_a", "account_b"):
        graph.add_edges_from((("account", _plain(a)), ("item", _plain(i)))
                             for a, i in inside[[column, "item_id"]].itertuples(index=False))
    return graph
