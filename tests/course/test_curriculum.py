import pytest

from workshop_utils.course import curriculum


def test_lessons_are_numbered_from_zero_without_gaps():
    numbers = [l.number for l in curriculum.lessons()]
    assert numbers == list(range(len(numbers)))


def test_slugs_are_unique_and_stems_are_two_digit():
    stems = [l.stem for l in curriculum.lessons()]
    assert len(set(stems)) == len(stems)
    assert curriculum.lesson(1).stem == "01_what_is_synthetic_media"


def test_statuses_are_known():
    for item in [*curriculum.lessons(), *curriculum.exercises()]:
        assert item.status in {"available", "planned"}


def test_exercises_point_to_lessons_that_name_them():
    for exercise in curriculum.exercises():
        lesson = curriculum.lesson(exercise.lesson)
        assert exercise.id[:2].isdigit()
        if lesson.exercise:
            assert any(e.id == lesson.exercise for e in curriculum.exercises())


def test_unknown_lesson():
    with pytest.raises(KeyError, match="no lesson number 42"):
        curriculum.lesson(42)
