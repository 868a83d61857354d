"""The resource explorer: widget callbacks driven headlessly, and the static fallback."""

import sys

import pytest

from workshop_utils import resources as R
from workshop_utils.resources import ResourceExplorer, ResourceList, explore


def _item(title, url, year=2020, type="paper", topics=("detection",), audience=("student",), **extra):
    return R.Resource.from_dict({"title": title, "url": url, "year": year, "type": type, "topics": list(topics),
                                 "audience": list(audience),
                                 "summary": f"Summary of {title}, written for the explorer tests.", **extra})


ITEMS = [
    _item("Watermarks in images", "https://example.org/1", 2019, "tool", ["watermarking"], ["developer"]),
    _item("Labels on platforms", "https://example.org/2", 2021, "guide", ["labels"], ["platform", "student"]),
    _item("Spotting GAN faces", "https://example.org/3", 2023, "paper", ["detection", "art"], ["student"]),
]


def _titles(explorer):
    return [r.title for r in explorer.matches]


def test_explorer_starts_with_everything_and_counts_it():
    explorer = ResourceExplorer(ITEMS)
    assert _titles(explorer) == [r.title for r in ITEMS]
    assert '<p role="status" aria-live="polite">3 of 3 resources match</p>' == explorer.count.value
    assert explorer.results.value.count("<li>") == 3


def test_typing_in_the_search_box_updates_matches_count_and_links():
    explorer = ResourceExplorer(ITEMS)
    explorer.search.value = "spotting"
    assert _titles(explorer) == ["Spotting GAN faces"]
    assert "1 of 3 resource matches" in explorer.count.value
    assert ('<a href="https://example.org/3" target="_blank" rel="noopener noreferrer">Spotting GAN faces</a>'
            in explorer.results.value)
    assert "Summary of Spotting GAN faces" in explorer.results.value
    explorer.search.value = "no such words"
    assert explorer.matches == [] and "No resource matches" in explorer.results.value


def test_each_filter_narrows_the_list():
    explorer = ResourceExplorer(ITEMS)
    explorer.type_filter.value = "guide"
    assert _titles(explorer) == ["Labels on platforms"]
    explorer.type_filter.value = "any"
    explorer.topic_filter.value = ("watermarking", "art")
    assert _titles(explorer) == ["Watermarks in images", "Spotting GAN faces"]
    explorer.audience_filter.value = "student"
    assert _titles(explorer) == ["Spotting GAN faces"]
    explorer.topic_filter.value = ()
    explorer.years.value = (2020, 2021)
    assert _titles(explorer) == ["Labels on platforms"]
    assert explorer.filters() == {"query": "", "types": None, "topics": None, "audience": "student",
                                  "year_from": 2020, "year_to": 2021}


def test_clear_button_resets_every_control():
    explorer = ResourceExplorer(ITEMS)
    explorer.search.value = "labels"
    explorer.type_filter.value = "guide"
    explorer.years.value = (2021, 2021)
    explorer.clear_button.click()
    assert explorer.search.value == "" and explorer.type_filter.value == "any"
    assert explorer.years.value == (2019, 2023)
    assert len(explorer.matches) == 3 and "3 of 3" in explorer.count.value


def test_controls_have_labels_and_tooltips_for_keyboard_and_screen_reader_users():
    explorer = ResourceExplorer(ITEMS)
    for control in (explorer.search, explorer.type_filter, explorer.topic_filter, explorer.audience_filter,
                    explorer.years):
        assert control.description and control.tooltip, control
    assert explorer.clear_button.description == "Clear filters" and explorer.clear_button.tooltip
    assert explorer.type_filter.options[0] == ("any type", "any")
    assert ("students and self-learners", "student") in explorer.audience_filter.options


def test_results_escape_html():
    nasty = [_item("<script>alert(1)</script>", "https://example.org/x?a=1&b='2'", note="<b>n</b>")]
    html = ResourceExplorer(nasty).results.value
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://example.org/x?a=1&amp;b=&#x27;2&#x27;"' in html
    assert "&lt;b&gt;n&lt;/b&gt;" in html


def test_display_offers_the_widget_and_a_static_html_fallback():
    explorer = ResourceExplorer(ITEMS)
    explorer.search.value = "labels"
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "1 of 3 resource matches" in bundle["text/html"] and "Labels on platforms" in bundle["text/html"]
    assert bundle["text/plain"].startswith("1 of 3 resource matches\n- Labels on platforms (2021)")


def test_explore_static_mode_needs_no_widgets():
    shown = explore(ITEMS, mode="static", topics="detection")
    assert isinstance(shown, ResourceList) and shown.titles() == ["Spotting GAN faces"]
    assert shown._repr_html_().startswith("<p>1 of 3 resource matches</p>")
    assert shown._repr_markdown_().startswith("1 of 3 resource matches\n\n- **[Spotting GAN faces]")
    assert len(explore(ITEMS, mode="static", query="zzz")) == 0
    assert "*No resource matches.*" in explore(ITEMS, mode="static", query="zzz")._repr_markdown_()


def test_explore_widget_mode_applies_initial_filters():
    explorer = explore(ITEMS, query="labels", types="guide", topics="labels", audience="platform")
    assert isinstance(explorer, ResourceExplorer)
    assert _titles(explorer) == ["Labels on platforms"]
    assert explorer.topic_filter.value == ("labels",)
    with pytest.raises(ValueError, match="types must be a single value in widget mode"):
        explore(ITEMS, types=["guide", "tool"])
    with pytest.raises(ValueError, match="topics must be one of"):
        explore(ITEMS, topics="deepfakes")
    with pytest.raises(ValueError, match="mode must be one of 'widget', 'static'"):
        explore(ITEMS, mode="fancy")


def test_explore_falls_back_to_static_without_ipywidgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # makes `import ipywidgets` fail
    shown = explore(ITEMS, topics="labels")
    assert isinstance(shown, ResourceList) and shown.titles() == ["Labels on platforms"]


def test_explorer_over_the_shipped_guide():
    explorer = explore()
    total = len(R.load())
    assert f"{total} of {total} resources match" in explorer.count.value
    explorer.topic_filter.value = ("coordination",)
    assert explorer.matches and all("coordination" in r.topics for r in explorer.matches)
