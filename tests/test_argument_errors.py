"""Public functions that used to fail deep on a wrong type now name the argument (issue 15, item 8)."""

import pytest

from workshop_utils import checkpoints
from workshop_utils.datasets import datasheets
from workshop_utils.discussion import journal, prompts, report, rooms, timer
from workshop_utils.resources import guide, views

CALLS = [
    # (call, exception, words the message must hold); each failed before with AttributeError, a bare
    # "'int' object is not iterable" or a path error that did not name the argument
    (lambda: journal.read_journal(42), TypeError, "path must be a file path"),
    (lambda: journal.parse_journal(42), TypeError, "raw must be the file's contents"),
    (lambda: report.format_answer("reflection", 42), TypeError, "answer for a reflection must be text"),
    (lambda: report.text_bar("3", 5), TypeError, "count must be a whole number"),
    (lambda: report.tally_poll(42, "01", "a"), TypeError, "journals must be a list of journal files"),
    (lambda: report.merge_journals(["x.json"], seed="a"), TypeError, "seed must be a whole number"),
    (lambda: rooms.read_names(42), TypeError, "path must be a file path"),
    (lambda: rooms.PairHistory(42), TypeError, "rounds must be a list of earlier rounds"),
    (lambda: rooms.PairHistory().repeated_pairs([[1, 2]]), TypeError, r"rooms\[0\]\[0\] must be a name"),
    (lambda: rooms.PairHistory().count(1, 2), TypeError, "a and b must be names"),
    (lambda: rooms.PairHistory.load(42), TypeError, "path must be a file path"),
    (lambda: rooms.Rooms(42), TypeError, "rooms must be a list of rooms"),
    (lambda: prompts.prompts_from_json(42), TypeError, "path must be a file path"),
    (lambda: prompts.prompt_from_spec({"kind": "reflection"}, base_dir=42), TypeError, "base_dir must be a file path"),
    (lambda: prompts.Poll("01", "a", "Q?", ["A", "B"], tally_from=[42]), TypeError, r"tally_from\[0\] must be a file"),
    (lambda: guide.normalise_url(42), TypeError, "url must be text"),
    (lambda: guide.load(42), TypeError, "path must be a file path"),
    (lambda: guide.search([1]), TypeError, r"resources\[0\] must be a Resource"),
    (lambda: guide.render_markdown(42), TypeError, "resources must be a list of Resource"),
    (lambda: guide.write_markdown(42), TypeError, "path must be a file path"),
    (lambda: views.ResourceList(42), TypeError, "items must be a list of Resource"),
    (lambda: views.explore([1], mode="static"), TypeError, r"items\[0\] must be a Resource"),
    (lambda: timer.DiscussionTimer(5, label=3), TypeError, "label must be text"),
    (lambda: checkpoints.load_or_train(42, lambda: None), TypeError, "name must be a name"),
    (lambda: checkpoints.load_or_train("digit_classifier", lambda: None), TypeError,
     "build must return a torch.nn.Module"),
    (lambda: datasheets.datasheet(42), TypeError, "name must be a name"),
]


@pytest.mark.parametrize("call, error, message", CALLS)
def test_a_wrong_type_gets_an_error_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
