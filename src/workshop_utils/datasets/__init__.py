"""Data: every data set the workshop trains on or shows, made or shipped offline.

Modules
-------
ring
    The 2-D "ring of Gaussians", the smallest data set on which a GAN can fail.
digits
    scikit-learn's handwritten 8x8 digits, split and scaled for the models.
faces
    Procedural cartoon faces (no real person's face), for the face swap.
text_corpus
    *small_town_text*, invented local headlines and product reviews.
datasheets
    A datasheet for each data set, shown inside the lessons.

Import the module you need, e.g. ``from workshop_utils.datasets import digits``.
Nothing here imports torch, matplotlib or ipywidgets.
"""

__all__ = ["datasheets", "digits", "faces", "ring", "text_corpus"]
