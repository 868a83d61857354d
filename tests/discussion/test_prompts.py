"""Discussion prompts: widget callbacks save to the journal, static rendering, nbgrader cells, quiz scoring."""

import json
from datetime import datetime, timedelta

import nbformat
import numpy as np
import pytest
from scipy.stats import binom

from workshop_utils.discussion import (
    STATIC_ENV,
    CreditsCard,
    DualUseCanvas,
    Journal,
    Poll,
    QuizItem,
    RealOrSynthetic,
    Reflection,
    Spectrum,
    binomial_tail,
    prompt_from_spec,
    prompts_from_json,
)
from workshop_utils.discussion.base import in_kernel, inline_html, resolve_mode

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class Clock:
    """Local-time fake clock starting at 14:02:31, one second per call."""

    def __init__(self):
        self.now = datetime(2026, 3, 14, 14, 2, 30).astimezone()

    def __call__(self):
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "workshop_journal.json", clock=Clock())


def on_disk(journal, prompt_id, lesson="01"):
    return json.loads(journal.path.read_text())["entries"][lesson][prompt_id]


def quiz_items():
    rng = np.random.default_rng(0)
    return [
        QuizItem("Real", text="A note written by a person.", explanation="Typos and a personal detail."),
        QuizItem("Synthetic", image=rng.random((8, 8)), alt="A blurry grey square", explanation="Made by a program."),
        QuizItem("synthetic", text="A flawless generic product review.", explanation="Generic praise."),
        QuizItem("Real", image=(rng.random((6, 6, 3)) * 255).astype(np.uint8), alt="Coloured noise"),
    ]


# -- rendering mode -------------------------------------------------------------------------------------


def test_mode_auto_is_static_without_a_kernel_and_env_forces_static(monkeypatch):
    monkeypatch.delenv(STATIC_ENV, raising=False)
    assert not in_kernel()
    assert resolve_mode("auto") == "static"
    assert resolve_mode("live") == "live" and resolve_mode("static") == "static"
    monkeypatch.setenv(STATIC_ENV, "1")
    assert resolve_mode("live") == "static"
    with pytest.raises(ValueError, match="mode must be one of 'auto', 'live', 'static'; got 'fancy'"):
        resolve_mode("fancy")


def test_mimebundles_follow_the_mode(journal, monkeypatch):
    monkeypatch.delenv(STATIC_ENV, raising=False)
    prompt = Reflection("01", "r", "Why?", journal=journal)
    static = prompt._repr_mimebundle_()
    assert set(static) == {"text/markdown", "text/html", "text/plain"} and "Why?" in static["text/markdown"]
    live = Reflection("01", "r", "Why?", journal=journal, mode="live")._repr_mimebundle_()
    assert WIDGET_MIME in live and "Why?" in live["text/plain"]
    assert live["text/html"] == static["text/html"], "viewers without widgets fall back to the static question"
    monkeypatch.setenv(STATIC_ENV, "1")
    assert WIDGET_MIME not in Reflection("01", "r", "Why?", journal=journal, mode="live")._repr_mimebundle_()


def test_show_outside_ipython_prints_the_text(journal, capsys):
    Poll("01", "p", "Pick one", ["A", "B"], journal=journal).show()
    assert "- ☐ A" in capsys.readouterr().out


# -- reflection -----------------------------------------------------------------------------------------


