"""Coordination: finding accounts that act together in a sharing log (lesson 06, exercise 05).

Researchers find coordinated groups from behaviour, not content: accounts
that share the same items within seconds of each other, again and again
(CooRnet and CooRTweet; domain-facts §F).

Modules
-------
eventlog
    A seeded synthetic sharing log with planted coordinated groups (push
    cells, a disguised cell, an open activist campaign, a decoy pair), with
    the answer key kept apart; scales to tens of millions of events.
media
    Synthetic media for the planted accounts: headlines written by the
    character model, profile photos drawn by the face-swap model (imports torch).
detect
    The method, in DuckDB SQL and in pandas: the coordination interval,
    co-shares, pair weights, the percentile threshold, candidate networks.
evaluate
    Precision and recall against the answer key, per group and over a sweep.
views
    The network, one network's account-item graph, the sweep, profiles and
    photos (imports matplotlib when a figure is drawn).

Example
-------
::

    from workshop_utils.coordination import detect, eventlog

    log = eventlog.generate(100_000, seed=6)
    con = detect.connect(threads=1)
    detect.load_events(con, log.events)
    result = detect.detect(con)          # window estimated from the data

Importing this package imports nothing heavy (no duckdb, pandas, networkx,
torch or matplotlib); each function imports what it needs.
"""

__all__ = ["detect", "evaluate", "eventlog", "media", "views"]
