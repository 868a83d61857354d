"""Helper library for the Synthetic Media Workshop.

The package is split into small modules with one job each. Importing
``workshop_utils`` itself is cheap: it does not import torch, matplotlib or
ipywidgets, and it has no side effects. Import the module you need, e.g.::

    from workshop_utils import reproducibility, toy2d, gan2d, training, plotting

Modules
-------
reproducibility
    Seeding and deliberate torch thread settings.
toy2d
    The 2-D "ring of Gaussians" toy dataset.
gan2d
    A tiny MLP GAN for 2-D data.
training
    A training loop with a progress bar, a time budget and divergence checks.
plotting
    Colour-blind-safe plots with alt text.
metrics
    Mode coverage for the ring dataset.
env_check
    The environment self-check used in lesson 00.
anatomy
    The lesson anatomy: pedagogy metadata and the header/footer cells.
curriculum
    The map of all lessons.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