def test_reflection_saves_on_blur_and_on_button(journal):
    prompt = Reflection("01", "spectrum-example", "Where did it sit?", journal=journal)
    form = prompt.widget()
    assert form is prompt.widget(), "the widget is built once"
    assert {"workshop-prompt", "workshop-reflection", "workshop-prompt-id-01-spectrum-example"} <= set(form._dom_classes)
    assert "Not saved yet" in form.status_text and not journal.path.exists()
    form.text.value = "Closer to a cheap fake."  # what the browser sends when the box loses focus
    entry = on_disk(journal, "spectrum-example")
    assert entry["answer"] == "Closer to a cheap fake." and entry["saved_at"] == "2026-03-14T14:02:31" + entry["saved_at"][19:]
    assert form.status_text == "✓ Saved at 14:02:31 in workshop_journal.json."
    assert "workshop-status-saved" in form.status._dom_classes
    form.text.value = "Actually a deepfake."
    form.save_button.click()
    assert [v["answer"] for v in on_disk(journal, "spectrum-example")["history"]] == [
        "Closer to a cheap fake.",
        "Actually a deepfake.",
    ]
    assert form.save_button.description == "Save answer"


def test_reflection_empty_answer_is_not_saved(journal):
    form = Reflection("01", "r", "Why?", journal=journal).widget()
    form.save_button.click()
    assert form.status_text == "Nothing to save yet: type your answer first."
    assert "workshop-status-info" in form.status._dom_classes and not journal.path.exists()


def test_saved_answer_is_restored_without_saving_again(journal):
    Reflection("01", "r", "Why?", journal=journal).widget().text.value = "kept"
    before = journal.path.read_bytes()
    form = Reflection("01", "r", "Why?", journal=journal).widget()
    assert form.text.value == "kept" and form.status_text.startswith("✓ Saved earlier, at 14:02:31")
    assert journal.path.read_bytes() == before


def test_save_failures_are_shown_not_swallowed(tmp_path, journal):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    form = Reflection("01", "r", "Why?", journal=blocker / "journal.json").widget()
    form.text.value = "this cannot be saved"
    assert form.status_text.startswith("⚠ Not saved: ")
    assert "workshop-status-error" in form.status._dom_classes and isinstance(form.last_error, OSError)
    form = Reflection("01", "r2", "Why?", journal=journal).widget()
    form.text.value = "x" * 30_000
    assert form.status_text.startswith("⚠ Not saved: answer is too long: 30,002 characters")
    form.text.value = "short"
    assert form.status_text.startswith("✓ Saved") and form.last_error is None


def test_a_damaged_journal_is_reported_in_the_form(journal):
    journal.path.write_text("{ this is not json")
    with pytest.warns(UserWarning, match="was damaged"):
        form = Reflection("01", "r", "Why?", journal=journal).widget()
    assert "Note: The journal" in form.status_text and "The file was not changed yet" in form.status_text
    with pytest.warns(UserWarning, match="was damaged"):
        form.text.value = "saved anyway"
    assert "Note: The journal" in form.status_text and "copied to workshop_journal.corrupt-" in form.status_text
    assert on_disk(journal, "r")["answer"] == "saved anyway"


# -- poll -----------------------------------------------------------------------------------------------


def test_poll_saves_on_change_and_tallies(tmp_path, journal):
    others = []
    for name, choice in [("ana", "The platform"), ("ben", "The maker")]:
        path = tmp_path / "collected" / f"{name}.json"
        path.parent.mkdir(exist_ok=True)
        Journal(path).record("01", "who-labels", "poll", choice)
        others.append(path)
    prompt = Poll("01", "who-labels", "Who should label it?", ["The maker", "The platform", "Nobody"], journal=journal)
    form = prompt.widget()
    assert "workshop-poll" in form._dom_classes and form.choice.value is None
    form.choice.value = "The platform"
    entry = on_disk(journal, "who-labels")
    assert entry["answer"] == "The platform" and entry["details"] == {"options": ["The maker", "The platform", "Nobody"]}
    assert form.status_text.startswith("✓ Saved at 14:02:31")
    assert form.tally_counts == {"The maker": 0, "The platform": 1, "Nobody": 0}
    assert "your journal only" in form.tally_html.value
    prompt.tally_from = (str(tmp_path / "collected" / "*.json"),)
    form.refresh_button.click()
    assert form.tally_counts == {"The maker": 1, "The platform": 2, "Nobody": 0}
    assert "3 journals" in form.tally_html.value and "██" in form.tally_html.value
    with pytest.raises(ValueError, match="answer must be one of 'The maker', 'The platform', 'Nobody'; got 'Maybe'"):
        prompt.save("Maybe")


