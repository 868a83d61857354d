"""Model cards: one schema for the shipped checkpoints' cards and for the models learners train.

A model card (Mitchell et al., *Model Cards for Model Reporting*, FAT* 2019,
https://arxiv.org/abs/1810.03993) is a short document that travels with a
trained model: what it is, what it learned from, how it was trained, how good
it is, what it is for and what it must not be used for.

The workshop's checkpoints already ship with cards
(``workshop_utils/data/checkpoints/<name>.card.json``, written by
:func:`workshop_utils.checkpoints.save`). :class:`ModelCard` uses **the same
fields** for the models learners train, so there is one schema for both:

* the fields every card must have are :data:`workshop_utils.checkpoints.CARD_FIELDS`;
* the optional fields are :data:`OPTIONAL_FIELDS`: ``config`` (settings to
  rebuild the model), ``sha256`` (the digest of the weights file), ``authors``,
  ``consent`` (the consent of the people in the data), ``datasheet``,
  ``disclosure`` (how outputs are labelled), ``compute`` (time and energy) and
  ``training_record`` (the full :class:`workshop_utils.records.TrainingRecord`).

:meth:`ModelCard.from_record` fills every field a program can fill from the
training record and takes the rest (description, intended use, limitations,
consent, licence) from the learner; :meth:`ModelCard.mismatches` checks that
the numbers in a card are those of a training run (a card copied from
somewhere else fails); :meth:`ModelCard.to_markdown` renders it.

Example
-------
::

    from workshop_utils.models import vae
    from workshop_utils.responsible import ModelCard

    model, history = vae.train_vae(train.subset(classes=[3, 7]), max_steps=600)
    card = ModelCard.from_record(history.record, name="my_sevens", description="...",
                                 intended_use="...", limitations="...", consent="...", licence="MIT")
    card                                   # renders as Markdown in a notebook
    card.mismatches(history.record)        # [] : the card's numbers are the run's

Used in: lessons/10_making_responsibly, solutions/08_model_card, tests/responsible/.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .. import checkpoints
from .._files import write_text_atomic
from .._validate import _describe
from ..records import EnergyEstimate, TrainingRecord

__all__ = [
    "LEARNER_FIELDS",
    "OPTIONAL_FIELDS",
    "REQUIRED_FIELDS",
    "SECTIONS",
    "ModelCard",
    "check_card",
]

#: Fields every card must have (shared with :func:`workshop_utils.checkpoints.save`).
REQUIRED_FIELDS: tuple[str, ...] = tuple(checkpoints.CARD_FIELDS)
#: Fields a card may have.
OPTIONAL_FIELDS: tuple[str, ...] = ("config", "sha256", "authors", "consent", "datasheet", "disclosure", "compute",
                                    "training_record")
#: What only the person who trained the model can say (:meth:`ModelCard.from_record` asks for these).
LEARNER_FIELDS: tuple[str, ...] = ("name", "description", "intended_use", "limitations", "consent", "licence")
#: The sections of the rendered card (heading, fields), after the short version of Mitchell et al.'s.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Model details", ("description", "architecture", "authors", "licence", "config", "sha256")),
    ("Intended use", ("intended_use",)),
    ("Training data", ("training_data", "datasheet", "consent")),
    ("Training procedure", ("training_procedure", "script", "seed")),
    ("Compute and energy", ("compute",)),
    ("Metrics", ("metrics",)),
    ("Limitations", ("limitations",)),
    ("Disclosure", ("disclosure",)),
)
_TEXT = ("name", "description", "architecture", "training_data", "training_procedure", "script", "intended_use",
         "limitations", "licence", "authors", "consent", "datasheet", "disclosure", "sha256")
_DICTS = ("metrics", "config", "compute", "training_record")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TITLES = {
    "description": "Description", "architecture": "Architecture", "authors": "Authors", "licence": "Licence",
    "config": "Configuration", "sha256": "SHA-256 of the weights", "intended_use": "Intended use",
    "training_data": "Data", "datasheet": "Datasheet", "consent": "Consent of the people in the data",
    "training_procedure": "Procedure", "script": "Code", "seed": "Seed", "limitations": "Limitations",
    "disclosure": "How outputs are labelled",
}


def check_card(data: Any) -> list[str]:
    """Every way ``data`` breaks the card schema, in plain words (``[]`` if it conforms).

    Parameters
    ----------
    data : dict
        A card as JSON (e.g. ``checkpoints.card("ddpm_digits")``).
    """
    if not isinstance(data, Mapping):
        return [f"a card must be a dict, got {_describe(data)}"]
    problems = []
    missing = [name for name in REQUIRED_FIELDS if name not in data]
    if missing:
        problems.append(f"missing field(s) {missing}; every card needs {list(REQUIRED_FIELDS)}")
    unknown = sorted(set(map(str, data)) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        problems.append(f"unknown field(s) {unknown}; optional fields are {list(OPTIONAL_FIELDS)}")
    for name in _TEXT:
        if name in data and not isinstance(data[name], str):
            problems.append(f"{name} must be text, got {_describe(data[name])}")
    for name in _DICTS:
        if name in data and not isinstance(data[name], Mapping):
            problems.append(f"{name} must be a dict, got {_describe(data[name])}")
    seed = data.get("seed")
    if "seed" in data and seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        problems.append(f"seed must be a whole number >= 0 (or null when unknown), got {_describe(seed)}")
    if isinstance(data.get("name"), str) and not _NAME.match(data["name"]):
        problems.append(f"name must be 1-64 letters, digits, '-' or '_' (starting with a letter or digit), "
                        f"got {data['name']!r}")
    if isinstance(data.get("sha256"), str) and not _SHA256.match(data["sha256"]):
        problems.append(f"sha256 must be 64 lower-case hexadecimal digits, got {data['sha256']!r}")
    try:
        json.dumps(dict(data), allow_nan=False)
    except (TypeError, ValueError):
        problems.append("a card must hold only JSON values (text, numbers, lists, dicts; no NaN)")
    return problems


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (dict, list, tuple)):
        return not value
    return False


@dataclass
class ModelCard:
    """A model card; the fields are those of the shipped checkpoints' cards (see the module docstring).

    Build one with :meth:`from_record` (a model you trained), :meth:`from_checkpoint`
    (a shipped model) or :meth:`from_dict`; every constructor checks the schema.
    """

    name: str
    description: str
    architecture: str
    training_data: str
    training_procedure: str
    script: str
    seed: int | None
    metrics: dict[str, Any]
    intended_use: str
    limitations: str
    licence: str
    config: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""
    authors: str = ""
    consent: str = ""
    datasheet: str = ""
    disclosure: str = ""
    compute: dict[str, Any] = field(default_factory=dict)
    training_record: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = check_card(self._raw())
        if problems:
            raise ValueError("this is not a valid model card:\n- " + "\n- ".join(problems))

    def _raw(self) -> dict[str, Any]:
        """The fields as given: every required one, and the optional ones that are set."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name in REQUIRED_FIELDS or not _blank(getattr(self, f.name))}

    # -- constructors ----------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Any) -> ModelCard:
        """A card from its JSON form (the inverse of :meth:`to_dict`).

        Raises
        ------
        ValueError
            Listing every way ``data`` breaks the schema (see :func:`check_card`).
        """
        problems = check_card(data)
        if problems:
            raise ValueError("this is not a valid model card:\n- " + "\n- ".join(problems))
        return cls(**{key: (dict(value) if isinstance(value, Mapping) else value) for key, value in data.items()})

    @classmethod
    def from_checkpoint(cls, name: str) -> ModelCard:
        """The card of a shipped checkpoint (see :func:`workshop_utils.checkpoints.available`)."""
        return cls.from_dict(checkpoints.card(name))

    @classmethod
    def from_record(
        cls,
        record: TrainingRecord | Mapping[str, Any],
        *,
        name: str,
        description: str,
        intended_use: str,
        limitations: str,
        consent: str,
        licence: str,
        authors: str = "",
        metrics: Mapping[str, Any] | None = None,
        architecture: str | None = None,
        training_data: str | None = None,
        disclosure: str = "",
        script: str | None = None,
    ) -> ModelCard:
        """A card for a model you trained: the numbers from its training record, the judgement from you.

        Parameters
        ----------
        record : TrainingRecord or dict
            ``history.record`` of the run (or its ``to_dict()``).
        name : str
            A short id for the model, e.g. ``"my_sevens_vae"`` (letters, digits, ``-``, ``_``).
        description : str
            What the model is and makes, in a sentence or two.
        intended_use : str
            What it is for, by whom; what it must not be used for.
        limitations : str
            What it does badly, whom it leaves out, what it can be mistaken for.
        consent : str
            What the people in the training data agreed to (or what is unknown).
        licence : str
            Under which terms you share the weights and outputs (e.g. ``"MIT"``,
            ``"CC BY 4.0"``, or a licence with use restrictions such as OpenRAIL-M).
        authors : str
            Who made it (you, and whoever you credit).
        metrics : dict, optional
            What you measured (e.g. ``{"fd_lite": 14.2}``); the final losses of
            the run are always added under ``"final_losses"``.
        architecture, training_data, script : str, optional
            Override what the record says (``training_data`` is required when
            the record does not name the data set).
        disclosure : str
            How you label the model's outputs.

        Raises
        ------
        ValueError
            If an answer is missing or empty (the message names it), or the
            record does not name its data set and ``training_data`` is not given.
        """
        record = TrainingRecord.from_dict(record)
        answers = {"name": name, "description": description, "intended_use": intended_use,
                   "limitations": limitations, "consent": consent, "licence": licence}
        for key, value in answers.items():
            if not isinstance(value, str):
                raise TypeError(f"{key} must be text (a str), got {_describe(value)}")
            if not value.strip():
                raise ValueError(f"{key} must not be empty: only you can say {_ASK[key]}")
        for key, value in (("authors", authors), ("disclosure", disclosure)):
            if not isinstance(value, str):
                raise TypeError(f"{key} must be text (a str), got {_describe(value)}")
        if metrics is not None and not isinstance(metrics, Mapping):
            raise TypeError(f"metrics must be a dict such as {{'fd_lite': 14.2}}, got {_describe(metrics)}")
        dataset = record.dataset.get("name")
        if training_data is None:
            if not dataset:
                raise ValueError("training_data: the training record does not name its data set; say what the model "
                                 "learned from with training_data='...' (and pass about={'dataset': ...} next time)")
            sheet = (f"datasheet: workshop_utils.datasets.datasheets.datasheet({dataset!r})"
                     if record.dataset.get("datasheet") else "this data set has no datasheet in the workshop")
            detail = f" {record.dataset['detail']}." if record.dataset.get("detail") else ""
            training_data = f"The {dataset} data set ({sheet}).{detail}"
        model = architecture if architecture is not None else (record.model or "not described in the training record")
        if architecture is None and record.parameters is not None:
            model += f", {record.parameters} parameters"
        all_metrics: dict[str, Any] = {"final_losses": dict(record.final_losses)}
        all_metrics.update(dict(metrics or {}))
        return cls(
            name=name.strip(),
            description=description.strip(),
            architecture=model,
            training_data=training_data,
            training_procedure=_procedure(record),
            script=script if script is not None else record.trainer,
            seed=record.seed,
            metrics=all_metrics,
            intended_use=intended_use.strip(),
            limitations=limitations.strip(),
            licence=licence.strip(),
            authors=authors.strip(),
            consent=consent.strip(),
            datasheet=dataset if dataset and record.dataset.get("datasheet") else "",
            disclosure=disclosure.strip(),
            compute=_compute(record),
            training_record=record.to_dict(),
        )

    # -- checks ------------------------------------------------------------------------------------

    def missing_sections(self, *, learner: bool = True) -> list[str]:
        """The fields that are still empty: every required field and, for learners' cards, ``consent``.

        Parameters
        ----------
        learner : bool
            Also require ``consent`` and ``compute`` (the shipped checkpoints
            predate them, so pass ``False`` for those).
        """
        wanted = list(REQUIRED_FIELDS) + (["consent", "compute"] if learner else [])
        return [name for name in wanted if _blank(getattr(self, name))]

    def mismatches(self, record: TrainingRecord | Mapping[str, Any]) -> list[str]:
        """Every way this card's numbers differ from a training run's record (``[]`` if they agree).

        Checks that the card carries this run's record (same run id and the
        same numbers), and that its seed, data set, step count, times and
        energy are those of the run. A card written for another run, or copied
        from a shipped checkpoint, fails.
        """
        record = TrainingRecord.from_dict(record)
        expected = record.to_dict()
        found = []
        if not self.training_record:
            found.append("the card has no training_record: build it with ModelCard.from_record(history.record, ...)")
        else:
            if self.training_record.get("run_id") != record.run_id:
                found.append(f"the card's training record is of run {self.training_record.get('run_id')!r}, "
                             f"not of this run ({record.run_id!r})")
            found += [f"training_record {path}: {got!r} in the card, {want!r} in the run"
                      for path, got, want in _differences(self.training_record, expected)]
        if self.seed != record.seed:
            found.append(f"seed: {self.seed!r} in the card, {record.seed!r} in the run")
        compute = _compute(record)
        found += [f"compute {path}: {got!r} in the card, {want!r} in the run"
                  for path, got, want in _differences(self.compute, compute)]
        steps = f"{record.steps} steps"
        if steps not in self.training_procedure:
            found.append(f"training_procedure does not mention the run's {steps}")
        dataset = record.dataset.get("name")
        if dataset and dataset not in self.training_data:
            found.append(f"training_data does not name the run's data set {dataset!r}")
        losses = self.metrics.get("final_losses") if isinstance(self.metrics, Mapping) else None
        if losses != record.final_losses:
            found.append(f"metrics['final_losses']: {losses!r} in the card, {record.final_losses!r} in the run")
        return found

    # -- output ------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The card as JSON: the required fields, then the optional ones that are set."""
        data = {name: getattr(self, name) for name in REQUIRED_FIELDS}
        data.update({name: getattr(self, name) for name in OPTIONAL_FIELDS if not _blank(getattr(self, name))})
        return json.loads(json.dumps(data))

    def to_markdown(self) -> str:
        """The card as Markdown, one section per part of the card."""
        lines = [f"# Model card: {self.name}", ""]
        for heading, names in SECTIONS:
            body: list[str] = []
            for name in names:
                value = getattr(self, name)
                if _blank(value) and name != "seed":
                    continue
                if name == "compute":
                    body += _compute_markdown(value)
                elif name in ("metrics", "config"):
                    body += ([f"**{_TITLES[name]}:**", ""] if name == "config" else []) + _nested(value) + [""]
                elif name == "seed":
                    body += [f"**Seed:** {value if value is not None else 'not recorded'}", ""]
                elif name in ("intended_use", "limitations", "disclosure") and len(names) == 1:
                    body += [str(value).strip(), ""]
                elif name == "datasheet":
                    body += [f"**Datasheet:** `workshop_utils.datasets.datasheets.datasheet({value!r})`", ""]
                else:
                    body += [f"**{_TITLES[name]}:** {str(value).strip()}", ""]
            if body:
                lines += [f"## {heading}", ""] + body
        if self.training_record:
            lines += [f"_Numbers from training record `{self.training_record.get('run_id')}` "
                      f"({self.training_record.get('started_at')})._", ""]
        return "\n".join(lines).rstrip() + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __str__(self) -> str:
        return self.to_markdown()

    def save(self, folder: str | Path) -> tuple[Path, Path]:
        """Write ``<name>.card.json`` and ``<name>.card.md`` into ``folder`` (atomically); returns both paths."""
        target = Path(folder)
        if not target.is_dir():
            raise FileNotFoundError(f"folder: {target} is not an existing folder")
        json_path = write_text_atomic(target / f"{self.name}.card.json",
                                      json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")
        md_path = write_text_atomic(target / f"{self.name}.card.md", self.to_markdown())
        return json_path, md_path


_ASK = {
    "name": "what to call the model",
    "description": "what the model is and what it makes",
    "intended_use": "what the model is for and what it must not be used for",
    "limitations": "what the model does badly and whom it leaves out",
    "consent": "what the people in the data agreed to, or that it is unknown",
    "licence": "under which terms you share it",
}


def _procedure(record: TrainingRecord) -> str:
    hyper = ", ".join(f"{k} {v}" for k, v in record.hyperparameters.items())
    threads = f" on {record.threads} torch thread(s)" if record.threads else ""
    versions = ", ".join(f"{k} {v}" for k, v in record.libraries.items())
    return (f"{record.trainer}: {record.steps} steps (stopped by {record.stopped_because})"
            + (f"; {hyper}" if hyper else "")
            + f". {record.wall_s:.1f} s of wall time and {record.cpu_s:.1f} s of CPU time{threads}, "
            f"on {record.machine.get('processor')}; {versions}.")


def _compute(record: TrainingRecord) -> dict[str, Any]:
    return {"wall_s": record.wall_s, "cpu_s": record.cpu_s, "threads": record.threads,
            "processor": record.machine.get("processor"), "peak_memory_gb": record.peak_memory_gb,
            "energy": dict(record.energy)}


def _compute_markdown(compute: Mapping[str, Any]) -> list[str]:
    lines = []
    if "wall_s" in compute:
        threads = f" on {compute['threads']} thread(s)" if compute.get("threads") else ""
        lines.append(f"{compute['wall_s']:.1f} s of wall time and {compute.get('cpu_s', 0):.1f} s of CPU time"
                     f"{threads} ({compute.get('processor')}).")
    energy = compute.get("energy")
    if isinstance(energy, Mapping):
        try:
            lines += ["", "```text", EnergyEstimate(**energy).text(), "```"]
        except TypeError:
            lines += ["", f"Energy: {energy}"]
    return lines + [""]


def _nested(value: Any, depth: int = 0) -> list[str]:
    pad = "  " * depth
    if isinstance(value, Mapping):
        lines = []
        for key, item in value.items():
            if isinstance(item, Mapping) and item:
                lines.append(f"{pad}- **{key}:**")
                lines += _nested(item, depth + 1)
            else:
                lines.append(f"{pad}- **{key}:** {_number(item)}")
        return lines
    return [f"{pad}- {_number(value)}"]


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, Mapping) and not value:
        return "(none)"
    return str(value)


def _differences(got: Any, want: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """(path, got, want) for every value that differs between two JSON trees (floats to 1e-9 relative)."""
    if isinstance(want, Mapping):
        if not isinstance(got, Mapping):
            return [(path or "(all)", got, want)]
        found = []
        for key in sorted(set(want) | set(got), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in got:
                found.append((where, "(missing)", want[key]))
            elif key not in want:
                found.append((where, got[key], "(not in the run)"))
            else:
                found += _differences(got[key], want[key], where)
        return found
    if isinstance(want, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(want):
            return [(path, got, want)]
        return [d for i, (a, b) in enumerate(zip(got, want)) for d in _differences(a, b, f"{path}[{i}]")]
    if isinstance(want, float) or isinstance(got, float):
        ok = (isinstance(got, (int, float)) and not isinstance(got, bool) and isinstance(want, (int, float))
              and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12))
        return [] if ok else [(path, got, want)]
    return [] if got == want else [(path, got, want)]
