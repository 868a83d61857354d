"""How good is a face swap? Three questions, three numbers.

A swap of an A face to identity B should (1) *look like B*, (2) *keep what
the A face was doing* (mouth, head position, eyes) and (3) be close to the
perfect swap. Because the faces are procedural, the perfect swap exists:
``render_face("B", params_of_the_A_face)``. :class:`SwapJudge` measures:

- **identity**: the probability that the swap shows the target identity,
  from a logistic-regression classifier on pixels trained on rendered faces of
  every identity and on "no face" images: noise, and greyscale or faded
  ghosts of faces (a swap has to show the identity's colours, not a shadow);
- **expression**: a ridge regression trained on renders of the *target*
  identity reads the face parameters off each swap; the Pearson correlation
  ``r`` between those readings and the source face's true parameters says how
  well each parameter was carried over. ``r`` ignores scale and offset, so a
  blurry but faithful swap still scores well. The main parameters are mouth
  openness and head shift; gaze is about one pixel at 32x32 and hard to read;
- **pixel error**: the mean absolute error against the ground-truth swap,
  beside a trivial baseline, the *mean target face* on the source face's
  background, which has the right identity and background but no expression.
  Both are also split into the face and the background (the pixels of the
  ground truth that show the plain background grey): the baseline is handed
  each frame's exact background, while a swap must paint its own, so the
  baseline can win on pixel error while losing on the face itself.
  :meth:`SwapScores.pixel_error_note` says which happened, in words.

Used in: solutions/03_autoencoder_faceswap, lessons/03_activism.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._validate import check_choice, check_int, check_number
from ..datasets import faces

__all__ = ["EXPRESSION_PARAMS", "MAIN_PARAMS", "SwapJudge", "SwapScores", "pearson_r"]

#: Parameters whose transfer is measured (everything except the background).
EXPRESSION_PARAMS = ("gaze_x", "gaze_y", "mouth_open", "eye_open", "shift_x", "shift_y")
#: Parameters a 32x32 swap carries over reliably; the quality bar uses these.
MAIN_PARAMS = ("mouth_open", "shift_x", "shift_y")
_NOISE = "no face"


def pearson_r(x, y) -> float:
    """Pearson correlation of two equally long 1-D sequences; 0.0 if either is constant.

    Parameters
    ----------
    x, y : array-like of shape (n,)
        At least two numbers each.

    Returns
    -------
    float
        The correlation in ``[-1, 1]``.
    """
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    if len(x) != len(y) or len(x) < 2:
        raise ValueError(f"x and y must have the same length of at least 2; got {len(x)} and {len(y)}")
    x, y = x - x.mean(), y - y.mean()
    scale = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / scale) if scale > 1e-12 else 0.0


def _as_images(name: str, images) -> np.ndarray:
    if hasattr(images, "detach"):
        images = images.detach().cpu().numpy()
    array = np.asarray(images, dtype=np.float32)
    if array.ndim != 4 or array.shape[1:] != (3, 32, 32) or len(array) < 1:
        raise ValueError(f"{name} must have shape (n, 3, 32, 32) with n >= 1; got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def _without_background(images: np.ndarray) -> np.ndarray:
    """Flatten images after subtracting each one's background grey (its corner pixels)."""
    corners = np.concatenate([images[:, :, :2, :2], images[:, :, :2, -2:],
                              images[:, :, -2:, :2], images[:, :, -2:, -2:]], axis=2)
    return (images - corners.mean(axis=(1, 2, 3), keepdims=True)).reshape(len(images), -1)


def _pooled(images: np.ndarray) -> np.ndarray:
    """Average 4x4 blocks (32x32 -> 8x8) and flatten: enough to tell identities apart."""
    n = len(images)
    return images.reshape(n, 3, 8, 4, 8, 4).mean(axis=(3, 5)).reshape(n, -1)


def _blur(images: np.ndarray) -> np.ndarray:
    """A 3x3 box blur, so that the classifier also knows blurry faces."""
    padded = np.pad(images, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="edge")
    return sum(padded[:, :, i:i + 32, j:j + 32] for i in range(3) for j in range(3)) / 9.0