def test_poll_button_without_a_choice(journal):
    form = Poll("01", "p", "Pick", ["A", "B"], journal=journal).widget()
    form.save_button.click()
    assert form.status_text == "Nothing to save yet: choose an option first."


# -- spectrum -------------------------------------------------------------------------------------------


def test_spectrum_saves_position_and_rationale(journal):
    prompt = Spectrum("01", "voice", "A cloned voice reads an audiobook, with consent.", journal=journal)
    form = prompt.widget()
    assert form.slider.value == 5 and form.slider.description == "Position: 0 = benign" and not form.slider.continuous_update
    form.slider.value = 2
    assert on_disk(journal, "voice")["answer"] == {"value": 2, "rationale": ""}
    assert "2 on a scale from 0 (benign) to 10 (harmful)" in form.position_text.value
    form.rationale.value = "The speaker agreed."
    saved = on_disk(journal, "voice")
    assert saved["answer"] == {"value": 2, "rationale": "The speaker agreed."} and len(saved["history"]) == 2
    assert saved["details"] == {"minimum": 0, "maximum": 10, "step": 1, "left": "benign", "right": "harmful"}
    restored = Spectrum("01", "voice", "A cloned voice reads an audiobook, with consent.", journal=journal).widget()
    assert restored.slider.value == 2 and restored.rationale.value == "The speaker agreed."
    with pytest.raises(ValueError, match=r"answer\['value'\] must be at most 10"):
        prompt.save({"value": 11})


def test_spectrum_with_a_fractional_scale_and_no_rationale(journal):
    prompt = Spectrum("01", "s", "How sure?", left="unsure", right="certain", minimum=0, maximum=1, step=0.25,
                      ask_rationale=False, journal=journal)
    form = prompt.widget()
    assert type(form.slider).__name__ == "FloatSlider" and form.rationale is None
    form.slider.value = 0.75
    assert on_disk(journal, "s")["answer"] == {"value": 0.75, "rationale": ""}


# -- dual-use canvas -----------------------------------------------------------------------------------


def test_canvas_saves_every_field(journal):
    prompt = DualUseCanvas("01", "voice-app", "A voice-cloning app.", journal=journal)
    form = prompt.widget()
    assert [box.description for box in form.boxes.values()] == [
        "Intended use", "Who benefits", "How it could be repurposed", "Who could be harmed", "Mitigations"]
    assert all(box.tooltip and box.placeholder for box in form.boxes.values())
    form.boxes["intended_use"].value = "Audiobooks read in the author's voice"
    form.boxes["mitigations"].value = "Consent checks"
    answer = on_disk(journal, "voice-app")["answer"]
    assert answer["intended_use"] == "Audiobooks read in the author's voice" and answer["mitigations"] == "Consent checks"
    assert set(answer) == {"intended_use", "who_benefits", "repurposing", "who_is_harmed", "mitigations"}
    assert "workshop-canvas-mitigations" in form.boxes["mitigations"]._dom_classes
    restored = DualUseCanvas("01", "voice-app", "A voice-cloning app.", journal=journal).widget()
    assert restored.boxes["mitigations"].value == "Consent checks"
    with pytest.raises(ValueError, match=r"unknown canvas field\(s\) \['price'\]"):
        prompt.save({"price": "free"})


def test_credits_card_uses_the_four_checkpoints(journal):
    card = CreditsCard("02", "my-credits", "Credits for your generated digits.", journal=journal)
    form = card.widget()
    assert [box.description for box in form.boxes.values()] == [
        "Dataset", "Model code", "Training resources", "Publishing and attribution"]
    form.boxes["dataset"].value = "Digits written by 43 people, via scikit-learn"
    assert on_disk(journal, "my-credits", lesson="02")["answer"]["dataset"].startswith("Digits written")
    assert on_disk(journal, "my-credits", lesson="02")["kind"] == "canvas"
    assert "<caption>Credits</caption>" in card.to_html() and "**Credits**" in card.to_markdown()
    with pytest.raises(ValueError, match="unknown canvas field"):
        card.save({"intended_use": "x"})


