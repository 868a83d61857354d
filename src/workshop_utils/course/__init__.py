"""Curriculum tooling: the map of lessons, their anatomy, notebook hygiene and the ``workshop`` command.

Modules
-------
curriculum
    The map of every lesson and exercise (``data/curriculum.json``).
anatomy
    One anatomy for every lesson, with the pedagogy kept as notebook metadata.
hygiene
    Keep committed notebooks clean: no outputs, no volatile metadata.
env_check
    The environment self-check shown in lesson 00 (``workshop check``).
benchmark
    Measurements that notebooks report to ``make bench``.
grading
    Grading that measures the student's work: the library's own answers switched off, training
    steps compared call by call.
release
    A student copy without solutions, hidden tests or rubrics (``workshop release DIR``).
cli
    The ``workshop`` command.

This is the top layer: it may use every other part of the library, and no
other part uses it.
"""

__all__ = ["anatomy", "benchmark", "cli", "curriculum", "env_check", "grading", "hygiene", "release"]
