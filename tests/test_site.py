"""The workshop's static site, built from a fresh copy of the repository and opened in a real browser.

Builds the site the way ``make site`` does (tools/build_site.py), from a copy holding
only what a fresh clone of this working tree would hold, reusing the execution cache in
build/site-cache. In the whole suite this test runs last and nbval has filled that cache
(tests/site_capture.py keeps every lesson it executes), so the build renders lessons and
trains nothing; run alone with an empty cache, it executes the lessons itself.
``make site`` uses the same cache. What the build measured goes to test-artifacts/site/build.json.
Then: no page holds a solution, a hidden test or a rubric (markers or their lines);
every internal link resolves; no page loads anything from another host; and headless
Chromium opens every page with no console error, every lesson page shows at least the
figures its notebook made, with alt text, and headings go down one level at a time.
Screenshots of the landing page and of a lesson go to test-artifacts/site/.

The browser part needs Debian's chromium (as tests/test_browser.py); the build and the
static checks run without it.
"""

from __future__ import annotations

import functools
import html
import json
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from test_browser import CHROMIUM, CHROMIUM_ARGS, _require_browser  # one browser set-up for every browser test

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "site"
CACHE = REPO / "build" / "site-cache"
MARKER = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)")
SECRET_REGION = re.compile(r"BEGIN (SOLUTION|HIDDEN TESTS|MARK SCHEME)[^\n]*\n(.*?)\n[^\n]*END \1", re.S)
WIDGET_LEFTOVERS = re.compile(r"Loading widget|Error displaying widget|\b(VBox|HBox|DiscussionTimer|Dropdown|IntSlider)\(")

pytestmark = pytest.mark.slow


# -- building -------------------------------------------------------------------------------------------------------


