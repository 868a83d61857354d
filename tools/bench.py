"""Benchmark every lesson and solution notebook against the workshop's budgets.

Usage::

    python tools/bench.py                 # everything; writes bench/results.md and .json
    python tools/bench.py lessons/01_what_is_synthetic_media.ipynb   # just some notebooks
    python tools/bench.py --scale         # only the coordination pipeline at scale (prints, writes nothing)
    python tools/bench.py --site          # only the static site's build (prints, writes nothing)

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

Site (``make site``): the static site built three times into temporary folders:
cold (an empty execution cache: every lesson runs), warm (the cache filled: no
lesson runs, every page is rendered), and again with nothing changed; with the
number of pages and the site's size.

Scale (lesson 06's method on logs the size of real research data sets): the
coordination pipeline (interval estimate, co-shares and pair weights in DuckDB,
threshold, networkx components) on generated logs of 1 and 10 million events,
each loaded from Parquet in a fresh process: <= 2 s at 1 million, <= 30 s and
<= 1.5 GB peak at 10 million.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
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


# ---------------------------------------------------------------------------
# Scale: the coordination pipeline on 1 and 10 million generated events
# ---------------------------------------------------------------------------
SCALE_SIZES = (1_000_000, 10_000_000)
SCALE_BUDGETS_S = {1_000_000: 2.0, 10_000_000: 30.0}
SCALE_SEED = 0


def scale_generate(n_events: int, path: Path) -> dict:
    """Child process: generate a log, write its events to Parquet and its answer key beside it."""
    from workshop_utils.coordination import eventlog

    start = time.perf_counter()
    log = eventlog.generate(n_events, SCALE_SEED, metadata=False)
    generate_s = time.perf_counter() - start
    eventlog.write_parquet(log, path)
    log.truth.to_csv(path.with_suffix(".truth.csv"), index=False)
    return {"events": len(log), "generate_s": round(generate_s, 2),
            "parquet_mb": round(path.stat().st_size / 2**20, 1)}


def scale_run(path: Path) -> dict:
    """Child process: load the Parquet log into DuckDB and run the whole pipeline; time it and score it."""
    import duckdb
    import pandas as pd

    from workshop_utils.coordination import detect, evaluate

    con = detect.connect(threads=2, memory_limit="1GB")
    start = time.perf_counter()
    n_events = detect.load_events(con, path)
    load_s = time.perf_counter() - start
    start, cpu_start = time.perf_counter(), time.process_time()
    estimate = detect.estimate_interval(con)
    estimate_s = time.perf_counter() - start
    found = detect.detect(con, estimate.seconds, percentile=0.9, keep_weights=False)
    pipeline_s = time.perf_counter() - start
    cpu_s = time.process_time() - cpu_start
    scores = evaluate.account_scores(found.networks, pd.read_csv(path.with_suffix(".truth.csv")))
    return {"events": n_events, "window_s": found.window, "pairs": found.n_pairs, "kept": len(found.kept),
            "networks": len(found.networks), "load_s": round(load_s, 2), "estimate_s": round(estimate_s, 2),
            "pipeline_s": round(pipeline_s, 2), "pipeline_cpu_s": round(cpu_s, 2), "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "precision": round(scores["precision"], 3), "recall": round(scores["recall"], 3),
            "decoy_flagged": scores["decoy_flagged"], "duckdb": duckdb.__version__}


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def scale_benchmark(sizes=SCALE_SIZES) -> list[dict]:
    """Generate each log in one fresh process and run the pipeline on it in another."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="workshop-scale-") as scratch:
        for n in sizes:
            path = Path(scratch) / f"log_{n}.parquet"
            print(f"coordination pipeline at {n:,} events ...", flush=True)
            made = _child("--scale-generate", str(n), str(path))
            row = {"n_events": n, **made}
            if "error" not in made:
                row.update(_child("--scale-run", str(path)))
            row["load_avg"] = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else ""
            ok = "error" not in row and row["pipeline_s"] <= SCALE_BUDGETS_S.get(n, math.inf) and row["peak_mb"] <= MEMORY_BUDGET_MB
            row["within_budget"] = ok
            print("  " + (row.get("error") or
                          f"{row['pipeline_s']} s pipeline ({row['pipeline_cpu_s']} s CPU; +{row['load_s']} s load), peak {row['peak_mb']} MB, "
                          f"window {row['window_s']} s, {row['pairs']:,} pairs, {row['networks']} networks, "
                          f"precision {row['precision']}, recall {row['recall']}; within budget: {ok}"), flush=True)
            rows.append(row)
    return rows


