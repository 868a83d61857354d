"""The living resource guide: the shipped data, validation, suggestions, search and the docs page."""

import json
import os
import re
import threading
from datetime import date
from pathlib import Path

import pytest

from workshop_utils.resources import guide as R

REPO = Path(__file__).resolve().parents[2]


def _entry(**overrides):
    entry = {
        "title": "A test resource",
        "url": "https://example.org/test-resource",
        "year": 2021,
        "type": "paper",
        "topics": ["detection"],
        "audience": ["student"],
        "summary": "A made-up resource used only by the test suite, long enough to pass.",
    }
    entry.update(overrides)
    return {k: v for k, v in entry.items() if v is not ...}


# --------------------------------------------------------------------------- the shipped guide


def test_shipped_guide_is_valid_and_big_enough():
    assert R.check_file() == []
    guide = R.load()
    assert len(guide) >= 40
    for item in guide:
        for field in R.REQUIRED_FIELDS:
            assert getattr(item, field), f"{item.title!r} lacks {field}"
        assert len(item.summary) <= R.SUMMARY_MAX_CHARS


def test_shipped_guide_has_no_duplicate_links():
    urls = [R.normalise_url(item.url) for item in R.load()]
    assert len(urls) == len(set(urls))


def test_shipped_guide_covers_every_topic_and_the_main_kinds_of_resource():
    guide = R.load()
    assert {t for item in guide for t in item.topics} == set(R.TOPICS)
    kinds = {item.type for item in guide}
    assert {"paper", "tool", "framework", "guide", "policy", "dataset", "report", "project"} <= kinds


# Claims the project's fact sheet marks as unconfirmed (its section G): never state them.
UNCONFIRMED = ["Centrica", "500 billion", "Discord", "7.7%", "4.82", "25 tokens", "swung", "acquired",
               "Emmy", "Detect Fakes", "ICML 2023 paper"]


@pytest.mark.parametrize("phrase", UNCONFIRMED)
def test_shipped_summaries_do_not_state_unconfirmed_claims(phrase):
    for item in R.load():
        assert phrase.lower() not in f"{item.title} {item.summary}".lower(), (
            f"{item.title!r} states {phrase!r}, which the fact sheet marks as unconfirmed")


def test_software_links_use_pypi_or_the_projects_own_page():
    for item in R.load():
        if item.type == "tool" and "pypi.org" in item.url:
            assert re.fullmatch(r"https://pypi\.org/project/[A-Za-z0-9._-]+/", item.url), item.url


# --------------------------------------------------------------------------- validation


