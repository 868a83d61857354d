"""Build the workshop's static site: every lesson executed, the exercises, the cases and the guides.

Usage::

    python tools/build_site.py                    # build/site/index.html (make site)
    python tools/build_site.py --out DIR          # somewhere else
    python tools/build_site.py --cache DIR        # another execution cache (default build/site-cache)
    python tools/build_site.py --jobs 1           # lessons executed one at a time (default 2)

Steps: :func:`workshop_utils.course.site.stage` writes the pages' sources into
``<out>-work/src`` (lessons, exercises' student versions, one page per case, the
resource guide, the facilitator guide, the landing page); the lessons are
executed first, with the discussion prompts in static form
(``WORKSHOP_STATIC_PROMPTS=1``), each in a fresh kernel in a temporary folder.
Executed lessons are kept in a jupyter-cache keyed on their code and on the
helper library's fingerprint, so a later build executes only the lessons whose
code or library changed. Sphinx with MyST-NB and sphinx-book-theme
(``tools/site/conf.py``) then turns the sources into HTML, rebuilding only the
pages whose sources changed. Nothing is fetched from the network. Prints the
build time, the number of pages and the site's size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONF_DIR = REPO / "tools" / "site"
CELL_TIMEOUT_S = 600


def site_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of everything under ``folder``."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


@contextmanager
def execution_environment(root: Path):
    """The environment lessons run in for the site: static prompts, a scratch journal, no progress bars."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="workshop-site-") as scratch:
        os.environ.update({
            "WORKSHOP_STATIC_PROMPTS": "1",                          # a question and an answer space
            "WORKSHOP_JOURNAL_DIR": str(Path(scratch) / "journal"),  # nothing lands in a learner's journal
            "WORKSHOP_PROGRESS": "0",                                # a progress bar means nothing on a page
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        })
        for name, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                          ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "mpl")]:
            os.environ.setdefault(name, str(root / ".jhome" / sub))
        os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
        # The kernels import this copy's helper library, whatever copy the environment installed.
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root / "src"), saved.get("PYTHONPATH")]))
        os.environ.pop("WORKSHOP_BENCH_FILE", None)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


def _execute_one(text: str) -> tuple[str, float, str, str]:
    """Execute one notebook (JSON text) in a fresh kernel in a temporary folder.

    Returns (executed JSON, seconds, error, the temporary folder).
    """
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.reads(text, as_version=4)
    with tempfile.TemporaryDirectory(prefix="workshop-lesson-") as cwd:
        result = single_nb_execution(nb, cwd=cwd, timeout=CELL_TIMEOUT_S, allow_errors=False, kernel_name="python3")
    error = result.exc_string or ""
    return nbformat.writes(result.nb), result.time, error, cwd


@contextmanager
def cache_lock(cache_dir: Path):
    """Hold the execution cache for this process (test workers may store lessons at the same time)."""
    import fcntl

    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lesson_for_cache(root: Path, lesson: Path) -> dict:
    """The site's copy of ``lesson`` as the build executes it (its code cells are the cache's key)."""
    sys.path.insert(0, str(Path(root) / "src"))
    from workshop_utils.course import site

    repo_path = Path(lesson).resolve().relative_to(Path(root).resolve()).as_posix()
    return site.staged_notebook(Path(lesson), kind="lesson", repo_path=repo_path, repository=site.Repository(),
                                download=f"../_notebooks/{repo_path}",
                                library_fingerprint=site.fingerprint(root))


def neutral_paths(nb: dict, folders, shown: str = "lessons") -> dict:
    """Outputs that name the scratch folders a lesson ran in name ``shown`` instead (in place; returns ``nb``).

    A lesson prints where it keeps the learner's journal; on a learner's computer that is
    the lessons folder, and the site should say so rather than show the build's scratch path.
    """
    folders = sorted({str(Path(f)) for f in folders if f}, key=len, reverse=True)

    def clean(value):
        if isinstance(value, str):
            for folder in folders:
                value = value.replace(folder, shown)
            return value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = [clean(o) for o in cell.get("outputs", [])]
    return nb


