"""Every link the workshop cites points to the original publisher, in a well-formed address.

Covers the case library's sources, the resource guide and every lesson's further reading. A link
is rejected if it is malformed (no http(s) scheme or host, a trailing-dot host, an empty path
segment such as ``//``, whitespace), if it goes through a URL shortener, if its host is a known
mirror, aggregator or look-alike of another site, or if it is an index page instead of an
article. A few hosts only ever hold copies of other publishers' articles; where the original's
address could not be confirmed such a copy may stay, but only if the entry says it is a copy.

The lists below are explicit on purpose: each entry names what was found and what to link
instead. Add to them when a new mirror turns up; the planted-URL tests at the end show that each
rule rejects what it should and that an ordinary publisher's link passes.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = resources.files("workshop_utils").joinpath("data")

#: URL shorteners: they hide where a link goes and break when the service dies.
SHORTENERS = {
    "cur.at", "bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "buff.ly", "is.gd", "lnkd.in",
    "rebrand.ly", "tiny.cc", "shorturl.at", "dlvr.it", "trib.al", "fb.me", "youtu.be",
}

#: Look-alike domains (typosquats or clones of a real site) -> the real site.
LOOKALIKES = {
    "hugingapi.com": "huggingface.co",
    "hf.privai.fun": "huggingface.co",
}

#: Mirrors, reposts, aggregators, renderings and defunct services -> what to link instead. A key is
#: a host (subdomains included) or a host followed by a path prefix.
MIRRORS = {
    "bohrium.dp.tech": "a paper aggregator: link arXiv or the publisher",
    "arxiv-vanity.com": "a defunct arXiv renderer: link arxiv.org/abs",
    "web3.arxiv.org": "an arXiv mirror host: link arxiv.org/abs",
    "ar5iv.labs.arxiv.org": "an HTML rendering of arXiv papers: link arxiv.org/abs",
    "ar5iv.org": "an HTML rendering of arXiv papers: link arxiv.org/abs",
    "paperswithcode.com": "a paper aggregator, now defunct: link arXiv or the publisher",
    "deepai.org/publication": "a paper aggregator: link arXiv or the publisher",
    "deeplearn.org": "a paper aggregator: link arXiv",
    "mendeley.com/catalogue": "a reference-manager catalogue: link the DOI",
    "mlanthology.org": "a paper index: link arXiv or the proceedings",
    "gwern.net/metadata/annotation": "an annotation quoting another page: link the page it quotes",
    "guide.fake-news.site": "a wiki of paper summaries: link the paper",
    "j.layershift.co.uk": "a hosting subdomain mirroring Dezeen: link the publisher",
    "newsfresh.net": "a repost site (it copied Rolling Stone): link the original",
    "epgn.ch": "a repost site (it copied The Verge): link the original",
    "naijatechnews.com": "a repost site (it copied The Verge): link the original",
    "hyrra.com": "a repost site (it copied CNN): link CNN or a licensed syndication",
    "vuink.com": "a proxy that mirrors other sites: link the original",
    "mirrorblogs.com": "a mirror of Google's help pages: link the original",
    "5y1.org": "a document mirror: link the publisher",
    "seekingalpha.com": "an investment-news aggregator: link the platform's own post or first-hand reporting",
    "editorandpublisher.com": "a reposted press release: link the report on datasociety.net",
    "saidot.ai": "a third-party summary of PAI's framework: link PAI",
    "ybx.com": "an AI-news aggregator: link first-hand reporting",
    "stat.ethz.ch/CRAN": "a CRAN mirror: link CRAN.R-project.org",
    "aiact.annotated.nl": "an unofficial rendering of EU law: link EUR-Lex",
}

#: Hosts that hold copies of other publishers' articles: allowed only when the entry says it is a copy.
COPY_HOSTS = {
    "acmesponge.com": "copies Deadline",
    "indigodefense.com": "copies Gizmodo",
    "web.archive.org": "archived copies",
    "archive.ph": "archived copies",
    "dspace.mit.edu": "an open-access repository copy of a journal article",
}

#: Path segments that mark an index or listing page rather than an article.
INDEX_SEGMENTS = {"tag", "tags", "category", "categories", "author", "search"}

_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}$")


def _matches(host: str, path: str, key: str) -> bool:
    key_host, _, key_path = key.partition("/")
    on_host = host == key_host or host.endswith("." + key_host)
    return on_host and (not key_path or path.lstrip("/").startswith(key_path))


def link_problems(url: str, context: str = "") -> list[str]:
    """Why ``url`` is not an acceptable citation; empty if it is.

    ``context`` is the entry's own text (outlet, title, note): a copy host is accepted only if it
    says the link is a copy.
    """
    if not isinstance(url, str) or not url:
        return ["the link is empty"]
    found = []
    if url != url.strip() or re.search(r"\s", url):
        found.append("the address contains whitespace")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        found.append(f"scheme {parts.scheme!r} is not http(s)")
    raw_host = parts.netloc.rsplit("@", 1)[-1].split(":")[0]
    if "@" in parts.netloc:
        found.append("the address carries a user name")
    if raw_host.endswith("."):
        found.append(f"the host {raw_host!r} ends with a dot")
    host = raw_host.lower().rstrip(".")
    if not _HOST.match(host):
        found.append(f"the host {raw_host!r} is not a well-formed domain name")
    if "//" in parts.path:
        found.append("the path has an empty segment ('//')")
    if host.startswith("www."):
        host = host[4:]
    if host in SHORTENERS:
        found.append(f"{host} is a URL shortener: link the page it leads to")
    if host in LOOKALIKES:
        found.append(f"{host} is a look-alike of {LOOKALIKES[host]}")
    for key, reason in MIRRORS.items():
        if _matches(host, parts.path, key):
            found.append(f"{key} is {reason}")
    for key, reason in COPY_HOSTS.items():
        if _matches(host, parts.path, key) and "copy" not in context.lower():
            found.append(f"{key} holds copies ({reason}): link the original, or say in the entry that it is a copy")
    segments = [s.lower() for s in parts.path.split("/") if s]
    if segments and segments[0] in INDEX_SEGMENTS or any(s in INDEX_SEGMENTS for s in segments[:-1]):
        found.append("the link is an index page, not an article")
    return found


def _cited_links() -> list[tuple[str, str, str]]:
    """(where, url, context) for every link in the cases, the resources and the lessons' further reading."""
    links = []
    cases = json.loads(DATA.joinpath("cases.json").read_text(encoding="utf-8"))
    for case in cases["cases"]:
        for source in case["sources"]:
            context = " ".join(filter(None, [source.get("outlet"), source.get("note")]))
            links.append((f"case {case['id']}", source["url"], context))
    guide = json.loads(DATA.joinpath("resources.json").read_text(encoding="utf-8"))
    for entry in guide["resources"]:
        links.append((f"resource {entry['title']!r}", entry["url"], " ".join([entry["title"], entry.get("note", "")])))
    for notebook in sorted((ROOT / "lessons").glob("*.ipynb")):
        meta = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get("workshop", {})
        for item in meta.get("further_reading", []):
            links.append((f"{notebook.name} further reading", item["url"], f"{item.get('title', '')} {item.get('note', '')}"))
    # Links written into the text of lessons and exercises (the anatomy footer repeats the further reading).
    for notebook in sorted((ROOT / "lessons").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*/*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown" and "anatomy-footer" not in cell.get("metadata", {}).get("tags", []):
                for text, url in MARKDOWN_LINK.findall("".join(cell["source"])):
                    links.append((f"{notebook.name} text", url, text))
    return links


MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]*)\)")


LINKS = _cited_links()


def test_links_were_collected_from_every_source():
    kinds = {where.split()[0] for where, _, _ in LINKS}
    assert {"case", "resource"} <= kinds
    assert any(where.endswith(" text") for where, _, _ in LINKS), "links in the notebooks' text are checked too"
    lessons = {where.split()[0] for where, _, _ in LINKS if where.endswith("further reading")}
    assert len(lessons) == len(list((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))), "every lesson should have further reading"
    assert len(LINKS) > 150


@pytest.mark.parametrize("where, url, context", LINKS, ids=[f"{w}: {u}"[:120] for w, u, _ in LINKS])
def test_every_cited_link_is_a_well_formed_primary_source(where, url, context):
    assert link_problems(url, context) == [], f"{where}: {url}"


# --- the rules reject what they should ---------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://futurism.com./the-byte/human-models-ai-propaganda", "ends with a dot"),
    ("https://patriciathomson.net/home//digital-disguise?format=amp", "empty segment"),
    ("https://lrb.co.uk/blog/tag/auctions", "index page"),
    ("ftp://example.org/report.pdf", "not http(s)"),
    ("https://example.org/a report", "whitespace"),
    ("https:///no-host", "not a well-formed domain"),
    ("https://user@example.org/x", "user name"),
    ("https://cur.at/b6eFcEl?m=web", "URL shortener"),
    ("https://bit.ly/3abcdef", "URL shortener"),
    ("https://hugingapi.com/IsGarrido/supertonic/blob/main/LICENSE", "look-alike of huggingface.co"),
    ("https://www.arxiv-vanity.com/papers/2003.08685/", "arXiv renderer"),
    ("http://web3.arxiv.org/abs/2011.12758", "arXiv mirror"),
    ("https://bohrium.dp.tech/paper/arxiv/1803.09010", "aggregator"),
    ("https://vds210159-env-6616231.j.layershift.co.uk/2024/05/17/arup-victim-deepfake-video-scam/", "Dezeen"),
    ("https://newsfresh.net/anthony-bourdains-widow-denies/", "Rolling Stone"),
    ("https://epgn.ch/2021/05/13/actor-says-tiktok/", "The Verge"),
    ("https://seekingalpha.com/news/3529993-facebook-cracks-down-on-deepfakes", "aggregator"),
    ("https://www.editorandpublisher.com/news/new-report/", "press release"),
    ("https://www.saidot.ai/policies/responsible-practices-for-synthetic-media", "PAI"),
    ("https://gwern.net/metadata/annotation/x.html", "annotation"),
    ("https://stat.ethz.ch/CRAN/web/packages/CooRTweet/index.html", "CRAN mirror"),
])
def test_planted_bad_links_are_rejected(url, expected):
    problems = link_problems(url, "an ordinary source")
    assert any(expected in p for p in problems), problems


def test_every_listed_host_is_rejected():
    for host in SHORTENERS | set(LOOKALIKES):
        assert link_problems(f"https://{host}/x"), host
    for key in MIRRORS:
        host, _, path = key.partition("/")
        assert link_problems(f"https://{host}/" + (f"{path}/" if path else "") + "x"), key


def test_a_copy_host_passes_only_when_the_entry_says_it_is_a_copy():
    url = "https://indigodefense.com/2019/09/04/scammer-successfully-deepfaked-ceos-voice"
    assert link_problems(url, "Indigo Defense (Gizmodo)")
    assert link_problems(url, "Indigo Defense (copy of a Gizmodo report)") == []


@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/1803.09010",
    "https://www.theverge.com/2021/5/13/22435058/tiktok-voice-sues-unauthorized-usage-text-to-speech",
    "https://CRAN.R-project.org/package=CooRTweet",
    "https://blog.youtube/news-and-events/disclosing-ai-generated-content/",
    "https://doi.org/10.1080/10584609.2019.1661888",
    "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
])
def test_ordinary_primary_sources_pass(url):
    assert link_problems(url, "") == []


def test_links_in_notebook_text_are_found_and_checked():
    text = 'the film says so ([an article](https://patriciathomson.net/home//digital-disguise?format=amp)), and [more](https://arxiv.org/abs/1406.2661).'
    found = MARKDOWN_LINK.findall(text)
    assert [url for _, url in found] == ["https://patriciathomson.net/home//digital-disguise?format=amp",
                                         "https://arxiv.org/abs/1406.2661"]
    assert link_problems(found[0][1], found[0][0]) and link_problems(found[1][1], found[1][0]) == []
