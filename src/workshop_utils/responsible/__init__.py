"""Responsible by default: model cards, disclosure labels, and the labs of lessons 09-10.

Modules
-------
cards
    :class:`ModelCard`: one schema for the shipped checkpoints' cards and for
    the models learners train; filled from a training record plus the
    learner's answers, rendered as Markdown, checked against the record.
labels
    :func:`stamp_label`: a disclosure label (overlay, caption or interstitial)
    stamped on a generated image, also written into the PNG's metadata.
designer
    :class:`~workshop_utils.responsible.designer.LabelDesigner`: try label
    styles and wordings on an image; the choice and the reasoning go to the journal.
headlines
    The headline-rating experiment of lesson 09 and its group analysis
    (confidence interval, permutation test, power).
checklist
    The release checklist of lesson 10, saved to the journal.

The training records themselves are made by the training loop, in
:mod:`workshop_utils.records` (the foundation), so every model trained in
the workshop has one.

Importing this package is cheap: ``cards`` and ``labels`` need only numpy
(Pillow is loaded when a label is drawn); ``designer``, ``headlines`` and
``checklist`` load the discussion prompts, and their live forms load
ipywidgets only when shown. Content Credentials (C2PA) are not made here:
``LabelledImage.save_png(path, sign=...)`` takes a signing function from the
provenance work (lesson 08).

Example
-------
::

    from workshop_utils.responsible import ModelCard, stamp_label

    card = ModelCard.from_record(history.record, name="my_model", description="...",
                                 intended_use="...", limitations="...", consent="...", licence="MIT")
    stamp_label(sample, "AI-generated image", "overlay", model=card.name)
"""

from .cards import LEARNER_FIELDS, OPTIONAL_FIELDS, REQUIRED_FIELDS, ModelCard, check_card
from .labels import STYLES, WORDINGS, LabelledImage, read_disclosure, stamp_label

__all__ = [
    "LEARNER_FIELDS",
    "OPTIONAL_FIELDS",
    "REQUIRED_FIELDS",
    "STYLES",
    "WORDINGS",
    "LabelledImage",
    "ModelCard",
    "cards",
    "check_card",
    "checklist",
    "designer",
    "headlines",
    "labels",
    "read_disclosure",
    "stamp_label",
]
