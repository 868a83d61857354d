"""Detection: how people, classifiers and statistics tell synthetic media from real.

Modules
-------
human
    Can people tell? Real-or-synthetic quiz items from the workshop's own data and models.
"""

__all__ = ["human"]