def store_executed(cache_dir: Path, name: str, executed: dict, seconds: float, scratch=()) -> None:
    """Keep an executed lesson (a staged notebook with its outputs) in the cache, for the next build.

    ``scratch``: folders the lesson ran in (its journal, its working folder), shown as ``lessons``.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    nb = nbformat.from_dict(neutral_paths(json.loads(json.dumps(executed)), scratch))
    with cache_lock(cache_dir):
        get_cache(str(cache_dir)).cache_notebook_bundle(
            CacheBundleIn(nb, f"{name}.ipynb", data={"execution_seconds": round(seconds, 1)}),
            check_validity=False, overwrite=True)


class CachedExecutor:
    """Execute lessons for the site, reusing a jupyter-cache of earlier executions.

    Parameters
    ----------
    cache_dir : Path
        The jupyter-cache folder.
    jobs : int
        Lessons executed at the same time (each in its own kernel, one torch thread).
    """

    def __init__(self, cache_dir: Path, jobs: int = 2):
        self.cache_dir = cache_dir
        self.jobs = max(1, jobs)
        self.executed: dict[str, float] = {}
        self.reused: list[str] = []

    def __call__(self, notebooks: Mapping[str, dict]) -> dict[str, dict]:
        import nbformat
        from jupyter_cache import get_cache

        done: dict[str, dict] = {}
        todo: dict[str, nbformat.NotebookNode] = {}
        with cache_lock(self.cache_dir):
            cache = get_cache(str(self.cache_dir))
            for name, data in notebooks.items():
                nb = nbformat.from_dict(data)
                try:
                    cache.match_cache_notebook(nb)
                except KeyError:
                    todo[name] = nb
                    continue
                _, merged = cache.merge_match_into_notebook(nb)
                done[name] = json.loads(nbformat.writes(merged))
                self.reused.append(name)
        if todo:
            failures = []
            with ProcessPoolExecutor(max_workers=min(self.jobs, len(todo))) as pool:
                futures = {name: pool.submit(_execute_one, nbformat.writes(nb)) for name, nb in todo.items()}
                for name, future in futures.items():
                    text, seconds, error, cwd = future.result()
                    if error:
                        failures.append(f"{name} failed to run:\n{error}")
                        continue
                    executed = neutral_paths(json.loads(text), [cwd, os.environ.get("WORKSHOP_JOURNAL_DIR")])
                    store_executed(self.cache_dir, name, executed, seconds)
                    self.executed[name] = round(seconds, 1)
                    print(f"executed {name} in {seconds:.1f} s", flush=True)
                    done[name] = executed
            if failures:
                raise RuntimeError("\n\n".join(failures))
        return {name: done[name] for name in notebooks}


def build(root: Path = REPO, out: Path | None = None, cache: Path | None = None, *, jobs: int = 2,
          quiet: bool = False) -> dict:
    """Stage and build the site of the repository at ``root``; return what the build measured.

    Raises
    ------
    RuntimeError
        If a lesson raised an error.
    subprocess.CalledProcessError
        If Sphinx failed or warned (a link that does not resolve, a malformed page).
    """
    root = Path(root).resolve()
    sys.path.insert(0, str(root / "src"))
    from workshop_utils.course import site

    out = Path(out or root / "build" / "site").resolve()
    cache = Path(cache or root / "build" / "site-cache").resolve()
    work = out.parent / f"{out.name}-work"
    source, doctrees = work / "src", work / "doctrees"
    repository = site.Repository.from_readme((root / "README.md").read_text(encoding="utf-8"))
    if os.environ.get("WORKSHOP_SITE_REPOSITORY"):
        repository = site.Repository(os.environ["WORKSHOP_SITE_REPOSITORY"],
                                     os.environ.get("WORKSHOP_SITE_BRANCH", repository.branch))
    start = time.perf_counter()
    executor = CachedExecutor(cache, jobs)
    with execution_environment(root):
        pages = site.stage(root, source, repository, execute=executor)
    executed_at = time.perf_counter()
    env = dict(os.environ, WORKSHOP_SITE_REPOSITORY=repository.slug, WORKSHOP_SITE_BRANCH=repository.branch)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(CONF_DIR), "-d", str(doctrees),
               "-W", "--keep-going", "-j", str(max(1, jobs)), str(source), str(out)]
    if quiet:
        command.insert(3, "-q")
    subprocess.run(command, env=env, check=True, cwd=root)
    end = time.perf_counter()
    size, files = site_size(out)
    return {"seconds": round(end - start, 1), "execute_seconds": round(executed_at - start, 1),
            "sphinx_seconds": round(end - executed_at, 1), "pages": len(pages),
            "lessons_executed": executor.executed, "lessons_reused": len(executor.reused),
            "size_mb": round(size / 1e6, 1), "files": files, "out": str(out)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="where the HTML goes (default build/site)")
    parser.add_argument("--cache", type=Path, help="the execution cache (default build/site-cache)")
    parser.add_argument("--jobs", type=int, default=2, help="lessons executed at once (default 2)")
    parser.add_argument("--json", action="store_true", help="print only the measurements, as JSON")
    args = parser.parse_args(argv)
    try:
        result = build(REPO, args.out, args.cache, jobs=args.jobs, quiet=args.json)
    except RuntimeError as exc:
        print(f"The site did not build: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"The site did not build (Sphinx exited with {exc.returncode}); see its messages above.",
              file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result))
    else:
        print(f"Built {result['pages']} pages in {result['seconds']} s ({result['execute_seconds']} s executing "
              f"{len(result['lessons_executed'])} lessons, {result['lessons_reused']} reused from the cache; "
              f"{result['sphinx_seconds']} s Sphinx): {result['size_mb']} MB in {result['files']} files.\n"
              f"Open {result['out']}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
