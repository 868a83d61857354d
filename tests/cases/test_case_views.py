"""Case cards, lists, the explorer widget (driven headlessly) and the case figures."""

import dataclasses
import json
import re
from html import escape
from importlib import resources

import numpy as np
import pytest

from workshop_utils import cases
from workshop_utils.cases import Source, figures, schema
from workshop_utils.plotting import OKABE_ITO, AccessibleFigure

RAW = json.loads(resources.files("workshop_utils").joinpath("data/cases.json").read_text(encoding="utf-8"))
ALL_IDS = [c["id"] for c in RAW["cases"]]


def _ids_where(predicate):
    return [c["id"] for c in RAW["cases"] if predicate(c)]


# --- cards ------------------------------------------------------------------------------------

def test_card_shows_the_content_warning_first_in_every_format():
    card = cases.card("welcome-to-chechnya")
    case = card.case
    summary_start = case.summary[:30]
    html = card._repr_html_()
    assert html.index("Content warning") < html.index("Welcome to Chechnya") < html.index(escape(summary_start))
    assert 'role="note"' in html and 'aria-label="Content warning"' in html
    markdown = card._repr_markdown_()
    assert markdown.startswith("> \u26a0\ufe0f **Content warning:**")
    assert markdown.index("Content warning") < markdown.index("### Welcome to Chechnya")
    text = str(card)
    assert text.startswith("CONTENT WARNING: Persecution") and text.index("CONTENT WARNING") < text.index(summary_start)


def test_card_without_a_warning_has_no_warning_block():
    card = cases.card("malaria-must-die")
    assert "Content warning" not in card.html() and "Content warning" not in card.markdown()
    assert not str(card).startswith("CONTENT WARNING")


def test_card_contains_every_part_of_the_case():
    card = cases.card("holly-plus")
    html, markdown, text = card.html(), card.markdown(), str(card)
    case = card.case
    for part in ["Ethical nuance", "Discussion questions", "Related cases", "Sources", "Fact check",
                 "voice cloning", "2021", "Art", "benefit"]:
        assert part in html and part in markdown and part in text, part
    flat_text = " ".join(text.split())  # the plain-text card wraps lines
    for question in case.questions:
        assert question in flat_text and escape(question) in html
    for source in case.sources:
        assert f'href="{source.url}"' in html
        assert f"]({source.url})" in markdown
        assert source.outlet in text
    assert 'rel="noopener noreferrer"' in html
    assert "bev-standing-tiktok" in html and "Bev Standing / TikTok" in markdown
    assert "<ol>" in html and markdown.count("\n1. ") == 1


def test_card_shows_fact_check_notes_and_do_not_say():
    card = cases.card("slovakia-audio")
    assert "Do not say" in card.html() and "causal effect" in card.html()
    assert "Do not say" in card.markdown() and "Do not say" in str(card)
    secondary = cases.card("zizi-show")
    assert "secondary" in secondary.html() and "13 performers" in secondary.markdown()


def test_card_escapes_html_and_markdown_and_maths():
    case = dataclasses.replace(
        cases.get("edmond-de-belamy"),
        title="<script>alert('x')</script> *bold* [link](http://evil)",
        summary=cases.get("edmond-de-belamy").summary + " It cost $5 and $6 & more.",
        content_warning="<b>warning</b>",
    )
    card = cases.CaseCard(case)
    html = card.html()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;warning&lt;/b&gt;" in html
    assert "$5 and $6 &amp; more" in html and "tex2jax_ignore" in html and "mathjax_ignore" in html
    markdown = card.markdown()
    assert r"\<script\>" in markdown and r"\*bold\*" in markdown and r"\[link\]" in markdown
    assert r"\$5 and \$6" in markdown and "$5" not in markdown.replace(r"\$5", "")