def test_a_complete_entry_is_valid():
    assert R.validate_entry(_entry()) == []
    assert R.validate_entry(_entry(authors="Someone", note="A caveat.")) == []
    assert R.validate_entry(_entry(note=None)) == []


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ...}, r"^title: missing \(required\)$"),
        ({"summary": ...}, r"^summary: missing"),
        ({"topic": ["detection"]}, r"^topic: unknown field \(did you mean 'topics'\?\)"),
        ({"title": 42}, r"^title: must be text, got int"),
        ({"title": "  "}, r"^title: must have at least 3"),
        ({"title": "two\nlines"}, r"^title: must be a single line"),
        ({"title": "x" * 201}, r"^title: must be at most 200 characters, got 201"),
        ({"url": "ftp://example.org/file"}, r"^url: must start with http:// or https://"),
        ({"url": "example.org/page"}, r"^url: must start with http"),
        ({"url": "https://exa mple.org"}, r"^url: must be one web address without spaces"),
        ({"url": "https:///nohost"}, r"^url: must name a web host"),
        ({"url": "https://example.org:99999/"}, r"^url: is not a valid web address"),
        ({"url": ["https://example.org"]}, r"^url: must be text"),
        ({"year": "2020"}, r"^year: must be a whole number such as 2020, got str '2020'"),
        ({"year": True}, r"^year: must be a whole number"),
        ({"year": 2020.0}, r"^year: must be a whole number"),
        ({"year": 1800}, rf"^year: must be between {R.YEAR_MIN} and {date.today().year}, got 1800"),
        ({"year": date.today().year + 1}, r"^year: must be between"),
        ({"type": "papr"}, r"^type: 'papr' is not allowed \(did you mean 'paper'\?\); choose one of guide, "),
        ({"type": None}, r"^type: None is not allowed"),
        ({"topics": "detection"}, r"^topics: must be a list such as \['generation'\], got str"),
        ({"topics": []}, r"^topics: must list at least one of generation, "),
        ({"topics": ["deepfakes"]}, r"^topics: 'deepfakes' is not allowed; choose from"),
        ({"topics": ["detection", "detection"]}, r"^topics: lists 'detection' more than once"),
        ({"topics": [["detection"]]}, r"^topics: \['detection'\] is not allowed"),
        ({"audience": ["students"]}, r"^audience: 'students' is not allowed \(did you mean 'student'\?\)"),
        ({"summary": "Too short."}, r"^summary: must have at least 20 character\(s\), got 10"),
        ({"summary": "x" * 201}, r"^summary: must be at most 200 characters, got 201; shorten it"),
        ({"summary": "A first line that is long enough\nand a second one"}, r"^summary: must be a single line"),
        ({"authors": 5}, r"^authors: must be text, got int"),
        ({"note": "x" * 301}, r"^note: must be at most 300 characters"),
    ],
)
def test_validate_entry_names_the_field_of_each_problem(overrides, message):
    problems = R.validate_entry(_entry(**overrides))
    assert len(problems) == 1, problems
    assert re.search(message, problems[0]), problems[0]


def test_validate_entry_reports_every_problem_at_once():
    problems = R.validate_entry({"title": "ok title", "url": "nope", "year": "1999"})
    fields = sorted(p.split(":")[0] for p in problems)
    assert fields == ["audience", "summary", "topics", "type", "url", "year"]


def test_validate_entry_rejects_what_is_not_a_dict():
    assert R.validate_entry(["title"]) == [
        "entry: must be a dict (a JSON object) with the fields title, url, year, type, topics, audience, "
        "summary, got list"]


def test_new_entry_turns_command_line_text_into_an_entry():
    entry = R.new_entry(title=" T itle ", url=" https://example.org/x ", year=" 2020 ", type="Paper",
                        topics="detection, labels,", audience="student", summary=" s ", authors=" ",
                        note="A note")
    assert entry == {"title": "T itle", "url": "https://example.org/x", "year": 2020, "type": "paper",
                     "topics": ["detection", "labels"], "audience": ["student"], "summary": "s",
                     "note": "A note"}
    # Nothing is checked here: bad values reach validate_entry unchanged.
    assert R.new_entry(title="t", url="u", year="soon", type="x", topics=["a"], audience=[],
                       summary="s")["year"] == "soon"


def test_normalise_url():
    assert R.normalise_url("HTTP://Example.ORG/Path/") == "https://example.org/Path"
    assert R.normalise_url("https://example.org:443/a?b=1#frag") == "https://example.org/a?b=1"
    assert R.normalise_url("https://example.org:8080/a") == "https://example.org:8080/a"
    assert R.normalise_url("https://example.org/A") != R.normalise_url("https://example.org/a")


# --------------------------------------------------------------------------- files


def _write(path, entries, about="test"):
    path.write_text(json.dumps({"about": about, "resources": entries}), encoding="utf-8")


def test_check_file_and_load_report_duplicates_and_bad_entries(tmp_path):
    path = tmp_path / "r.json"
    _write(path, [_entry(), _entry(title="Again", url="HTTP://EXAMPLE.org/test-resource/"), _entry(year="x")])
    problems = R.check_file(path)
    assert "entry 2 ('Again'): url: duplicates entry 1 ('A test resource')" in problems[0]
    assert problems[1].startswith("entry 3 ('A test resource'): year: must be a whole number")
    with pytest.raises(ValueError, match=r"has 3 problem\(s\):\n- entry 2 \('Again'\): url: duplicates"):
        R.load(path)


