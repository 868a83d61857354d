import json

import pytest

from workshop_utils.course import benchmark


def test_benchmark_record_writes_only_when_asked(tmp_path, monkeypatch):
    target = tmp_path / "bench.jsonl"
    monkeypatch.delenv(benchmark.BENCH_ENV, raising=False)
    assert benchmark.record("x", a=1) == {"name": "x", "a": 1}
    assert not target.exists()
    monkeypatch.setenv(benchmark.BENCH_ENV, str(target))
    benchmark.record("x", a=1)
    benchmark.record("y", b=None)
    lines = [json.loads(l) for l in target.read_text().splitlines()]
    assert lines == [{"name": "x", "a": 1}, {"name": "y", "b": None}]
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        benchmark.record("")
