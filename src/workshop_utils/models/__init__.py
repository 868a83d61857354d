"""Models: small generative models that train on a CPU in seconds, short enough to read.

Modules
-------
gan2d
    A tiny GAN for 2-D points (lesson 01, exercise 01).
vae
    A variational autoencoder for 8x8 digits (lesson 02).
diffusion
    A small denoising diffusion model (DDPM, DDIM sampling) for 8x8 digits.
faceswap
    The 2017 face swap (one shared encoder, one decoder per identity) on cartoon faces.
face_gans
    Small generators of cartoon faces that differ in how they upsample (lesson 07).
charlm
    A character-level language model for the workshop's text corpus.

Each module imports torch, so import the one you need:
``from workshop_utils.models import faceswap``. Models read data from
:mod:`workshop_utils.datasets` and never import metrics, widgets or prompts.
"""

__all__ = ["charlm", "diffusion", "face_gans", "faceswap", "gan2d", "vae"]
