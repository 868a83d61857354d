"""Figures and tables for the coordination lab, readable by everyone.

Every figure is a :class:`workshop_utils.plotting.AccessibleFigure`
(Okabe-Ito colours, marker shapes as well as colours, and alt text built
from the numbers drawn), so nothing here states a number the figure does not
show.

Used in: lessons/06_coordination_lab.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..plotting import OKABE_ITO, AccessibleFigure, image_grid, new_figure
from . import detect as _detect

__all__ = [
    "PAGE_MARKERS",
    "draw_bipartite",
    "draw_network",
    "interval_plot",
    "network_profiles",
    "photo_grid",
    "sweep_plot",
]

# Okabe-Ito without yellow, which is hard to see on white.
_COLOURS = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")]
#: Marker shape per page type.
PAGE_MARKERS = {"person": "o", "entertainment": "*", "campaign": "s", "local news": "D", "community": "^"}
_SHAPE_WORDS = "circle person, star entertainment page, square campaign, diamond local news, triangle community"


def interval_plot(events_or_con: Any, estimate: Any, *, title: str = "How fast does an item get its second share?"):
    """Histogram (log scales) of the time from each item's first to its second share, with the estimate."""
    if _detect._is_connection(events_or_con):
        gaps = events_or_con.execute(
            "SELECT list_sort(f)[2] - list_sort(f)[1] AS gap FROM "
            "(SELECT min(ts, 2) AS f FROM events GROUP BY item_id HAVING count(*) >= 2)").df()["gap"].to_numpy()
    else:
        ev = _detect.check_events(events_or_con)[["item_id", "ts"]].sort_values(["item_id", "ts"])
        rank = ev.groupby("item_id").cumcount()
        first = ev[rank == 0].set_index("item_id")["ts"]
        second = ev[rank == 1].set_index("item_id")["ts"]
        gaps = (second - first.reindex(second.index)).to_numpy()
    gaps = np.asarray(gaps, dtype=float)
    fig, (ax,) = new_figure(1, width=6.5, height=3.6)
    bins = np.logspace(0, np.log10(max(gaps.max(), 10.0) + 1), 40)
    ax.hist(gaps + 1, bins=bins, color=_COLOURS[0], edgecolor="white")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.axvline(estimate.seconds + 1, color=_COLOURS[3], linestyle="--", linewidth=2,
               label=f"estimated interval: {estimate.seconds} s")
    ax.set_xlabel("seconds from first to second share (+1, log scale)")
    ax.set_ylabel("items (log scale)")
    ax.set_title(title)
    ax.legend()
    within = int((gaps <= estimate.seconds).sum())
    alt = (f"{title} Histogram of {len(gaps):,} items shared at least twice, with log scales. {within:,} items got "
           f"their second share within {estimate.seconds} s (the estimated interval, dashed line); the median "
           f"item waited {np.median(gaps):,.0f} s.")
    return AccessibleFigure(fig, alt)


