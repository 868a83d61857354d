"""Detection: how people, classifiers and statistics tell synthetic media from real, and where they fail.

Modules
-------
human
    Can people tell? Real-or-synthetic quiz items from the workshop's own text and faces.
images
    Input checks shared by every detector (images in [0, 1], scores, labels).
spectra
    Power spectra, checkerboard and high-frequency artefacts, spectral features.
detectors
    Logistic regression on spectra or pixels, and a small CNN: ``fit(real, fake)``, ``score(images)``.
evaluate
    ROC AUC, average precision and accuracy at a threshold; thresholds from validation data;
    the cross-generator table.
robustness
    JPEG, resizing and noise, and how detection and false-alarm rates change under them.
attacks
    An adversary who knows the detector: PGD and FGSM perturbations.
text_ranks
    GLTR-style token-rank statistics for text from the character language model.

Import the module you need, e.g. ``from workshop_utils.detection import spectra, evaluate``;
none of them is imported here, so importing the package stays cheap.
"""

__all__ = ["attacks", "detectors", "evaluate", "human", "images", "robustness", "spectra", "text_ranks"]
