"""Provenance: invisible watermarks, a text watermark, Content Credentials and perceptual hashes.

Thin wrappers over the libraries the industry uses (invisible-watermark,
c2pa-python with cryptography, ImageHash), plus the one method no usable
library offers for the workshop's character model: a green-list text
watermark (Kirchenbauer et al., 2023). Nothing heavy is imported here: each
module imports its library inside the functions that need it, except
``text_watermark``, which needs torch (import it by name).

Modules
-------
image_watermark
    Embed and decode invisible-watermark's ``dwtDct`` / ``dwtDctSvd`` marks, with clear errors.
attacks
    Everyday edits a copy goes through: JPEG, resizing, cropping, noise, rotation, a screenshot.
robustness
    The sweeps: watermark bit accuracy under each edit, hash distances and false matches, text edits.
text_watermark
    Green lists, watermarked generation and z-score detection for the character model (imports torch).
credentials
    An offline test certificate chain; signing and reading C2PA manifests.
fingerprints
    Perceptual hashes and matching against a list of known hashes.
demo_images
    The workshop images the lesson marks, signs and hashes (none of a real person).
views
    Figures and the manifest and threshold widgets of lesson 08.

Example
-------
::

    from workshop_utils.provenance import attacks, credentials, image_watermark
    from workshop_utils.provenance import text_watermark   # imports torch
"""

__all__ = [
    "attacks",
    "credentials",
    "demo_images",
    "fingerprints",
    "image_watermark",
    "robustness",
    "text_watermark",
    "views",
]
