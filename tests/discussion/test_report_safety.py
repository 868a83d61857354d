"""Exports and summaries escape what people typed, and --anonymise anonymises (issue 15, items 2 and 3).

Every piece of typed text is rendered by two real Markdown renderers (markdown-it-py in CommonMark
mode with GitHub tables and strikethrough, and mistune, which nbconvert and so JupyterLab exports use),
with raw HTML allowed, and the HTML they produce must hold nothing the writer did not intend:
no <script>, no link, no image, no heading, table row or list that was typed.
"""

import html
import json
import re
import unicodedata

import mistune
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from workshop_utils._markup import md_quote, md_text, one_line
from workshop_utils.course import cli
from workshop_utils.discussion import Journal, export_markdown, merge_journals
from workshop_utils.discussion.anonymise import Anonymiser
from workshop_utils.discussion.report import format_answer
from workshop_utils.discussion.rooms import Rooms

COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "![pic](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<https://evil.example/>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;",
    "# Injected heading",
    "line one\n## Injected heading two\n| a | b |\n|---|---|\n| c | d |",
    "Setext heading\n===",
    "Setext two\n---",
    "| Option | Count |\n|---|---|\n| Injected | 99 |",
    "- injected item\n+ another\n* third\n1. numbered\n2) numbered",
    "```\ncode fence\n```",
    "~~~\nfence\n~~~",
    "    indented code",
    "> injected quote",
    "**bold** _em_ `code` ~~strike~~",
    "<!-- comment --> <div onclick=x>div</div>",
    "[ref]: javascript:alert(1)\n[ref]",
    "line\rcarriage\u2028separator\u0085next\x0bvt\x0cff",
    "trailing backslash \\",
    "<details open><summary>x</summary></details>",
]

_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


def _tags(rendered: str) -> list[str]:
    return [name.lower() for slash, name in _TAG.findall(rendered) if not slash]


def _rendered(markdown: str) -> list[str]:
    return [COMMONMARK.render(markdown), mistune.html(markdown)]


def _assert_inert(rendered: str, allowed: set[str]) -> None:
    unexpected = sorted(set(_tags(rendered)) - allowed)
    assert not unexpected, f"typed text made live HTML {unexpected}: {rendered[:500]}"
    assert "javascript:" not in rendered.replace("javascript:alert", "") or "href" not in rendered


# -- the escaping functions themselves -------------------------------------------------------------------

