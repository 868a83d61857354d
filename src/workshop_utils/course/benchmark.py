"""Let notebooks report measurements to ``make bench`` (and to nobody else).

``tools/bench.py`` sets ``WORKSHOP_BENCH_FILE`` to a local file before it
executes a notebook; :func:`record` appends one JSON line to that file. When
the variable is not set (a learner running the notebook), :func:`record`
does nothing. Nothing is ever sent over the network.

Used in: the training cells of solutions/ and exercises/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["BENCH_ENV", "record"]

BENCH_ENV = "WORKSHOP_BENCH_FILE"


def record(name: str, **values: Any) -> dict[str, Any]:
    """Record named measurements for the benchmark, if one is running.

    Parameters
    ----------
    name : str
        What was measured, e.g. the exercise id.
    **values
        JSON-serialisable measurements, e.g. ``train_to_bar_s=12.3``.

    Returns
    -------
    dict
        The record (also when it is not written anywhere).
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    entry = {"name": name, **values}
    target = os.environ.get(BENCH_ENV, "").strip()
    if target:
        line = json.dumps(entry, default=str)
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return entry
