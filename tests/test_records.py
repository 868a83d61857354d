"""Training records: captured on every run, by every trainer, with an energy estimate and its assumptions."""

import json
import math

import numpy as np
import pytest
import torch

from workshop_utils import records, training
from workshop_utils.datasets import digits, ring, text_corpus
from workshop_utils.models import charlm, diffusion, faceswap, gan2d, vae
from workshop_utils.reproducibility import setup


def test_every_run_of_the_training_loop_has_a_record():
    history = training.train(lambda i: {"loss": 1.0 / (i + 1)}, max_steps=20, progress=False, log=False)
    record = history.record
    assert isinstance(record, records.TrainingRecord)
    assert record.steps == 20 and record.stopped_because == "max_steps"
    assert record.final_losses == {"loss": pytest.approx(1 / 20)}
    assert record.wall_s == pytest.approx(history.elapsed_s, abs=1e-3) and record.cpu_s >= 0
    assert record.libraries["python"] and record.libraries["workshop_utils"]
    assert "your own step function" in record.trainer and record.dataset["name"] is None
    assert "Dataset: not recorded" in record.dataset_text()
    # two runs are two records
    again = training.train(lambda i: {"loss": 1.0}, max_steps=1, progress=False, log=False)
    assert again.record.run_id != record.run_id


def test_the_code_section_names_licences_and_authors_from_package_metadata():
    torch.zeros(1)  # torch is loaded, so it is listed among the libraries
    record = training.train(lambda i: {"loss": 1.0}, max_steps=2, progress=False, log=False,
                            about={"trainer": "workshop_utils.models.vae.train_vae", "dataset": "digits"}).record
    assert record.code["package"] == "synthetic-media-workshop" and record.code["licence"] == "MIT"
    assert record.code["authors"] == "Synthetic Media Workshop contributors"
    assert record.code["libraries"]["torch"]["version"] == torch.__version__
    assert record.code["libraries"]["torch"]["licence"]
    text = record.code_text()
    assert "train_vae, from the synthetic-media-workshop package" in text and "licence: MIT" in text and "torch" in text
    # code the learner wrote is theirs: the record does not claim the workshop wrote it
    own = training.train(lambda i: {"loss": 1.0}, max_steps=2, progress=False, log=False).record
    assert own.code["package"] is None and own.code["libraries"]["synthetic-media-workshop"]["licence"] == "MIT"
    assert "its authors and licence are for you to state" in own.code_text()


def test_seed_comes_from_the_trainer_or_from_torch():
    setup(seed=7)
    record = training.train(lambda i: {"loss": 1.0}, max_steps=1, progress=False, log=False).record
    assert record.seed == 7 and "torch.initial_seed" in record.seed_source
    record = training.train(lambda i: {"loss": 1.0}, max_steps=1, progress=False, log=False,
                            about={"seed": 3}).record
    assert record.seed == 3 and record.seed_source == "given by the trainer"


def test_energy_formula_and_range():
    assert records.energy_wh(3600, 0, 0, watts_per_core=12) == pytest.approx(12.0)
    assert records.energy_wh(0, 3600, 2, watts_per_gb=0.5) == pytest.approx(1.0)
    assert records.energy_wh(1800, 1800, 1, pue=2.0) == pytest.approx(2 * (6 + 0.3725 / 2))
    estimate = records.estimate_energy(30, 30, 0.5)
    assert estimate.low_wh < estimate.wh < estimate.high_wh
    assert estimate.wh == pytest.approx((30 * 12 + 30 * 0.5 * 0.3725) / 3600)
    text = estimate.text()
    for assumption in ("12 W per busy CPU core", "4-24 W", "0.3725 W per GB", "PUE of 1", "Green Algorithms",
                       "not a measurement"):
        assert assumption in text
    assert "PUE of 1.67" in records.estimate_energy(30, 30, 0.5, {"pue": 1.67}).text()


