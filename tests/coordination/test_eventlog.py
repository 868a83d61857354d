"""The generator: determinism, the planted structure, the answer key kept apart, scale, bad input."""

import numpy as np
import pandas as pd
import pytest

from workshop_utils.coordination import eventlog

NAMED = [g.name for g in eventlog.GROUPS]


def test_same_seed_same_log_and_another_seed_another_log():
    a, b, c = (eventlog.generate(20_000, s, metadata=False) for s in (3, 3, 4))
    for column in ("account_id", "item_id", "ts"):
        assert np.array_equal(a.events[column], b.events[column])
    assert not np.array_equal(a.events["ts"], c.events["ts"])
    assert a.truth.equals(b.truth)
    assert len(a) == 20_000
    assert a.events["account_id"].dtype == np.int32 and a.events["ts"].dtype == np.int64


def test_metadata_is_deterministic_too(log0):
    again = eventlog.generate(100_000, 0)
    assert again.accounts.equals(log0.accounts) and again.items.equals(log0.items)


def test_every_named_group_co_shares_its_items_within_its_lag(log0):
    ev = log0.events_frame()
    for spec in eventlog.GROUPS:
        members = set(log0.truth.loc[log0.truth.group == spec.name, "account_id"])
        items = set(log0.truth_items.loc[log0.truth_items.group == spec.name, "item_id"])
        assert len(members) == spec.size and len(items) == spec.n_items, spec.name
        mine = ev[ev.item_id.isin(items) & ev.account_id.isin(members)]
        per_item = mine.groupby("item_id").agg(n=("account_id", "nunique"), spread=("ts", lambda t: t.max() - t.min()))
        assert len(per_item) == spec.n_items and (per_item.n >= 2).all(), spec.name
        assert (per_item.spread <= spec.max_lag_s).all(), spec.name
        # members also share ordinary items ("cover"), so one post at a time they look ordinary
        assert (ev.account_id.isin(members) & ~ev.item_id.isin(items)).sum() >= 20 * spec.size


def test_the_decoy_co_shares_exactly_once(log0):
    ev = log0.events_frame()
    a, b = log0.truth.loc[log0.truth.group == "decoy", "account_id"]
    mine = ev[ev.account_id.isin([a, b])]
    common = set(mine[mine.account_id == a].item_id) & set(mine[mine.account_id == b].item_id)
    close = [i for i in common
             if (lambda s: abs(s[s.account_id == a].ts.min() - s[s.account_id == b].ts.min()))(mine[mine.item_id == i]) <= 10]
    assert len(close) == 1


def test_background_cells_reach_the_coordinated_share_of_items(log0):
    share = log0.truth_items.item_id.nunique() / log0.params["n_items"]
    assert 0.06 < share < 0.10
    none = eventlog.generate(20_000, 0, coordinated_item_share=0.0, metadata=False)
    assert not none.truth.group.str.startswith("cell_").any()


def test_ids_say_nothing_and_the_answer_key_is_apart(log0):
    planted = log0.truth.loc[log0.truth.group.isin(NAMED), "account_id"].to_numpy()
    assert planted.max() - planted.min() > 1000  # shuffled among the ordinary accounts
    for table in (log0.accounts, log0.items):
        assert not {"group", "kind", "inauthentic", "headline_source"} & set(table.columns)
    assert len(log0.accounts) == log0.params["n_accounts"] and len(log0.items) == log0.params["n_items"]
    assert set(log0.events["account_id"]) <= set(log0.accounts.account_id)
    revealed = log0.reveal()
    assert {"group", "name", "page_type"} <= set(revealed.columns) and len(revealed) == len(log0.truth)


def test_what_a_researcher_sees_about_the_groups(log0):
    table = log0.reveal().set_index("account_id")
    pages = table.groupby("group")["page_type"].agg(lambda s: set(s))
    assert pages["disguised"] == {"entertainment"} and pages["activist"] == {"campaign"}
    items = log0.items.set_index("item_id")
    disguised_items = log0.truth_items.loc[log0.truth_items.group == "disguised", "item_id"]
    assert set(items.loc[disguised_items, "section"]) == {"politics"}
    assert set(items.loc[disguised_items, "domain"]) == {"civic-alarm.example"}
    assert items["domain"].str.endswith(".example").all()


def test_a_headline_writer_writes_the_push_headlines():
    log = eventlog.generate(20_000, 1, headline_writer=lambda n, seed: [f"written {k}" for k in range(n)])
    ids = log.truth_items.loc[log.truth_items.headline_source == "model", "item_id"]
    assert log.items.set_index("item_id").loc[ids, "headline"].str.startswith("written").all()
    with pytest.raises(ValueError, match="headline_writer must return"):
        eventlog.generate(20_000, 1, headline_writer=lambda n, seed: ["too few"])


def test_a_million_events_stay_small_and_in_time_order_within_the_period():
    log = eventlog.generate(1_000_000, 2, metadata=False)
    assert len(log) == 1_000_000 and log.params["n_background_cells"] > 50
    assert sum(a.nbytes for a in log.events.values()) == 16 * 1_000_000
    assert log.events["ts"].min() >= 0


def test_write_parquet_writes_the_events_only(tmp_path):
    import duckdb

    log = eventlog.generate(10_000, 5, metadata=False)
    path = eventlog.write_parquet(log, tmp_path / "log.parquet")
    back = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").df()
    assert list(back.columns) == ["account_id", "item_id", "ts"] and len(back) == 10_000
    with pytest.raises(FileNotFoundError, match="path"):
        eventlog.write_parquet(log, tmp_path / "missing" / "log.parquet")
    with pytest.raises(TypeError, match="log must be an EventLog"):
        eventlog.write_parquet(log.events, tmp_path / "x.parquet")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_events": 100}, ValueError, "n_events must be at least 5000"),
    ({"n_events": 10_000.0}, TypeError, "n_events must be a whole number"),
    ({"seed": 1.5}, TypeError, "seed must be a whole number"),
    ({"seed": -1}, ValueError, "seed must be at least 0"),
    ({"coordinated_item_share": 0.9}, ValueError, "coordinated_item_share must be at most 0.5"),
    ({"max_item_share": 0}, ValueError, "max_item_share must be at least"),
    ({"headline_writer": "charlm"}, TypeError, "headline_writer must be a function"),
])
def test_bad_arguments_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        eventlog.generate(**{"n_events": 10_000, **kwargs})