def test_card_refuses_non_http_links():
    case = dataclasses.replace(cases.get("katie-jones"), sources=(Source("Bad", "javascript:alert(1)"),))
    with pytest.raises(ValueError, match="must start with http"):
        cases.CaseCard(case).html()
    with pytest.raises(TypeError, match="case must be a workshop_utils.cases.Case"):
        cases.CaseCard("katie-jones")


def test_cards_for_a_lesson_in_one_call():
    shown = cases.cards(["holly-plus", "bev-standing-tiktok"], title="Whose voice?")
    assert shown.ids == ["holly-plus", "bev-standing-tiktok"] and len(shown) == 2
    html, markdown = shown._repr_html_(), shown._repr_markdown_()
    assert "Whose voice?" in html and html.count("<article") == 2
    assert markdown.startswith("### Whose voice?") and markdown.count("#### ") == 2
    assert "2 cases" in str(shown)
    with pytest.raises(TypeError, match="list of case ids"):
        cases.cards("holly-plus")
    with pytest.raises(KeyError, match="did you mean"):
        cases.cards(["holy-plus"])


# --- explorer -----------------------------------------------------------------------------------

def test_explorer_callbacks_filter_headlessly():
    explorer = cases.explorer()
    assert explorer.shown_ids == ALL_IDS
    explorer.domain.value = "art"
    assert explorer.shown_ids == _ids_where(lambda c: c["domain"] == "art")
    explorer.impact.value = "contested"
    assert explorer.shown_ids == ["edmond-de-belamy"]
    assert "Showing 1 of" in explorer.status.value
    explorer.reset.click()
    assert explorer.shown_ids == ALL_IDS and explorer.domain.value == "any"
    explorer.technique.value = "voice-cloning"
    explorer.years.value = (2022, 2024)
    assert explorer.shown_ids == _ids_where(lambda c: "voice-cloning" in c["techniques"] and c["year"] >= 2022)
    explorer.reset.click()
    explorer.search.value = "Synthesia"
    assert {"malaria-must-die", "wolf-news"} <= set(explorer.shown_ids)
    assert "voice" not in " ".join(explorer.shown_ids) and "moon-disaster" not in explorer.shown_ids
    explorer.reset.click()
    explorer.theme.value = "consent"
    explorer.domain.value = "society"
    assert explorer.shown_ids == _ids_where(lambda c: "consent" in c["themes"] and c["domain"] == "society")


def test_explorer_results_show_exactly_the_matching_cards():
    explorer = cases.explorer(domain="society", impact="harm")
    shown = re.findall(r'data-case-id="([^"]+)"', explorer.results.value)
    assert shown == explorer.shown_ids == _ids_where(lambda c: c["domain"] == "society" and c["impact"] == "harm")
    # collapsed cards keep the content warning visible in their summary line
    summary = re.search(r'data-case-id="deeptrace-report"><summary>(.*?)</summary>', explorer.results.value).group(1)
    assert "Content warning" in summary
    explorer.domain.value = "activism"
    explorer.years.value = (2021, 2024)
    assert explorer.shown_ids == [] and "No cases match" in explorer.results.value


def test_explorer_controls_are_labelled_for_keyboard_and_screen_reader_users():
    explorer = cases.explorer()
    for control in [explorer.domain, explorer.technique, explorer.impact, explorer.theme, explorer.years,
                    explorer.search, explorer.reset]:
        assert control.description.strip() and control.tooltip.strip()
    assert 'role="status"' in explorer.status.value
    technique_values = [v for _, v in explorer.technique.options]
    assert "any" in technique_values and set(technique_values) - {"any"} <= set(schema.TECHNIQUES)


def test_explorer_starts_from_given_values_and_rejects_bad_ones():
    explorer = cases.explorer(domain="industry", technique="voice-cloning")
    assert explorer.domain.value == "industry"
    assert explorer.shown_ids == _ids_where(lambda c: c["domain"] == "industry" and "voice-cloning" in c["techniques"])
    with pytest.raises(ValueError, match="domain must be one of"):
        cases.explorer(domain="music")
    with pytest.raises(ValueError, match="years must be a"):
        cases.explorer(years=(1990, 2020))
    with pytest.raises(ValueError, match="mode must be one of"):
        cases.explorer(mode="print")


