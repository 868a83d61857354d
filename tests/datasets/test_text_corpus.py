import string

import pytest

from workshop_utils.datasets import datasheets, text_corpus


def test_shipped_files_are_exactly_what_the_generator_writes(tmp_path):
    made = text_corpus.make_corpus()
    for split in text_corpus.SPLITS:
        assert text_corpus.load(split) == made[split], (
            f"small_town_text.{split}.txt is stale: run text_corpus.write_corpus() and retrain the checkpoint")
    paths = text_corpus.write_corpus(tmp_path)
    for split, path in paths.items():
        shipped = text_corpus._folder() / path.name
        assert path.read_bytes() == shipped.read_bytes()


def test_generation_is_deterministic_and_depends_on_the_seed():
    assert text_corpus.generate_lines(60, seed=1) == text_corpus.generate_lines(60, seed=1)
    assert text_corpus.generate_lines(60, seed=1) != text_corpus.generate_lines(60, seed=2)
    only_reviews = text_corpus.generate_lines(30, seed=3, review_share=1.0)
    assert all(text_corpus.line_kind(l) == "review" for l in only_reviews)


def test_split_sizes_no_overlap_no_repeats():
    train, heldout = text_corpus.lines("train"), text_corpus.lines("heldout")
    assert (len(train), len(heldout)) == (text_corpus.SPLITS["train"], text_corpus.SPLITS["heldout"])
    assert len(set(train) | set(heldout)) == len(train) + len(heldout)
    assert all(text_corpus.load(s).endswith("\n") for s in text_corpus.SPLITS)
    size = sum(len(text_corpus.load(s).encode()) for s in text_corpus.SPLITS)
    assert size < 300_000, "keep the shipped corpus small"


def test_corpus_is_varied_ascii_with_both_kinds():
    train = text_corpus.lines("train")
    kinds = [text_corpus.line_kind(l) for l in train]
    assert 0.3 < kinds.count("review") / len(kinds) < 0.6
    assert len({l.split()[0] for l in train if text_corpus.line_kind(l) == "headline"}) > 25
    assert set(text_corpus.load("train")) <= set(string.ascii_letters + string.digits + " \n$%&',-./:")
    reviews = [l for l in train if text_corpus.line_kind(l) == "review"]
    assert {l[:4] for l in reviews} == {f"{r}/5 " for r in range(1, 6)}
    assert all(l == l.strip() and (l[0].isupper() or l[0].isdigit()) for l in train)
    assert max(map(len, train)) < 150, "quiz_items assumes corpus lines are shorter than 150 characters"


def test_line_kind():
    assert text_corpus.line_kind("4/5 Great kettle.") == "review"
    assert text_corpus.line_kind("Roadworks on Mill Lane to last until June") == "headline"
    assert text_corpus.line_kind("45/5 odd") == "headline"
    with pytest.raises(TypeError, match="line must be a string"):
        text_corpus.line_kind(3)


def test_datasheet_matches_the_corpus():
    sheet = str(datasheets.datasheet(text_corpus.CORPUS_NAME))
    assert "3,400 distinct lines" in sheet and f"{len(set(text_corpus.load('train')))} characters" in sheet


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: text_corpus.generate_lines(0), ValueError, "n must be at least 1"),
        (lambda: text_corpus.generate_lines(5, review_share=2), ValueError, "review_share must be at most 1"),
        (lambda: text_corpus.load("test"), ValueError, "split must be one of"),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- reading lines against the templates ------------------------------------------------------

def test_every_shipped_line_fits_the_templates():
    for split in text_corpus.SPLITS:
        misfits = [line for line in text_corpus.lines(split) if not text_corpus.check_line(line).fits]
        assert misfits == [], misfits[:3]


def test_freshly_generated_lines_fit_the_templates():
    # another seed: the check follows the generator, not just the shipped files
    assert all(text_corpus.check_line(line).fits for line in text_corpus.generate_lines(300, seed=99))


@pytest.mark.parametrize("line, tell", [
    ("5/5 Does exactly what it says. It kept me dry all day. Delivery took 3 days. Avoid.", "goes with 1/5 or 2/5"),
    ("5/5 Really pleased with this garden hose. It reaches the whole garden. Four stars.", "goes with 4/5"),
    ("3/5 Good but not perfect. It has a good nozzle, but it kinks all the time. Returned it.", "not with 3/5"),
    ("1/5 Very disappointed. It boils really fast and is quiet. Avoid.", "goes with 4/5 or 5/5"),
    ("5/5 Best toaster I have owned. It is quiet and boils really fast. Would buy again.", "different products"),
    ("5/5 Really pleased with this warm, even light. Would buy again.", "not a sentence the corpus templates write"),
    ("5/5 Would buy again. Great kettle. It is quiet.", "not in the order"),
    ("5/5 Great kettle. Would buy again.", "not in the order"),
    ("5/5 Really pleased with Pemberfouth named the happiest place to live in the eastern hills", "breaks off"),
    ("Dunmarsh hospital waiting times fall for fourth money. It is painfully slow. Highly recommend.", "run together"),
    ("Gorsewick Town hold Quillmouth rated 5/5 for parking", "run together"),
    ("Library in Cindervale despite rising costs", "not a headline the corpus templates can write"),
    ("Quillmouth council approves revised plan for a moon base", "not a headline"),
])
def test_lines_the_templates_cannot_write_are_caught_with_a_reason(line, tell):
    check = text_corpus.check_line(line)
    assert not check.fits and any(tell in p for p in check.problems), check.problems


def test_check_line_accepts_headlines_and_reviews_it_can_write():
    for line in ["Quillmouth council approves revised plan for a new cycle path",
                 "The water board apologises to Quillmouth residents over noise complaints",
                 "Pemberfold Foods fined $40,000 over unsafe scaffolding",
                 "5/5 Great kettle. It is quiet. Five stars.",
                 "4/5 Bought Otterby umbrella for my mum. A big hit. It is light and opens with one hand. Four stars.",
                 "2/5 Arrived broken and the box was soaked. The umbrella rusted."]:
        check = text_corpus.check_line(line)
        assert check.fits and check.problems == (), (line, check.problems)
        assert check.kind == text_corpus.line_kind(line)
