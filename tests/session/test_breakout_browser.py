"""Real-browser test of the breakout notebook: JupyterLab in headless Chromium, driven by Playwright.

A participant opens lessons/breakout.ipynb in JupyterLab with a share folder
set, runs it, answers the poll and the core question by clicking and typing,
ticks *Share*, and suggests a resource with the form at the end. The test
checks that the answers reached the participant's journal and the share
folder (where the facilitator's view reads them), and that the suggestion was
saved locally and shared. Skipped without Debian's chromium and Playwright,
like tests/test_browser.py, whose helpers it uses.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "lessons" / "breakout.ipynb"
ARTIFACTS = REPO / "test-artifacts" / "browser"
CASE = "malaria-must-die"


def _browser_helpers():
    if "test_browser" in sys.modules:
        return sys.modules["test_browser"]
    spec = importlib.util.spec_from_file_location("test_browser", REPO / "tests" / "test_browser.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["test_browser"] = module
    spec.loader.exec_module(module)
    return module


browser = _browser_helpers()
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def breakout_lab(tmp_path_factory):
    """JupyterLab serving a copy of the breakout notebook, with a journal folder and a share folder."""
    browser._require_browser()
    root = tmp_path_factory.mktemp("breakoutlab")
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    home, share = root / "home", root / "share"
    home.mkdir()
    share.mkdir()
    env = dict(os.environ, WORKSHOP_JOURNAL_DIR=str(home), WORKSHOP_SHARE_DIR=str(share),
               WORKSHOP_PARTICIPANT_ID_FILE=str(home / "participant_id"))
    for name in ("WORKSHOP_STATIC_PROMPTS", "BINDER_REPO_URL", "BINDER_LAUNCH_HOST"):
        env.pop(name, None)
    token = "workshop-breakout-test"
    with browser.running_jupyterlab(root, env, token) as url:
        yield url, token, root


def _wait_for(check, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except (OSError, ValueError, KeyError):
            value = None
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"{what} did not happen")


def test_a_room_answers_shares_and_suggests_from_the_breakout_notebook(breakout_lab):
    from playwright.sync_api import expect, sync_playwright

    from workshop_utils.discussion import Journal
    from workshop_utils.session.prompts import LESSON, POLL_OPTIONS, prompt_ids

    url, token, root = breakout_lab
    ids = prompt_ids(CASE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser.CHROMIUM, headless=True, args=browser.CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}&reset")
            page.wait_for_function(browser.KERNEL_READY, timeout=180_000)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(browser.ALL_CELLS_RUN, timeout=240_000, polling=500)
            assert page.locator("text=Error displaying widget").count() == 0
            panel = page.locator(".workshop-breakout")
            expect(panel).to_contain_text("Core question", timeout=30_000)
            expect(panel.locator(".workshop-timer-remaining")).to_contain_text("remaining")

            poll = page.locator(f".workshop-prompt-id-{LESSON}-{ids['poll']}")
            poll.scroll_into_view_if_needed()
            poll.locator("label", has_text=POLL_OPTIONS[1]).click()
            expect(poll.locator(".workshop-status")).to_contain_text("Saved at", timeout=20_000)

            core = page.locator(f".workshop-prompt-id-{LESSON}-{ids['core']}")
            core.scroll_into_view_if_needed()
            core.locator(".workshop-answer textarea").fill("Disclosure made the campaign stronger, not weaker.")
            core.locator(".workshop-save").click()
            expect(core.locator(".workshop-status")).to_contain_text("Saved at", timeout=20_000)

            share_box = page.locator(".workshop-breakout-share input[type=checkbox]")
            share_box.scroll_into_view_if_needed()
            share_box.check()
            expect(page.locator(".workshop-breakout-share-status")).to_contain_text("Shared with the facilitator",
                                                                                    timeout=20_000)
            page.screenshot(path=str(ARTIFACTS / "breakout_panel.png"), full_page=False)

            form = page.locator(".workshop-suggest")
            form.scroll_into_view_if_needed()
            form.locator(".workshop-suggest-title input").fill("A guide to disclosing synthetic media")
            form.locator(".workshop-suggest-url input").fill("https://example.org/disclosure-guide")
            form.locator(".workshop-suggest-year input").fill("2022")
            form.locator(".workshop-suggest-type select").select_option(label="Guides")
            form.locator(".workshop-suggest-topics select").select_option(["labels", "responsible-practice"])
            form.locator(".workshop-suggest-audience select").select_option(index=0)
            form.locator(".workshop-suggest-summary textarea").fill(
                "How makers can tell viewers that a video is synthetic, with examples.")
            form.locator(".workshop-suggest-summary textarea").press("Tab")
            form.locator(".workshop-suggest-save").click()
            expect(form.locator(".workshop-suggest-status")).to_contain_text("Saved to", timeout=20_000)
            expect(form.locator(".workshop-suggest-status")).to_contain_text("shared with the facilitator")
            form.screenshot(path=str(ARTIFACTS / "breakout_suggestion_form.png"))
        finally:
            chromium.close()

    journal = root / "home" / "workshop_journal.json"
    assert _wait_for(lambda: Journal(journal).answer(LESSON, ids["poll"]) == POLL_OPTIONS[1], "the poll answer saved")
    shared = _wait_for(lambda: sorted((root / "share" / "answers").glob("p-*.json")), "a share file")
    assert len(shared) == 1
    entries = Journal(shared[0]).read()["entries"][LESSON]
    assert entries[ids["core"]]["answer"] == "Disclosure made the campaign stronger, not weaker."
    assert entries[ids["poll"]]["answer"] == POLL_OPTIONS[1]
    local = json.loads((root / "resource_suggestions.json").read_text())["resources"]
    assert [(e["url"], e["type"], e["topics"]) for e in local] == [
        ("https://example.org/disclosure-guide", "guide", ["labels", "responsible-practice"])]
    suggested = sorted((root / "share" / "resources").glob("p-*.json"))
    assert len(suggested) == 1 and suggested[0].stem == shared[0].stem, "one participant id for both"
    assert json.loads(suggested[0].read_text())["resources"][0]["url"] == "https://example.org/disclosure-guide"


def test_the_facilitators_view_fills_up_live_while_participants_share(breakout_lab, tmp_path):
    """Four simulated participants answer at once; the view in the browser shows them without a click."""
    import multiprocessing

    import nbformat
    from playwright.sync_api import expect, sync_playwright
    from shareback_helpers import participant

    from workshop_utils import cases, sharing
    from workshop_utils.session.shareback import ShareCode

    url, token, root = breakout_lab
    other = "wolf-news"  # not the case of the test above, so its participant is not counted here
    view_nb = nbformat.v4.new_notebook()
    view_nb.cells = [nbformat.v4.new_code_cell(
        "from workshop_utils.session.shareback import ShareBackView\n\n"
        f"view = ShareBackView({other!r}, refresh_s=2, mode='live')\nview.widget()")]
    view_nb.metadata["kernelspec"] = nbformat.read(NOTEBOOK, as_version=4).metadata["kernelspec"]  # no kernel dialog
    nbformat.write(view_nb, root / "shareback_view.ipynb")
    people = 4
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser.CHROMIUM, headless=True, args=browser.CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{url}/lab/tree/shareback_view.ipynb?token={token}&reset")
            page.wait_for_function(browser.KERNEL_READY, timeout=180_000)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(browser.ALL_CELLS_RUN, timeout=120_000, polling=500)
            status = page.locator(".workshop-shareback-status")
            expect(status).to_contain_text("0 participant(s) shared", timeout=30_000)
            page.locator(".workshop-shareback-auto input[type=checkbox]").check()

            context = multiprocessing.get_context("spawn")
            jobs = [context.Process(target=participant, args=(
                str(tmp_path / f"own{n}.json"), str(sharing.share_file(root / "share", "answers", f"p-{n + 1:012x}")),
                n, other, 2)) for n in range(people)]
            for job in jobs:
                job.start()
            for job in jobs:
                job.join(timeout=180)
                assert job.exitcode == 0
            expect(status).to_contain_text(f"{people} participant(s) shared", timeout=60_000)
            summary = page.locator(".workshop-shareback-summary")
            expect(summary).to_contain_text("sentence 1 of room 3")
            assert "sentence 0 of room" not in summary.inner_text(), "each participant's latest answer only"

            number = cases.ids().index(other) + 1
            codes = page.locator(".workshop-shareback-codes textarea")
            codes.fill(f"Eve: {ShareCode(number, 0, 4)}\nFin: {ShareCode(number, 2, 8)}\n")
            codes.press("Tab")
            expect(status).to_contain_text("2 code(s)", timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "shareback_view.png"), full_page=False)
        finally:
            chromium.close()
