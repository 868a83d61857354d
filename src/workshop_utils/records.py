"""Training records: what every training run used, made and cost, written down as it happens.

:func:`workshop_utils.training.train` builds a :class:`TrainingRecord` at the
end of every run and stores it as ``history.record``. The record answers the
questions of the four checkpoints of PAI's *Field Guide to Making AI Art
Responsibly* that a program can answer by itself:

1. **dataset**: which data set (and whether it has a datasheet in
   ``workshop_utils/data/datasheets/``), and which part of it;
2. **model code**: which function trained the model, from which package,
   under which licence and by whom, and the licences of the libraries under it;
3. **training resources**: seed, library versions, machine, wall time, CPU
   time, memory, and an **energy estimate printed with its assumptions**;
4. publishing and attribution is the learner's part: a model card
   (:mod:`workshop_utils.responsible.cards`) starts from this record.

The model-specific trainers (``vae.train_vae``, ``diffusion.train_ddpm``,
``faceswap.train_model``, ``charlm.train_charlm``, ``gan2d.train_gan2d``) pass
what they know through ``train(..., about={...})``, so the record is complete
without the learner typing it.

The energy estimate follows the Green Algorithms method (Lannelongue, Grealey
and Inouye, *Advanced Science* 2021, https://doi.org/10.1002/advs.202100707):
energy = (core time x power per core + run time x memory x power per GB) x PUE.
Core time is the process's CPU time (all threads). The default 12 W per core
is a middle value: the per-core powers (TDP divided by cores) listed in the
Green Algorithms tool's processor table range from about 4 W to 24 W, which
gives the low and high ends of the range we print. 0.3725 W per GB of memory is
the tool's reference value. PUE (power usage effectiveness, the data centre's
overhead for cooling and the like) is 1.0 for a personal computer; the tool
uses 1.67 when a data centre is unknown. It is an estimate, not a measurement:
nothing here reads a power meter.

Inside a notebook (an IPython kernel) every record is also appended to
``workshop_training_log.json`` beside the learner's journal (the folder in
``WORKSHOP_JOURNAL_DIR``, or the notebook's folder), so that a later lesson can
document a model trained earlier. The log stays on the learner's machine and
keeps the latest :data:`MAX_LOGGED` records.

Used in: workshop_utils.training (every run), workshop_utils.responsible (model cards),
lessons/02_art and lessons/10_making_responsibly, solutions/08_model_card.
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
import uuid
import warnings
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from ._files import locked, write_json_atomic
from ._validate import _describe, check_number

__all__ = [
    "ABOUT_KEYS",
    "DEFAULT_ASSUMPTIONS",
    "LOG_FILENAME",
    "MAX_LOGGED",
    "EnergyEstimate",
    "TrainingRecord",
    "append_to_log",
    "check_about",
    "energy_wh",
    "estimate_energy",
    "has_datasheet",
    "log_path",
    "make_record",
    "peak_memory_gb",
    "saved_records",
]

#: What a trainer may tell :func:`workshop_utils.training.train` about a run.
ABOUT_KEYS = ("trainer", "model", "parameters", "dataset", "dataset_detail", "seed", "hyperparameters")
#: Environment variable naming the folder of the learner's journal (and of the training log).
JOURNAL_DIR_ENV = "WORKSHOP_JOURNAL_DIR"
#: The training log's file name (beside the journal).
LOG_FILENAME = "workshop_training_log.json"
#: How many records the log keeps (the oldest are dropped first).
MAX_LOGGED = 100
#: The package whose code trains the workshop's models.
PACKAGE = "synthetic-media-workshop"

#: The assumptions of :func:`estimate_energy`, with where each comes from.
DEFAULT_ASSUMPTIONS: dict[str, Any] = {
    "watts_per_core": 12.0,
    "watts_per_core_low": 4.0,
    "watts_per_core_high": 24.0,
    "watts_per_gb": 0.3725,
    "pue": 1.0,
    "method": "Green Algorithms (Lannelongue, Grealey & Inouye, Advanced Science 2021, "
              "https://doi.org/10.1002/advs.202100707)",
}

_FORMAT = "workshop-training-record"
_VERSION = 1


# -- energy -----------------------------------------------------------------------------------------


def energy_wh(cpu_s: float, wall_s: float, memory_gb: float, *, watts_per_core: float = 12.0,
              watts_per_gb: float = 0.3725, pue: float = 1.0) -> float:
    """Estimate the energy of a computation in watt-hours (the Green Algorithms formula).

    ``pue * (cpu_s * watts_per_core + wall_s * memory_gb * watts_per_gb) / 3600``

    Parameters
    ----------
    cpu_s : float
        CPU time in seconds, summed over all cores (core-seconds).
    wall_s : float
        Wall-clock time in seconds (memory draws power for as long as it is held).
    memory_gb : float
        Memory held, in GB.
    watts_per_core : float
        Power of one busy core, in watts.
    watts_per_gb : float
        Power of one GB of memory, in watts.
    pue : float
        Power usage effectiveness (1.0 for a personal computer; at least 1).

    Returns
    -------
    float
        Watt-hours.
    """
    cpu_s = check_number("cpu_s", cpu_s, minimum=0.0)
    wall_s = check_number("wall_s", wall_s, minimum=0.0)
    memory_gb = check_number("memory_gb", memory_gb, minimum=0.0)
    watts_per_core = check_number("watts_per_core", watts_per_core, minimum=0.0)
    watts_per_gb = check_number("watts_per_gb", watts_per_gb, minimum=0.0)
    pue = check_number("pue", pue, minimum=1.0)
    return pue * (cpu_s * watts_per_core + wall_s * memory_gb * watts_per_gb) / 3600.0


@dataclass(frozen=True)
class EnergyEstimate:
    """An energy estimate with its range and the assumptions behind it.

    Attributes
    ----------
    wh, low_wh, high_wh : float
        The estimate and its low and high ends, in watt-hours.
    cpu_s, wall_s, memory_gb : float
        What was measured.
    assumptions : dict
        Power per core (middle, low, high), per GB of memory, PUE, and the method.
    """

    wh: float
    low_wh: float
    high_wh: float
    cpu_s: float
    wall_s: float
    memory_gb: float
    assumptions: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return asdict(self)

    def text(self) -> str:
        """The estimate in words, with every assumption beside it."""
        a = self.assumptions
        bulb_s = self.wh * 3600 / 10.0
        bulb = f"{bulb_s:.0f}" if bulb_s >= 10 else f"{bulb_s:.2g}"
        pue = ("no data-centre overhead: a personal computer" if a["pue"] == 1.0
               else "the overhead of a data centre's cooling and power supply")
        return (
            f"Estimated energy: {_wh(self.wh)} (between {_wh(self.low_wh)} and {_wh(self.high_wh)}), "
            f"about what a 10 W LED bulb uses in {bulb} s.\n"
            f"  Measured: {self.cpu_s:.1f} s of CPU time (all threads), {self.wall_s:.1f} s of wall time, "
            f"{self.memory_gb:.2f} GB of memory (the most this process has held).\n"
            f"  Assumed: {a['watts_per_core']:g} W per busy CPU core (range {a['watts_per_core_low']:g}-"
            f"{a['watts_per_core_high']:g} W, the spread of per-core powers in the Green Algorithms "
            f"processor table), {a['watts_per_gb']:g} W per GB of memory, and a PUE of {a['pue']:g} ({pue}).\n"
            f"  Method: {a['method']}. An estimate, not a measurement: no power meter was read."
        )

    def __str__(self) -> str:
        return self.text()


def _wh(value: float) -> str:
    if value >= 1:
        return f"{value:.2f} Wh"
    return f"{value * 1000:.2g} mWh" if value < 0.01 else f"{value:.3f} Wh"


def estimate_energy(cpu_s: float, wall_s: float, memory_gb: float,
                    assumptions: Mapping[str, Any] | None = None) -> EnergyEstimate:
    """Estimate the energy of a run, with a low-high range, from what was measured.

    Parameters
    ----------
    cpu_s, wall_s, memory_gb : float
        See :func:`energy_wh`.
    assumptions : dict, optional
        Overrides of :data:`DEFAULT_ASSUMPTIONS` (e.g. ``{"pue": 1.67}`` for
        an unknown data centre).

    Returns
    -------
    EnergyEstimate
    """
    chosen = dict(DEFAULT_ASSUMPTIONS)
    if assumptions is not None:
        if not isinstance(assumptions, Mapping):
            raise TypeError(f"assumptions must be a dict such as {{'pue': 1.67}}, got {_describe(assumptions)}")
        unknown = sorted(set(assumptions) - set(DEFAULT_ASSUMPTIONS))
        if unknown:
            raise ValueError(f"assumptions has unknown key(s) {unknown}; known: {sorted(DEFAULT_ASSUMPTIONS)}")
        chosen.update(assumptions)
    if not chosen["watts_per_core_low"] <= chosen["watts_per_core"] <= chosen["watts_per_core_high"]:
        raise ValueError("assumptions must satisfy watts_per_core_low <= watts_per_core <= watts_per_core_high, "
                         f"got {chosen['watts_per_core_low']}, {chosen['watts_per_core']}, "
                         f"{chosen['watts_per_core_high']}")

    def at(watts: float) -> float:
        return energy_wh(cpu_s, wall_s, memory_gb, watts_per_core=watts,
                         watts_per_gb=chosen["watts_per_gb"], pue=chosen["pue"])

    return EnergyEstimate(at(chosen["watts_per_core"]), at(chosen["watts_per_core_low"]),
                          at(chosen["watts_per_core_high"]), float(cpu_s), float(wall_s), float(memory_gb), chosen)


# -- what the run used ------------------------------------------------------------------------------


def check_about(about: Any) -> dict[str, Any]:
    """Return ``about`` as a JSON-ready dict if it only uses :data:`ABOUT_KEYS` with sensible values.

    Raises
    ------
    TypeError, ValueError
        Naming the bad key and what was expected.
    """
    if about is None:
        return {}
    if not isinstance(about, Mapping):
        raise TypeError(f"about must be a dict such as {{'dataset': 'digits'}}, got {_describe(about)}")
    unknown = sorted(set(map(str, about)) - set(ABOUT_KEYS))
    if unknown:
        raise ValueError(f"about has unknown key(s) {unknown}; allowed: {list(ABOUT_KEYS)}")
    checked: dict[str, Any] = {}
    for key, value in about.items():
        if key in ("trainer", "model", "dataset", "dataset_detail"):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"about[{key!r}] must be text, got {_describe(value)}")
            if isinstance(value, str) and len(value) > 500:
                raise ValueError(f"about[{key!r}] must be at most 500 characters, got {len(value)}")
        elif key in ("parameters", "seed"):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise TypeError(f"about[{key!r}] must be a whole number >= 0, got {_describe(value)}")
        elif key == "hyperparameters":
            if not isinstance(value, Mapping):
                raise TypeError(f"about['hyperparameters'] must be a dict, got {_describe(value)}")
            try:
                value = json.loads(json.dumps(dict(value), allow_nan=False))
            except (TypeError, ValueError):
                raise TypeError("about['hyperparameters'] must hold only JSON values (numbers, text, lists)") from None
        checked[key] = value
    return checked


def has_datasheet(name: str | None) -> bool:
    """Whether the workshop ships a datasheet called ``name`` (``data/datasheets/<name>.md``)."""
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        return False
    return Path(str(resources.files("workshop_utils").joinpath(f"data/datasheets/{name}.md"))).is_file()


@lru_cache(maxsize=None)
def _distribution(name: str) -> tuple[str | None, str | None, str | None]:
    """(version, licence, authors) of an installed distribution, from its metadata."""
    try:
        meta = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return None, None, None
    licence = meta.get("License-Expression") or meta.get("License")
    if not licence or len(licence) > 200:  # some packages paste the whole licence text here
        classifiers = [c.split(" :: ")[-1] for c in (meta.get_all("Classifier") or []) if c.startswith("License ::")]
        licence = "; ".join(classifiers) or (licence[:60] + "..." if licence else None)
    authors = meta.get("Author") or meta.get("Author-email") or meta.get("Maintainer")
    return meta.get("Version"), licence, authors


def _code(trainer: str) -> dict[str, Any]:
    """Who wrote the training code, under which licence: the workshop's trainers, or the learner's own."""
    version, licence, authors = _distribution(PACKAGE)
    ours = trainer.startswith("workshop_utils.")
    libraries = {} if ours else {PACKAGE: {"version": version, "licence": licence}}
    for name in ("torch", "numpy"):
        if name in sys.modules:
            lib_version, lib_licence, _ = _distribution(name)
            libraries[name] = {"version": getattr(sys.modules[name], "__version__", lib_version),
                               "licence": lib_licence}
    if ours:
        return {"trainer": trainer, "package": PACKAGE, "version": version, "licence": licence,
                "authors": authors, "libraries": libraries}
    return {"trainer": trainer, "package": None, "version": None, "licence": None,
            "authors": None, "libraries": libraries}


def _step_name(step: Callable) -> str:
    module = getattr(step, "__module__", None) or ""
    name = getattr(step, "__qualname__", None) or type(step).__name__
    where = "a notebook" if module in ("__main__", "") else module
    return f"your own step function {name!r} (defined in {where})"


@lru_cache(maxsize=None)
def _machine() -> dict[str, Any]:
    processor = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                processor = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"system": platform.system(), "processor": processor, "cpus": os.cpu_count() or 1}


def peak_memory_gb() -> float | None:
    """The most memory (resident set) this process has held so far, in GB; None where unknown."""
    try:
        import resource
    except ImportError:  # not on Unix
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024**3 if sys.platform == "darwin" else 1024**2)  # bytes on macOS, KB on Linux


def _seed(about: Mapping[str, Any]) -> tuple[int | None, str]:
    if about.get("seed") is not None:
        return about["seed"], "given by the trainer"
    torch = sys.modules.get("torch")
    if torch is not None and hasattr(torch, "initial_seed"):
        return int(torch.initial_seed()), "torch.initial_seed() when training ended (set by setup(seed=...))"
    return None, "unknown: no seed was given and torch was not loaded"


def _threads() -> int | None:
    torch = sys.modules.get("torch")
    return int(torch.get_num_threads()) if torch is not None and hasattr(torch, "get_num_threads") else None


# -- the record -------------------------------------------------------------------------------------


@dataclass
class TrainingRecord:
    """What one training run used, made and cost (see the module docstring).

    Build one with :func:`make_record` (``training.train`` does it for you)
    and read it back with :meth:`from_dict`. All fields are plain JSON values.
    """

    run_id: str
    started_at: str
    trainer: str
    model: str
    parameters: int | None
    dataset: dict[str, Any]
    code: dict[str, Any]
    seed: int | None
    seed_source: str
    hyperparameters: dict[str, Any]
    steps: int
    stopped_because: str
    wall_s: float
    cpu_s: float
    threads: int | None
    peak_memory_gb: float | None
    libraries: dict[str, str]
    machine: dict[str, Any]
    energy: dict[str, Any]
    final_losses: dict[str, float] = field(default_factory=dict)

    # -- reading and writing ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy, with a format marker."""
        return {"format": _FORMAT, "version": _VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls, data: Any) -> TrainingRecord:
        """Rebuild a record from :meth:`to_dict` output (e.g. read from the training log).

        Raises
        ------
        TypeError, ValueError
            If ``data`` is not a training record; the message says what is missing.
        """
        if isinstance(data, TrainingRecord):
            return data
        if not isinstance(data, Mapping):
            raise TypeError(f"a training record must be a dict, got {_describe(data)}")
        if data.get("format") != _FORMAT:
            raise ValueError(f"not a training record: its 'format' is {data.get('format')!r}, expected {_FORMAT!r}")
        names = [f for f in cls.__dataclass_fields__]
        missing = [name for name in names if name not in data and name != "final_losses"]
        if missing:
            raise ValueError(f"the training record lacks {missing}")
        return cls(**{name: data[name] for name in names if name in data})

    # -- in words ------------------------------------------------------------------------------------

    def energy_estimate(self) -> EnergyEstimate:
        """The stored energy estimate as an :class:`EnergyEstimate`."""
        return EnergyEstimate(**self.energy)

    def dataset_text(self) -> str:
        """Checkpoint 1 in words: the data set, its datasheet, and which part was used."""
        name = self.dataset.get("name")
        if not name:
            return ("Dataset: not recorded. Tell train() with about={'dataset': ...}, or name it in the model card "
                    "yourself.")
        sheet = (f"datasheet: workshop_utils.datasets.datasheets.datasheet({name!r})" if self.dataset.get("datasheet")
                 else "no datasheet in the workshop: write one")
        detail = f"; {self.dataset['detail']}" if self.dataset.get("detail") else ""
        return f"Dataset: {name} ({sheet}){detail}."

    def code_text(self) -> str:
        """Checkpoint 2 in words: who wrote the training code and under which licences it is shared."""
        c = self.code
        lines = [f"Model code: {c['trainer']}"]
        if c.get("package"):
            lines[0] += (f", from the {c['package']} package {c.get('version') or ''}".rstrip()
                         + f" (licence: {c.get('licence') or 'unknown'}; authors: {c.get('authors') or 'unknown'})")
        else:
            lines[0] += ": its authors and licence are for you to state"
        lines[0] += "."
        for name, info in c.get("libraries", {}).items():
            lines.append(f"  Built on {name} {info.get('version')} (licence: {info.get('licence') or 'unknown'}).")
        return "\n".join(lines)

    def compute_text(self) -> str:
        """Checkpoint 3 in words: the compute used and its energy estimate, with its assumptions."""
        threads = f" on {self.threads} torch thread(s)" if self.threads else ""
        head = (f"Training resources: {self.steps} steps in {self.wall_s:.1f} s of wall time and {self.cpu_s:.1f} s "
                f"of CPU time{threads}, on {self.machine.get('processor')} ({self.machine.get('cpus')} CPUs "
                f"visible); Python {self.libraries.get('python')}"
                + "".join(f", {k} {v}" for k, v in self.libraries.items() if k != "python") + ".")
        return head + "\n" + self.energy_estimate().text()

    def summary(self) -> str:
        """The whole record in a few lines of text (what the model card starts from)."""
        seed = f"seed {self.seed} ({self.seed_source})" if self.seed is not None else f"seed {self.seed_source}"
        model = self.model or "model not described"
        if self.parameters is not None:
            model += f", {self.parameters:,} parameters"
        losses = ", ".join(f"{k} {v:.4g}" for k, v in self.final_losses.items())
        return "\n".join([
            f"Training record {self.run_id} ({self.started_at}): {model}.",
            self.dataset_text(),
            self.code_text(),
            self.compute_text(),
            f"Reproducibility: {seed}; stopped because of {self.stopped_because}"
            + (f"; final losses: {losses}." if losses else "."),
        ])

    def __str__(self) -> str:
        return self.summary()

    def _repr_markdown_(self) -> str:
        return "```text\n" + self.summary() + "\n```"


