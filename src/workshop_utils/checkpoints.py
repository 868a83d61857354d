"""Small pretrained weights shipped with the package: the "pretrained or train" path.

Some results take longer to train than a lesson allows (e.g. a face swap
needs about two minutes from scratch). For those, the package ships a tiny
checkpoint in ``workshop_utils/data/checkpoints/<name>.pt`` with a *card*
(``<name>.card.json``) that says what it is, what it was trained on, how,
with which seed and script, how good it is, and what it must not be used
for. Checkpoints are loaded with ``torch.load(..., weights_only=True)``, so
loading one can never run code.

:func:`load_or_train` gives lessons both paths: load the shipped weights
instantly, or train from scratch when the learner asks for it.

Used in: lessons and exercises that start from a pretrained model.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["CARD_FIELDS", "available", "card", "checkpoint_path", "load_or_train", "load_state_dict", "save"]

#: Fields every checkpoint card must have.
CARD_FIELDS = (
    "name",
    "description",
    "architecture",
    "training_data",
    "training_procedure",
    "script",
    "seed",
    "metrics",
    "intended_use",
    "limitations",
    "licence",
)


def _folder() -> Path:
    return Path(str(resources.files("workshop_utils").joinpath("data/checkpoints")))


def available() -> list[str]:
    """Names of the shipped checkpoints."""
    return sorted(p.stem for p in _folder().glob("*.pt"))


def checkpoint_path(name: str) -> Path:
    """Path of a shipped checkpoint.

    Raises
    ------
    KeyError
        If no checkpoint has this name; the message lists the available ones.
    """
    path = _folder() / f"{name}.pt"
    if not isinstance(name, str) or not path.exists():
        raise KeyError(f"no shipped checkpoint called {name!r}; available: {available()}")
    return path


def card(name: str) -> dict[str, Any]:
    """The card of a shipped checkpoint (what it is, how it was made, its limits)."""
    checkpoint_path(name)
    return json.loads((_folder() / f"{name}.card.json").read_text(encoding="utf-8"))


def load_state_dict(name: str) -> dict[str, Any]:
    """Load a shipped checkpoint's state dict safely (``weights_only=True``)."""
    import torch

    return torch.load(checkpoint_path(name), map_location="cpu", weights_only=True)


def save(name: str, state_dict: dict[str, Any], card_fields: dict[str, Any], folder: str | Path | None = None) -> Path:
    """Write ``<name>.pt`` and its card ``<name>.card.json`` (used by the scripts in tools/).

    Parameters
    ----------
    name : str
        Checkpoint name; the card's ``name`` must match.
    state_dict : dict of str to torch.Tensor
        The weights; saved as plain, contiguous tensors so that
        ``torch.load(..., weights_only=True)`` can read them.
    card_fields : dict
        The card; must have every field in :data:`CARD_FIELDS`.
    folder : str or Path, optional
        Where to write; default: the package's checkpoint folder.

    Returns
    -------
    Path
        The weights file written.
    """
    import torch

    missing = [field for field in CARD_FIELDS if field not in card_fields]
    if missing:
        raise ValueError(f"card_fields lacks {missing}; every card needs {list(CARD_FIELDS)}")
    if card_fields["name"] != name:
        raise ValueError(f"card_fields['name'] is {card_fields['name']!r} but the checkpoint is called {name!r}")
    target = Path(folder) if folder is not None else _folder()
    target.mkdir(parents=True, exist_ok=True)
    weights = target / f"{name}.pt"
    torch.save({key: value.detach().clone().contiguous() for key, value in state_dict.items()}, weights)
    text = json.dumps(card_fields, indent=2, ensure_ascii=False) + "\n"
    (target / f"{name}.card.json").write_text(text, encoding="utf-8")
    return weights


def load_or_train(
    name: str,
    build: Callable[[], Any],
    train: Callable[[Any], Any] | None = None,
    *,
    pretrained: bool = True,
    verbose: bool = True,
):
    """Return a model with shipped weights, or train it from scratch.

    Parameters
    ----------
    name : str
        Checkpoint name (see :func:`available`).
    build : callable
        ``build() -> torch.nn.Module`` creates the untrained model.
    train : callable, optional
        ``train(model)`` trains the model in place; needed when
        ``pretrained`` is false.
    pretrained : bool
        Load the shipped weights (instant) instead of training.
    verbose : bool
        Print which path was taken.

    Returns
    -------
    torch.nn.Module
        The model, in evaluation mode.
    """
    if not callable(build):
        raise TypeError(f"build must be a function that creates the model, got {build!r}")
    model = build()
    if pretrained:
        model.load_state_dict(load_state_dict(name))
        if verbose:
            info = card(name)
            print(f"Loaded the shipped checkpoint {name!r}: {info['description']}")
    else:
        if not callable(train):
            raise TypeError("pretrained=False needs train, a function that trains the model in place")
        train(model)
        if verbose:
            print(f"Trained {name!r} from scratch.")
    model.eval()
    return model
