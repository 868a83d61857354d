"""Helper library for the Synthetic Media Workshop.

The package is split into small modules with one job each. Importing
``workshop_utils`` itself is cheap: it does not import torch, matplotlib or
ipywidgets, and it has no side effects. Import the module you need, e.g.::

    from workshop_utils import gan2d, plotting, training
    from workshop_utils.prompts import Reflection

Modules
-------
Running lessons
    reproducibility (seeds, torch threads), training (training loop with a
    time budget), plotting (accessible figures), source (show library code),
    env_check (self-check), benchmark (measurements for ``make bench``).
Data
    toy2d (ring of Gaussians), digits (scikit-learn's handwritten digits),
    faces (procedural cartoon faces), text_corpus (invented headlines and
    reviews), datasheets (a datasheet for each data set).
Models
    gan2d (tiny GAN), vae (variational autoencoder), diffusion (small DDPM),
    faceswap (shared encoder, two decoders), charlm (character language
    model), checkpoints (shipped weights with cards).
Metrics
    metrics (mode coverage), fid_lite (Fréchet distance on digits),
    face_metrics (identity and expression of swaps), similarity (copying check).
Discussion and facilitation
    prompts, prompt_base, prompt_widgets and quiz (discussion prompts),
    journal and journal_report (learners' answers, export and merge),
    rooms and room_widgets (breakout rooms, timer, facilitator view).
Case studies and resources
    cases, case_schema, case_views, case_figures (the case library);
    resources and resource_views (the living resource guide).
Curriculum tooling
    curriculum (map of lessons), anatomy (lesson anatomy), notebook_hygiene
    (stripping notebooks), cli (the ``workshop`` command).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
