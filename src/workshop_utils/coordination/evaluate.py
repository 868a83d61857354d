"""How good is a detection? Precision and recall against the answer key, per group and over a sweep.

Positives are the members of every planted group that coordinates: the push
cells, the disguised cell, the background cells *and* the activists, because
coordination is what the method detects (whether it is inauthentic is a
separate question, which the lab discusses). The decoy pair and all ordinary
accounts are negatives.

Used in: lessons/06_coordination_lab, solutions/05_coordination, tools/bench.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from . import detect as _detect

__all__ = ["account_scores", "group_table", "sweep"]


def _check_truth(truth: Any):
    import pandas as pd

    if not isinstance(truth, pd.DataFrame) or not {"account_id", "group"} <= set(truth.columns):
        raise TypeError("truth must be the answer key of an EventLog (a DataFrame with account_id and group)")
    return truth


def _check_networks(networks: Any) -> list[set]:
    if not isinstance(networks, (list, tuple)) or not all(isinstance(n, (set, frozenset)) for n in networks):
        raise TypeError("networks must be a list of sets of account ids (Detection.networks)")
    return list(networks)


def account_scores(networks: Sequence[set], truth: Any) -> dict[str, Any]:
    """Account-level precision and recall of the flagged accounts.

    Parameters
    ----------
    networks : list of set
        Candidate networks.
    truth : pandas.DataFrame
        ``EventLog.truth``.

    Returns
    -------
    dict
        ``flagged, true_positives, false_positives, precision, recall,
        decoy_flagged, networks``. Precision is 1.0 when nothing is flagged.
    """
    networks = _check_networks(networks)
    truth = _check_truth(truth)
    flagged = set().union(*networks) if networks else set()
    coordinated = set(truth.loc[truth["group"] != "decoy", "account_id"])
    decoy = set(truth.loc[truth["group"] == "decoy", "account_id"])
    tp = len(flagged & coordinated)
    return {"flagged": len(flagged), "true_positives": tp, "false_positives": len(flagged) - tp,
            "precision": tp / len(flagged) if flagged else 1.0,
            "recall": tp / len(coordinated) if coordinated else 1.0,
            "decoy_flagged": len(flagged & decoy), "networks": len(networks)}


def group_table(networks: Sequence[set], truth: Any, named_only: bool = False):
    """Per planted group: members found, in how many networks, and how many outsiders share them.

    Parameters
    ----------
    networks : list of set
        Candidate networks, e.g. ``Detection.networks``.
    truth : pandas.DataFrame
        ``EventLog.truth``.
    named_only : bool
        Leave out the background cells (``cell_NNN``).

    Returns
    -------
    pandas.DataFrame
        ``group, kind, inauthentic, size, found, recall, networks, outsiders``;
        ``networks`` lists the 1-based numbers of the networks holding the group.
    """
    import pandas as pd

    networks = _check_networks(networks)
    truth = _check_truth(truth)
    member_of = {a: k for k, net in enumerate(networks) for a in net}
    rows = []
    for group, members in truth.groupby("group", sort=False):
        if named_only and group.startswith("cell_"):
            continue
        ids = members["account_id"].tolist()
        found = [member_of[a] for a in ids if a in member_of]
        nets = sorted(set(found))
        outsiders = sum(len(networks[k]) for k in nets) - len(found)
        rows.append({"group": group, "kind": members["kind"].iloc[0] if "kind" in members else "",
                     "inauthentic": bool(members["inauthentic"].iloc[0]) if "inauthentic" in members else None,
                     "size": len(ids), "found": len(found), "recall": len(found) / len(ids),
                     "networks": ", ".join(str(k + 1) for k in nets) or "-", "outsiders": outsiders})
    return pd.DataFrame(rows)


def sweep(events_or_con: Any, truth: Any, windows: Iterable[int] = (10, 60, 600),
          percentiles: Iterable[float] = (0.5, 0.9, 0.99), *, strict: bool = True,
          max_window: int | None = _detect.MAX_WINDOW_S):
    """Run the detection for every window and percentile and score it.

    Pair weights are computed once per window; each percentile then only moves the cut.

    Returns
    -------
    pandas.DataFrame
        One row per (window, percentile): ``window, percentile, threshold,
        pairs, kept, networks, flagged, false_positives, precision, recall,
        decoy_flagged``.
    """
    import pandas as pd

    truth = _check_truth(truth)
    windows = [_detect.check_window(w, max_window) for w in windows]
    percentiles = list(percentiles)
    rows = []
    for window in windows:
        if _detect._is_connection(events_or_con):
            weights = _detect.pair_weights_sql(events_or_con, window, max_window=max_window)
        else:
            weights = _detect.pair_weights(_detect.co_shares(events_or_con, window, max_window=max_window))
        for percentile in percentiles:
            kept, cut = _detect.keep_edges(weights, percentile, strict)
            networks = _detect.candidate_networks(kept)
            scores = account_scores(networks, truth)
            rows.append({"window": window, "percentile": percentile, "threshold": cut, "pairs": len(weights),
                         "kept": len(kept), "networks": len(networks), "flagged": scores["flagged"],
                         "false_positives": scores["false_positives"], "precision": scores["precision"],
                         "recall": scores["recall"], "decoy_flagged": scores["decoy_flagged"]})
    return pd.DataFrame(rows)