def test_explorer_static_fallback():
    static = cases.explorer(domain="art", mode="static")
    assert isinstance(static, cases.CaseList)
    assert static.ids == _ids_where(lambda c: c["domain"] == "art")
    markdown = static._repr_markdown_()
    assert "domain = art" in markdown and all(cases.get(i).title.split(",")[0][:12] in markdown for i in static.ids)
    assert static._repr_html_().count("<article") == len(static.ids)
    live = cases.explorer(impact="contested")
    bundle = live._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].count("data-case-id=") == len(live.shown_ids)
    assert live.shown_ids == cases.explorer(impact="contested", mode="static").ids


# --- figures ------------------------------------------------------------------------------------

def test_timeline_uses_colour_marker_and_row_per_domain():
    fig = cases.timeline()
    assert isinstance(fig, AccessibleFigure)
    ax = fig.figure.axes[0]
    collections = ax.collections  # one scatter per domain
    assert len(collections) == 4
    colours = {tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in collections}
    from matplotlib.colors import to_rgb

    expected = {tuple(np.round(to_rgb(OKABE_ITO[DOMAIN[0]]), 3)) for DOMAIN in figures.DOMAIN_STYLE.values()}
    assert colours == expected
    markers = {style[1] for style in figures.DOMAIN_STYLE.values()}
    assert len(markers) == 4
    assert len(ax.get_yticks()) == 4 and sum(len(c.get_offsets()) for c in collections) == len(ALL_IDS)
    for case in cases.all_cases():
        assert case.short_title in fig.alt
    for word in ["circles", "squares", "triangles", "diamonds", "Oct 2018", "one row per domain"]:
        assert word in fig.alt
    assert fig.png_bytes(dpi=40)[:4] == b"\x89PNG"


def test_timeline_of_a_subset_and_errors():
    fig = cases.timeline(["holly-plus", "bev-standing-tiktok"], title="Two voices")
    assert "2 cases" in fig.alt and "Two voices" in fig.alt and "Society" not in fig.alt
    with pytest.raises(KeyError, match="did you mean"):
        cases.timeline(["holy-plus"])
    with pytest.raises(TypeError, match="not a single string"):
        cases.timeline("holly-plus")


def test_thread_graph_lists_the_threads_in_words():
    fig = cases.thread_graph()
    for thread in cases.threads("repurposing"):
        assert thread.title in fig.alt
    assert fig.alt.count("\u2192") >= 5
    assert "Malaria Must Die" in fig.alt and "Wolf News anchors" in fig.alt and "benevolent" in fig.alt
    assert fig.alt.index("Malaria Must Die") < fig.alt.index("Wolf News anchors") < fig.alt.index("Synthesia stock avatars")
    styles = {p.get_linestyle() for p in fig.figure.axes[0].patches if p.get_facecolor()[3] == 0}
    assert len(styles) >= 3  # solid, dashed, dotted borders: role is not shown by colour alone
    consent = cases.thread_graph("consent")
    assert consent.alt.index("Holly+") < consent.alt.index("Bev Standing / TikTok")
    with pytest.raises(ValueError, match="kind must be one of"):
        cases.thread_graph("vendors")


def test_card_marks_the_core_question_and_shows_the_reading_time_in_every_format():
    card = cases.card("malaria-must-die")
    case = card.case
    assert case.core_question == 3
    html, markdown, text = card.html(), card.markdown(), " ".join(str(card).split())
    assert f'<li class="case-core-question"><strong>Core question:</strong> {escape(case.core)}</li>' in html
    assert html.count("case-core-question") == 1
    assert "3. **Core question:** " in markdown and "1. **Core question:**" not in markdown
    assert f"Core question: {case.core}" in text
    for rendered in (html, markdown, text):
        assert "Reading time: about 2 minutes (at 200 words a minute)" in rendered.replace("*", "")