# -- real or synthetic ----------------------------------------------------------------------------------


def test_quiz_saves_each_choice_then_scores_and_reveals(journal):
    prompt = RealOrSynthetic("01", "quiz", "Real or synthetic?", quiz_items(), journal=journal)
    form = prompt.widget()
    assert [t.description for t in form.toggles] == ["Item 1", "Item 2", "Item 3", "Item 4"]
    form.toggles[0].value = "Real"
    assert on_disk(journal, "quiz")["answer"] == {"answers": ["Real", None, None, None]}
    form.check_button.click()
    assert form.status_text == "Answer every item first: item(s) 2, 3, 4 have no answer yet."
    assert form.score_html.value == ""
    form.toggles[1].value = "Synthetic"
    form.toggles[2].value = "Synthetic"
    form.toggles[3].value = "Synthetic"  # wrong
    form.check_button.click()
    assert on_disk(journal, "quiz")["answer"] == {"answers": ["Real", "Synthetic", "Synthetic", "Synthetic"],
                                                  "correct": 3, "total": 4}
    assert "3 of 4 right; guessing would get 2 on average; the chance of doing at least this well by guessing is 31%" in (
        form.score_html.value)
    assert "You said Real: ✓ right. Typos" in form.explanations[0].value
    assert "Answer: Real.</strong> You said Synthetic: ✗ wrong." in form.explanations[3].value
    assert all(t.disabled for t in form.toggles) and form.check_button.disabled
    again = RealOrSynthetic("01", "quiz", "Real or synthetic?", quiz_items(), journal=journal).widget()
    assert again.result is not None and again.result.correct == 3, "a checked quiz reopens checked"
    again.again_button.click()
    assert on_disk(journal, "quiz")["answer"] == {"answers": [None] * 4}
    assert not any(t.disabled for t in again.toggles) and again.score_html.value == ""


def test_quiz_images_have_alt_text(journal):
    prompt = RealOrSynthetic("01", "quiz", "Real or synthetic?", quiz_items(), journal=journal)
    assert 'alt="A blurry grey square"' in prompt.to_html()
    assert "![A blurry grey square](data:image/png;base64," in prompt.to_markdown()
    with pytest.raises(ValueError, match="alt must describe the image"):
        QuizItem("Real", image=np.zeros((4, 4)))
    with pytest.raises(ValueError, match="exactly one of text or image"):
        QuizItem("Real")
    with pytest.raises(ValueError, match="between 0 and 1"):
        QuizItem("Real", image=np.full((4, 4), 2.0), alt="x")


@pytest.mark.parametrize("n, p", [(10, 0.5), (7, 0.5), (12, 1 / 3), (1, 0.5), (40, 0.25)])
def test_binomial_tail_matches_scipy(n, p):
    for k in range(-1, n + 2):
        assert binomial_tail(k, n, p) == pytest.approx(binom.sf(k - 1, n, p), abs=1e-12)


def test_quiz_score_message_compares_with_chance():
    items = [QuizItem("Real", text=f"item {i}") for i in range(10)]
    quiz = RealOrSynthetic("01", "q", "Real or synthetic?", items)
    score = quiz.score(["Real"] * 7 + ["Synthetic"] * 3)
    assert (score.correct, score.total, score.chance_mean) == (7, 10, 5)
    assert score.p_at_least == pytest.approx(176 / 1024)
    assert score.message.startswith(
        "7 of 10 right; guessing would get 5 on average; the chance of doing at least this well by guessing is 17%.")
    assert "does not show" in score.message
    assert "probably used real cues" in quiz.score(["Real"] * 10).message
    with pytest.raises(ValueError, match=r"must have 10 entries"):
        quiz.score(["Real"])


