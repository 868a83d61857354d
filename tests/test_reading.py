"""Reading time at about 200 words a minute: counted from the text, never guessed."""

import pytest

from workshop_utils.reading import WORDS_PER_MINUTE, format_minutes, reading_minutes, word_count


def test_words_are_counted_without_markup_addresses_or_tags():
    assert word_count("Who made it? Obvious, Barrat, or 'the AI'?") == 8
    assert word_count("[the report](https://example.org/a-very-long-path) <b>bold</b>") == 3
    assert word_count("14,678 videos; 96% of them") == 5
    assert word_count("") == 0


def test_reading_minutes_follow_the_planning_figure():
    assert WORDS_PER_MINUTE == 200
    assert reading_minutes("word " * 300) == 1.5
    assert reading_minutes("word " * 300, words_per_minute=100) == 3.0
    assert format_minutes(0.2) == "under a minute"
    assert format_minutes(1.0) == "about 1 minute"
    assert format_minutes(1.01) == "about 2 minutes", "a plan rounds up, so it never runs short"


def test_bad_input_names_the_argument():
    with pytest.raises(TypeError, match="text must be a str"):
        word_count(None)
    with pytest.raises(ValueError, match="words_per_minute"):
        reading_minutes("x", words_per_minute=0)
    with pytest.raises(ValueError, match="minutes"):
        format_minutes(-1)