def _layout(graph, networks: Sequence[set], seed: int) -> tuple[dict, int]:
    import networkx as nx

    positions, cols = {}, int(np.ceil(np.sqrt(max(len(networks), 1))))
    for k, net in enumerate(networks):
        sub = graph.subgraph(net)
        if len(net) > 2:
            local = nx.spring_layout(sub, seed=seed, weight="weight")
        else:
            local = {n: np.array([i * 0.6 - 0.3, 0.0]) for i, n in enumerate(sorted(net))}
        cx, cy = (k % cols) * 3.0, -(k // cols) * 3.0
        positions.update({n: (cx + x, cy + y) for n, (x, y) in local.items()})
    return positions, cols


def draw_network(kept: Any, networks: Sequence[set], accounts: Any = None, *, max_networks: int = 12,
                 title: str = "Candidate networks", seed: int = 0) -> AccessibleFigure:
    """Draw the kept account pairs: one colour per network, marker shape by page type, line width by weight."""
    import networkx as nx

    shown = list(networks)[:max_networks]
    graph = _detect.weights_graph(kept).subgraph(set().union(*shown) if shown else set())
    fig, (ax,) = new_figure(1, width=7.5, height=6.0)
    positions, cols = _layout(graph, shown, seed)
    weights = [d["weight"] for *_, d in graph.edges(data=True)]
    top = max(weights, default=1)
    nx.draw_networkx_edges(graph, positions, ax=ax, width=[0.5 + 3.0 * w / top for w in weights],
                           edge_color="#777777", alpha=0.7)
    page = dict(zip(accounts["account_id"], accounts["page_type"])) if accounts is not None else {}
    for k, net in enumerate(shown):
        colour = _COLOURS[k % len(_COLOURS)]
        for kind, marker in PAGE_MARKERS.items():
            nodes = [n for n in net if page.get(n, "person") == kind]
            if nodes:
                nx.draw_networkx_nodes(graph, positions, nodelist=nodes, node_color=colour, node_shape=marker,
                                       ax=ax, node_size=110 if marker == "*" else 80, edgecolors="black",
                                       linewidths=0.5)
        cx, cy = (k % cols) * 3.0, -(k // cols) * 3.0
        ax.text(cx, cy + 1.35, f"network {k + 1} ({len(net)})", ha="center", fontsize=8)
    ax.set_title(title)
    ax.set_axis_off()
    sizes = ", ".join(str(len(n)) for n in shown) or "none"
    alt = (f"{title}: {len(networks)} candidate networks of accounts that repeatedly shared the same items within "
           f"the window; the {len(shown)} largest are drawn, with {sizes} accounts. Line width shows how many items "
           f"a pair co-shared (up to {top}); marker shape shows the page type ({_SHAPE_WORDS}).")
    return AccessibleFigure(fig, alt)


def draw_bipartite(co_shares: Any, network: set, *, label: str = "network", max_items: int = 40) -> AccessibleFigure:
    """One network two ways: accounts and the items they co-shared (left), and its projection (right).

    The projection (networkx ``weighted_projected_graph``) links two accounts
    with the number of items both are linked to in the left graph.
    """
    import networkx as nx
    from networkx.algorithms import bipartite

    graph = _detect.bipartite_view(co_shares, network)
    accounts = [n for n, d in graph.nodes(data=True) if d["bipartite"] == 0]
    items = sorted((n for n, d in graph.nodes(data=True) if d["bipartite"] == 1),
                   key=lambda n: -graph.degree(n))
    shown = graph.subgraph(accounts + items[:max_items])
    projected = bipartite.weighted_projected_graph(graph, accounts)
    fig, (left, right) = new_figure(2, width=4.6, height=4.2)
    pos = {a: (0.0, -i) for i, a in enumerate(accounts)}
    step = max(len(accounts) - 1, 1) / max(len(items[:max_items]) - 1, 1)
    pos.update({it: (1.0, -i * step) for i, it in enumerate(items[:max_items])})
    nx.draw_networkx_edges(shown, pos, ax=left, edge_color="#999999", width=0.5)
    nx.draw_networkx_nodes(shown, pos, nodelist=accounts, node_color=_COLOURS[0], node_shape="o", node_size=70, ax=left)
    nx.draw_networkx_nodes(shown, pos, nodelist=items[:max_items], node_color=_COLOURS[1], node_shape="s",
                           node_size=18, ax=left)
    left.set_title(f"{label}: {len(accounts)} accounts (circles),\n{len(items)} co-shared items (squares)")
    left.set_axis_off()
    ppos = nx.circular_layout(projected)
    weights = [d["weight"] for *_, d in projected.edges(data=True)]
    top = max(weights, default=1)
    nx.draw_networkx_edges(projected, ppos, ax=right, width=[0.5 + 3.0 * w / top for w in weights], edge_color="#777777")
    nx.draw_networkx_nodes(projected, ppos, node_color=_COLOURS[0], node_size=120, ax=right)
    nx.draw_networkx_edge_labels(projected, ppos, edge_labels={(u, v): d["weight"] for u, v, d in projected.edges(data=True)},
                                 font_size=6, ax=right)
    right.set_title("projection: items in common")
    right.set_axis_off()
    alt = (f"{label} as an account-item graph: {len(accounts)} accounts linked to the {len(items)} items they "
           f"co-shared with each other{f' ({max_items} drawn)' if len(items) > max_items else ''}; and its projection "
           f"onto the accounts, {projected.number_of_edges()} links weighted by items in common, from "
           f"{min(weights, default=0)} to {top}.")
    return AccessibleFigure(fig, alt)


def sweep_plot(table: Any, *, title: str = "Window and threshold sweep") -> AccessibleFigure:
    """Accounts flagged (log scale) and precision/recall against the window, one line per percentile.

    ``table`` is :func:`workshop_utils.coordination.evaluate.sweep`'s result.
    """
    fig, (ax1, ax2) = new_figure(2, width=4.3, height=3.8)
    parts, curves = [], {}
    for k, (pct, rows) in enumerate(table.groupby("percentile")):
        rows = rows.sort_values("window")
        colour, marker = _COLOURS[k % len(_COLOURS)], "osD^v"[k % 5]
        ax1.plot(rows["window"], rows["flagged"].clip(lower=1), marker=marker, color=colour, label=f"percentile {pct}")
        ax2.plot(rows["window"], rows["precision"], marker=marker, color=colour, label=f"precision, {pct}")
        ax2.plot(rows["window"], rows["recall"], marker=marker, color=colour, linestyle=":", label=f"recall, {pct}")
        curves[pct] = tuple(rows["flagged"])
        parts.append(f"percentile {pct}: " + "; ".join(
            f"{w} s: {f:,} flagged, precision {p:.2f}, recall {r:.2f}"
            for w, f, p, r in rows[["window", "flagged", "precision", "recall"]].itertuples(index=False)))
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_xlabel("window (s, log scale)")
    ax1.set_yscale("log")
    ax1.set_ylabel("accounts flagged (log scale)")
    ax2.set_ylabel("precision (solid), recall (dotted)")
    ax2.set_ylim(-0.02, 1.05)
    ax1.legend(fontsize=7)
    ax2.legend(fontsize=6, loc="lower left")
    ax1.set_title("How many accounts are flagged")
    ax2.set_title("How many of them are planted")
    fig.suptitle(title)
    same = [f"{a} and {b}" for i, a in enumerate(curves) for b in list(curves)[i + 1:] if curves[a] == curves[b]]
    note = f" The lines for percentiles {'; '.join(same)} coincide." if same else ""
    return AccessibleFigure(fig, f"{title}. " + " | ".join(parts) + "." + note)


def network_profiles(networks: Sequence[set], events: Any, accounts: Any, items: Any, *,
                     max_networks: int = 12) -> Any:
    """What a researcher can see about each network: page types, account ages, domains, sections, a headline.

    Returns
    -------
    pandas.DataFrame
        One row per network (numbered from 1): ``accounts, page_types,
        median_age_days, top_domain, domain_share, top_section, example_headline``.
    """
    import pandas as pd

    networks = list(networks)[:max_networks]
    member = {a: k + 1 for k, net in enumerate(networks) for a in net}
    ev = _detect.check_events(events)
    ev = ev[ev["account_id"].isin(member)]
    ev = ev.assign(network=ev["account_id"].map(member))
    # an item counts for a network when at least two of its members shared it
    shared = ev.groupby(["network", "item_id"])["account_id"].nunique().reset_index(name="members")
    shared = shared[shared["members"] >= 2].merge(items, on="item_id", how="left")
    acc = accounts.set_index("account_id")
    rows = []
    for k, net in enumerate(networks, start=1):
        ids = sorted(net)
        types = acc.loc[ids, "page_type"].value_counts()
        mine = shared[shared["network"] == k]
        domains = mine["domain"].value_counts()
        sections = mine["section"].value_counts()
        rows.append({
            "network": k, "accounts": len(ids),
            "page_types": ", ".join(f"{t} {n}" for t, n in types.items()),
            "median_age_days": int(-np.median(acc.loc[ids, "created_day"])),
            "items_shared_together": len(mine),
            "top_domain": domains.index[0] if len(domains) else "-",
            "domain_share": round(float(domains.iloc[0] / domains.sum()), 2) if len(domains) else 0.0,
            "top_section": sections.index[0] if len(sections) else "-",
            "example_headline": mine["headline"].iloc[0] if len(mine) else "-",
        })
    return pd.DataFrame(rows).set_index("network")


def photo_grid(log: Any, account_ids: Sequence[Any], *, title: str = "Profile photos") -> AccessibleFigure:
    """The profile photos of some accounts (see :func:`workshop_utils.coordination.media.profile_photos`)."""
    from . import media

    ids = list(account_ids)
    images = media.profile_photos(log, ids)
    kinds = log.accounts.set_index("account_id").loc[ids, "profile_photo"].value_counts()
    alt = (f"{title}: {len(ids)} pictures, 32x32 pixels: " + ", ".join(f"{n} {k}" for k, n in kinds.items()) + ".")
    return image_grid(images, ncols=min(8, len(ids)), title=title, alt=alt, size=0.9)