def make_record(step: Callable, about: Mapping[str, Any] | None, *, started: float, steps: int,
                stopped_because: str, wall_s: float, cpu_s: float, final_losses: Mapping[str, float]) -> TrainingRecord:
    """Build the record of a finished run (called by :func:`workshop_utils.training.train`).

    Parameters
    ----------
    step : callable
        The step function (named in the record when no trainer is given).
    about : dict, optional
        What the trainer knows (see :data:`ABOUT_KEYS`); checked by :func:`check_about`.
    started : float
        ``time.time()`` when the run started.
    steps, stopped_because, wall_s, cpu_s, final_losses
        What the run measured.
    """
    about = check_about(about)
    trainer = about.get("trainer") or _step_name(step)
    dataset_name = about.get("dataset")
    memory = peak_memory_gb()
    seed, seed_source = _seed(about)
    libraries = {"python": platform.python_version()}
    for name in ("torch", "numpy"):
        if name in sys.modules:
            libraries[name] = str(getattr(sys.modules[name], "__version__", "unknown"))
    libraries["workshop_utils"] = _distribution(PACKAGE)[0] or "unknown"
    energy = estimate_energy(cpu_s, wall_s, memory or 0.0)
    return TrainingRecord(
        run_id=uuid.uuid4().hex[:12],
        started_at=datetime.fromtimestamp(started).astimezone().isoformat(timespec="seconds"),
        trainer=trainer,
        model=about.get("model") or "",
        parameters=about.get("parameters"),
        dataset={"name": dataset_name, "datasheet": has_datasheet(dataset_name),
                 "detail": about.get("dataset_detail") or ""},
        code=_code(trainer),
        seed=seed,
        seed_source=seed_source,
        hyperparameters=about.get("hyperparameters", {}),
        steps=int(steps),
        stopped_because=stopped_because,
        wall_s=round(float(wall_s), 3),
        cpu_s=round(float(cpu_s), 3),
        threads=_threads(),
        peak_memory_gb=None if memory is None else round(memory, 3),
        libraries=libraries,
        machine=dict(_machine()),
        energy=energy.to_dict(),
        final_losses={k: float(v) for k, v in final_losses.items() if math.isfinite(float(v))},
    )


