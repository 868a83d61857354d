"""Model cards: one schema for shipped and learners' cards, filled from a training record, checked against it."""

import json

import pytest

from workshop_utils import checkpoints, training
from workshop_utils.responsible import OPTIONAL_FIELDS, REQUIRED_FIELDS, ModelCard, check_card
from workshop_utils.responsible.cards import SECTIONS

ANSWERS = dict(name="my_sevens", description="A small model that draws sevens.",
               intended_use="Teaching how a model card is written; not for anything else.",
               limitations="Blurry; only sevens in the styles of a few writers.",
               consent="The writers filled in forms for a research data set; they were not asked about this use.",
               licence="MIT")


@pytest.fixture(scope="module")
def record():
    return training.train(lambda i: {"loss": 1.0 / (i + 1)}, max_steps=7, progress=False, log=False,
                          about={"trainer": "workshop_utils.models.vae.train_vae", "dataset": "digits",
                                 "dataset_detail": "280 images", "model": "VAE(latent_dim=8)", "parameters": 1234,
                                 "seed": 3, "hyperparameters": {"lr": 0.001}}).record


@pytest.mark.parametrize("name", checkpoints.available())
def test_every_shipped_card_conforms_to_the_one_schema(name):
    data = checkpoints.card(name)
    assert check_card(data) == [], name
    card = ModelCard.from_checkpoint(name)
    assert card.to_dict() == data, "reading and writing a shipped card must not change it"
    assert card.missing_sections(learner=False) == []
    markdown = card.to_markdown()
    assert markdown.startswith(f"# Model card: {name}") and "## Limitations" in markdown


def test_the_schema_is_the_checkpoints_schema():
    assert REQUIRED_FIELDS == tuple(checkpoints.CARD_FIELDS)
    assert "sha256" in OPTIONAL_FIELDS and "config" in OPTIONAL_FIELDS  # fields shipped cards use or will use
    sections = [name for _, names in SECTIONS for name in names]
    assert set(REQUIRED_FIELDS) - {"name"} <= set(sections) and set(OPTIONAL_FIELDS) - {"training_record"} <= set(sections)


def test_a_shipped_card_with_a_weights_digest_still_conforms():
    data = dict(checkpoints.card("ddpm_digits"), sha256="0" * 64)
    assert check_card(data) == [] and ModelCard.from_dict(data).to_dict() == data
    assert "sha256 must be 64" in " ".join(check_card(dict(data, sha256="XYZ")))


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("licence"), r"missing field\(s\) \['licence'\]"),
    (lambda d: d.update(colour="red"), r"unknown field\(s\) \['colour'\]"),
    (lambda d: d.update(seed="zero"), "seed must be a whole number"),
    (lambda d: d.update(metrics=[1, 2]), "metrics must be a dict"),
    (lambda d: d.update(name="my model!"), "name must be 1-64 letters"),
    (lambda d: d.update(limitations=None), "limitations must be text"),
])
def test_schema_problems_are_named(change, message):
    data = checkpoints.card("ddpm_digits")
    change(data)
    assert any(__import__("re").search(message, p) for p in check_card(data)), check_card(data)
    with pytest.raises(ValueError, match="not a valid model card"):
        ModelCard.from_dict(data)
    assert check_card("a card") == ["a card must be a dict, got 'a card' (type str)"]


def test_a_card_from_a_training_record_takes_the_numbers_from_the_run(record):
    card = ModelCard.from_record(record, **ANSWERS, metrics={"fd_lite": 14.2})
    assert check_card(card.to_dict()) == [] and card.missing_sections() == []
    assert card.seed == 3 and card.training_record["run_id"] == record.run_id
    assert card.compute["wall_s"] == record.wall_s and card.compute["energy"] == record.energy
    assert "7 steps" in card.training_procedure and "digits" in card.training_data and card.datasheet == "digits"
    assert card.metrics == {"final_losses": record.final_losses, "fd_lite": 14.2}
    assert card.architecture == "VAE(latent_dim=8), 1234 parameters"
    assert card.mismatches(record) == []
    again = ModelCard.from_dict(json.loads(json.dumps(card.to_dict())))
    assert again == card and again.mismatches(record) == []


def test_a_card_copied_from_a_shipped_checkpoint_does_not_match_a_run(record):
    copied = ModelCard.from_checkpoint("ddpm_digits")
    problems = copied.mismatches(record)
    assert any("has no training_record" in p for p in problems)
    assert any(p.startswith("compute") for p in problems)


def test_a_card_of_another_run_or_with_edited_numbers_does_not_match(record):
    other = training.train(lambda i: {"loss": 1.0 / (i + 1)}, max_steps=7, progress=False, log=False,
                           about={"dataset": "digits", "seed": 3}).record
    card = ModelCard.from_record(other, **ANSWERS)
    assert any("not of this run" in p for p in card.mismatches(record))
    edited = ModelCard.from_record(record, **ANSWERS)
    edited.compute = dict(edited.compute, wall_s=0.001)
    assert any(p.startswith("compute wall_s") for p in edited.mismatches(record))
    edited = ModelCard.from_record(record, **ANSWERS)
    edited.training_procedure = "Trained for a while."
    assert any("7 steps" in p for p in edited.mismatches(record))


def test_markdown_has_every_section_and_the_energy_assumptions(record):
    markdown = ModelCard.from_record(record, **ANSWERS, disclosure="Every image carries 'AI-generated'.").to_markdown()
    for heading, _ in SECTIONS:
        assert f"## {heading}" in markdown, heading
    for text in (ANSWERS["consent"], ANSWERS["intended_use"], "Estimated energy", "W per busy CPU core",
                 "**Seed:** 3", f"`{record.run_id}`", "datasheet('digits')"):
        assert text in markdown, text


@pytest.mark.parametrize("key", ["description", "intended_use", "limitations", "consent", "licence", "name"])
def test_every_answer_is_required(record, key):
    with pytest.raises(ValueError, match=f"{key} must not be empty: only you can say"):
        ModelCard.from_record(record, **dict(ANSWERS, **{key: "  "}))


def test_bad_answers_are_named(record):
    with pytest.raises(TypeError, match="intended_use must be text"):
        ModelCard.from_record(record, **dict(ANSWERS, intended_use=3))
    with pytest.raises(TypeError, match="metrics must be a dict"):
        ModelCard.from_record(record, **ANSWERS, metrics=[14.2])
    with pytest.raises(ValueError, match="name must be 1-64 letters"):
        ModelCard.from_record(record, **dict(ANSWERS, name="my model"))
    with pytest.raises(ValueError, match="not a training record"):
        ModelCard.from_record({"format": "something else"}, **ANSWERS)


def test_a_record_without_a_data_set_needs_the_learner_to_name_it():
    record = training.train(lambda i: {"loss": 1.0}, max_steps=2, progress=False, log=False).record
    with pytest.raises(ValueError, match="training_data: the training record does not name its data set"):
        ModelCard.from_record(record, **ANSWERS)
    card = ModelCard.from_record(record, **ANSWERS, training_data="My own drawings of sevens, all mine.")
    assert card.datasheet == "" and card.mismatches(record) == []


def test_save_writes_json_and_markdown(tmp_path, record):
    card = ModelCard.from_record(record, **ANSWERS)
    json_path, md_path = card.save(tmp_path)
    assert ModelCard.from_dict(json.loads(json_path.read_text())) == card
    assert md_path.read_text() == card.to_markdown() and card._repr_markdown_() == card.to_markdown()
    with pytest.raises(FileNotFoundError, match="is not an existing folder"):
        card.save(tmp_path / "missing")