@pytest.mark.parametrize("call, message", [
    (lambda: records.energy_wh(-1, 0, 0), "cpu_s must be at least 0"),
    (lambda: records.energy_wh(1, 1, 1, pue=0.5), "pue must be at least 1"),
    (lambda: records.estimate_energy(1, 1, 1, {"volts": 3}), r"unknown key\(s\) \['volts'\]"),
    (lambda: records.estimate_energy(1, 1, 1, {"watts_per_core": 99}), "watts_per_core_low <= watts_per_core"),
    (lambda: records.estimate_energy(1, 1, 1, "pue"), "assumptions must be a dict"),
])
def test_bad_energy_arguments_are_named(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()


@pytest.mark.parametrize("about, error, message", [
    ({"datset": "digits"}, ValueError, r"unknown key\(s\) \['datset'\]"),
    ({"seed": -1}, TypeError, r"about\['seed'\] must be a whole number"),
    ({"dataset": 3}, TypeError, r"about\['dataset'\] must be text"),
    ({"hyperparameters": {"f": object()}}, TypeError, "JSON values"),
    ("digits", TypeError, "about must be a dict"),
])
def test_bad_about_fails_before_training(about, error, message):
    calls = []
    with pytest.raises(error, match=message):
        training.train(lambda i: calls.append(i) or {"loss": 1.0}, max_steps=5, progress=False, about=about)
    assert calls == [], "a bad description must fail before any training step runs"


def test_log_must_be_a_bool():
    with pytest.raises(TypeError, match="log must be True, False or None"):
        training.train(lambda i: {"loss": 1.0}, max_steps=1, progress=False, log="yes")


def test_records_round_trip_and_refuse_other_dicts():
    record = training.train(lambda i: {"loss": 1.0}, max_steps=3, progress=False, log=False).record
    data = json.loads(json.dumps(record.to_dict()))
    assert records.TrainingRecord.from_dict(data) == record
    with pytest.raises(ValueError, match="not a training record"):
        records.TrainingRecord.from_dict({"name": "ddpm_digits"})
    with pytest.raises(ValueError, match=r"lacks \['run_id'"):
        records.TrainingRecord.from_dict({k: v for k, v in data.items() if k != "run_id"})
    with pytest.raises(TypeError, match="must be a dict"):
        records.TrainingRecord.from_dict(3)


def test_the_log_keeps_records_beside_the_journal(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_JOURNAL_DIR", str(tmp_path))
    assert records.saved_records() == []
    first = training.train(lambda i: {"loss": 1.0}, max_steps=2, progress=False, log=True).record
    training.train(lambda i: {"loss": 1.0}, max_steps=2, progress=False, log=False)
    second = training.train(lambda i: {"loss": 2.0}, max_steps=2, progress=False, log=True).record
    assert (tmp_path / records.LOG_FILENAME).exists()
    assert [r.run_id for r in records.saved_records()] == [first.run_id, second.run_id]
    (tmp_path / records.LOG_FILENAME).write_text("{ damaged")
    assert records.saved_records() == []
    with pytest.warns(UserWarning, match="was damaged; it was kept as"):
        records.append_to_log(first)
    assert [r.run_id for r in records.saved_records()] == [first.run_id]
    assert (tmp_path / "workshop_training_log.damaged.json").read_text() == "{ damaged"


def test_outside_a_notebook_nothing_is_logged_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_JOURNAL_DIR", str(tmp_path))
    training.train(lambda i: {"loss": 1.0}, max_steps=2, progress=False)
    assert not (tmp_path / records.LOG_FILENAME).exists()


def test_the_log_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_LOGGED", 4)
    path = tmp_path / "log.json"
    runs = [training.train(lambda i: {"loss": 1.0}, max_steps=1, progress=False, log=False).record for _ in range(6)]
    for record in runs:
        records.append_to_log(record, path)
    assert [r.run_id for r in records.saved_records(path)] == [r.run_id for r in runs[2:]]
    with pytest.raises(ValueError, match="must be a .json file"):
        records.log_path(tmp_path / "log.txt")
    with pytest.raises(TypeError, match="must be a TrainingRecord"):
        records.append_to_log({"run_id": "x"}, path)


# -- every trainer passes what it knows ----------------------------------------------------------------


def _check(record, dataset, trainer):
    assert record.dataset["name"] == dataset and record.dataset["datasheet"] is True
    assert record.trainer == f"workshop_utils.models.{trainer}"
    assert record.parameters and record.parameters > 0 and record.model
    assert record.dataset["detail"] and record.hyperparameters
    assert record.seed is not None and record.steps >= 1
    assert math.isfinite(record.energy["wh"]) and record.energy["assumptions"]["watts_per_core"] == 12.0


def test_vae_and_diffusion_records_name_the_digits():
    setup(seed=0)
    train, _ = digits.train_test_split()
    subset = train.subset(classes=[3, 7])
    _, history = vae.train_vae(subset, max_steps=3, progress=False)
    _check(history.record, "digits", "vae.train_vae")
    assert history.record.dataset["detail"] == subset.describe() and history.record.seed == 0
    run = diffusion.train_ddpm(subset, max_steps=2, time_budget_s=None, progress=False, seed=5)
    _check(run.history.record, "digits", "diffusion.train_ddpm")
    assert run.history.record.seed == 5
    _, history = vae.train_vae(subset.images, max_steps=2, progress=False)
    assert history.record.dataset["name"] is None and "array" in history.record.dataset["detail"]


def test_faceswap_charlm_and_gan_records_name_their_data():
    setup(seed=0)
    history = faceswap.train_model(faceswap.FaceSwapModel(), steps=1, n_faces=8, batch_size=4, progress=False)
    _check(history.record, "cartoon_faces", "faceswap.train_model")
    text = text_corpus.load("train")[:3000]
    vocab = charlm.Vocabulary.from_text(text)
    history = charlm.train_charlm(charlm.CharLM(len(vocab), 8, 16), vocab.encode(text), 2, batch_size=4, seq_len=16)
    _check(history.record, "small_town_text", "charlm.train_charlm")
    gan = gan2d.make_gan2d(z_dim=4, hidden=8)
    history = gan2d.train_gan2d(gan, ring.sample_ring(256, seed=0), max_steps=2, progress=False)
    _check(history.record, "ring_of_gaussians", "gan2d.train_gan2d")


def test_gan_trainer_checks_its_arguments():
    gan = gan2d.make_gan2d(z_dim=4, hidden=8)
    with pytest.raises(ValueError, match=r"real must be points of shape \(n, 2\)"):
        gan2d.train_gan2d(gan, np.zeros((5, 3)), max_steps=1, progress=False)
    with pytest.raises(TypeError, match="gan must be a gan2d.GAN2D"):
        gan2d.train_gan2d("gan", np.zeros((5, 2)), max_steps=1, progress=False)
    with pytest.raises(TypeError, match="dataset must be a datasheet name"):
        gan2d.train_gan2d(gan, np.zeros((5, 2)), max_steps=1, progress=False, dataset=3)


def test_summary_mentions_all_four_kinds_of_information():
    setup(seed=0)
    train, _ = digits.train_test_split()
    _, history = vae.train_vae(train.subset(classes=[1]), max_steps=2, progress=False)
    summary = history.record.summary()
    for part in ("Dataset: digits", "datasheet('digits')", "Model code:", "licence: MIT", "Training resources:",
                 "Estimated energy", "Assumed:", "seed 0"):
        assert part in summary, part
    assert history.record._repr_markdown_().startswith("```text")


def _train_calls_without_a_dataset(source: str) -> list[str]:
    """``training.train(...)`` / ``train(...)`` calls in ``source`` whose ``about=`` names no data set."""
    import ast

    try:
        tree = ast.parse("\n".join(l for l in source.splitlines() if not l.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return []
    missing = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("training.train", "train"):
            about = next((k.value for k in node.keywords if k.arg == "about"), None)
            keys = {ast.literal_eval(k) for k in getattr(about, "keys", []) if isinstance(k, ast.Constant)}
            if not isinstance(about, ast.Dict) or "dataset" not in keys:
                missing.append(ast.unparse(node)[:80])
    return missing


def test_every_notebook_that_trains_names_its_data_set():
    # Records are made on every run; a run that does not say what it trained on documents badly.
    from pathlib import Path

    import nbformat

    repo = Path(__file__).resolve().parents[1]
    notebooks = sorted([*(repo / "lessons").glob("*.ipynb"), *(repo / "solutions").glob("*/*.ipynb")])
    problems = {}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and (missing := _train_calls_without_a_dataset(cell.source)):
                problems[str(path.relative_to(repo))] = missing
    assert problems == {}


def test_the_data_set_check_catches_a_call_without_one():
    assert _train_calls_without_a_dataset("h = training.train(step, max_steps=5)") == ["training.train(step, max_steps=5)"]
    assert _train_calls_without_a_dataset("h = training.train(step, about={'trainer': 'x'})")
    assert not _train_calls_without_a_dataset("h = training.train(step, about={'dataset': 'digits'})")