# -- the training log -----------------------------------------------------------------------------------


def log_path(path: str | os.PathLike | None = None) -> Path:
    """Where the training log lives: ``path``, else beside the journal (``$WORKSHOP_JOURNAL_DIR`` or here).

    Parameters
    ----------
    path : str or PathLike, optional
        A ``.json`` file, or an existing folder (the log is then ``<folder>/workshop_training_log.json``).
    """
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a file path (str or pathlib.Path), got {_describe(path)}")
        candidate = Path(path).expanduser()
        if candidate.is_dir():
            return candidate / LOG_FILENAME
        if candidate.suffix.lower() != ".json":
            raise ValueError(f"path must be a .json file or an existing folder, got {str(path)!r}")
        return candidate
    folder = os.environ.get(JOURNAL_DIR_ENV, "").strip()
    return (Path(folder).expanduser() if folder else Path.cwd()) / LOG_FILENAME


def _read_log(path: Path) -> list[dict[str, Any]] | None:
    """The records in the log ([] if there is no log yet, None if the file is damaged)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (ValueError, UnicodeDecodeError):
        return None
    records = data.get("records") if isinstance(data, dict) else None
    if not isinstance(records, list):
        return None
    return [r for r in records if isinstance(r, dict) and r.get("format") == _FORMAT]


def append_to_log(record: TrainingRecord, path: str | os.PathLike | None = None) -> Path:
    """Append a record to the training log (atomically, under a lock); returns the log's path.

    A damaged log is kept as ``<name>.damaged.json`` (with a warning) and a new one is started.
    """
    if not isinstance(record, TrainingRecord):
        raise TypeError(f"record must be a TrainingRecord, got {_describe(record)}")
    target = log_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target):
        found = _read_log(target)
        if found is None:
            backup = target.with_name(target.stem + ".damaged.json")
            os.replace(target, backup)
            warnings.warn(f"the training log {target} was damaged; it was kept as {backup.name} and a new log "
                          "was started", stacklevel=2)
            found = []
        records = found + [record.to_dict()]
        write_json_atomic(target, {"format": "workshop-training-log", "version": 1,
                                   "records": records[-MAX_LOGGED:]})
    return target


def saved_records(path: str | os.PathLike | None = None) -> list[TrainingRecord]:
    """The records in the training log, oldest first (an empty list if there is no log yet)."""
    found = []
    for entry in _read_log(log_path(path)) or []:
        try:
            found.append(TrainingRecord.from_dict(entry))
        except (TypeError, ValueError):
            continue
    return found
