"""Keep the lessons that nbval executes in the test run, for the static site (tests/test_site.py).

The suite runs every lesson with nbval; the site needs every lesson executed too.
Rather than train every model twice, this plugin records the kernel messages of each
lesson cell nbval runs, turns them into outputs the way nbclient does (display
updates included), and stores the executed lesson in the site's execution cache
(build/site-cache, tools/build_site.py) once every cell has passed. The site's build
then finds the lessons in the cache and only renders them.

Lesson kernels start with the site's environment: progress bars off and the inline
matplotlib backend (what a learner's JupyterLab uses). Prompts stay live: their
output carries the static question as HTML, which is what the site shows.

Registered by tests/conftest.py when the site's tools (``pip install -e '.[site]'``) are installed.
"""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "build" / "site-cache"
#: What lesson kernels get in the test run, as in tools/build_site.py.
KERNEL_ENV = {"WORKSHOP_PROGRESS": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def _build_site_module():
    spec = importlib.util.spec_from_file_location("workshop_build_site", REPO / "tools" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Lesson:
    """One lesson being run by nbval: the site's copy of it, filled cell by cell."""

    def __init__(self, path: Path, builder):
        import nbformat
        from nbclient import NotebookClient

        from workshop_utils.course.site import INSTRUCTOR_TAGS

        self.name = f"lessons/{path.stem}"
        self.nb = nbformat.from_dict(builder.lesson_for_cache(REPO, path))
        # nbval numbers the lesson's code cells; the site's copy drops instructor cells and adds one.
        original = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        staged = [i for i, c in enumerate(self.nb.cells) if c.cell_type == "code"][1:]
        self.index: dict[int, int | None] = {}
        kept = iter(staged)
        for number, cell in enumerate(original):
            skip = set(cell.get("metadata", {}).get("tags", [])) & INSTRUCTOR_TAGS
            self.index[number] = None if skip else next(kept)
        self.code_cells = len(original)
        self.client = NotebookClient(self.nb, record_timing=False)
        self.client.reset_execution_trackers()
        self.messages: list[dict] = []
        self.passed = 0
        self.failed = False
        self.seconds = 0.0

    def record(self, number: int) -> None:
        """Turn the messages of code cell ``number`` (just run by nbval) into its outputs."""
        from nbclient.exceptions import CellExecutionComplete

        messages, self.messages = self.messages, []
        target = self.index.get(number)
        ids = [m["parent_header"].get("msg_id") for m in messages if m.get("msg_type") == "execute_input"]
        if target is None or not ids:
            return
        cell = self.nb.cells[target]
        cell.outputs = []
        self.client.clear_before_next_output = False  # what nbclient sets before each cell
        for message in messages:
            if message["parent_header"].get("msg_id") != ids[-1]:
                continue
            try:
                self.client.process_message(message, cell, target)
            except CellExecutionComplete:
                break


class SiteCapture:
    """The pytest plugin: wraps nbval's lesson cells (see the module's docstring)."""

    def __init__(self):
        self.builder = _build_site_module()
        self.lessons: dict[str, _Lesson] = {}

    def _lesson(self, item) -> _Lesson | None:
        parent = getattr(item, "parent", None)
        path = Path(str(getattr(parent, "fspath", "")))
        if type(item).__name__ != "IPyNbCell" or path.parent != REPO / "lessons" or not path.name[:2].isdigit():
            return None
        key = str(path)
        if key not in self.lessons:
            lesson = _Lesson(path, self.builder)
            self.lessons[key] = lesson

            # Every kernel message nbval reads passes through here.
            read = parent.get_kernel_message

            def get_kernel_message(*args, **kwargs):
                message = read(*args, **kwargs)
                lesson.messages.append(message)
                return message

            parent.get_kernel_message = get_kernel_message
        return self.lessons[key]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        lesson = self._lesson(item)
        starting = lesson is not None and getattr(item.parent, "kernel", None) is None
        saved = {k: os.environ.get(k) for k in KERNEL_ENV}
        if starting:
            os.environ.update(KERNEL_ENV)  # the kernel starts now and inherits this environment
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        lesson = self._lesson(item)
        lesson_start = time.perf_counter()
        if lesson is not None:
            lesson.messages = []
        outcome = yield
        if lesson is None:
            return
        lesson.seconds += time.perf_counter() - lesson_start
        if outcome.excinfo is not None:
            lesson.failed = True
            return
        try:
            lesson.record(item.cell_num)
        except Exception as exc:  # a capture problem must never fail the lesson's test
            lesson.failed = True
            print(f"site capture: {lesson.name}: {exc!r}")
            return
        lesson.passed += 1
        if lesson.passed == lesson.code_cells and not lesson.failed:
            import nbformat

            try:
                scratch = [os.environ.get("WORKSHOP_JOURNAL_DIR"), str(REPO / "lessons")]
                self.builder.store_executed(CACHE, lesson.name, nbformat.from_dict(lesson.nb), lesson.seconds,
                                            scratch=scratch)
            except Exception as exc:  # pragma: no cover - the site test then executes the lesson itself
                print(f"site capture: could not store {lesson.name}: {exc!r}")


def register(config) -> None:
    """Register the plugin if the site's tools are installed and lessons can be captured."""
    if os.environ.get("WORKSHOP_SITE_CAPTURE", "1").strip().lower() in {"0", "false", "no", "off"}:
        return
    if importlib.util.find_spec("jupyter_cache") is None or importlib.util.find_spec("nbval") is None:
        return
    config.pluginmanager.register(SiteCapture(), "workshop-site-capture")
