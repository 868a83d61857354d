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