# -- static rendering -----------------------------------------------------------------------------------


def test_static_rendering_of_every_kind():
    prompts = [
        Reflection("01", "r", "Where did it sit?", description="Think of one example."),
        Poll("01", "p", "Who decides?", ["The maker", "The platform"]),
        Spectrum("01", "s", "Voice clone", left="benign", right="harmful"),
        DualUseCanvas("01", "c", "A face-swap app"),
        RealOrSynthetic("01", "q", "Real or synthetic?", quiz_items()),
    ]
    expected = {
        "r": ["Where did it sit?", "_Think of one example._"],
        "p": ["- ☐ The maker", "- ☐ The platform"],
        "s": ["**benign** 0 · 1 · 2 · 3 · 4 · 5 · 6 · 7 · 8 · 9 · 10 **harmful**", "Why there?"],
        "c": ["| **Intended use**: What is it made for, and by whom? | |", "**Mitigations**"],
        "q": ["**Item 1 of 4**", "> A note written by a person.", "☐ Real   ☐ Synthetic", "4. **Real**"],
    }
    for prompt in prompts:
        markdown, page = prompt.to_markdown(), prompt.to_html()
        assert markdown.startswith(f"**{prompt.title}** · lesson 01 · `{prompt.prompt_id}`")
        for text in expected[prompt.prompt_id]:
            assert text in markdown
        assert page.startswith(f'<section class="workshop-prompt workshop-static workshop-{prompt.kind}"')
        assert 'aria-label="' in page


def test_static_html_escapes_text():
    page = Reflection("01", "r", "Is <script>alert(1)</script> **bold**?").to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page and "<strong>bold</strong>" in page
    assert inline_html("2 * 3 * 4 and *this*") == "2 * 3 * 4 and <em>this</em>"


def test_quiz_answers_can_be_left_out_of_a_handout():
    quiz = RealOrSynthetic("01", "q", "Real or synthetic?", quiz_items())
    assert "Typos and a personal detail" not in quiz.to_markdown(reveal=False)
    assert "<details" in quiz.to_html()


# -- nbgrader -------------------------------------------------------------------------------------------


def test_nbgrader_cell_metadata_and_markers():
    prompt = Reflection("01", "spectrum-example", "Where did it sit?", model_answer="Near the cheap end.")
    cell = prompt.nbgrader_cell(points=2)
    assert cell.cell_type == "markdown"
    assert cell.metadata["nbgrader"] == {
        "grade": True, "solution": True, "locked": False, "task": False, "points": 2,
        "grade_id": "discussion_01_spectrum_example", "schema_version": 3,
    }
    question, rest = cell.source.split("### BEGIN SOLUTION\n")
    assert "Where did it sit?" in question and "Near the cheap end." not in question
    assert rest == "*Model answer (instructors):* Near the cheap end.\n### END SOLUTION"
    nb = nbformat.v4.new_notebook(cells=[cell, Poll("01", "p", "Who?", ["A", "B"]).nbgrader_cell(grade_id="poll_1")])
    nbformat.validate(nb)
    with pytest.raises(ValueError, match="points must be at least 1"):
        prompt.nbgrader_cell(points=0)


def test_nbgrader_student_version_keeps_the_question_and_hides_the_answers():
    from nbgrader.preprocessors import ClearSolutions

    quiz = RealOrSynthetic("01", "q", "Real or synthetic?", quiz_items(), model_answer="Cues: typos, texture.")
    nb = nbformat.v4.new_notebook(cells=[quiz.nbgrader_cell(points=3)])
    student, _ = ClearSolutions().preprocess(nb, {})
    source = student.cells[0].source
    assert "**Item 4 of 4**" in source and "YOUR ANSWER HERE" in source
    assert "Typos and a personal detail" not in source and "Cues: typos" not in source
    teacher = quiz.nbgrader_cell().source.split("### BEGIN SOLUTION")[1]
    assert "1. **Real**: Typos and a personal detail." in teacher