def write_scale_results(rows: list[dict]) -> None:
    """Append the scale section to bench/results.md and bench/results.json."""
    out = REPO / "bench"
    lines = [
        "",
        "## Scale: the coordination pipeline (lesson 06's method)",
        "",
        "Generated logs (seed 0), written to Parquet, then loaded into DuckDB (2 threads, memory limit 1 GB) in a "
        "fresh process. *Pipeline* is the interval estimate, the co-share join with pair weights, the 0.9 threshold "
        f"and the networkx components. Budgets: ≤ {SCALE_BUDGETS_S[1_000_000]:.0f} s at 1 million events, "
        f"≤ {SCALE_BUDGETS_S[10_000_000]:.0f} s and ≤ {MEMORY_BUDGET_MB / 1024:.1f} GB peak at 10 million. The cost "
        "follows the number of chance co-shares, so the window is given with every figure.",
        "",
        "| Events | Window (s) | Account pairs | Kept / networks | Pipeline (s) | CPU (s) | Load (s) | Peak memory (MB) "
        "| Precision / recall | DuckDB | Load average | Within budget |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['n_events']:,} | | | | | | | | | | | **NO** ({r['error']}) |")
            continue
        lines.append(f"| {r['events']:,} | {r['window_s']} | {r['pairs']:,} | {r['kept']:,} / {r['networks']:,} | "
                     f"{r['pipeline_s']} | {r['pipeline_cpu_s']} | {r['load_s']} | {r['peak_mb']} | {r['precision']} / {r['recall']} | "
                     f"{r['duckdb']} | {r['load_avg']} | {'yes' if r['within_budget'] else '**NO**'} |")
    with (out / "results.md").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    data = json.loads((out / "results.json").read_text())
    data["scale"] = rows
    (out / "results.json").write_text(json.dumps(data, indent=1) + "\n")


# ---------------------------------------------------------------------------
# The static site (make site)
# ---------------------------------------------------------------------------


def _site_build(out: Path, cache: Path) -> dict:
    command = [sys.executable, str(REPO / "tools" / "build_site.py"), "--out", str(out), "--cache", str(cache), "--json"]
    run = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if run.returncode != 0:
        return {"error": (run.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def site_benchmark() -> list[dict]:
    """Build the site cold, warm and unchanged in temporary folders; time each and measure the site."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="workshop-site-bench-") as scratch:
        cache = Path(scratch) / "cache"
        for kind, out in (("cold", "cold"), ("warm", "warm"), ("unchanged", "warm")):
            print(f"site build, {kind} ...", flush=True)
            row = {"build": kind, **_site_build(Path(scratch) / out, cache)}
            row["load_avg"] = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else ""
            print("  " + (row.get("error") or
                          f"{row['seconds']} s ({row['execute_seconds']} s executing {len(row['lessons_executed'])} "
                          f"lessons, {row['sphinx_seconds']} s Sphinx); {row['pages']} pages, {row['size_mb']} MB in "
                          f"{row['files']} files"), flush=True)
            rows.append(row)
    return rows


def write_site_results(rows: list[dict]) -> None:
    """Append the site section to bench/results.md and bench/results.json."""
    out = REPO / "bench"
    lines = [
        "",
        "## The static site (`make site`)",
        "",
        "Built with tools/build_site.py into a temporary folder: *cold* starts from an empty execution cache "
        "(every lesson runs, two at a time), *warm* from the filled cache into a new folder (no lesson runs; every "
        "page is rendered), *unchanged* rebuilds the warm folder with nothing changed.",
        "",
        "| Build | Time (s) | Executing lessons (s) | Sphinx (s) | Lessons run | Pages | Size (MB) | Files | Load average |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['build']} | **failed** ({r['error']}) | | | | | | | |")
            continue
        lines.append(f"| {r['build']} | {r['seconds']} | {r['execute_seconds']} | {r['sphinx_seconds']} | "
                     f"{len(r['lessons_executed'])} | {r['pages']} | {r['size_mb']} | {r['files']} | {r['load_avg']} |")
    with (out / "results.md").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    data = json.loads((out / "results.json").read_text())
    data["site"] = rows
    (out / "results.json").write_text(json.dumps(data, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--scale", action="store_true",
                        help="run only the coordination pipeline on 1 and 10 million events (prints, writes nothing)")
    parser.add_argument("--site", action="store_true",
                        help="run only the static site's build: cold, warm and unchanged (prints, writes nothing)")
    parser.add_argument("--scale-generate", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--scale-run", help=argparse.SUPPRESS)
    parser.add_argument("notebooks", nargs="*", help="notebooks to measure (default: lessons/ and solutions/)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(Path(args.one).resolve())))
        return 0
    if args.scale_generate:
        print(json.dumps(scale_generate(int(args.scale_generate[0]), Path(args.scale_generate[1]))))
        return 0
    if args.scale_run:
        print(json.dumps(scale_run(Path(args.scale_run))))
        return 0
    if args.scale:
        return 0 if all(r["within_budget"] for r in scale_benchmark()) else 1
    if args.site:
        return 0 if not any("error" in r for r in site_benchmark()) else 1
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
        scale_rows = scale_benchmark()
        site_rows = site_benchmark()
        write_results(rows)
        write_scale_results(scale_rows)
        write_site_results(site_rows)
        print(f"wrote {REPO / 'bench' / 'results.md'}")
        rows = rows + scale_rows
        if any("error" in r for r in site_rows):
            return 1
    return 0 if all(r["within_budget"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
