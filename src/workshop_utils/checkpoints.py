"""Small pretrained weights shipped with the package: the "pretrained or train" path.

Some results take longer to train than a lesson allows (e.g. a face swap
needs about two minutes from scratch). For those, the package ships a tiny
checkpoint in ``workshop_utils/data/checkpoints/<name>.pt`` with a *card*
(``<name>.card.json``) that says what it is, what it was trained on, how,
with which seed and script, how good it is, and what it must not be used
for. Checkpoints are loaded with ``torch.load(..., weights_only=True)``, so
loading one can never run code.

A checkpoint is what its card says: the card records the SHA-256 of the
weights file (``"sha256"``, written by :func:`save`), and
:func:`load_state_dict` checks it before loading. A changed, swapped or
truncated file, or a missing, damaged or mismatched card, gives a
:class:`CheckpointError` naming the file instead of silently loading other
weights. Names are plain names (no folders, no ``..``).

:func:`load_or_train` gives lessons both paths: load the shipped weights
instantly, or train from scratch when the learner asks for it.

Used in: lessons and exercises that start from a pretrained model.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from ._files import load_json, write_bytes_atomic, write_text_atomic
from ._validate import _describe, check_plain_name

__all__ = [
    "CARD_FIELDS",
    "HASH_FIELD",
    "CheckpointError",
    "available",
    "card",
    "checkpoint_path",
    "file_sha256",
    "load_or_train",
    "load_state_dict",
    "save",
]

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
#: The card field holding the SHA-256 (hex) of the weights file; :func:`save` writes it.
HASH_FIELD = "sha256"


class CheckpointError(ValueError):
    """A shipped checkpoint or its card is missing, damaged, or not what the card says."""


def _folder() -> Path:
    return Path(str(resources.files("workshop_utils").joinpath("data/checkpoints")))


def available() -> list[str]:
    """Names of the shipped checkpoints."""
    return sorted(p.stem for p in _folder().glob("*.pt"))


def checkpoint_path(name: str) -> Path:
    """Path of a shipped checkpoint.

    Raises
    ------
    TypeError, ValueError
        If ``name`` is not a plain name (a str without folders or ``..``).
    KeyError
        If no checkpoint has this name; the message lists the available ones.
    """
    check_plain_name("name", name)
    path = _folder() / f"{name}.pt"
    if not path.is_file():
        raise KeyError(f"no shipped checkpoint called {name!r}; available: {available()}")
    return path


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file, as 64 hexadecimal digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def card(name: str) -> dict[str, Any]:
    """The card of a shipped checkpoint (what it is, how it was made, its limits).

    Raises
    ------
    CheckpointError
        If the card is missing, is not valid JSON, is not for this checkpoint,
        or lacks the weights' SHA-256.
    """
    checkpoint_path(name)
    path = _folder() / f"{name}.card.json"
    try:
        info = load_json(path.read_bytes(), source=f"the card {path}")
    except FileNotFoundError:
        raise CheckpointError(f"the checkpoint {name!r} has no card ({path} is missing); reinstall the package") from None
    except ValueError as exc:
        raise CheckpointError(f"{exc}; reinstall the package") from None
    if not isinstance(info, dict) or info.get("name") != name:
        found = info.get("name") if isinstance(info, dict) else _describe(info)
        raise CheckpointError(f"the card {path} is not the card of {name!r} (it names {found!r}); reinstall the package")
    digest = info.get(HASH_FIELD)
    if not isinstance(digest, str) or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise CheckpointError(
            f"the card {path} does not record the weights' {HASH_FIELD} (64 hexadecimal digits); "
            "regenerate it with the script it names, or reinstall the package"
        )
    return info


def load_state_dict(name: str) -> dict[str, Any]:
    """Load a shipped checkpoint's state dict safely (``weights_only=True``), after checking it.

    The weights file must have the SHA-256 its card records, so a file that
    was changed, swapped with another or cut short is never loaded.

    Raises
    ------
    TypeError, ValueError
        If ``name`` is not a plain name.
    KeyError
        If there is no such checkpoint.
    CheckpointError
        If the card is missing or damaged, or the file does not match it.
    """
    import torch

    path = checkpoint_path(name)
    expected = card(name)[HASH_FIELD]
    actual = file_sha256(path)
    if actual != expected:
        raise CheckpointError(
            f"the checkpoint file {path} is not the one its card describes (SHA-256 {actual[:12]}..., the card says "
            f"{expected[:12]}...): it was changed, swapped or cut short. Reinstall the package, or retrain it with "
            f"the script on its card"
        )
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 (the hash matched, so this is a broken save; say which file)
        raise CheckpointError(f"the checkpoint file {path} could not be read ({type(exc).__name__}: {exc})") from None


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
        The card; must have every field in :data:`CARD_FIELDS`. The SHA-256
        of the weights written is added as :data:`HASH_FIELD` (after ``name``).
    folder : str or Path, optional
        Where to write; default: the package's checkpoint folder.

    Returns
    -------
    Path
        The weights file written.
    """
    import torch

    check_plain_name("name", name)
    if not isinstance(card_fields, dict):
        raise TypeError(f"card_fields must be a dict, got {_describe(card_fields)}")
    if not isinstance(state_dict, dict):
        raise TypeError(f"state_dict must be a dict of tensors, got {_describe(state_dict)}")
    missing = [field for field in CARD_FIELDS if field not in card_fields]
    if missing:
        raise ValueError(f"card_fields lacks {missing}; every card needs {list(CARD_FIELDS)}")
    if card_fields["name"] != name:
        raise ValueError(f"card_fields['name'] is {card_fields['name']!r} but the checkpoint is called {name!r}")
    target = Path(folder) if folder is not None else _folder()
    target.mkdir(parents=True, exist_ok=True)
    weights = target / f"{name}.pt"
    buffer = io.BytesIO()
    torch.save({key: value.detach().clone().contiguous() for key, value in state_dict.items()}, buffer)
    data = buffer.getvalue()
    fields = {"name": name, HASH_FIELD: hashlib.sha256(data).hexdigest()}
    fields.update((key, value) for key, value in card_fields.items() if key not in fields)
    write_bytes_atomic(weights, data)
    write_text_atomic(target / f"{name}.card.json", json.dumps(fields, indent=2, ensure_ascii=False) + "\n")
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
    if pretrained:
        checkpoint_path(name)  # a wrong name fails before the model is built
    model = build()
    if not callable(getattr(model, "load_state_dict", None)) or not callable(getattr(model, "eval", None)):
        raise TypeError(f"build must return a torch.nn.Module, got {_describe(model)}")
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