# -- specs ----------------------------------------------------------------------------------------------


def test_specs_round_trip_through_json(tmp_path):
    prompts = [
        Reflection("01", "r", "Why?", placeholder="Because...", rows=3),
        Poll("01", "p", "Who?", ["A", "B", "C"]),
        Spectrum("01", "s", "Where?", left="art", right="deception", minimum=-5, maximum=5),
        DualUseCanvas("01", "c", "A tool", fields=[("use", "Use", "What for?"), ("harm", "Harm", "Who?")]),
        RealOrSynthetic("01", "q", "Real?", quiz_items(), choices=["Real", "Synthetic", "Edited"]),
    ]
    path = tmp_path / "prompts.json"
    path.write_text(json.dumps([p.to_spec() for p in prompts]))
    assert prompts_from_json(path) == prompts
    assert prompts_from_json(path)[-1].items[1].image == prompts[-1].items[1].image


def test_spec_with_an_image_file(tmp_path):
    QuizItem("Real", image=np.zeros((4, 4)), alt="black")
    from PIL import Image

    Image.fromarray(np.zeros((4, 4), dtype=np.uint8)).save(tmp_path / "black.png")
    spec = {"kind": "quiz", "lesson": "02", "prompt_id": "q", "question": "Real?",
            "items": [{"answer": "Real", "image": "black.png", "alt": "A black square"}]}
    (tmp_path / "q.json").write_text(json.dumps(spec))
    (quiz,) = prompts_from_json(tmp_path / "q.json")
    assert quiz.items[0].image.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: Reflection("01 x", "r", "Q"), ValueError, "lesson must be 1-64 letters"),
        (lambda: Reflection("01", "r", "   "), ValueError, "question must not be empty"),
        (lambda: Reflection("01", "r", 42), TypeError, "question must be text"),
        (lambda: Reflection("01", "r", "Q", mode="print"), ValueError, "mode must be one of"),
        (lambda: Reflection("01", "r", "Q", journal=3), TypeError, "journal must be a Journal or a file path"),
        (lambda: Reflection("01", "r", "Q", journal="answers.txt"), ValueError, "path must be a .json file"),
        (lambda: Poll("01", "p", "Q", ["only"]), ValueError, "options must list 2 to 12 items, got 1"),
        (lambda: Poll("01", "p", "Q", ["A", "a"]), ValueError, "options must not repeat an item"),
        (lambda: Poll("01", "p", "Q", "AB"), TypeError, "options must be a list of strings"),
        (lambda: Spectrum("01", "s", "Q", minimum=5, maximum=5), ValueError, "maximum must be greater than minimum"),
        (lambda: Spectrum("01", "s", "Q", step=0), ValueError, "step must be greater than 0"),
        (lambda: DualUseCanvas("01", "c", "Q", fields=[("a", "A", ""), ("a", "B", "")]), ValueError, "distinct ids"),
        (lambda: RealOrSynthetic("01", "q", "Q", []), TypeError, "items must be a non-empty list"),
        (lambda: RealOrSynthetic("01", "q", "Q", [QuizItem("Fake", text="x")]), ValueError,
         r"items\[0\].answer must be one of \['Real', 'Synthetic'\]"),
        (lambda: prompt_from_spec({"kind": "essay"}), ValueError, "spec\\['kind'\\] must be one of reflection, poll"),
        (lambda: prompt_from_spec({"kind": "poll", "lesson": "01", "prompt_id": "p", "question": "Q",
                                   "options": ["A", "B"], "colour": "red"}), ValueError, r"unknown key\(s\) \['colour'\]"),
        (lambda: prompt_from_spec("poll"), TypeError, "spec must be a dict"),
    ],
)
def test_bad_prompt_arguments_are_named(make, error, message):
    with pytest.raises(error, match=message):
        make()
