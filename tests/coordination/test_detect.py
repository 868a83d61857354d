"""The detector: both engines agree, finds the planted networks on unseen seeds, edge cases, clear errors."""

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from workshop_utils.coordination import detect, evaluate, eventlog

from coordination_helpers import normalised, sql_connection

NAMED = [g.name for g in eventlog.GROUPS]


def _sql_weights(events, window, **kwargs):
    return detect.pair_weights_sql(sql_connection(events), window, **kwargs)


def _pd_weights(events, window, **kwargs):
    return detect.pair_weights(detect.co_shares(events, window, **kwargs))


def _frame(account_id, item_id, ts):
    return pd.DataFrame({"account_id": account_id, "item_id": item_id, "ts": ts})


# --- both engines ---------------------------------------------------------------------------
def test_sql_and_pandas_give_identical_weights_and_estimates(log0):
    ev = log0.events_frame()
    con = sql_connection(ev)
    for window in (0, 5, 60):
        assert normalised(detect.pair_weights_sql(con, window)).equals(normalised(_pd_weights(ev, window)))
    assert detect.estimate_interval(con) == detect.estimate_interval(ev)
    co_sql = detect.co_shares_sql(con, 10).sort_values(["item_id", "account_a", "account_b", "gap_s"], ignore_index=True)
    co_pd = detect.co_shares(ev, 10).sort_values(["item_id", "account_a", "account_b", "gap_s"], ignore_index=True)
    assert co_sql.astype("int64").equals(co_pd.astype("int64"))


def test_the_bucketed_join_equals_the_plain_self_join():
    con = sql_connection(eventlog.generate(20_000, 5, metadata=False).events)
    plain = con.execute("""SELECT a.account_id AS account_a, b.account_id AS account_b,
                                  count(DISTINCT a.item_id) AS weight
                           FROM events a JOIN events b ON a.item_id = b.item_id
                           WHERE a.account_id < b.account_id AND abs(a.ts - b.ts) <= 10 GROUP BY ALL""").df()
    assert len(plain) > 100 and normalised(plain).equals(normalised(detect.pair_weights_sql(con, 10)))


def test_the_interval_follows_coornet_on_a_hand_made_log():
    # 10 items shared twice: second share after 1..10 s; q = 0.1 keeps the quickest (1 s);
    # it passes half of its 2 shares at its 2nd share, 1 s after the first: the interval is 1 s.
    # Item 11 has 4 shares at 0, 0, 30, 90 s: quickest too (0 s to its second share); past 50% at the 3rd: 30 s.
    ev = _frame([1, 2] * 10 + [1, 2, 3, 4], np.repeat(np.arange(1, 12), [2] * 10 + [4]),
                [v for k in range(1, 11) for v in (1000 * k, 1000 * k + k)] + [0, 0, 30, 90])
    est = detect.estimate_interval(ev)
    assert est.n_items == 2 and est.raw_seconds == pytest.approx((1 + 30) / 2) and est.seconds == 16
    assert detect.estimate_interval(sql_connection(ev)) == est
    same_time = _frame([1, 2], [1, 1], [5, 5])
    assert detect.estimate_interval(same_time).seconds == 1  # 0 s becomes 1 s


@pytest.mark.parametrize("seed", [101, 102, 103])
def test_finds_every_planted_network_on_unseen_seeds_and_ignores_the_decoy(seed):
    log = eventlog.generate(100_000, seed, metadata=False)
    result = detect.detect(sql_connection(log.events))
    assert result.estimate is not None and 1 <= result.window <= 30
    table = evaluate.group_table(result.networks, log.truth).set_index("group")
    for group in table.index:
        if group != "decoy":
            assert table.loc[group, "recall"] == 1.0 and table.loc[group, "networks"].count(",") == 0, group
    assert table.loc["decoy", "found"] == 0
    assert evaluate.account_scores(result.networks, log.truth)["precision"] >= 0.8


def test_the_threshold_rules(log0):
    con = sql_connection(log0.events)
    strict, loose = detect.detect(con, 10), detect.detect(con, 10, strict=False)
    assert strict.threshold == loose.threshold == 1.0  # most pairs co-shared one item
    assert (strict.kept.weight > 1).all() and len(loose.kept) == loose.n_pairs  # >= 1 keeps every pair
    assert len(loose.flagged) > 20 * len(strict.flagged)
    assert not detect.detect(con, 10, percentile=1.0).networks  # nothing is above the maximum


