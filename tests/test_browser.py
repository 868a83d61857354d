"""Real-browser test: JupyterLab in headless Chromium, driven by Playwright.

Opens lesson 00 in a real JupyterLab, runs all cells, answers every kind of
discussion prompt by clicking and typing like a learner, and checks that the
answers reached the journal file on disk. A screenshot is saved to
test-artifacts/browser/.

Needs Debian's chromium (`make test` installs it when it can). Without it the
test is skipped, unless WORKSHOP_REQUIRE_BROWSER=1 (as in CI) makes that a
failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LESSON = REPO / "lessons" / "00_start_here.ipynb"
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# The kernel is attached and idle (the toolbar's idle indicator can show before a kernel exists).
KERNEL_READY = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""
# Every code cell has run (an execution count) and the kernel is idle again.
ALL_CELLS_RUN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return !!k && k.status === 'idle' && cells.every(c => c.model.executionCount !== null);
}"""

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _require_browser() -> None:
    problem = None
    if not Path(CHROMIUM).exists():
        problem = "Debian's chromium is not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem:
        if os.environ.get("WORKSHOP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required here but {problem}")
        pytest.skip(problem)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_jupyterlab(root: Path, env: dict[str, str], token: str, start_timeout_s: float = 120):
    """Run JupyterLab on localhost serving ``root`` (update and news notifications off); yield its URL.

    ``env`` is the server's whole environment. The server's log is ``root / "jupyterlab.log"``; if it
    does not answer within ``start_timeout_s`` the test fails with the end of that log.
    """
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"checkForUpdates": False, "fetchNews": "false"}))
    env = dict(env, JUPYTERLAB_SETTINGS_DIR=str(root / "settings"))
    port = _free_port()
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    with open(root / "jupyterlab.log", "w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"JupyterLab did not start; log:\n{(root / 'jupyterlab.log').read_text()[-3000:]}")
            time.sleep(0.5)
        try:
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on localhost serving a copy of lesson 00 (Lab autosaves into notebooks)."""
    _require_browser()
    root = tmp_path_factory.mktemp("labroot")
    shutil.copy(LESSON, root / LESSON.name)
    journal_dir = root / "journal"
    journal_dir.mkdir()
    env = dict(os.environ, WORKSHOP_JOURNAL_DIR=str(journal_dir))
    env.pop("WORKSHOP_STATIC_PROMPTS", None)
    token = "workshop-browser-test"
    with running_jupyterlab(root, env, token, start_timeout_s=90) as url:
        yield url, token, journal_dir / "workshop_journal.json"


def _wait_for_answer(journal_path: Path, prompt_id: str, timeout: float = 30.0):
    from workshop_utils.discussion import Journal

    deadline = time.time() + timeout
    while time.time() < deadline:
        if journal_path.exists():
            entry = Journal(journal_path).entry("00", prompt_id)
            if entry is not None:
                return entry
        time.sleep(0.25)
    raise AssertionError(f"no answer for prompt {prompt_id!r} reached {journal_path}")


def test_lesson_00_prompts_save_to_the_journal(lab):
    from playwright.sync_api import expect, sync_playwright

    url, token, journal_path = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{url}/lab/tree/{LESSON.name}?token={token}&reset")
            page.wait_for_function(KERNEL_READY, timeout=120_000)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(ALL_CELLS_RUN, timeout=180_000, polling=500)
            assert page.locator("text=Error displaying widget").count() == 0

            def prompt(prompt_id: str):
                widget = page.locator(f".workshop-prompt-id-00-{prompt_id}")
                widget.scroll_into_view_if_needed()
                return widget

            # Poll: click an option.
            poll = prompt("spot-a-fake-face")
            poll.locator("label", has_text="About as well as tossing a coin").click()
            expect(poll.locator(".workshop-status")).to_contain_text("Saved at", timeout=15_000)

            # Spectrum: move the slider with the keyboard, then give a reason.
            spectrum = prompt("witness-veil")
            handle = spectrum.locator(".noUi-handle").first
            handle.focus()
            for _ in range(3):
                handle.press("ArrowLeft")
            spectrum.locator(".workshop-rationale textarea").fill("Consent and disclosure make it benign.")
            spectrum.locator(".workshop-save").click()
            expect(spectrum.locator(".workshop-status")).to_contain_text("Saved at", timeout=15_000)

            # Dual-use canvas: type in two boxes; leaving a box saves the canvas.
            canvas = prompt("voice-app")
            canvas.locator(".workshop-canvas-intended_use textarea").fill("Let people keep their own voice.")
            canvas.locator(".workshop-canvas-repurposing textarea").fill("Impersonate someone on a phone call.")
            canvas.locator(".workshop-canvas-mitigations textarea").click()
            expect(canvas.locator(".workshop-status")).to_contain_text("Saved at", timeout=15_000)

            # Quiz: answer every item, then check.
            quiz = prompt("real-or-synthetic-text")
            items = quiz.locator(".workshop-quiz-choice")
            for i in range(items.count()):
                items.nth(i).locator("button", has_text="Real").click()
            quiz.locator(".workshop-quiz-check button, button.workshop-quiz-check").first.click()
            expect(quiz.locator(".workshop-quiz-score")).to_contain_text("guessing would get", timeout=15_000)

            # Reflection: type, then press Save answer.
            reflection = prompt("why-here")
            reflection.locator(".workshop-answer textarea").fill("A scam call that used a cloned voice.")
            reflection.locator(".workshop-save").click()
            expect(reflection.locator(".workshop-status")).to_contain_text("Saved at", timeout=15_000)

            page.screenshot(path=str(ARTIFACTS / "lesson00_prompts.png"), full_page=False)
            reflection.screenshot(path=str(ARTIFACTS / "lesson00_reflection.png"))
        finally:
            browser.close()

    assert _wait_for_answer(journal_path, "spot-a-fake-face")["answer"] == "About as well as tossing a coin"
    spectrum_entry = _wait_for_answer(journal_path, "witness-veil")
    assert spectrum_entry["answer"]["rationale"] == "Consent and disclosure make it benign."
    assert spectrum_entry["answer"]["value"] < 5, "the slider moved towards 'clearly benign'"
    canvas_entry = _wait_for_answer(journal_path, "voice-app")["answer"]
    assert canvas_entry["intended_use"] == "Let people keep their own voice."
    assert canvas_entry["repurposing"] == "Impersonate someone on a phone call."
    quiz_entry = _wait_for_answer(journal_path, "real-or-synthetic-text")["answer"]
    assert quiz_entry["answers"] == ["Real"] * 6 and quiz_entry["total"] == 6
    assert quiz_entry["correct"] == 3, "three of the six lines are real"
    reflection_entry = _wait_for_answer(journal_path, "why-here")
    assert reflection_entry["answer"] == "A scam call that used a cloned voice."
    assert reflection_entry["saved_at"] and reflection_entry["kind"] == "reflection"