TYPED = st.lists(
    st.sampled_from(list("<>&[]()!#*_`|~-=+.:/\\\"' \n\r\t{}0123456789ab") + [
        "javascript:", "<script>", "</script>", "http://x.org", "&lt;", "&#60;", "<img src=x>", "\u2028", "1.",
        "---", "===", "```", "    ", "Zoë", "\u0085", "&amp;",
    ]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, database=None)
@given(TYPED)
def test_md_text_renders_as_exactly_the_typed_text_and_nothing_else(text):
    for rendered in _rendered(md_text(text)):
        assert set(_tags(rendered)) <= {"p"}, rendered
        inner = re.sub(r"^<p>|</p>\n?$", "", rendered.strip())
        assert html.unescape(inner) == one_line(text)


@settings(max_examples=300, deadline=None, database=None)
@given(TYPED)
def test_md_quote_renders_as_one_quote_of_plain_paragraph_text(text):
    for rendered in _rendered(md_quote(text)):
        assert set(_tags(rendered)) <= {"blockquote", "p", "br"}, rendered
        assert rendered.count("<blockquote>") <= 1


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_and_md_quote_keep_hostile_text_inert(text):
    for rendered in _rendered(md_text(text)):
        assert set(_tags(rendered)) <= {"p"}
    for rendered in _rendered(md_quote(text)):
        assert set(_tags(rendered)) <= {"blockquote", "p", "br"}
    assert "<script" not in md_text(text) and "<script" not in md_quote(text)


# -- journal exports and merged summaries ---------------------------------------------------------------------


def _hostile_journal(path, text, name):
    journal = Journal(path)
    journal.set_display_name(one_line(name, 80))
    journal.record("01", "refl", "reflection", text, question=text)
    journal.record("01", "poll", "poll", text, question="Who decides?", details={"options": ["Yes", text]})
    journal.record("01", "spec", "spectrum", {"value": 3, "rationale": text}, question="Where?",
                   details={"minimum": 0, "maximum": 5, "step": 1, "left": text, "right": text})
    journal.record("02", "canvas", "canvas", {"intended_use": text, "who": text},
                   question="Canvas", details={"fields": [["intended_use", text]]})
    journal.record("02", "quiz", "quiz", {"answers": [text, None], "correct": 1, "total": 2}, question="Quiz")
    return journal


@pytest.mark.parametrize("text", HOSTILE)
def test_a_journal_export_keeps_everything_typed_inert(tmp_path, text):
    journal = _hostile_journal(tmp_path / "j.json", text, text)
    markdown = export_markdown(journal)
    for rendered in _rendered(markdown):
        _assert_inert(rendered, {"h1", "h2", "h3", "p", "em", "strong", "code", "blockquote", "br", "ul", "li"})
        assert rendered.count("<h1>") == 1 and rendered.count("<h2>") == 2 and rendered.count("<h3>") == 5
        assert "<a " not in rendered and "<img" not in rendered and "<table" not in rendered


@pytest.mark.parametrize("anonymise", [False, True])
@pytest.mark.parametrize("text", HOSTILE)
def test_a_merged_summary_keeps_everything_typed_inert(tmp_path, text, anonymise):
    paths = [_hostile_journal(tmp_path / f"l{i}.json", text, f"{text} {i}").path for i in range(2)]
    merged = merge_journals(paths, anonymise=anonymise, seed=0)
    for rendered in _rendered(merged.to_markdown()):
        _assert_inert(rendered, {"h1", "h2", "h3", "p", "em", "strong", "code", "blockquote", "br", "ul", "li",
                                 "table", "thead", "tbody", "tr", "th", "td"})
        # one poll table (header + 2 options) and one spectrum table (header + 6 positions): no typed rows
        assert rendered.count("<tr>") + rendered.count("<tr ") == 3 + 7
        assert rendered.count("<h3>") == 5 and "<a " not in rendered and "<img" not in rendered


def test_format_answer_checks_its_arguments():
    with pytest.raises(TypeError, match="answer for a reflection must be text"):
        format_answer("reflection", 42)
    with pytest.raises(ValueError, match="kind must be one of"):
        format_answer("essay", "x")
    with pytest.raises(TypeError, match="details must be a dict"):
        format_answer("poll", "x", details=["x"])


def test_room_names_are_escaped_in_markdown():
    rooms = Rooms([["<script>x</script>", "# Ana", "| Ben |"]])
    for rendered in _rendered(rooms.to_markdown()):
        assert set(_tags(rendered)) <= {"p", "strong", "ul", "li"}


# -- anonymise means anonymous ---------------------------------------------------------------------------------


def _fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


@pytest.fixture
def group(tmp_path):
    ana = Journal(tmp_path / "learner1.json")
    ana.set_display_name("Ana María López-García")
    ana.record("01", "r", "reflection", "I (ana.lopez@example.org, +44 20 7946 0958) talked with BEN and cai.")
    ben = Journal(tmp_path / "ben_okafor.json")  # no display name: the file name is his
    ben.record("01", "r", "reflection", "Maria and Lopez and ANA agreed; Garcia too. Call 555-123-4567, @ana_lg.")
    ben.record("02", "c", "canvas", {"name": "Cai Wu", "intended_use": "Dee Patel and Cai said so on 2026-03-14."})
    cai = Journal(tmp_path / "third.json")
    cai.record("01", "r", "reflection", "Okafor's point, and Ana-Maria's, in 2019-2024. Wu! Zoe wrote 1.5 pages.")
    roster = tmp_path / "names.txt"
    roster.write_text("# our group\nDee Patel\nZoë Kim\n")
    return [ana.path, ben.path, cai.path], roster


IDENTIFYING = ["ana", "maria", "lopez", "garcia", "ben", "okafor", "cai", "wu", "dee", "patel", "zoe"]


def test_anonymise_removes_emails_phones_handles_and_every_part_of_every_known_name(group, tmp_path, capsys):
    paths, roster = group
    target = tmp_path / "summary.md"
    assert cli.main(["journal", "merge", *map(str, paths), "--anonymise", "--names", str(roster),
                     "-o", str(target)]) == 0
    text = target.read_text()
    words = set(re.findall(r"[^\W_]+", _fold(text)))
    for token in IDENTIFYING:
        assert token not in words, f"{token!r} is still in the anonymised summary"
    assert "ana.lopez@example.org" not in text and "7946" not in text and "@ana_lg" not in text
    assert "2026-03-14" in text and "2019-2024" in text and "1.5 pages" in text, "dates and numbers stay"
    assert "(e-mail removed)" in text and "(phone number removed)" in text and "(handle removed)" in text
    assert "(name removed)" in text


def test_the_summary_says_plainly_what_is_and_is_not_removed(group):
    paths, _ = group
    anonymised = merge_journals(paths, anonymise=True, seed=1).to_markdown()
    assert "**Anonymised.**" in anonymised and "e-mail addresses, phone numbers (7 or more digits), @handles" in \
        anonymised
    assert "**Not removed:** names the workshop was not given (nicknames, misspellings" in anonymised
    assert re.search(r"Replaced: \d+ name\(s\), 1 e-mail\(s\), 2 phone number\(s\), 1 handle\(s\)", anonymised)
    plain = merge_journals(paths).to_markdown()
    assert "**Not anonymised:** names and answers are shown as written" in plain and "Anonymised." not in plain


def test_without_names_list_the_roster_names_are_not_claimed_removed(group):
    paths, _ = group
    text = merge_journals(paths, anonymise=True, seed=1).to_markdown()
    assert "Patel" in text, "a name nobody gave stays; the summary says such names are not removed"


def test_anonymiser_on_its_own():
    scrub = Anonymiser(["Zoë Ñúñez", "Li"])
    assert scrub("zoe NUNEZ met li, Lily and Zoey; write to z@x.io") == \
        "(name removed) met (name removed), Lily and Zoey; write to (e-mail removed)"
    assert scrub("Zoë alone, and NÚÑEZ alone") == "(name removed) alone, and (name removed) alone"
    assert scrub.counts == {"name": 4, "e-mail": 1}
    with pytest.raises(TypeError, match="names must be a list of names"):
        Anonymiser("Zoë")


def test_the_facilitator_guide_says_what_anonymise_does():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "facilitator_guide.md").read_text(encoding="utf-8")
    assert "--names names.txt" in guide and "not removed" in guide.lower()


def test_cli_merge_names_needs_anonymise(group, capsys):
    paths, roster = group
    assert cli.main(["journal", "merge", *map(str, paths), "--names", str(roster)]) == 2
    assert "--names lists names to remove; it needs --anonymise" in capsys.readouterr().err


def test_merged_json_details_from_a_hostile_file_do_not_crash(tmp_path):
    path = tmp_path / "j.json"
    Journal(path).record("01", "s", "spectrum", {"value": 2, "rationale": "x"},
                         details={"minimum": 0, "maximum": 4, "step": 1})
    data = json.loads(path.read_text())
    data["entries"]["01"]["s"]["details"] = {"minimum": "0", "maximum": [4], "step": "x", "fields": 3,
                                             "options": {"a": 1}, "left": 5}
    path.write_text(json.dumps(data))
    assert "**Position:** 2" in merge_journals([path]).to_markdown()
