"""The scale benchmark in tools/bench.py runs end to end (on a small log; the real sizes run in `make bench`)."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "tools" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("workshop_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scale_benchmark_generates_loads_detects_and_scores(bench, tmp_path, monkeypatch):
    (row,) = bench.scale_benchmark(sizes=(50_000,))
    assert "error" not in row, row
    assert row["events"] == 50_000 and row["recall"] == 1.0 and row["networks"] >= 4
    assert row["pipeline_s"] > 0 and row["peak_mb"] > 0 and row["duckdb"]
    monkeypatch.setattr(bench, "REPO", tmp_path)
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "results.md").write_text("# Benchmark results\n")
    (tmp_path / "bench" / "results.json").write_text('{"rows": []}\n')
    bench.write_scale_results([row, {"n_events": 10, "error": "boom"}])
    text = (tmp_path / "bench" / "results.md").read_text()
    assert "## Scale: the coordination pipeline" in text and "| 50,000 |" in text and "**NO** (boom)" in text
