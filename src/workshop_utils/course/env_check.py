"""The environment self-check shown in lesson 00.

It answers the questions a learner or an instructor has before a session:
which versions are installed, how many CPU threads torch will use, how much
memory there is, and whether everything the lessons need can be imported.
It never sends anything anywhere.

Used in: lessons/00_start_here, ``workshop check`` on the command line.
"""

from __future__ import annotations

import html
import importlib
import importlib.metadata
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..reproducibility import available_cpus, default_threads, set_threads

__all__ = ["INSTALL_HINTS", "REQUIRED_MODULES", "EnvironmentReport", "check_environment", "memory_info"]

#: (import name, distribution name, what it is for)
REQUIRED_MODULES: tuple[tuple[str, str, str], ...] = (
    ("numpy", "numpy", "arrays"),
    ("pandas", "pandas", "event logs and tables (lesson 06)"),
    ("duckdb", "duckdb", "SQL on large event logs (lesson 06)"),
    ("networkx", "networkx", "account networks (lesson 06)"),
    ("torch", "torch", "training the small generative models"),
    ("matplotlib", "matplotlib", "figures"),
    ("sklearn", "scikit-learn", "the bundled digits data and small classifiers"),
    ("ipywidgets", "ipywidgets", "discussion prompts and interactive controls"),
    ("tqdm", "tqdm", "progress bars"),
    ("imwatermark", "invisible-watermark", "invisible image watermarks (lesson 08)"),
    ("cv2", "opencv-python-headless", "image transforms for the watermarks (lesson 08)"),
    ("pywt", "PyWavelets", "wavelet transforms for watermarks and hashes (lesson 08)"),
    ("c2pa", "c2pa-python", "Content Credentials (lesson 08)"),
    ("imagehash", "ImageHash", "perceptual hashes (lesson 08)"),
    ("cryptography", "cryptography", "test certificates for Content Credentials (lesson 08)"),
)

#: How to install a distribution where a plain `pip install NAME` is the wrong advice.
INSTALL_HINTS: dict[str, str] = {
    # its metadata asks for opencv-python (clashes with the headless build) and an unpinned torch
    "invisible-watermark": "pip install --no-deps invisible-watermark==0.2.0",
    "c2pa-python": 'pip install "c2pa-python>=0.38.1,<0.39"',
}

#: Modules that only instructors and the test suite need.
INSTRUCTOR_MODULES: tuple[tuple[str, str, str], ...] = (
    ("nbgrader", "nbgrader", "generating and grading exercises"),
    ("nbval", "nbval", "running the notebooks as tests"),
)


@dataclass
class ModuleStatus:
    """Whether one module imports, and its version."""

    name: str
    distribution: str
    purpose: str
    ok: bool
    version: str = ""
    error: str = ""
    import_s: float = 0.0


