"""Benchmark every lesson and solution notebook against the workshop's budgets.

Usage::

    python tools/bench.py                 # everything; writes bench/results.md and .json
    python tools/bench.py lessons/01_what_is_synthetic_media.ipynb   # just some notebooks

Each notebook runs top to bottom in a fresh kernel, in a fresh child process,
exactly as a learner would run it (one torch thread, the notebook's folder as
working directory). We record the wall time, the kernel's peak resident
memory, and what the notebook reports through ``workshop_utils.course.benchmark``
(for exercises: the training time to the quality bar and the quality reached), and
the slowest cell (cells tagged "training" apart), from which nbgrader_config.py
sizes the grader's per-cell time limits.

Budgets: a lesson runs in <= 60 s; an exercise trains to its quality bar in
<= its ``train_budget_s`` (30 s unless the exercise allows 60 s); peak memory
<= 1.5 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LESSON_BUDGET_S = 60.0
MEMORY_BUDGET_MB = 1536.0


def run_one(path: Path) -> dict:
    """Execute one notebook in this process's child kernel and measure it."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as scratch:
        reports = Path(scratch) / "bench.jsonl"
        os.environ["WORKSHOP_BENCH_FILE"] = str(reports)
        os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
        error = ""
        start = time.perf_counter()
        try:
            client.execute()
        except CellExecutionError as exc:
            error = str(exc).strip().splitlines()[-1][:200]
        wall = time.perf_counter() - start
        records = [json.loads(line) for line in reports.read_text().splitlines()] if reports.exists() else []
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the kernel, reaped at shutdown
    return {"wall_s": round(wall, 1), "peak_mb": round(peak_kb / 1024, 0), "error": error, "reports": records,
            **_cell_times(nb)}


def _cell_times(nb) -> dict:
    """The slowest cell tagged "training" and the slowest other cell, in seconds.

    nbgrader_config.py sizes the grader's per-cell time limits from these (with a margin).
    """
    slowest = {"slowest_cell_s": 0.0, "training_cell_s": None}
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.status.busy" not in timing or "iopub.status.idle" not in timing:
            continue
        seconds = (dt.datetime.fromisoformat(timing["iopub.status.idle"].replace("Z", "+00:00"))
                   - dt.datetime.fromisoformat(timing["iopub.status.busy"].replace("Z", "+00:00"))).total_seconds()
        key = "training_cell_s" if "training" in cell.get("metadata", {}).get("tags", []) else "slowest_cell_s"
        slowest[key] = round(max(slowest[key] or 0.0, seconds), 1)
    return slowest


def measure(path: Path) -> dict:
    """Run :func:`run_one` in a fresh Python process so memory is measured per notebook."""
    out = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        return {"wall_s": None, "peak_mb": None, "error": out.stderr.strip().splitlines()[-1][:200], "reports": []}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _row(path: Path, result: dict) -> dict:
    import nbformat

    meta = nbformat.read(path, as_version=4).metadata.get("workshop", {})
    kind = "exercise" if "assignment" in meta else "lesson"
    row = {"notebook": str(path.relative_to(REPO)), "kind": kind, **result}
    checks = []
    if result["error"]:
        checks.append(False)
    if kind == "lesson":
        checks.append(result["wall_s"] is not None and result["wall_s"] <= LESSON_BUDGET_S)
    else:
        budget = float(meta.get("train_budget_s", 30))
        report = next((r for r in result["reports"] if r.get("name") == meta.get("assignment")), {})
        row.update(train_budget_s=budget, train_to_bar_s=report.get("train_to_bar_s"),
                   quality=report.get("quality", ""), floor=report.get("floor", ""),
                   bar_met=report.get("bar_met"))
        checks.append(bool(report.get("bar_met")) and report.get("train_to_bar_s") is not None
                      and report["train_to_bar_s"] <= budget)
    checks.append(result["peak_mb"] is not None and result["peak_mb"] <= MEMORY_BUDGET_MB)
    row["within_budget"] = all(checks)
    return row


def _machine() -> str:
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = "not installed"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{dt.date.today().isoformat()} · {cpu} · {os.cpu_count()} cores · Python "
            f"{platform.python_version()} · torch {torch_version} · 1 torch thread")


def write_results(rows: list[dict]) -> None:
    """Write bench/results.json and the human-readable bench/results.md."""
    out = REPO / "bench"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps({"machine": _machine(), "rows": rows}, indent=1) + "\n")
    lines = [
        "# Benchmark results",
        "",
        f"Measured with `make bench` on {_machine()}.",
        "",
        f"Budgets: each lesson runs top to bottom in ≤ {LESSON_BUDGET_S:.0f} s; each exercise trains to its "
        f"quality bar within its training budget; peak memory ≤ {MEMORY_BUDGET_MB / 1024:.1f} GB. "
        "Peak memory is the kernel's maximum resident set size. Exercise times are the training time until "
        "the quality bar was first met, measured inside the notebook.",
        "",
        "| Notebook | Wall time (s) | Slowest cell (s) | Peak memory (MB) | Training to bar (s) | Quality reached | Reference points | Within budget |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        to_bar = "" if r["kind"] == "lesson" else (
            f"{r['train_to_bar_s']:.1f} of {r['train_budget_s']:.0f}" if r.get("train_to_bar_s") is not None else "not reached")
        verdict = "yes" if r["within_budget"] else "**NO**" + (f" ({r['error']})" if r["error"] else "")
        cells = f"{r.get('slowest_cell_s')}" + (f" (training {r['training_cell_s']})" if r.get("training_cell_s") else "")
        lines.append(f"| `{r['notebook']}` | {r['wall_s']} | {cells} | {r['peak_mb']:.0f} | {to_bar} | {r.get('quality', '')} | "
                     f"{r.get('floor', '')} | {verdict} |")
    (out / "results.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("notebooks", nargs="*", help="notebooks to measure (default: lessons/ and solutions/)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(Path(args.one).resolve())))
        return 0
    paths = [Path(p).resolve() for p in args.notebooks] or sorted(
        [*(REPO / "lessons").glob("[0-9][0-9]_*.ipynb"), *(REPO / "solutions").glob("*/[0-9][0-9]_*.ipynb")])
    rows = []
    for path in paths:
        print(f"running {path.relative_to(REPO)} ...", flush=True)
        row = _row(path, measure(path))
        print(f"  {row['wall_s']} s, {row['peak_mb']} MB, slowest cell {row.get('slowest_cell_s')} s, training cell "
              f"{row.get('training_cell_s')} s, within budget: {row['within_budget']}", flush=True)
        for report in row.get("reports", []):
            print(f"  reported: {report}", flush=True)
        rows.append(row)
    if not args.notebooks:
        write_results(rows)
        print(f"wrote {REPO / 'bench' / 'results.md'}")
    return 0 if all(r["within_budget"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
