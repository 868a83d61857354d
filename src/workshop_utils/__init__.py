"""Helper library for the Synthetic Media Workshop.

The folders are the table of contents; dependencies point one way, from data
to models to metrics to the views and widgets learners see (the layers are
written down once, in ``tests/test_layout.py``). Importing ``workshop_utils``
or any subpackage is cheap: no torch, matplotlib or ipywidgets, and no side
effects. Import what you need, e.g.::

    from workshop_utils import plotting, training
    from workshop_utils.models import gan2d
    from workshop_utils.discussion import Reflection

Running lessons (modules used everywhere)
    reproducibility (seeds, deliberate CPU threads), training (the training
    loop with a time budget), records (the training record every run
    writes: data, code and licence, seed, versions, time and energy),
    checkpoints (shipped weights with cards), plotting (colour-blind-safe
    figures with alt text), source (show library code in a lesson),
    reading (reading times at about 200 words a minute), sharing (the share
    folder of a live session).
datasets/
    ring, digits, faces, text_corpus, datasheets: every data set, made or
    shipped offline, each with a datasheet.
models/
    gan2d, vae, diffusion, faceswap, face_gans, charlm: small generative models.
metrics/
    coverage, fid_lite, swap_quality, similarity: how good, how copied.
detection/
    How people and classifiers tell synthetic media from real, and where they fail.
provenance/
    Watermarks (image and text), Content Credentials and perceptual hashes (lesson 08).
coordination/
    Finding accounts that act together in a sharing log (lesson 06, exercise 05).
responsible/
    Model cards, disclosure labels, the label designer, the headline experiment
    and the release checklist (lessons 09-10).
discussion/
    Prompts, quiz, journal and its reports, breakout rooms, timer, facilitator view.
cases/
    The case library: cases, threads, cards, explorer, timeline.
resources/
    The living resource guide, its explorer and the suggestion form.
session/
    A live session: the run sheet, the breakout panel, live share-back
    (share folder, share codes, tally sheet) and instructor notes per case.
course/
    Curriculum map, lesson anatomy and the short path of a live session,
    run sheet checks, instructor notes, notebook hygiene, environment check,
    benchmark and the ``workshop`` command.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
