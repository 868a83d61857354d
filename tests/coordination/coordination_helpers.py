"""Helpers shared by the coordination tests."""

from workshop_utils.coordination import detect


def sql_connection(events):
    """A one-thread DuckDB connection holding ``events``."""
    con = detect.connect(threads=1)
    detect.load_events(con, events)
    return con


def normalised(weights):
    """Pair weights in a canonical order and dtype, for comparing engines."""
    return (weights[["account_a", "account_b", "weight"]].astype({"weight": "int64"})
            .sort_values(["account_a", "account_b"]).reset_index(drop=True))