@dataclass
class EnvironmentReport:
    """Result of :func:`check_environment`."""

    workshop_version: str
    python: str
    platform: str
    cpus_usable: int
    torch_threads: int | None
    memory_total_gb: float | None
    memory_available_gb: float | None
    modules: list[ModuleStatus] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every required module imports."""
        return all(m.ok for m in self.modules if (m.name, m.distribution, m.purpose) in REQUIRED_MODULES)

    @property
    def problems(self) -> list[str]:
        """Human-readable problems, empty when all is well."""
        found = [
            f"{m.name} ({m.purpose}) cannot be imported: {m.error}. Run `make lab` again, or "
            f"`{INSTALL_HINTS.get(m.distribution, 'pip install ' + m.distribution)}`."
            for m in self.modules
            if not m.ok and (m.name, m.distribution, m.purpose) in REQUIRED_MODULES
        ]
        if self.memory_available_gb is not None and self.memory_available_gb < 1.0:
            found.append(
                f"only {self.memory_available_gb:.1f} GB of memory is free; close other notebooks "
                "(Kernel > Shut Down Kernel) before training."
            )
        return found

    def rows(self) -> list[tuple[str, str]]:
        """The report as (item, value) pairs."""
        mem = (
            f"{self.memory_available_gb:.1f} GB free of {self.memory_total_gb:.1f} GB"
            if self.memory_total_gb is not None and self.memory_available_gb is not None
            else "unknown"
        )
        rows = [
            ("workshop_utils", self.workshop_version),
            ("Python", self.python),
            ("Platform", self.platform),
            ("CPUs this session may use", str(self.cpus_usable)),
            ("torch threads (set by the workshop)", str(self.torch_threads) if self.torch_threads else "torch missing"),
            ("Memory", mem),
        ]
        for m in self.modules:
            state = f"ok, {m.version}" if m.ok else f"MISSING ({m.error})"
            rows.append((f"{m.name}: {m.purpose}", state))
        return rows

    def __str__(self) -> str:
        width = max(len(k) for k, _ in self.rows())
        lines = [f"{k.ljust(width)}  {v}" for k, v in self.rows()]
        lines.append("")
        lines.append("All set: everything the lessons need is importable." if self.ok else "Problems found:")
        lines.extend(f"- {p}" for p in self.problems)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><th scope='row' style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in self.rows()
        )
        verdict = (
            "<p><strong>All set:</strong> everything the lessons need is importable.</p>"
            if self.ok
            else "<p><strong>Problems found:</strong></p>"
        )
        problems = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems)
        return (
            "<table><caption>Environment self-check</caption>"
            f"<thead><tr><th scope='col'>Item</th><th scope='col'>Value</th></tr></thead><tbody>{body}</tbody></table>"
            f"{verdict}{'<ul>' + problems + '</ul>' if problems else ''}"
        )


def memory_info(meminfo: Path = Path("/proc/meminfo"), cgroup: Path = Path("/sys/fs/cgroup")) -> tuple[float | None, float | None]:
    """Return (total, available) memory in GB, honouring a cgroup limit.

    On Binder the container limit (2 GB) is far below the host's memory, so
    the cgroup limit is what matters. Returns ``(None, None)`` when unknown
    (e.g. on macOS or Windows).
    """
    try:
        fields = {}
        for line in meminfo.read_text().splitlines():
            key, value = line.split(":", 1)
            fields[key] = int(value.split()[0]) * 1024
        total, available = fields["MemTotal"], fields.get("MemAvailable", fields.get("MemFree", 0))
    except (OSError, KeyError, ValueError):
        return None, None
    try:
        limit_text = (cgroup / "memory.max").read_text().strip()
        if limit_text != "max":
            limit = int(limit_text)
            used = int((cgroup / "memory.current").read_text().strip())
            if limit < total:
                total, available = limit, min(available, max(0, limit - used))
    except (OSError, ValueError):
        pass
    gb = 1024**3
    return total / gb, available / gb


def _module_status(name: str, distribution: str, purpose: str) -> ModuleStatus:
    start = time.perf_counter()
    try:
        importlib.import_module(name)
    except Exception as exc:  # any import failure is reported, not raised
        return ModuleStatus(name, distribution, purpose, ok=False, error=f"{type(exc).__name__}: {exc}")
    try:
        version = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown version"
    return ModuleStatus(name, distribution, purpose, ok=True, version=version, import_s=time.perf_counter() - start)


def check_environment(include_instructor: bool = False) -> EnvironmentReport:
    """Check the environment and apply the workshop's torch thread setting.

    Parameters
    ----------
    include_instructor : bool
        Also check the instructor-only tools (nbgrader, nbval).

    Returns
    -------
    EnvironmentReport
        Display it in a notebook (an HTML table) or print it (plain text).
    """
    modules = [_module_status(*spec) for spec in REQUIRED_MODULES]
    if include_instructor:
        modules += [_module_status(*spec) for spec in INSTRUCTOR_MODULES]
    threads = None
    if any(m.name == "torch" and m.ok for m in modules):
        threads = set_threads(default_threads())
    total, available = memory_info()
    return EnvironmentReport(
        workshop_version=__version__,
        python=sys.version.split()[0],
        platform=f"{platform.system()} {platform.machine()}",
        cpus_usable=available_cpus(),
        torch_threads=threads,
        memory_total_gb=total,
        memory_available_gb=available,
        modules=modules,
    )