def _fresh_copy(dest: Path) -> Path:
    """Copy what a fresh clone of this working tree holds: tracked and new files, nothing git ignores."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                             capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listing):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(html folder, staged sources, build report) of a site built from a fresh copy of the repository."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout to make a fresh copy")
    root = _fresh_copy(tmp_path_factory.mktemp("clone"))
    out = tmp_path_factory.mktemp("site") / "html"
    result = subprocess.run([sys.executable, str(root / "tools" / "build_site.py"), "--out", str(out),
                             "--cache", str(CACHE), "--json"], cwd=root, capture_output=True, text=True,
                            timeout=1800)
    assert result.returncode == 0, f"the site did not build:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return out, out.parent / f"{out.name}-work" / "src", report, root


def _pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if not p.relative_to(out).parts[0].startswith("_"))


def test_the_site_builds_from_a_fresh_clone_with_every_lesson_and_exercise(built):
    out, _, report, root = built
    lessons = sorted(p.stem for p in (root / "lessons").glob("[0-9][0-9]_*.ipynb"))
    exercises = sorted(p.name for p in (root / "exercises").iterdir() if p.is_dir())
    assert lessons and exercises
    for stem in lessons:
        assert (out / "lessons" / f"{stem}.html").is_file(), f"no page for lesson {stem}"
    for name in exercises:
        assert (out / "exercises" / f"{name}.html").is_file(), f"no page for exercise {name}"
    for page in ("index", "resources", "facilitator_guide", "cases/index"):
        assert (out / f"{page}.html").is_file()
    from workshop_utils import cases

    assert len(list((out / "cases").glob("*.html"))) == len(cases.default_library()) + 1
    assert report["pages"] == len(lessons) + len(exercises) + len(cases.default_library()) + 4
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # what the build measured, e.g. which lessons it had to execute
    (ARTIFACTS / "build.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"site: {report}")


# -- nothing secret -------------------------------------------------------------------------------------------------


def _secret_lines(root: Path) -> set[str]:
    """Lines of solutions, hidden tests and rubrics in solutions/ that no public file contains.

    Public: the lessons, the student versions and the helper library's own code (which lessons may show).
    """
    def sources(paths):
        for path in paths:
            for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
                yield "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]

    texts = [*sources([*root.glob("lessons/*.ipynb"), *root.glob("exercises/*/*.ipynb")]),
             *(p.read_text(encoding="utf-8") for p in root.glob("src/workshop_utils/**/*.py"))]
    public = "\n".join(" ".join(line.split()) for text in texts for line in text.splitlines())
    secret = set()
    for text in sources(root.glob("solutions/*/*.ipynb")):
        for match in SECRET_REGION.finditer(text):
            for line in match.group(2).splitlines():
                line = " ".join(line.split())
                if len(line) >= 30 and line not in public:
                    secret.add(line)
    return secret


def _site_texts(out: Path):
    """(path, text) of every file of the site a reader could see: HTML as text, notebooks as their sources."""
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.suffix in {".png", ".jpg", ".svg", ".woff", ".woff2", ".ttf", ".ico", ".inv"}:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            raw = html.unescape(re.sub(r"<[^>]+>", "", raw))
        elif path.suffix == ".ipynb":
            raw = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                            for c in json.loads(raw)["cells"])
        yield path, raw


def test_no_page_holds_a_solution_a_hidden_test_or_a_rubric(built):
    out, _, _, root = built
    secret = _secret_lines(root)
    assert len(secret) > 20, "the solutions should have many lines of their own to look for"
    assert not [p for p in out.glob("_sources/**/*") if p.is_file()], "the site publishes no copies of its sources"
    leaks = []
    for path, text in _site_texts(out):
        if MARKER.search(text):
            leaks.append(f"{path.relative_to(out)}: {MARKER.search(text).group(0)}")
        flat = " ".join(text.split())
        leaks += [f"{path.relative_to(out)}: {line!r}" for line in secret if line in flat]
    assert not leaks, "solution, hidden-test or rubric text on the site:\n" + "\n".join(leaks[:20])


def test_no_page_shows_a_path_of_the_machine_that_built_it(built):
    out, _, _, root = built
    local = [str(REPO), str(root), "/tmp/", ".jhome"]
    found = [f"{path.relative_to(out)}: {folder}" for path in _pages(out)
             for folder in local if folder in path.read_text(encoding="utf-8")]
    assert not found, "pages show local paths:\n" + "\n".join(found[:20])


# -- links and assets -------------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Ids, links, loaded assets, and the headings and images of the article."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.assets, self.headings, self.images = set(), [], [], [], []
        self.main_headings = []  # for a page without an article (the search page)
        self._article = self._main = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical",):
            self.assets.append(attrs["href"])
        if tag == "article":
            self._article += 1
        if tag == "main":
            self._main += 1
        if self._article and re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if self._main and re.fullmatch(r"h[1-6]", tag):
            self.main_headings.append(int(tag[1]))
        if self._article and tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1
        if tag == "main":
            self._main -= 1


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_internal_link_resolves(built):
    out = built[0]
    broken = []
    for path in _pages(out):
        for link in _parse(path).links + _parse(path).assets:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or link.startswith("mailto:"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or out.resolve() not in target.parents:
                broken.append(f"{path.relative_to(out)} -> {link}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parse(target).ids:
                broken.append(f"{path.relative_to(out)} -> {link} (no such anchor)")
    assert not broken, "links that do not resolve:\n" + "\n".join(broken[:30])


def test_no_page_loads_anything_from_another_host(built):
    out = built[0]
    remote = [f"{path.relative_to(out)}: {asset}" for path in _pages(out) for asset in _parse(path).assets
              if urlsplit(asset).scheme in ("http", "https") or asset.startswith("//")]
    assert not remote, "pages load remote assets:\n" + "\n".join(remote[:20])
    for css in out.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8", errors="replace")), css


def test_headings_go_down_one_level_at_a_time_and_every_image_has_alt_text(built):
    out = built[0]
    problems = []
    for path in _pages(out):
        page = _parse(path)
        headings = page.headings or page.main_headings
        if headings.count(1) != 1:
            problems.append(f"{path.relative_to(out)}: {headings.count(1)} h1 headings")
        for before, after in zip(headings, headings[1:]):
            if after > before + 1:
                problems.append(f"{path.relative_to(out)}: h{before} followed by h{after}")
                break
        problems += [f"{path.relative_to(out)}: an image without alt text" for img in page.images
                     if not (img.get("alt") or "").strip()]
    assert not problems, "\n".join(problems[:30])


# -- in the browser -----------------------------------------------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(built):
    """The built site on a local HTTP server (as GitHub Pages would serve it)."""
    out = built[0]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out, built[1]
    server.shutdown()
    server.server_close()


def _figures_made(notebook: Path) -> int:
    """How many figures the executed lesson shows: images, and HTML outputs that are images."""
    count = 0
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                text = "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
                count += text.count("<img")
            elif any(key.startswith("image/") for key in data):
                count += 1
    return count


@pytest.mark.browser
def test_every_page_opens_in_a_browser_without_errors_and_lessons_show_their_figures(served):
    _require_browser()
    from playwright.sync_api import sync_playwright

    base, out, staged = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems, external = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})

        def route(request_route):
            url = request_route.request.url
            if url.startswith(base):
                request_route.continue_()
            else:
                external.append(url)
                request_route.abort()

        page.route("**/*", route)
        current = {"name": ""}
        page.on("console", lambda m: problems.append(f"{current['name']}: console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"{current['name']}: page error: {e}"))
        page.on("response", lambda r: problems.append(f"{current['name']}: HTTP {r.status} {r.url}")
                if r.status >= 400 else None)
        try:
            for path in _pages(out):
                name = path.relative_to(out).as_posix()
                current["name"] = name
                page.goto(f"{base}/{name}")
                page.wait_for_load_state("networkidle")
                text = page.locator("main").first.inner_text()
                shown_outputs = "\n".join(page.locator(".cell_output").all_inner_texts())
                if WIDGET_LEFTOVERS.search(shown_outputs):
                    problems.append(f"{name}: a dead widget: {WIDGET_LEFTOVERS.search(shown_outputs).group(0)!r}")
                if name.startswith("lessons/"):
                    expected = _figures_made(staged / "lessons" / f"{path.stem}.ipynb")
                    shown = page.evaluate("""() => Array.from(document.querySelectorAll('article img'))
                        .filter(i => i.complete && i.naturalWidth > 0 && (i.alt || '').trim().length > 0).length""")
                    if shown < expected:
                        problems.append(f"{name}: shows {shown} figures with alt text, the lesson made {expected}")
                    if not page.locator("article a[href*='mybinder.org']").count() or "make lab" not in text:
                        problems.append(f"{name}: no 'Run this lesson' links (Binder and make lab)")
                if name == "index.html":
                    page.screenshot(path=str(ARTIFACTS / "landing.png"))
                if name == "lessons/01_what_is_synthetic_media.html":
                    page.screenshot(path=str(ARTIFACTS / "lesson01_top.png"))
                    figure = page.locator("article img").first
                    figure.scroll_into_view_if_needed()
                    page.screenshot(path=str(ARTIFACTS / "lesson01_figure.png"))
                if name.startswith("exercises/") and "$" in (staged / "exercises" / f"{path.stem}.ipynb").read_text():
                    page.wait_for_selector("mjx-container", timeout=15_000)  # maths typeset by the local MathJax
        finally:
            browser.close()
    assert not external, "pages asked another host for:\n" + "\n".join(sorted(set(external))[:20])
    assert not problems, "\n".join(problems[:40])
    assert (ARTIFACTS / "landing.png").stat().st_size > 10_000


@pytest.mark.browser
def test_the_resource_guide_filters_like_the_library_search(served):
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    from workshop_utils.resources import guide

    base = served[0]
    items = guide.load()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        try:
            page.goto(f"{base}/resources.html")
            count = page.locator(".workshop-resource-count")
            expect(count).to_have_text(f"{len(items)} of {len(items)} resources match")
            page.fill("#rf-search", "watermark")
            expected = len(guide.search(items, "watermark"))
            expect(count).to_have_text(f"{expected} of {len(items)} resources match")
            assert page.locator("li.workshop-resource:visible").count() == expected
            page.select_option("#rf-topic", "labels")
            expected = len(guide.search(items, "watermark", topics="labels"))
            expect(count).to_contain_text(f"{expected} of {len(items)}")
            page.click("button[type=reset]")
            expect(count).to_have_text(f"{len(items)} of {len(items)} resources match")
            page.select_option("#rf-audience", "artist")
            page.fill("#rf-from", "2020")
            expected = len(guide.search(items, audience="artist", year_from=2020))
            expect(count).to_contain_text(f"{expected} of {len(items)}")
        finally:
            browser.close()
