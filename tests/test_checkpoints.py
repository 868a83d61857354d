import pytest
import torch

from workshop_utils import checkpoints


@pytest.mark.parametrize("name", checkpoints.available())
def test_every_checkpoint_is_small_carded_and_safe_to_load(name):
    path = checkpoints.checkpoint_path(name)
    assert path.stat().st_size < 2 * 1024 * 1024, "shipped checkpoints must stay under 2 MB"
    info = checkpoints.card(name)
    missing = [f for f in checkpoints.CARD_FIELDS if not info.get(f) and info.get(f) != 0]
    assert not missing, f"card of {name} lacks {missing}"
    state = checkpoints.load_state_dict(name)
    assert state and all(isinstance(v, torch.Tensor) for v in state.values())


def test_unknown_checkpoint():
    with pytest.raises(KeyError, match="no shipped checkpoint called 'nope'"):
        checkpoints.checkpoint_path("nope")


def test_load_or_train_trains_when_asked():
    trained = []
    model = checkpoints.load_or_train("anything", lambda: torch.nn.Linear(2, 2), trained.append,
                                      pretrained=False, verbose=False)
    assert trained == [model] and not model.training
    with pytest.raises(TypeError, match="needs train"):
        checkpoints.load_or_train("anything", lambda: torch.nn.Linear(2, 2), pretrained=False)
    with pytest.raises(TypeError, match="build must be a function"):
        checkpoints.load_or_train("anything", None)


def test_save_writes_weights_and_card_that_load_safely(tmp_path):
    import json

    card_fields = {field: f"{field} text" for field in checkpoints.CARD_FIELDS}
    card_fields.update(name="tiny", seed=0)
    model = torch.nn.Linear(3, 2)
    path = checkpoints.save("tiny", model.state_dict(), card_fields, folder=tmp_path)
    state = torch.load(path, weights_only=True)
    assert set(state) == {"weight", "bias"} and torch.equal(state["weight"], model.weight.detach())
    assert json.loads((tmp_path / "tiny.card.json").read_text())["seed"] == 0
    with pytest.raises(ValueError, match="card_fields lacks"):
        checkpoints.save("tiny", model.state_dict(), {"name": "tiny"}, folder=tmp_path)
    with pytest.raises(ValueError, match="but the checkpoint is called 'other'"):
        checkpoints.save("other", model.state_dict(), card_fields, folder=tmp_path)


# -- checkpoints are what their cards say (issue 15, item 9) ---------------------------------------------------

import json  # noqa: E402
import shutil  # noqa: E402

from workshop_utils.datasets import datasheets  # noqa: E402


@pytest.mark.parametrize("name", checkpoints.available())
def test_every_card_records_the_sha256_of_its_weights(name):
    assert checkpoints.card(name)[checkpoints.HASH_FIELD] == checkpoints.file_sha256(checkpoints.checkpoint_path(name))


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A copy of the shipped checkpoints in a folder the tests may damage."""
    folder = tmp_path / "checkpoints"
    shutil.copytree(checkpoints.checkpoint_path("digit_classifier").parent, folder)
    monkeypatch.setattr(checkpoints, "_folder", lambda: folder)
    return folder


def _flip_byte(path, offset):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["flipped byte", "flipped last byte", "swapped", "truncated", "empty"])
def test_damaged_or_swapped_weights_are_refused_naming_the_file(shipped, damage):
    path = shipped / "digit_classifier.pt"
    if damage == "flipped byte":
        _flip_byte(path, path.stat().st_size // 2)
    elif damage == "flipped last byte":
        _flip_byte(path, path.stat().st_size - 1)
    elif damage == "swapped":
        shutil.copy(shipped / "ddpm_digits.pt", path)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    else:
        path.write_bytes(b"")
    with pytest.raises(checkpoints.CheckpointError, match=r"digit_classifier\.pt is not the one its card describes"):
        checkpoints.load_state_dict("digit_classifier")
    with pytest.raises(checkpoints.CheckpointError):
        checkpoints.load_or_train("digit_classifier", lambda: torch.nn.Linear(2, 2), verbose=False)


@pytest.mark.parametrize("damage, message", [
    ("missing", "has no card"),
    ("not json", r"the card .*digit_classifier\.card\.json is not valid JSON"),
    ("deep", "nests lists or objects more than 64 levels deep"),
    ("other card", r"is not the card of 'digit_classifier' \(it names 'ddpm_digits'\)"),
    ("no hash", "does not record the weights' sha256"),
    ("bad hash", "does not record the weights' sha256"),
])
def test_a_missing_corrupt_or_mismatched_card_is_a_clear_error(shipped, damage, message):
    card = shipped / "digit_classifier.card.json"
    info = json.loads(card.read_text())
    if damage == "missing":
        card.unlink()
    elif damage == "not json":
        card.write_text(card.read_text()[:100])
    elif damage == "deep":
        card.write_text("[" * 100_000)
    elif damage == "other card":
        shutil.copy(shipped / "ddpm_digits.card.json", card)
    elif damage == "no hash":
        del info["sha256"]
        card.write_text(json.dumps(info))
    else:
        info["sha256"] = "not a hash"
        card.write_text(json.dumps(info))
    with pytest.raises(checkpoints.CheckpointError, match=message):
        checkpoints.load_state_dict("digit_classifier")


@pytest.mark.parametrize("name", ["../checkpoints/digit_classifier", "sub/digit_classifier", "..", "a\\b",
                                  "/etc/passwd", ".hidden"])
def test_names_with_folders_or_dots_are_refused(name):
    for function in (checkpoints.load_state_dict, checkpoints.card, checkpoints.checkpoint_path, datasheets.datasheet):
        with pytest.raises(ValueError, match="must be a plain name without folders or '..'"):
            function(name)


def test_datasheet_of_a_file_outside_the_datasheets_is_refused():
    with pytest.raises(ValueError, match="plain name"):
        datasheets.datasheet("../checkpoints/ddpm_digits.card")
    assert datasheets.datasheet("digits").sections()


def test_save_records_the_hash_so_a_regenerated_card_stays_right(shipped):
    card_fields = {field: f"{field} text" for field in checkpoints.CARD_FIELDS}
    card_fields.update(name="tiny", seed=0)
    model = torch.nn.Linear(3, 2)
    path = checkpoints.save("tiny", model.state_dict(), card_fields, folder=shipped)
    card = checkpoints.card("tiny")
    assert list(card)[:2] == ["name", "sha256"] and card["sha256"] == checkpoints.file_sha256(path)
    assert torch.equal(checkpoints.load_state_dict("tiny")["weight"], model.weight.detach())
    with pytest.raises(ValueError, match="plain name"):
        checkpoints.save("../tiny", model.state_dict(), card_fields, folder=shipped)