@pytest.mark.parametrize(
    "text, message",
    [("{not json", r"is not valid JSON \(line 1, column 2"), ('{"items": []}', r'must hold a JSON object with a "resources" list')],
)
def test_load_rejects_files_that_are_not_resource_documents(tmp_path, text, message):
    path = tmp_path / "r.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        R.load(path)
    with pytest.raises(FileNotFoundError, match="no resources file at"):
        R.load(tmp_path / "missing.json")


def test_add_resource_creates_the_suggestions_file_and_appends(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    R.add_resource(_entry())  # default: resource_suggestions.json in the current folder
    R.add_resource(R.new_entry(title="Second", url="https://example.org/second", year="2019", type="tool",
                               topics="watermarking,provenance", audience="developer,student",
                               summary="Another made-up resource for the test suite."))
    path = tmp_path / R.SUGGESTIONS_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    assert "facilitator reviews" in document["about"]
    assert [e["title"] for e in document["resources"]] == ["A test resource", "Second"]
    loaded = R.load(path)
    assert loaded[1].topics == ("watermarking", "provenance") and loaded[1].year == 2019
    assert R.check_file(path) == []
    assert [p.name for p in tmp_path.iterdir()] == [R.SUGGESTIONS_FILE]  # no temporary files left


def test_add_resource_keeps_other_keys_and_list_documents(tmp_path):
    path = tmp_path / "r.json"
    _write(path, [_entry()], about="keep me")
    R.add_resource(_entry(title="Two", url="https://example.org/two"), path)
    document = json.loads(path.read_text())
    assert document["about"] == "keep me" and len(document["resources"]) == 2
    listed = tmp_path / "list.json"
    listed.write_text("[]")
    R.add_resource(_entry(), listed)
    assert [e["url"] for e in json.loads(listed.read_text())] == ["https://example.org/test-resource"]


def test_add_resource_refuses_duplicates_and_leaves_the_file_alone(tmp_path):
    path = tmp_path / "r.json"
    R.add_resource(_entry(), path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match=r"url: 'HTTP://Example.org/test-resource/' is already listed in .*entry 1"):
        R.add_resource(_entry(title="Same link", url="HTTP://Example.org/test-resource/"), path)
    shipped = R.load()[0]
    with pytest.raises(ValueError, match="is already in the workshop's guide as"):
        R.add_resource(_entry(url=shipped.url + "/"), path)
    assert path.read_bytes() == before


def test_add_resource_refuses_bad_entries_listing_every_problem(tmp_path):
    path = tmp_path / "r.json"
    with pytest.raises(ValueError, match=r"the resource was not added:\n- year: .*\n- topics: 'deepfakes'"):
        R.add_resource(_entry(year="2020", topics=["deepfakes"]), path)
    assert not path.exists()
    with pytest.raises(FileNotFoundError, match="path: the folder .* does not exist"):
        R.add_resource(_entry(), tmp_path / "no" / "r.json")


def test_add_resource_never_overwrites_a_corrupt_file(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"resources": [ broken')
    with pytest.raises(ValueError, match="is not valid JSON"):
        R.add_resource(_entry(), path)
    assert path.read_text() == '{"resources": [ broken'


def test_add_resource_is_atomic_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "r.json"
    R.add_resource(_entry(), path)
    before = path.read_bytes()

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(R.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        R.add_resource(_entry(title="Two", url="https://example.org/two"), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_concurrent_adds_keep_every_entry(tmp_path):
    path = tmp_path / "r.json"
    errors = []

    def add(i):
        try:
            R.add_resource(_entry(title=f"Entry {i}", url=f"https://example.org/{i}"), path)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(item.title for item in R.load(path)) == sorted(f"Entry {i}" for i in range(8))


def test_add_resource_keeps_the_file_mode(tmp_path):
    path = tmp_path / "r.json"
    _write(path, [])
    os.chmod(path, 0o664)
    R.add_resource(_entry(), path)
    assert path.stat().st_mode & 0o777 == 0o664


# --------------------------------------------------------------------------- search


def _sample():
    return [
        R.Resource.from_dict(_entry(title="Watermarking images", url="https://example.org/1", year=2019,
                                    type="tool", topics=["watermarking"], audience=["developer"])),
        R.Resource.from_dict(_entry(title="Labels for art", url="https://example.org/2", year=2021,
                                    type="guide", topics=["labels", "art"], audience=["artist", "student"])),
        R.Resource.from_dict(_entry(title="Spotting fakes", url="https://example.org/3", year=2023,
                                    summary="Detecting watermarks and partial edits in generated images.",
                                    authors="Doe & Roe")),
    ]


def test_search_by_text_needs_every_word_at_a_word_start():
    items = _sample()
    titles = lambda found: [r.title for r in found]  # noqa: E731
    assert titles(R.search(items, "watermark")) == ["Watermarking images", "Spotting fakes"]
    assert titles(R.search(items, "WATERMARK images")) == ["Watermarking images", "Spotting fakes"]
    assert titles(R.search(items, "art")) == ["Labels for art"]  # not "partial"
    assert titles(R.search(items, "roe")) == ["Spotting fakes"]  # authors are searched too
    assert R.search(items, "watermark nothing-like-this") == []
    assert len(R.search(items)) == 3


def test_search_filters_combine():
    items = _sample()
    assert [r.url[-1] for r in R.search(items, types="tool")] == ["1"]
    assert [r.url[-1] for r in R.search(items, types=["tool", "guide"])] == ["1", "2"]
    assert [r.url[-1] for r in R.search(items, topics=["art", "detection"])] == ["2", "3"]
    assert [r.url[-1] for r in R.search(items, audience="student")] == ["2", "3"]
    assert [r.url[-1] for r in R.search(items, year_from=2020, year_to=2022)] == ["2"]
    assert [r.url[-1] for r in R.search(items, "images", types="tool", year_to=2019)] == ["1"]


def test_search_rejects_unknown_filters_clearly():
    with pytest.raises(ValueError, match="topics must be one of 'generation', .*; got 'deepfakes'"):
        R.search(_sample(), topics="deepfakes")
    with pytest.raises(ValueError, match="types must be one of"):
        R.search(_sample(), types=["paper", "blog"])
    with pytest.raises(TypeError, match="query must be text"):
        R.search(_sample(), 42)
    with pytest.raises(TypeError, match="year_from must be a whole number"):
        R.search(_sample(), year_from="2020")


def test_search_defaults_to_the_shipped_guide():
    found = R.search(query="watermark", types="tool")
    assert found and all(r.type == "tool" for r in found)


# --------------------------------------------------------------------------- rendering


def test_render_markdown_by_type_lists_each_resource_once_with_a_working_contents():
    items = _sample()
    text = R.render_markdown(items)
    assert text.startswith("# Resources\n") and text.endswith("\n")
    assert text.count("](https://example.org/") == 3
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == ["Contents", "Guides", "Papers", "Tools and code"]  # empty groups left out
    for heading in headings[1:]:
        assert f"- [{heading}](#{R._anchor(heading)})" in text
    assert R._anchor("Projects: art, activism and documentary") == "projects-art-activism-and-documentary"
    assert "*Topics:* labels, art. *For:* artist, student." in text


def test_render_markdown_by_topic_repeats_multi_topic_resources():
    text = R.render_markdown(_sample(), group_by="topic", title="By topic")
    assert text.startswith("# By topic\n")
    assert re.findall(r"^## (.+)$", text, re.M) == ["Contents", "Detection", "Watermarking", "Labels", "Art"]
    assert text.count("[Labels for art](https://example.org/2)") == 2
    with pytest.raises(ValueError, match="group_by must be one of 'type', 'topic'"):
        R.render_markdown(_sample(), group_by="year")


def test_render_markdown_escapes_titles_and_orders_newest_first():
    items = [
        R.Resource.from_dict(_entry(title="Old [draft] *bold*", url="https://example.org/old", year=2001)),
        R.Resource.from_dict(_entry(title="New", url="https://example.org/new", year=2022, note="Careful_here")),
    ]
    text = R.render_markdown(items)
    assert "[Old \\[draft\\] \\*bold\\*](https://example.org/old)" in text
    assert text.index("example.org/new") < text.index("example.org/old")
    assert "*Note:* Careful\\_here" in text
    odd = R.Resource.from_dict(_entry(url="https://example.org/wiki/Deepfake_(media)"))
    assert "(<https://example.org/wiki/Deepfake_(media)>)" in odd.to_markdown()


def test_write_markdown_reports_changes(tmp_path):
    path = tmp_path / "docs" / "resources.md"
    assert R.write_markdown(path, _sample()) is True
    assert R.write_markdown(path, _sample()) is False
    assert path.read_text(encoding="utf-8") == R.render_markdown(_sample())


def test_docs_resources_page_is_in_sync():
    assert (REPO / "docs" / "resources.md").read_text(encoding="utf-8") == R.render_markdown(R.load()), (
        "docs/resources.md is out of date: run "
        "python -c 'from workshop_utils.resources import write_markdown; write_markdown(\"docs/resources.md\")'")


# --------------------------------------------------------------------------- hostile suggestions (issue 15, item 3)

BREAKOUT_URLS = [
    "https://example.org/a)><script>alert(1)</script>",
    'https://example.org/a"onmouseover="alert(1)',
    "https://example.org/a b",
    "https://example.org/<b>",
    "https://example.org/a\\b",
    "https://example.org/`x`",
    "https://example.org/a%zz",
    "https://example.org/{x}|y^",
]


@pytest.mark.parametrize("url", BREAKOUT_URLS)
def test_urls_that_could_break_out_of_a_link_are_refused(url, tmp_path):
    problems = R.validate_entry(_entry(url=url))
    assert problems and problems[0].startswith("url:"), problems
    with pytest.raises(ValueError, match="url:"):
        R.add_resource(_entry(url=url), tmp_path / "s.json")
    assert not (tmp_path / "s.json").exists()


def test_the_cli_refuses_the_script_url_and_docs_stay_clean(tmp_path, monkeypatch, capsys):
    from workshop_utils.course import cli

    monkeypatch.chdir(tmp_path)
    args = ["--title", "A title", "--url", "https://example.org/a)><script>alert(1)</script>", "--year", "2020",
            "--type", "paper", "--topics", "detection", "--audience", "student",
            "--summary", "A summary long enough for the checker."]
    assert cli.main(["resources", "add", *args]) == 2
    assert "url: contains" in capsys.readouterr().err
    assert not (tmp_path / "resource_suggestions.json").exists()


HOSTILE_TEXT = "[click](javascript:alert(1)) <script>alert(1)</script> | a | b | ~~x~~ `c` <img src=x onerror=y>"


def test_hostile_titles_summaries_notes_and_authors_render_inert():
    import mistune
    from markdown_it import MarkdownIt

    item = R.Resource.from_dict(_entry(title=HOSTILE_TEXT[:120], summary=HOSTILE_TEXT, note=HOSTILE_TEXT,
                                       authors="# Heading <b>me</b>"))
    page = R.render_markdown([item], title="<script>x</script>")
    for rendered in (MarkdownIt("commonmark").enable(["table"]).render(page), mistune.html(page)):
        assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
        links = re.findall(r'<a href="([^"]*)"', rendered)
        assert links and all(link.startswith("#") or link == "https://example.org/test-resource" for link in links)
        assert rendered.count("<h1") == 1


def test_a_resource_built_around_validation_never_becomes_a_live_link():
    from workshop_utils.resources.views import ResourceList

    item = R.Resource("Evil", "javascript:alert(1)", 2020, "paper", ("detection",), ("student",), "x" * 30)
    assert "javascript" not in item.to_markdown().split("**")[1]
    assert "href" not in ResourceList([item])._repr_html_()
