"""Escape text that people typed before it becomes Markdown or HTML.

Answers, display names, file names and participants' suggestions end up in
Markdown files (journal exports, facilitators' summaries, the resource
guide) and in HTML (widgets, static pages). Anything typed must stay text
there: no live ``<script>``, no ``javascript:`` link, no heading, list or
table row that the writer did not put there.

* :func:`md_text` makes one line of typed text inert in Markdown (CommonMark,
  GitHub, JupyterLab and Python-Markdown renderers): ``<`` and ``>`` (and ``&`` where it would
  start an entity such as ``&lt;``) become entities,
  every character that starts emphasis, a link, code, a table cell or a
  block is backslash-escaped, and line breaks become spaces.
* :func:`md_quote` does the same for several lines, as a block quote.
* :func:`md_table_cell` is :func:`md_text` for a GitHub table cell.
* :func:`html_text` escapes for HTML text and attribute values.

Used in: workshop_utils.discussion (report, rooms), workshop_utils.resources.
"""

from __future__ import annotations

import html
import re

__all__ = ["html_text", "md_quote", "md_table_cell", "md_text", "one_line"]

# Characters that start emphasis, code, a link or image, a table cell or strikethrough anywhere in a
# line: escaped with a backslash (CommonMark renders ``\\*`` as ``*``, so the text reads the same).
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# What starts a block at the beginning of a line: a heading, a list item, a setext underline,
# an ordered list item ("1." or "1)"). Its first character is escaped.
_BLOCK_START = re.compile(r"^([#+\-=]|\d{1,9}(?=[.)]))")
# An ampersand that would start a character reference such as &lt; or &#60;.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Line breaks in every form Python and Markdown know (\r alone, \u2028, NEL, ...).
_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
# Control characters other than tab and line breaks: shown as nothing.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` with every run of whitespace and line breaks made one space, cut to ``limit``."""
    text = " ".join(_CONTROLS.sub("", str(text)).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _escape_inline(text: str) -> str:
    # < and > become entities: no raw HTML, no autolinks; & only where it would start an entity
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match:
        token = match.group(1)
        text = (token + "\\" + text[len(token):]) if token[0].isdigit() else "\\" + text
    return text


def md_text(text: str, limit: int | None = None) -> str:
    """One line of typed text, safe to put anywhere in a Markdown line (also at its start)."""
    return _escape_inline(one_line(text, limit))


def md_table_cell(text: str, limit: int | None = None) -> str:
    """Typed text for a cell of a GitHub Markdown table (``|`` is escaped, so no cell or row is added)."""
    return md_text(text, limit)


def md_quote(text: str) -> str:
    """Several lines of typed text as a Markdown block quote; every line is escaped like :func:`md_text`."""
    lines = _BREAKS.split(_CONTROLS.sub("", str(text)).strip()) or [""]
    return "\n".join(f"> {_escape_inline(line.strip())}".rstrip() for line in lines)


def html_text(text: str) -> str:
    """Typed text for HTML element content or a quoted attribute value."""
    return html.escape(str(text), quote=True)