def test_pandas_detection_equals_sql_detection(log0):
    a, b = detect.detect(sql_connection(log0.events)), detect.detect(log0.events_frame())
    assert a.window == b.window and a.threshold == b.threshold and a.n_pairs == b.n_pairs
    assert normalised(a.kept).equals(normalised(b.kept)) and a.networks == b.networks


def test_unsorted_input_gives_the_same_answer(log0):
    ev = log0.events_frame()
    shuffled = ev.sample(frac=1.0, random_state=1)
    assert normalised(_pd_weights(ev, 10)).equals(normalised(_pd_weights(shuffled, 10)))
    assert normalised(_sql_weights(shuffled, 10)).equals(normalised(_sql_weights(ev.sort_values("ts"), 10)))


# --- edge cases -----------------------------------------------------------------------------
def test_an_empty_log():
    empty = _frame(pd.Series([], dtype="int64"), pd.Series([], dtype="int64"), pd.Series([], dtype="int64"))
    assert detect.co_shares(empty, 10).empty and list(detect.co_shares(empty, 10).columns) == [
        "item_id", "account_a", "account_b", "gap_s"]
    assert _sql_weights(empty, 10).empty
    for source in (empty, sql_connection(empty)):
        result = detect.detect(source, 10)
        assert result.networks == [] and result.kept.empty and result.n_pairs == 0
        with pytest.raises(ValueError, match="shared at least twice; pass a window"):
            detect.estimate_interval(source)
    assert detect.account_network(detect.co_shares(empty, 10)).number_of_nodes() == 0


def test_one_account_makes_no_pairs():
    one = _frame([7] * 5, [1, 1, 2, 2, 3], [0, 1, 5, 5, 9])
    assert detect.co_shares(one, 10).empty and _sql_weights(one, 10).empty
    assert detect.detect(one, 10).networks == [] and detect.detect(sql_connection(one), 10).networks == []


def test_identical_timestamps_and_a_zero_window():
    same = _frame([1, 2, 3, 1, 2], [9, 9, 9, 8, 8], [100] * 5)
    weights = _pd_weights(same, 0)
    assert dict(zip(zip(weights.account_a, weights.account_b), weights.weight)) == {(1, 2): 2, (1, 3): 1, (2, 3): 1}
    assert normalised(_sql_weights(same, 0)).equals(normalised(weights))


def test_the_window_is_inclusive_and_accounts_never_pair_with_themselves():
    ev = _frame([1, 2, 3, 1], [5, 5, 5, 5], [0, 10, 21, 4])
    for weights in (_pd_weights(ev, 10), _sql_weights(ev, 10)):
        assert set(zip(weights.account_a, weights.account_b)) == {(1, 2)}  # 10 s: in; 11 s: out; (1, 1): never


def test_weights_count_distinct_items_not_rows():
    ev = _frame([1, 2, 1, 2, 1, 2], [5, 5, 5, 5, 6, 6], [0, 1, 2, 3, 50, 52])
    assert len(detect.co_shares(ev, 10)) == 5  # four pairs of shares of item 5, one of item 6
    graph = detect.account_network(detect.co_shares(ev, 10))
    assert isinstance(graph, nx.Graph) and graph[1][2]["weight"] == 2
    assert _sql_weights(ev, 10).weight.tolist() == [2]


def test_string_ids_work():
    ev = _frame(["ann", "bob", "ann", "bob"], ["u1", "u1", "u2", "u2"], [0, 3, 50, 52])
    assert _pd_weights(ev, 10).to_dict("records") == [{"account_a": "ann", "account_b": "bob", "weight": 2}]
    assert _sql_weights(ev, 10).weight.tolist() == [2]


def test_bipartite_view_of_one_network():
    from networkx.algorithms import bipartite

    ev = _frame([1, 2, 3, 1, 2, 9], [5, 5, 5, 6, 6, 6], [0, 1, 2, 50, 52, 53])
    view = detect.bipartite_view(detect.co_shares(ev, 10), {1, 2, 3})
    projected = bipartite.weighted_projected_graph(view, [("account", a) for a in (1, 2, 3)])
    assert projected[("account", 1)][("account", 2)]["weight"] == 2
    assert ("account", 9) not in view  # only the network's accounts and the items they co-shared


