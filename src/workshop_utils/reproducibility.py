"""Reproducible seeding and deliberate CPU thread settings.

Tiny models train fastest on **one** torch thread: with more threads, each
small operation pays for synchronising the threads, and on shared machines
(Binder, laptops with a busy browser) one slow core stalls all the others.
Binder also reports the host's cores, not the ones the container may use,
so torch's default thread count over-subscribes. The workshop therefore sets
the thread count explicitly: 1 unless you ask for more with the
``WORKSHOP_THREADS`` environment variable or the ``threads`` argument.

Used in: every lesson and exercise (through :func:`setup`).
"""

from __future__ import annotations

import math
import os
import random
from pathlib import Path

from ._validate import check_int

__all__ = ["available_cpus", "default_threads", "seed_everything", "set_threads", "setup"]

THREADS_ENV = "WORKSHOP_THREADS"


def available_cpus() -> int:
    """Return how many CPUs this process may really use.

    Takes the smallest of the CPU affinity mask and the cgroup CPU quota
    (which is how Binder and Docker limit CPUs), and never less than 1.

    Returns
    -------
    int
        The usable CPU count.
    """
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        count = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    if quota is not None:
        count = min(count, max(1, math.floor(quota)))
    return max(1, count)


def _cgroup_cpu_quota(root: Path = Path("/sys/fs/cgroup")) -> float | None:
    """Return the cgroup CPU limit in CPUs, or ``None`` when unlimited or unknown."""
    try:
        quota, period = (root / "cpu.max").read_text().split()[:2]  # cgroup v2
        if quota != "max":
            return int(quota) / int(period)
        return None
    except (OSError, ValueError):
        pass
    try:  # cgroup v1
        quota_us = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period_us = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        if quota_us > 0 and period_us > 0:
            return quota_us / period_us
    except (OSError, ValueError):
        pass
    return None


def default_threads() -> int:
    """Return the thread count the workshop uses when none is given.

    This is the value of ``WORKSHOP_THREADS`` if it is set, otherwise 1,
    and never more than :func:`available_cpus`.

    Raises
    ------
    ValueError
        If ``WORKSHOP_THREADS`` is set but is not a positive whole number.
    """
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return 1
    try:
        wanted = int(raw)
    except ValueError:
        raise ValueError(f"{THREADS_ENV} must be a positive whole number, got {raw!r}") from None
    if wanted < 1:
        raise ValueError(f"{THREADS_ENV} must be a positive whole number, got {raw!r}")
    return min(wanted, available_cpus())


def set_threads(threads: int | None = None) -> int:
    """Set torch's (and the BLAS libraries') thread count and return torch's.

    Parameters
    ----------
    threads : int, optional
        How many threads to use. Defaults to :func:`default_threads`
        (1 unless ``WORKSHOP_THREADS`` says otherwise).

    Returns
    -------
    int
        The thread count now in effect.
    """
    if threads is None:
        threads = default_threads()
    check_int("threads", threads, minimum=1)
    import torch

    torch.set_num_threads(threads)
    _limit_blas_threads(threads)
    return torch.get_num_threads()


def _limit_blas_threads(threads: int) -> None:
    """Apply the same limit to NumPy's and scikit-learn's maths libraries (OpenBLAS, MKL, OpenMP).

    On a busy or quota-limited CPU, small matrix operations with several
    threads can be 10-50 times slower than with one.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # threadpoolctl comes with scikit-learn; without it, only torch is limited
        return
    threadpool_limits(limits=threads)


def seed_everything(seed: int = 0) -> int:
    """Seed Python's, NumPy's and (if installed) torch's random generators.

    Parameters
    ----------
    seed : int
        A non-negative whole number.

    Returns
    -------
    int
        The seed, so that it can be printed or stored with results.
    """
    check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    random.seed(seed)
    import numpy as np

    np.random.seed(seed)
    try:
        import torch
    except ImportError:  # torch is optional for the discussion-only lessons
        return seed
    torch.manual_seed(seed)
    return seed


def setup(seed: int = 0, threads: int | None = None) -> dict[str, int]:
    """Prepare a notebook for reproducible, fast CPU training.

    Seeds every random generator and sets the torch thread count. Call it
    once at the top of a lesson or exercise.

    Parameters
    ----------
    seed : int
        The seed for all random generators.
    threads : int, optional
        Torch threads; see :func:`set_threads`.

    Returns
    -------
    dict
        ``{"seed": ..., "threads": ...}`` as actually applied.
    """
    used_threads = set_threads(threads)
    used_seed = seed_everything(seed)
    return {"seed": used_seed, "threads": used_threads}
