import random

import numpy as np
import pytest
import torch

from workshop_utils import reproducibility as rp


def test_seed_everything_makes_all_generators_repeat():
    rp.seed_everything(123)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    rp.seed_everything(123)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "0"])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises((TypeError, ValueError), match="seed"):
        rp.seed_everything(bad)


def test_default_threads_is_one_without_env(monkeypatch):
    monkeypatch.delenv(rp.THREADS_ENV, raising=False)
    assert rp.default_threads() == 1


def test_default_threads_reads_env_and_caps_at_available(monkeypatch):
    monkeypatch.setenv(rp.THREADS_ENV, "999")
    assert rp.default_threads() == rp.available_cpus()


@pytest.mark.parametrize("raw", ["zero", "0", "-2"])
def test_default_threads_rejects_bad_env(monkeypatch, raw):
    monkeypatch.setenv(rp.THREADS_ENV, raw)
    with pytest.raises(ValueError, match="WORKSHOP_THREADS must be a positive whole number"):
        rp.default_threads()


def test_setup_sets_threads_and_seed(monkeypatch):
    monkeypatch.delenv(rp.THREADS_ENV, raising=False)
    before = torch.get_num_threads()
    try:
        assert rp.setup(seed=7) == {"seed": 7, "threads": 1}
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_set_threads_rejects_zero():
    with pytest.raises(ValueError, match="threads must be at least 1"):
        rp.set_threads(0)


def test_cgroup_quota_parsing(tmp_path):
    (tmp_path / "cpu.max").write_text("100000 100000\n")
    assert rp._cgroup_cpu_quota(tmp_path) == 1.0
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert rp._cgroup_cpu_quota(tmp_path) is None
    empty = tmp_path / "empty"
    empty.mkdir()
    assert rp._cgroup_cpu_quota(empty) is None


def test_available_cpus_is_positive():
    assert rp.available_cpus() >= 1


def test_set_threads_also_limits_blas(monkeypatch):
    from threadpoolctl import threadpool_info

    before = torch.get_num_threads()
    try:
        rp.set_threads(1)
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
    finally:
        torch.set_num_threads(before)
