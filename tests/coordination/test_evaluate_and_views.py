"""Scores against the answer key, the sweep, and the lab's figures, tables and synthetic media."""

import numpy as np
import pandas as pd
import pytest

from workshop_utils.coordination import detect, evaluate, views

from coordination_helpers import sql_connection

TRUTH = pd.DataFrame({"account_id": [1, 2, 3, 4, 8, 9], "group": ["a", "a", "b", "b", "decoy", "decoy"],
                      "kind": ["push", "push", "activist", "activist", "decoy", "decoy"],
                      "inauthentic": [True, True, False, False, False, False]})


def test_account_scores_on_a_hand_made_case():
    scores = evaluate.account_scores([{1, 2, 7}, {8, 9}], TRUTH)
    assert scores["flagged"] == 5 and scores["true_positives"] == 2 and scores["false_positives"] == 3
    assert scores["precision"] == pytest.approx(0.4) and scores["recall"] == pytest.approx(0.5)
    assert scores["decoy_flagged"] == 2
    assert evaluate.account_scores([], TRUTH)["precision"] == 1.0
    with pytest.raises(TypeError, match="networks must be a list of sets"):
        evaluate.account_scores([[1, 2]], TRUTH)
    with pytest.raises(TypeError, match="truth must be the answer key"):
        evaluate.account_scores([{1}], pd.DataFrame({"x": [1]}))


def test_group_table_says_where_each_group_went():
    table = evaluate.group_table([{1, 2, 7}, {3}], TRUTH).set_index("group")
    assert table.loc["a", "found"] == 2 and table.loc["a", "networks"] == "1" and table.loc["a", "outsiders"] == 1
    assert table.loc["b", "recall"] == 0.5 and table.loc["decoy", "networks"] == "-"


def test_sweep_false_positives_grow_with_the_window(log0):
    con = sql_connection(log0.events)
    table = evaluate.sweep(con, log0.truth, windows=(10, 60, 600), percentiles=(0.5, 0.9, 0.99))
    at = table.set_index(["window", "percentile"])
    assert at.loc[(10, 0.9), "false_positives"] < at.loc[(60, 0.9), "false_positives"] < at.loc[(600, 0.9), "false_positives"]
    assert at.loc[(10, 0.99), "recall"] < at.loc[(10, 0.9), "recall"] == 1.0
    assert at.loc[(10, 0.9), "decoy_flagged"] == 0
    same = evaluate.sweep(log0.events_frame(), log0.truth, windows=(10,), percentiles=(0.9,))
    assert same.iloc[0].to_dict() == table[(table.window == 10) & (table.percentile == 0.9)].iloc[0].to_dict()


def test_figures_have_alt_text_from_their_numbers(log0):
    con = sql_connection(log0.events)
    result = detect.detect(con)
    figure = views.draw_network(result.kept, result.networks, log0.accounts)
    assert f"{len(result.networks)} candidate networks" in figure.alt and figure.png_bytes()[:4] == b"\x89PNG"
    table = evaluate.sweep(con, log0.truth, windows=(10, 60), percentiles=(0.5, 0.9))
    alt = views.sweep_plot(table).alt
    assert "10 s:" in alt and "coincide" in alt  # 0.5 and 0.9 give the same cut here
    interval = views.interval_plot(con, result.estimate)
    assert f"within {result.estimate.seconds} s" in interval.alt
    assert views.interval_plot(log0.events_frame(), result.estimate).alt == interval.alt
    co = detect.co_shares_sql(con, result.window)
    bipartite = views.draw_bipartite(co, result.networks[0])
    assert f"{len(result.networks[0])} accounts" in bipartite.alt


def test_network_profiles_show_what_a_researcher_can_see(log0):
    result = detect.detect(sql_connection(log0.events))
    profiles = views.network_profiles(result.networks, log0.events_frame(), log0.accounts, log0.items)
    assert len(profiles) == min(12, len(result.networks))
    disguised = set(log0.truth.loc[log0.truth.group == "disguised", "account_id"])
    k = next(i for i, net in enumerate(result.networks, start=1) if net & disguised)
    assert profiles.loc[k, "top_domain"] == "civic-alarm.example" and "entertainment" in profiles.loc[k, "page_types"]
    assert profiles.loc[k, "top_section"] == "politics"


def test_profile_photos_and_model_headlines(log0):
    from workshop_utils.coordination import media

    push = log0.truth.loc[log0.truth.kind == "push", "account_id"].tolist()[:3]
    other = log0.accounts.account_id.tolist()[:5]
    images = media.profile_photos(log0, push + other)
    assert images.shape == (8, 3, 32, 32) and 0 <= images.min() and images.max() <= 1
    assert np.array_equal(images, media.profile_photos(log0, push + other))  # deterministic
    with pytest.raises(KeyError, match="no such account"):
        media.profile_photos(log0, [-5])
    lines = media.model_headlines(3, seed=2)
    assert len(lines) == 3 and all(isinstance(line, str) and line for line in lines)
    assert lines == media.model_headlines(3, seed=2) and media.model_headlines(0) == []
    assert "Profile photos" in views.photo_grid(log0, push).alt