def _washed_out(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Faint or colourless versions of faces: half greyscale, half faded into the background."""
    grey = np.repeat(images.mean(axis=1, keepdims=True), 3, axis=1)
    background = images[:, :, :2, :2].mean(axis=(1, 2, 3), keepdims=True)
    strength = rng.uniform(0.2, 0.5, size=(len(images), 1, 1, 1)).astype(np.float32)
    faded = background + strength * (_blur(images) - background)
    return np.concatenate([_blur(grey[::2]), faded[1::2]]).astype(np.float32)


@dataclass(frozen=True)
class SwapScores:
    """What :meth:`SwapJudge.score` measured.

    Attributes
    ----------
    target : str
        The identity the faces were swapped to.
    target_prob : float
        Mean probability that a swap shows ``target``.
    expression_r : dict of str to float
        Pearson r per parameter between the source faces' parameters and those
        read off the swaps.
    gt_mae : float
        Mean absolute pixel error against the ground-truth swaps.
    mean_face_mae : float
        The same error for the mean target face on each source face's
        background (the trivial baseline, see :meth:`SwapJudge.mean_faces`).
    gt_mae_face, gt_mae_background : float
        ``gt_mae`` over the face pixels and over the background pixels only.
    mean_face_mae_face, mean_face_mae_background : float
        The same split for the baseline.
    background_share : float
        Share of the pixels that are background.
    """

    target: str
    target_prob: float
    expression_r: dict[str, float]
    gt_mae: float
    mean_face_mae: float
    gt_mae_face: float = float("nan")
    gt_mae_background: float = float("nan")
    mean_face_mae_face: float = float("nan")
    mean_face_mae_background: float = float("nan")
    background_share: float = float("nan")

    def meets_bar(self, min_prob: float = 0.9, min_r: float = 0.8, params: Sequence[str] = MAIN_PARAMS) -> bool:
        """True if the identity probability and the r of every parameter in ``params`` reach the bar."""
        for name in params:
            check_choice("params", name, EXPRESSION_PARAMS)
        return self.target_prob >= min_prob and all(self.expression_r[name] >= min_r for name in params)

    def pixel_error_note(self) -> str:
        """A sentence, written from the measured numbers, on what the pixel error does and does not show."""
        t, swap, base = self.target, self.gt_mae, self.mean_face_mae
        if swap <= base:
            return (f"Pixel error: the swap ({swap:.3f}) is closer to the perfect swap than the mean {t} face "
                    f"({base:.3f}), which has the right identity and background but no expression at all.")
        note = (f"Pixel error: the swap ({swap:.3f}) is further from the perfect swap than the mean {t} face "
                f"({base:.3f}), a face with no expression at all. ")
        if self.gt_mae_face < self.mean_face_mae_face:
            return note + (
                f"On the face itself the swap is closer ({self.gt_mae_face:.3f} against {self.mean_face_mae_face:.3f}); "
                f"the mean face wins only on the background ({self.mean_face_mae_background:.3f} against "
                f"{self.gt_mae_background:.3f}, {self.background_share:.0%} of the pixels), because it is drawn on each "
                "frame's exact background grey while the swap paints its own. Pixel error mixes both, so judge what "
                "the swap keeps by r, not by pixel error.")
        return note + (
            f"It is further away on the face itself too ({self.gt_mae_face:.3f} against {self.mean_face_mae_face:.3f}): "
            "a blurry average face is never far from any frame, and pixel error rewards that kind of hedging, so "
            "judge what the swap keeps by r, not by pixel error.")

    def __str__(self) -> str:
        main = ", ".join(f"{name} {self.expression_r[name]:.2f}" for name in MAIN_PARAMS)
        return (f"P({self.target}) {self.target_prob:.2f}; r {main}; pixel error {self.gt_mae:.3f} "
                f"(mean {self.target} face {self.mean_face_mae:.3f})")


class SwapJudge:
    """Scores face swaps to one target identity (see the module docstring).

    Rendering its training faces and fitting the classifier and the regression takes a few seconds.

    Parameters
    ----------
    target : str
        The identity swaps are meant to show, e.g. ``"B"``.
    n_train : int
        Rendered faces per identity used to fit the classifier and the regression.
    seed : int
        Seed of those renders (different from any training data's seed).
    ridge_alpha : float
        Regularisation of the expression regression.

    Attributes
    ----------
    classes : list of str
        The classifier's classes: every identity and ``"no face"``.
    """

    def __init__(self, target: str = "B", n_train: int = 1000, seed: int = 2024, ridge_alpha: float = 10.0):
        from sklearn.linear_model import LogisticRegression, Ridge
        from threadpoolctl import threadpool_limits

        self.target = check_choice("target", target, list(faces.IDENTITIES))
        check_int("n_train", n_train, minimum=50)
        check_int("seed", seed, minimum=0)
        ridge_alpha = check_number("ridge_alpha", ridge_alpha, minimum=0.0)
        rng = np.random.default_rng(seed)
        self.classes = [*faces.IDENTITIES, _NOISE]
        rendered = {name: faces.make_faces(name, n_train, seed=rng).images for name in faces.IDENTITIES}
        noise = rng.random((n_train, 3, 32, 32), dtype=np.float32)
        noise[::2] = _blur(_blur(noise[::2]))
        # "No face" also covers washed-out ghosts of faces: a swap must show the identity's colours.
        ghosts = np.concatenate([_washed_out(imgs[k::3][: n_train // 6], rng) for k, imgs in enumerate(rendered.values())])
        examples = [*rendered.values(), np.concatenate([noise[: n_train // 2], ghosts])]
        x = np.concatenate([np.concatenate([imgs, _blur(imgs[::3])]) for imgs in examples])
        y = np.concatenate([np.full(len(imgs) + len(imgs[::3]), k) for k, imgs in enumerate(examples)])
        target_faces = faces.make_faces(target, n_train, seed=rng)
        columns = [faces.param_index(name) for name in EXPRESSION_PARAMS]
        # One BLAS thread: on a busy or quota-limited CPU more threads make these fits 10-50x slower.
        with threadpool_limits(limits=1):
            self._classifier = LogisticRegression(C=1.0, max_iter=1000).fit(_pooled(x), y)
            self._reader = Ridge(alpha=ridge_alpha).fit(_without_background(target_faces.images),
                                                        target_faces.params[:, columns])
        # The mean target face on a black and on a white background; pixels are linear in the background.
        background = faces.param_index("background")
        dark, light = target_faces.params[:300].copy(), target_faces.params[:300].copy()
        dark[:, background], light[:, background] = 0.0, 1.0
        self._mean_dark = faces.render_faces(target, dark).mean(axis=0)
        self._mean_light = faces.render_faces(target, light).mean(axis=0)
        self._truth_cache: tuple[bytes, np.ndarray] | None = None

    def identity_probability(self, images, identity: str | None = None) -> np.ndarray:
        """Probability that each image shows ``identity`` (default: the target).

        Parameters
        ----------
        images : array-like of shape (n, 3, 32, 32)
            Images (numpy or torch).
        identity : str, optional
            An identity or ``"no face"``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n,)``.
        """
        identity = self.target if identity is None else check_choice("identity", identity, self.classes)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            proba = self._classifier.predict_proba(_pooled(_as_images("images", images)))
        return proba[:, self.classes.index(identity)]

    def read_expression(self, images) -> np.ndarray:
        """Read the parameters in :data:`EXPRESSION_PARAMS` off target-identity images.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, 6)``, columns in the order of :data:`EXPRESSION_PARAMS`.
        """
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return self._reader.predict(_without_background(_as_images("images", images)))

    def mean_faces(self, source_params) -> np.ndarray:
        """The trivial baseline: the mean target face on each source face's background.

        Parameters
        ----------
        source_params : array-like of shape (n, 7)
            Parameters of the source faces; only the background is used.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, 3, 32, 32)``.
        """
        params = np.asarray(source_params, dtype=np.float32).reshape(-1, len(faces.PARAM_NAMES))
        level = params[:, faces.param_index("background"), None, None, None]
        return (self._mean_dark[None] + level * (self._mean_light - self._mean_dark)[None]).astype(np.float32)

    def ground_truth(self, source_params) -> np.ndarray:
        """The perfect swaps: the target identity drawn with the source faces' parameters."""
        params = np.ascontiguousarray(source_params, dtype=np.float32)
        key = params.tobytes() + str(params.shape).encode()
        if self._truth_cache is None or self._truth_cache[0] != key:
            self._truth_cache = (key, faces.render_faces(self.target, params))
        return self._truth_cache[1]

    def score(self, swapped, source_params) -> SwapScores:
        """Score swaps of source faces with known parameters.

        Parameters
        ----------
        swapped : array-like of shape (n, 3, 32, 32)
            The swapped faces (numpy or torch), ``n >= 2``.
        source_params : array-like of shape (n, 7)
            The parameters that drew the source faces.

        Returns
        -------
        SwapScores
        """
        images = _as_images("swapped", swapped)
        params = np.asarray(source_params, dtype=np.float32)
        if params.shape != (len(images), len(faces.PARAM_NAMES)):
            raise ValueError(f"source_params must have shape ({len(images)}, {len(faces.PARAM_NAMES)}), one row "
                             f"per swapped face; got {params.shape}")
        if len(images) < 2:
            raise ValueError("score needs at least 2 swapped faces to compute correlations")
        truth = self.ground_truth(params)
        readings = self.read_expression(images)
        r = {name: pearson_r(readings[:, k], params[:, faces.param_index(name)])
             for k, name in enumerate(EXPRESSION_PARAMS)}
        swap_error = np.abs(images - truth)
        base_error = np.abs(self.mean_faces(params) - truth)
        # Background: ground-truth pixels whose colour equals the frame's corner grey, in every channel.
        background = np.broadcast_to((np.abs(truth - truth[:, :, :1, :1]).max(axis=1, keepdims=True) < 1e-6),
                                     truth.shape)
        face = ~background

        def part(error: np.ndarray, mask: np.ndarray) -> float:
            return float(error[mask].mean()) if mask.any() else float("nan")

        return SwapScores(
            target=self.target,
            target_prob=float(self.identity_probability(images).mean()),
            expression_r=r,
            gt_mae=float(swap_error.mean()),
            mean_face_mae=float(base_error.mean()),
            gt_mae_face=part(swap_error, face),
            gt_mae_background=part(swap_error, background),
            mean_face_mae_face=part(base_error, face),
            mean_face_mae_background=part(base_error, background),
            background_share=float(background.mean()),
        )