def test_parquet_input(tmp_path, log0):
    path = eventlog.write_parquet(log0, tmp_path / "log.parquet")
    con = detect.connect(threads=1)
    assert detect.load_events(con, path) == len(log0)
    assert normalised(detect.pair_weights_sql(con, 10)).equals(normalised(_pd_weights(log0.events, 10)))
    con.execute(f"COPY (SELECT 1 AS account_id, 2 AS item_id) TO '{tmp_path / 'bad.parquet'}' (FORMAT parquet)")
    with pytest.raises(ValueError, match=r"missing the column\(s\) \['ts'\]"):
        detect.load_events(con, tmp_path / "bad.parquet")
    with pytest.raises(FileNotFoundError, match="no Parquet file"):
        detect.load_events(con, tmp_path / "nothing.parquet")


def test_the_spill_folder_is_private(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    con = detect.connect(threads=1)
    folder = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    assert "workshop-duckdb-" in folder and not folder.startswith(str(tmp_path))
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 1


# --- clear errors ---------------------------------------------------------------------------
def test_missing_columns_and_wrong_types():
    with pytest.raises(ValueError, match=r"missing the column\(s\) \['ts'\]; it needs"):
        detect.co_shares(pd.DataFrame({"account_id": [1], "item_id": [1]}), 10)
    with pytest.raises(TypeError, match="whole seconds as integers.*round"):
        detect.co_shares(_frame([1, 2], [1, 1], [0.5, 1.5]), 10)
    with pytest.raises(TypeError, match="convert datetimes"):
        detect.co_shares(_frame([1, 2], [1, 1], pd.to_datetime(["2024-01-01", "2024-01-02"])), 10)
    with pytest.raises(TypeError, match="events must be a pandas DataFrame"):
        detect.co_shares([(1, 1, 0)], 10)
    with pytest.raises(TypeError, match=r"events\['account_id'\] must hold integer or string ids"):
        detect.co_shares(_frame([1.5, 2.5], [1, 1], [0, 1]), 10)
    with pytest.raises(ValueError, match="missing value"):
        detect.co_shares(_frame(["a", None], [1, 1], [0, 1]), 10)
    with pytest.raises(TypeError, match="con must be a DuckDB connection"):
        detect.load_events("not a connection", _frame([1], [1], [0]))
    with pytest.raises(TypeError, match="co_shares must be a DataFrame"):
        detect.account_network([(1, 2, 3)])


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (2.5, TypeError), ("10", TypeError), (True, TypeError),
                                        (None, TypeError)])
def test_bad_windows(bad, error):
    ev = _frame([1, 2], [1, 1], [0, 1])
    for run in (lambda: detect.co_shares(ev, bad), lambda: detect.co_shares_sql(sql_connection(ev), bad),
                lambda: detect.pair_weights_sql(sql_connection(ev), bad)):
        with pytest.raises(error, match="window"):
            run()


def test_large_windows_need_an_explicit_override():
    ev = _frame([1, 2], [1, 1], [0, 1000])
    assert detect.co_shares(ev, 600).empty  # the bound itself is allowed
    with pytest.raises(ValueError, match="window=3600 s is above max_window=600 s.*max_window=None"):
        detect.co_shares(ev, 3600)
    with pytest.raises(ValueError, match="max_window"):
        detect.detect(sql_connection(ev), 3600)
    assert len(detect.co_shares(ev, 3600, max_window=None)) == 1


def test_an_estimate_in_hours_warns_and_the_pipeline_refuses_it():
    log = eventlog.generate(100_000, 0, coordinated_item_share=0.0, metadata=False)
    with pytest.warns(UserWarning, match="probably rare"):
        estimate = detect.estimate_interval(log.events)
    assert estimate.seconds > 3600
    with pytest.raises(ValueError, match=r"window: the estimated coordination interval is .* above max_window=600"):
        detect.detect(log.events)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_bad_percentiles(bad):
    with pytest.raises(ValueError, match="percentile"):
        detect.keep_edges(pd.DataFrame({"account_a": [1], "account_b": [2], "weight": [3]}), bad)
    with pytest.raises(ValueError, match="q must"):
        detect.estimate_interval(_frame([1, 2], [1, 1], [0, 1]), q=bad)
