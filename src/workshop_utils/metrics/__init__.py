"""Metrics: how good is a generated sample, honestly measured beside its reference points.

Modules
-------
coverage
    How much of the ring a 2-D generator covers (modes and high-quality share).
fid_lite
    FD-lite, a small Fréchet distance for 8x8 digits (imports torch).
swap_quality
    Identity, expression and pixel error of a face swap.
similarity
    Nearest training images: is a generator copying its data?

``mode_coverage`` is available here directly; import the other modules by name,
e.g. ``from workshop_utils.metrics import fid_lite``.
"""

from .coverage import ModeCoverage, mode_coverage

__all__ = ["ModeCoverage", "coverage", "fid_lite", "mode_coverage", "similarity", "swap_quality"]
