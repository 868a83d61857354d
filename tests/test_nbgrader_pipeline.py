"""The nbgrader pipeline, in-process: generate, validate, autograde, feedback.

For every assignment in solutions/:
- regenerating exercises/ reproduces the committed bytes;
- no solution, hidden test or rubric appears anywhere in exercises/;
- every kind of submission scores what it deserves (``every_kind_of_submission_scores_what_it_deserves``, one file per exercise in tests/grading/):
  perfect          full marks on every autograded cell; the written answers wait for a grader;
  untouched        0 everywhere;
  delegating       each autograded function a one-line call to the same-named library function:
                   0 on those parts and on everything that uses them (``DELEGATIONS``);
  syntax error     one answer cell broken: that part and what depends on it lose, the rest keep
                   their points (``BROKEN``);
  endless loop     the same cell never finishes: nbgrader interrupts it at its time limit and goes
                   on, with this student and the next (the batch with it grades everyone right);
  tampering        test cells edited or deleted, the training cell faked, points raised: nbgrader
                   restores them, and the score is what the answers deserve;
  plausible wrong  ``WRONG_SUBMISSIONS``: mistakes that pass every visible test, and lose the
                   hidden-test points of the part that contains them;
- the Formgrader shows graders the rubrics; the students' feedback shows neither rubrics nor
  hidden tests.

Time: one exercise takes about 1.5 minutes on a quiet 2-core machine. The cheap submissions are
graded in one batch, the looping cell with a 10-s time limit instead of 120 s; only
the perfect submission and the plausible mistakes that keep training correct train to the bar;
mistakes in a training step are graded with training capped at 1 s (WORKSHOP_MAX_TRAIN_SECONDS),
which fails their quality bar by construction, so only their other cells are compared.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import time
from pathlib import Path
from typing import NamedTuple

import nbformat
import pytest

pytest.importorskip("nbgrader")
from nbclient import NotebookClient  # noqa: E402
from nbgrader.apps import NbGraderAPI  # noqa: E402
from traitlets.config.loader import PyFileConfigLoader  # noqa: E402

from workshop_utils.course.release import MARKER, secret_lines  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit())
CAP = "WORKSHOP_MAX_TRAIN_SECONDS"


class Wrong(NamedTuple):
    """A plausible mistake.

    cell: the answer cell (grade_id) that holds it; code: that cell's new code; loses: the autograded
    cells that must lose points (all others keep full marks). trains: False when the mistake is in a
    training step; its training is then capped at 1 s, so only the cells before the training are
    judged. visible: False when the visible tests already catch it (a student sees it before handing
    in); all others must pass every visible test.
    """

    cell: str
    code: str
    loses: set[str]
    trains: bool = True
    visible: bool = False


WRONG_SUBMISSIONS: dict[str, list[Wrong]] = {
    "01_gan_basics": [
        # sums over the batch instead of averaging: right for one example, wrong for a batch; it still
        # trains to the bar (Adam does not care about the scale), so only hidden tests can catch it
        Wrong("d_loss",
              "def discriminator_loss(real_logits, fake_logits):\n"
              "    return -(F.logsigmoid(real_logits).sum() + F.logsigmoid(-fake_logits).sum())\n",
              {"test_d_loss"}),
        # forgets to reset the generator's gradients: they pile up from call to call
        Wrong("train_step",
              "def train_step(gan, real):\n"
              "    g, d = gan.generator, gan.discriminator\n"
              "    fake = g(torch.randn(real.shape[0], g.z_dim))\n"
              "    d_loss = discriminator_loss(d(real), d(fake.detach()))\n"
              "    gan.opt_d.zero_grad()\n"
              "    d_loss.backward()\n"
              "    gan.opt_d.step()\n"
              "    g_loss = generator_loss(d(fake))\n"
              "    g_loss.backward()\n"
              "    gan.opt_g.step()\n"
              "    return {'d_loss': d_loss.item(), 'g_loss': g_loss.item()}\n",
              {"test_train_step"}, trains=False),
        # no detach in the discriminator's update: its loss also reaches the generator
        Wrong("train_step",
              "def train_step(gan, real):\n"
              "    g, d = gan.generator, gan.discriminator\n"
              "    z = torch.randn(real.shape[0], g.z_dim)\n"
              "    gan.opt_d.zero_grad()\n"
              "    gan.opt_g.zero_grad()\n"
              "    d_loss = discriminator_loss(d(real), d(g(z)))\n"
              "    d_loss.backward()\n"
              "    gan.opt_d.step()\n"
              "    g_loss = generator_loss(d(g(z)))\n"
              "    g_loss.backward()\n"
              "    gan.opt_g.step()\n"
              "    return {'d_loss': d_loss.item(), 'g_loss': g_loss.item()}\n",
              {"test_train_step"}, trains=False),
        # steps the discriminator's optimiser after the generator's backward pass too ("to be safe")
        Wrong("train_step",
              "def train_step(gan, real):\n"
              "    g, d = gan.generator, gan.discriminator\n"
              "    fake = g(torch.randn(real.shape[0], g.z_dim))\n"
              "    d_loss = discriminator_loss(d(real), d(fake.detach()))\n"
              "    gan.opt_d.zero_grad()\n"
              "    d_loss.backward()\n"
              "    gan.opt_d.step()\n"
              "    g_loss = generator_loss(d(fake))\n"
              "    gan.opt_g.zero_grad()\n"
              "    g_loss.backward()\n"
              "    gan.opt_g.step()\n"
              "    gan.opt_d.step()\n"
              "    return {'d_loss': d_loss.item(), 'g_loss': g_loss.item()}\n",
              {"test_train_step"}, trains=False),
    ],
    "02_diffusion": [
        # forgets the square root on the noise factor: right where abar is 0 or 1, wrong in between;
        # it still trains to the quality bar, which is why only hidden tests can catch it
        Wrong("q_sample",
              "def q_sample(x0, t, noise, alphas_cumprod):\n"
              "    signal_level = alphas_cumprod[t].reshape(-1, 1)\n"
              "    return signal_level.sqrt() * x0 + (1 - signal_level) * noise\n",
              {"test_q_sample"}),
    ],
    "03_autoencoder_faceswap": [
        # compares the output with the distorted input instead of the clean face: identical when
        # nothing is distorted (as in the visible loss check), and it still swaps well enough to
        # reach the bar, so only the hidden tests can catch it
        Wrong("train_step",
              "def train_step(model, optimizer, faces_a, faces_b, warp=faceswap.random_warp):\n"
              "    warped_a, warped_b = warp(faces_a), warp(faces_b)\n"
              "    loss_a = F.l1_loss(model.decoders['A'](model.encoder(warped_a)), warped_a)\n"
              "    loss_b = F.l1_loss(model.decoders['B'](model.encoder(warped_b)), warped_b)\n"
              "    optimizer.zero_grad()\n"
              "    (loss_a + loss_b).backward()\n"
              "    optimizer.step()\n"
              "    return {'loss_a': loss_a.item(), 'loss_b': loss_b.item()}\n",
              {"test_train_step"}),
        # never resets the gradients: every step adds to the last (the visible tests notice: the
        # losses stop falling)
        Wrong("train_step",
              "def train_step(model, optimizer, faces_a, faces_b, warp=faceswap.random_warp):\n"
              "    loss_a = F.l1_loss(model.decoders['A'](model.encoder(warp(faces_a))), faces_a)\n"
              "    loss_b = F.l1_loss(model.decoders['B'](model.encoder(warp(faces_b))), faces_b)\n"
              "    (loss_a + loss_b).backward()\n"
              "    optimizer.step()\n"
              "    return {'loss_a': loss_a.item(), 'loss_b': loss_b.item()}\n",
              {"test_train_step"}, trains=False, visible=True),
        # one optimiser step per identity instead of one on the sum: the second step uses gradients
        # of both losses (never reset in between) at parameters the first step has already moved
        Wrong("train_step",
              "def train_step(model, optimizer, faces_a, faces_b, warp=faceswap.random_warp):\n"
              "    optimizer.zero_grad()\n"
              "    loss_a = F.l1_loss(model.decoders['A'](model.encoder(warp(faces_a))), faces_a)\n"
              "    loss_a.backward()\n"
              "    optimizer.step()\n"
              "    loss_b = F.l1_loss(model.decoders['B'](model.encoder(warp(faces_b))), faces_b)\n"
              "    loss_b.backward()\n"
              "    optimizer.step()\n"
              "    return {'loss_a': loss_a.item(), 'loss_b': loss_b.item()}\n",
              {"test_train_step"}, trains=False),
    ],
    "04_text_generation": [
        # averages each line's perplexity instead of exp of the mean NLL over all characters:
        # right for one line or equally surprising lines, wrong for a real batch
        Wrong("ppl",
              "def perplexity(logits, targets):\n"
              "    per_line = [math.exp(mean_nll(logits[i:i + 1], targets[i:i + 1])) for i in range(len(logits))]\n"
              "    return sum(per_line) / len(per_line)\n"
              "\n\n"
              "def bits_per_char(logits, targets):\n"
              "    return mean_nll(logits, targets) / math.log(2)\n",
              {"test_ppl"}),
        # never resets the gradients
        Wrong("train_step",
              "def train_step(model, optimizer, inputs, targets, clip=1.0):\n"
              "    logits, _ = model(inputs)\n"
              "    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))\n"
              "    loss.backward()\n"
              "    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)\n"
              "    optimizer.step()\n"
              "    return {'loss': loss.item()}\n",
              {"test_train_step"}, trains=False),
        # clips after the step, when the update has already been made with the full gradient
        Wrong("train_step",
              "def train_step(model, optimizer, inputs, targets, clip=1.0):\n"
              "    logits, _ = model(inputs)\n"
              "    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))\n"
              "    optimizer.zero_grad()\n"
              "    loss.backward()\n"
              "    optimizer.step()\n"
              "    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)\n"
              "    return {'loss': loss.item()}\n",
              {"test_train_step"}, trains=False),
    ],
}

# Exercise 05 (coordination): several plausible mistakes in the same two cells.
_CO_SHARES_HEAD = "def co_shares(events, window):\n"
_PAIRS = (
    "    if window < 0:\n"
    "        raise ValueError('negative window')\n"
    "    p = events.merge(events, on='item_id', suffixes=('_a', '_b'))\n"
    "    gap = (p['ts_a'] - p['ts_b']).abs()\n"
)
_OUT = (
    "    out = p.loc[keep, ['item_id', 'account_id_a', 'account_id_b']]\n"
    "    out.columns = ['item_id', 'account_a', 'account_b']\n"
    "    return out.assign(gap_s=gap[keep]).reset_index(drop=True)\n"
)
WRONG_SUBMISSIONS["05_coordination"] = [
    # (the first one reaches the bar: the visible-test run executes the locked cells, such as the pipeline
    # of Part 3, only for the first submission, and the later ones are checked against its scores)
    # `<` instead of `<=`: misses pairs exactly `window` apart; still finds the networks
    Wrong("co_shares", _CO_SHARES_HEAD + _PAIRS + "    keep = (p['account_id_a'] < p['account_id_b']) & (gap < window)\n" + _OUT,
          {"test_co_shares"}),
    # self-pairs: an account that shares an item twice "co-shares" with itself
    Wrong("co_shares", _CO_SHARES_HEAD + _PAIRS
          + "    keep = (p['account_id_a'] <= p['account_id_b']) & (gap <= window) & (p['ts_a'] != p['ts_b'])\n" + _OUT,
          {"test_co_shares"}),
    # counts co-share rows instead of distinct items
    Wrong("network", "def account_network(shares):\n"
          "    graph = nx.Graph()\n"
          "    for (a, b), w in shares.groupby(['account_a', 'account_b']).size().items():\n"
          "        graph.add_edge(a, b, weight=int(w))\n"
          "    return graph\n",
          {"test_account_network"}),
    # a constant answer: what the first visible check expects, whatever the log
    Wrong("co_shares", _CO_SHARES_HEAD + "    return pd.DataFrame({'item_id': [5], 'account_a': [1], 'account_b': [2], 'gap_s': [3]})\n",
          {"test_co_shares", "test_quality_bar"}, visible=True),
    # runs the lesson's SQL in DuckDB: graded parts must be pandas
    Wrong("co_shares", _CO_SHARES_HEAD + "    import duckdb\n"
          "    con = duckdb.connect()\n"
          "    con.register('events', events)\n"
          "    return con.execute(detect.CO_SHARES_SQL, {'window': window, 'bucket': max(window, 1)}).df()\n",
          # the window experiment runs the same code with DuckDB off, so no window is chosen either
          {"test_co_shares", "test_quality_bar", "test_window"}, visible=True),
]
WRONG_SUBMISSIONS["06_detector"] = [
    # the magnitude |F| instead of the power |F|**2: a flat image still gives -8, a checkerboard still peaks at
    # the corner, and after standardisation it is the same detector, so only the hidden feature test sees it
    Wrong("features",
          "def spectral_features(images):\n"
          "    x = np.asarray(images, dtype=np.float64)\n"
          "    x = x - x.mean(axis=(2, 3), keepdims=True)\n"
          "    magnitude = np.abs(np.fft.rfft2(x)).mean(axis=1)\n"
          "    return np.log10(magnitude + 1e-8).reshape(len(x), -1)\n",
          {"test_features"}),
]
WRONG_SUBMISSIONS["07_text_watermark"] = [
    # truncates the green share with int() instead of rounding: identical for 72 characters at
    # gamma 0.5 or 0.25 (all the visible checks), one id short at 72 x 0.3 = 21.6
    Wrong("green",
          "def green_list(context, key, vocab_size, gamma=0.5):\n"
          "    if not context:\n"
          "        raise ValueError('context must not be empty')\n"
          "    seed = int.from_bytes(hashlib.sha256(f'{key}:{context}'.encode('utf-8')).digest()[:8], 'big')\n"
          "    perm = torch.randperm(vocab_size, generator=torch.Generator().manual_seed(seed))\n"
          "    mask = torch.zeros(vocab_size, dtype=torch.bool)\n"
          "    mask[perm[: int(gamma * vocab_size)]] = True\n"
          "    return mask\n",
          {"test_green", "test_logits"}),
]
WRONG_SUBMISSIONS["08_model_card"] = [
    # forgets the memory term: right for every visible check (they hold no memory), wrong for a real run
    Wrong("energy",
          "def energy_wh(cpu_s, wall_s, memory_gb, watts_per_core=12.0, watts_per_gb=0.3725, pue=1.0):\n"
          "    return pue * cpu_s * watts_per_core / 3600.0\n",
          {"test_energy"}),
]

# Each autograded function as a one-line call to the library's function of the same name
# (answer cell -> its code), and the autograded cells that may keep their points.
DELEGATIONS: dict[str, tuple[dict[str, str], set[str]]] = {
    "01_gan_basics": ({
        "d_loss": "def discriminator_loss(real_logits, fake_logits):\n"
                  "    return gan2d.discriminator_loss(real_logits, fake_logits)\n",
        "g_loss": "def generator_loss(fake_logits):\n    return gan2d.generator_loss(fake_logits)\n",
        "train_step": "def train_step(gan, real):\n    return gan2d.gan_train_step(gan, real)\n",
    }, {"test_logit_gradient"}),  # the library has no logit_gradient
    "02_diffusion": ({
        "q_sample": "def q_sample(x0, t, noise, alphas_cumprod):\n"
                    "    return diffusion.q_sample(x0, t, noise, alphas_cumprod)\n",
        "denoising_loss": "def denoising_loss(model, x0, alphas_cumprod):\n"
                          "    return diffusion.denoising_loss(model, x0, alphas_cumprod)\n",
        "ddim_step": "def ddim_step(x_t, eps, abar_t, abar_prev):\n"
                     "    return diffusion.ddim_step(x_t, eps, abar_t, abar_prev)\n",
    }, set()),
    "03_autoencoder_faceswap": ({
        "swap": "def swap(model, faces, to):\n    return faceswap.swap(model, faces, to)\n",
        "train_step": "def train_step(model, optimizer, faces_a, faces_b, warp=faceswap.random_warp):\n"
                      "    return faceswap.faceswap_train_step(model, optimizer, faces_a, faces_b, warp)\n",
    }, set()),
    "04_text_generation": ({
        "temperature": "def temperature_probs(logits, temperature):\n"
                       "    return charlm.temperature_probs(logits, temperature)\n",
        "sample": "def sample_next(logits, temperature=1.0, generator=None):\n"
                  "    return charlm.sample_next(logits, temperature, generator)\n",
        "nll": "def mean_nll(logits, targets):\n    return charlm.mean_nll(logits, targets).item()\n",
        "train_step": "def train_step(model, optimizer, inputs, targets, clip=1.0):\n"
                      "    return charlm.train_step(model, optimizer, inputs, targets, clip)\n",
    }, set()),
    "07_text_watermark": ({
        "green": "def green_list(context, key, vocab_size, gamma=0.5):\n"
                 "    return text_watermark.green_list(context, key, vocab_size, gamma)\n",
        "logits": "def watermark_logits(logits, context, key, delta, gamma=0.5):\n"
                  "    return text_watermark.watermark_logits(logits, text_watermark.green_list(context, key, len(logits), gamma), delta)\n",
        "z": "def z_score(n_green, n_scored, gamma=0.5):\n    return text_watermark.z_score(n_green, n_scored, gamma)\n",
        "detect": "def detect(text, key, vocab, width=4, gamma=0.5, threshold=4.0):\n"
                  "    found = text_watermark.detect(text, text_watermark.GreenLists(vocab, key, gamma, width), threshold)\n"
                  "    return found.z, found.watermarked\n",
        "fpr": "from workshop_utils.provenance import robustness\n\n\n"
               "def false_positive_rate(passages, keys, width):\n"
               "    return robustness.real_text_scores(passages, vocab, keys, width).flagged_share(4.0)\n",
        "rates": "from workshop_utils.provenance import robustness\n\n\n"
                 "def detection_rates(texts, key, lengths=(200, 400, 800)):\n"
                 "    return robustness.detection_rates(texts, text_watermark.GreenLists(vocab, key), lengths)\n",
    }, set()),
    "08_model_card": ({
        "energy": "from workshop_utils import records\n\n\n"
                  "def energy_wh(cpu_s, wall_s, memory_gb, watts_per_core=12.0, watts_per_gb=0.3725, pue=1.0):\n"
                  "    return records.energy_wh(cpu_s, wall_s, memory_gb, watts_per_core=watts_per_core, watts_per_gb=watts_per_gb, pue=pue)\n",
    }, {"test_draws", "test_card", "test_label"}),  # the library has no fd_lite_draws, write_card or label_output
}

# The answer cell that the syntax-error and the endless-loop submissions break, and the autograded
# cells that keep their points (they do not use that cell).
BROKEN: dict[str, tuple[str, set[str]]] = {
    "01_gan_basics": ("train_step", {"test_d_loss", "test_g_loss", "test_logit_gradient"}),
    "02_diffusion": ("ddim_step", {"test_q_sample", "test_denoising_loss"}),
    "03_autoencoder_faceswap": ("train_step", {"test_swap"}),
    "04_text_generation": ("train_step", {"test_temperature", "test_sample", "test_nll", "test_ppl"}),
    # the last function: the detector and the false-positive test keep their points
    "07_text_watermark": ("rates", {"test_green", "test_logits", "test_z", "test_detect", "test_fpr"}),
    "08_model_card": ("energy", {"test_draws", "test_card", "test_label"}),
}
# Exercise 05: the window experiment (Part 4) runs the student's functions with the library off, so a
# delegating or broken network loses the window too.
DELEGATIONS["05_coordination"] = ({
    "co_shares": "def co_shares(events, window):\n    return detect.co_shares(events, window)\n",
    "network": "def account_network(shares):\n    return detect.account_network(shares)\n",
}, set())
BROKEN["05_coordination"] = ("network", {"test_co_shares"})
# Exercise 06: the setup imports no detection module, so each delegation imports the one it calls. The robust
# detector of Part 8 is built from the student's functions, so it loses with them.
DELEGATIONS["06_detector"] = ({
    "features": "from workshop_utils.detection import spectra\n\n\n"
                "def spectral_features(images):\n    return spectra.spectral_features(images)\n",
    "detector": "from workshop_utils.detection import detectors\n\n\n"
                "def fit_detector(features_real, features_fake):\n"
                "    return detectors.fit_logistic(np.concatenate([features_real, features_fake]),\n"
                "                                  np.r_[np.zeros(len(features_real)), np.ones(len(features_fake))], C=0.01)\n",
    "accuracy": "from workshop_utils.detection import evaluate\n\n\n"
                "def balanced_accuracy(scores_real, scores_fake, threshold):\n"
                "    return evaluate.balanced_accuracy(scores_real, scores_fake, threshold)\n",
    "threshold": "from workshop_utils.detection import evaluate\n\n\n"
                 "def choose_threshold(scores_real, scores_fake):\n    return evaluate.choose_threshold(scores_real, scores_fake)\n",
    "jpeg": "from workshop_utils.detection import robustness\n\n\n"
            "def jpeg_roundtrip(images, quality):\n    return robustness.jpeg(images, quality)\n",
}, set())
BROKEN["06_detector"] = ("threshold", {"test_features", "test_detector", "test_accuracy", "test_jpeg"})
# In the test, the broken answer cell gets this time limit (120 s in nbgrader_config.py), so that the
# endless loop costs little; every other cell keeps the limits of nbgrader_config.py.
LOOP_CELL_TIMEOUT_S = 10
MARKERS = re.compile(r"^\s*(#+|=+|\s*)\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)", re.M)


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _solution_text(source: str) -> str:
    """The source with the nbgrader solution markers removed (what a student would write)."""
    return "\n".join(l for l in source.splitlines() if not MARKERS.match(l))


def _load_config(root: Path):
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.db_url = f"sqlite:///{root}/gradebook.db"
    config.Exchange.root = str(root / "exchange")
    return config


@pytest.fixture
def course(tmp_path, monkeypatch):
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    (tmp_path / "exchange").mkdir()
    monkeypatch.setenv(CAP, "240")  # what nbgrader_config.py sets while grading; restored afterwards
    config = _load_config(tmp_path)
    return NbGraderAPI(config=config), tmp_path, config


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_exercises_are_exactly_what_nbgrader_generates(course, aid):
    api, root, _ = course
    result = api.generate_assignment(aid)
    assert result["success"], result["log"]
    generated = sorted(p.relative_to(root / "exercises" / aid) for p in (root / "exercises" / aid).rglob("*") if p.is_file())
    committed = sorted(p.relative_to(REPO / "exercises" / aid) for p in (REPO / "exercises" / aid).rglob("*") if p.is_file())
    assert generated == committed, "exercises/ has extra or missing files: run `make exercises`"
    for rel in generated:
        assert (root / "exercises" / aid / rel).read_bytes() == (REPO / "exercises" / aid / rel).read_bytes(), (
            f"exercises/{aid}/{rel} is stale: run `make exercises`")


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_no_solution_hidden_test_or_rubric_leaks_into_exercises(aid):
    secrets = secret_lines(REPO / "solutions" / aid)
    assert secrets, "expected solution and hidden-test regions in the solution notebook"
    assert (REPO / "exercises" / aid).is_dir(), f"exercises/{aid} is missing: run `make exercises`"
    for path in (REPO / "exercises" / aid).rglob("*"):
        if path.is_file():
            text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
            leaked = sorted(l for l in secrets if l in text)
            assert not leaked, f"{path.relative_to(REPO)} contains solution, hidden-test or rubric lines: {leaked[:3]}"
            assert not MARKER.search(text)


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_every_manually_graded_cell_has_a_rubric_and_criteria(aid):
    solution = nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    exercise = {_nbgrader(c).get("grade_id"): c for c in
                nbformat.read(REPO / "exercises" / aid / f"{aid}.ipynb", as_version=4).cells}
    manual = [c for c in solution.cells if _nbgrader(c).get("task") or (_nbgrader(c).get("grade") and c.cell_type == "markdown")]
    assert manual, "each exercise has manually graded work (a decision, an experiment or a reflection)"
    for cell in manual:
        gid = _nbgrader(cell)["grade_id"]
        assert _nbgrader(cell).get("task"), (
            f"{gid}: make manually graded work a 'Manually graded task' cell, so that its mark scheme reaches the "
            "Formgrader (answers go in the plain cell below it)")
        scheme = re.search(r"BEGIN MARK SCHEME[^\n]*\n(.*?)\n[^\n]*END MARK SCHEME", cell.source, re.S)
        assert scheme, f"{gid}: no mark scheme"
        for example in ("**Strong", "**Partial", "**Weak", "**Rubric"):
            assert example in scheme.group(1), f"{gid}: the mark scheme needs a rubric and strong, partial and weak answers"
        assert "*Your instructor looks for:*" in exercise[gid].source, f"{gid}: tell students the criteria"
        following = solution.cells[solution.cells.index(cell) + 1]
        assert following.cell_type == "markdown" and not _nbgrader(following), f"{gid}: an answer cell must follow"


def _submit(root: Path, aid: str, student: str, notebook) -> None:
    folder = root / "submitted" / student / aid
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{aid}.ipynb")


def _student_copy(root: Path, aid: str, answers: dict[str, str] | None = None, only: set[str] | None = None):
    """The generated exercise with answer cells filled in: ``answers`` for those it names, else the
    solution (only for the cells in ``only``, when given; the others keep their stubs)."""
    solution = nbformat.read(root / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    solved = {_nbgrader(c)["grade_id"]: c.source for c in solution.cells if _nbgrader(c).get("solution")}
    notebook = nbformat.read(root / "exercises" / aid / f"{aid}.ipynb", as_version=4)
    for cell in notebook.cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if _nbgrader(cell).get("solution") and cell.cell_type == "code":
            if answers and grade_id in answers:
                cell.source = answers[grade_id]
            elif only is None or grade_id in only:
                cell.source = _solution_text(solved[grade_id])
    return notebook


def _tampered(root: Path, aid: str):
    """Right first answer, stubs elsewhere; its test cell deleted, the other tests emptied, the training
    faked and the points raised."""
    notebook = _student_copy(root, aid, only=set())
    answers = [c for c in notebook.cells if _nbgrader(c).get("solution") and c.cell_type == "code"]
    first = _nbgrader(answers[0])["grade_id"]
    notebook = _student_copy(root, aid, only={first})
    tests = [c for c in notebook.cells if _nbgrader(c).get("grade") and c.cell_type == "code"]
    notebook.cells.remove(tests[0])
    for cell in tests[1:]:
        cell.source = 'print("All visible checks passed.")'
        if "training" in cell.metadata.get("tags", []):
            cell.source = 'history = result = None\nprint("Quality bar reached: 8 of 8 modes covered")'
        _nbgrader(cell)["points"] = 100
    for cell in notebook.cells:
        if _nbgrader(cell).get("task"):
            cell.source = "Nothing to answer here."
    return notebook, {_nbgrader(tests[0])["grade_id"]}


def _broken(root: Path, aid: str, kind: str):
    cell, _ = BROKEN[aid]
    solution = nbformat.read(root / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    code = next(_solution_text(c.source) for c in solution.cells if _nbgrader(c).get("grade_id") == cell)
    if kind == "syntax":
        code = code.replace("):\n", ")\n", 1)  # the colon after the signature is missing
    else:  # a loop left running above the answer: the cell never finishes
        code = "_tries = 0\nwhile _tries < 3:  # forgot _tries += 1\n    pass\n\n" + code
    return _student_copy(root, aid, {cell: code})


def _grades(api, aid: str, student: str) -> dict[str, tuple[float | None, float, bool]]:
    with api.gradebook as gb:
        submission = gb.find_submission(aid, student)
        return {g.name: (g.auto_score, g.max_score, g.needs_manual_grade) for nb in submission.notebooks for g in nb.grades}


def _lost(grades) -> set[str]:
    """Autograded cells without full marks."""
    return {name for name, (score, max_score, manual) in grades.items() if not manual and score < max_score}


def _autograded(root: Path, student: str, aid: str):
    return nbformat.read(root / "autograded" / student / aid / f"{aid}.ipynb", as_version=4)


def _visible_failures(root: Path, aid: str, wrongs: list[Wrong]) -> dict[int, list[str]]:
    """Run each wrong submission's answers and visible tests up to the training, all in one kernel.

    Returns, for each wrong submission, the visible test cells that failed.
    """
    cells, owner = [], []
    for i, wrong in enumerate(wrongs):
        student = _student_copy(root, aid, {wrong.cell: wrong.code})
        for cell in student.cells:
            if "training" in cell.metadata.get("tags", []):
                break
            if i == 0 or _nbgrader(cell).get("solution") or _nbgrader(cell).get("grade"):
                if cell.cell_type == "code":
                    cells.append(nbformat.v4.new_code_cell(cell.source, metadata=copy.deepcopy(cell.metadata)))
                    owner.append(i)
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=student.metadata)
    NotebookClient(notebook, timeout=300, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(root)}}).execute()
    failures: dict[int, list[str]] = {i: [] for i in range(len(wrongs))}
    for cell, i in zip(notebook.cells, owner):
        if any(o.output_type == "error" for o in cell.outputs):
            failures[i].append(_nbgrader(cell).get("grade_id", "?"))
    return failures


def _hidden_names(aid: str) -> set[str]:
    """Names that only the hidden tests use (one token each, so they survive syntax highlighting)."""
    solution = nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    hidden, public = set(), []
    for cell in solution.cells:
        regions = re.findall(r"BEGIN HIDDEN TESTS[^\n]*\n(.*?)\n[^\n]*END HIDDEN TESTS", cell.source, re.S)
        hidden |= {name for region in regions for name in re.findall(r"\b[A-Za-z_][A-Za-z0-9_]{5,}\b", region) if "_" in name}
        public.append(re.sub(r"BEGIN HIDDEN TESTS.*?END HIDDEN TESTS", "", cell.source, flags=re.S))
    public_text = "\n".join(public)
    return {name for name in hidden if not re.search(rf"\b{name}\b", public_text)}


def _timeouts(notebook) -> list[str]:
    return [_nbgrader(c).get("grade_id", "?") for c in notebook.cells if c.cell_type == "code" and any(
        o.output_type == "error" and "CellTimeoutError" in "".join(o.get("traceback", [])) for o in c.outputs)]


GRADING_FILES = REPO / "tests" / "grading"


def test_every_exercise_has_its_grading_file():
    # The end-to-end grading of each exercise (a minute or more) lives in a file of its own,
    # tests/grading/test_grading_<exercise>.py, so that pytest-xdist (`--dist loadfile`) spreads
    # the exercises over both workers.
    expected = {f"test_grading_{aid}.py" for aid in ASSIGNMENTS}
    assert {p.name for p in GRADING_FILES.glob("test_grading_*.py")} == expected
    for aid in ASSIGNMENTS:
        text = (GRADING_FILES / f"test_grading_{aid}.py").read_text(encoding="utf-8")
        assert f'"{aid}"' in text and "every_kind_of_submission_scores_what_it_deserves(" in text


def every_kind_of_submission_scores_what_it_deserves(course, aid: str, monkeypatch) -> None:
    """Grade every kind of submission to ``aid`` (see the module docstring); called by tests/grading/."""
    api, root, config = course
    assert aid in WRONG_SUBMISSIONS and aid in DELEGATIONS and aid in BROKEN, (
        f"add {aid} to WRONG_SUBMISSIONS, DELEGATIONS and BROKEN in tests/test_nbgrader_pipeline.py")
    assert api.generate_assignment(aid)["success"]
    exercise = nbformat.read(root / "exercises" / aid / f"{aid}.ipynb", as_version=4)
    autograded_cells = {_nbgrader(c)["grade_id"] for c in exercise.cells
                        if _nbgrader(c).get("grade") and c.cell_type == "code"}
    wrongs = WRONG_SUBMISSIONS[aid]

    clock = {"start": time.perf_counter()}
    # The plausible mistakes pass every visible test a student can run before training (unless marked).
    failures = _visible_failures(root, aid, wrongs)
    clock["visible tests of the wrong submissions"] = time.perf_counter()
    for i, wrong in enumerate(wrongs):
        assert bool(failures[i]) == wrong.visible, f"wrong submission {i}: visible tests failed: {failures[i]}"

    # 1. One batch of the cheap submissions, an endless loop among them. Answer cells get a short time
    #    limit here; nothing in this batch trains for long.
    delegations, delegation_keeps = DELEGATIONS[aid]
    tampered, tamper_keeps = _tampered(root, aid)
    batch = {"untouched": exercise, "delegating": _student_copy(root, aid, delegations),
             "syntax_error": _broken(root, aid, "syntax"), "endless_loop": _broken(root, aid, "loop"),
             "tampering": tampered}
    for student, notebook in batch.items():
        _submit(root, aid, student, notebook)
    production_timeout = config.Execute.timeout_func
    broken_cell, broken_keeps = BROKEN[aid]

    def short_limit_for_the_loop(cell):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == broken_cell:
            return LOOP_CELL_TIMEOUT_S
        return production_timeout(cell)

    batch_config = copy.deepcopy(config)
    batch_config.Execute.timeout_func = short_limit_for_the_loop
    result = NbGraderAPI(config=batch_config).autograde(aid, "*")  # every student submitted so far
    assert result["success"], result["log"]
    expected_keeps = {"untouched": set(), "delegating": delegation_keeps, "syntax_error": broken_keeps,
                      "endless_loop": broken_keeps, "tampering": tamper_keeps}
    for student, keeps in expected_keeps.items():
        grades = _grades(api, aid, student)
        assert set(grades) >= autograded_cells
        assert _lost(grades) == autograded_cells - keeps, (student, grades)
        assert all(max_score < 100 for _, max_score, _ in grades.values()), f"{student}: raised points were kept"
    looped = _autograded(root, "endless_loop", aid)
    assert _timeouts(looped) == [broken_cell], "the endless loop is interrupted at its cell's time limit, and only there"
    after = looped.cells[[_nbgrader(c).get("grade_id") for c in looped.cells].index(broken_cell) + 1:]
    assert all(c.execution_count for c in after if c.cell_type == "code"), "every later cell still runs"
    clock[f"batch of {len(batch)} with an endless loop"] = time.perf_counter()
    tampered_back = _autograded(root, "tampering", aid)
    assert any("was missing from the submission" in c.source for c in tampered_back.cells), (
        "the deleted test cell is put back and run")

    # 2. The perfect submission and the plausible mistakes that train normally, to the bar.
    _submit(root, aid, "perfect", _student_copy(root, aid))
    trained = {"perfect": set()}
    for i, wrong in enumerate(wrongs):
        if wrong.trains:
            _submit(root, aid, f"wrong_{i}", _student_copy(root, aid, {wrong.cell: wrong.code}))
            trained[f"wrong_{i}"] = wrong.loses
    for student, loses in trained.items():
        assert api.autograde(aid, student)["success"]
        grades = _grades(api, aid, student)
        assert _lost(grades) == loses, (student, grades)
        assert any(manual for _, _, manual in grades.values()), "the written answers wait for a grader"
    clock[f"{len(trained)} trained to the bar"] = time.perf_counter()

    # 3. Mistakes in a training step, with training capped at 1 s: the step's own test catches them.
    #    The training fails its bar by construction, so the cells from the training on are not judged.
    monkeypatch.setenv(CAP, "1")
    ids = [_nbgrader(c).get("grade_id") for c in exercise.cells]
    first_training = min((i for i, c in enumerate(exercise.cells) if "training" in c.metadata.get("tags", [])),
                         default=len(exercise.cells))
    from_training_on = set(ids[first_training:])
    for i, wrong in enumerate(wrongs):
        if not wrong.trains:
            _submit(root, aid, f"wrong_{i}", _student_copy(root, aid, {wrong.cell: wrong.code}))
            assert api.autograde(aid, f"wrong_{i}")["success"]
            grades = _grades(api, aid, f"wrong_{i}")
            assert _lost(grades) - from_training_on == wrong.loses, (f"wrong_{i}", grades)
    clock[f"{sum(not w.trains for w in wrongs)} wrong training steps, capped"] = time.perf_counter()

    # 4. Graders see the rubrics in the Formgrader (the autograded notebook); students' feedback does not.
    graded = _autograded(root, "perfect", aid)
    tasks = [c for c in graded.cells if _nbgrader(c).get("task")]
    assert tasks and all("BEGIN MARK SCHEME" in c.source and "**Strong" in c.source for c in tasks)
    assert api.generate_feedback(aid, "perfect")["success"]
    html = (root / "feedback" / "perfect" / aid / f"{aid}.html").read_text(encoding="utf-8")
    assert "Score:" in html
    for secret in ("MARK SCHEME", "for graders only", "Strong (", "Weak (0/", "HIDDEN TESTS"):
        assert secret not in html, f"the feedback shows {secret!r} to the student"
    for name in _hidden_names(aid):
        assert not re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", html), f"the feedback shows {name!r} to the student"
    clock["rubrics and feedback"] = time.perf_counter()
    steps = list(clock.items())
    print(f"{aid}: {steps[-1][1] - steps[0][1]:.0f} s in all; " + ", ".join(
        f"{name} {t - previous:.0f} s" for (_, previous), (name, t) in zip(steps, steps[1:])))


def test_the_time_limits_leave_a_margin_over_the_measured_cells(monkeypatch):
    """nbgrader_config.py's per-cell limits are at least 4x the benchmark's slowest cells."""
    import json

    monkeypatch.setenv(CAP, "240")  # loading the configuration sets it otherwise, for the whole session
    config = _load_config(REPO)
    limit = config.Execute.timeout_func
    ordinary = limit({"metadata": {"tags": []}})
    training = limit({"metadata": {"tags": ["training"]}})
    assert config.Execute.timeout == ordinary and training > ordinary
    rows = [r for r in json.loads((REPO / "bench" / "results.json").read_text())["rows"] if r["kind"] == "exercise"]
    assert rows, "bench/results.json has no exercises: run make bench"
    for row in rows:
        # cell times when the benchmark measured them, else upper bounds from the whole notebook
        slowest = row.get("slowest_cell_s") or row["wall_s"] - (row.get("train_to_bar_s") or 0)
        training_cell = row.get("training_cell_s") or row["wall_s"]
        assert ordinary >= 4 * slowest, (row["notebook"], slowest)
        assert training >= 4 * training_cell, (row["notebook"], training_cell)


def test_grading_caps_training_and_knows_the_training_cells(monkeypatch):
    monkeypatch.setenv(CAP, "")  # so that monkeypatch restores the variable afterwards
    monkeypatch.delenv(CAP)
    config = _load_config(REPO)
    assert float(os.environ[CAP]) + 30 <= config.Execute.timeout_func({"metadata": {"tags": ["training"]}}), (
        "while grading, training stops (WORKSHOP_MAX_TRAIN_SECONDS) well before the training cells' time limit")
    assert config.OverwriteCells.add_missing_cells, "deleted test cells must be put back"
    for aid in ASSIGNMENTS:
        solution = nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=4)
        tagged = [c for c in solution.cells if "training" in c.metadata.get("tags", [])]
        trains = [c for c in solution.cells if "training.train(" in c.source]
        assert set(map(id, trains)) <= set(map(id, tagged)), (
            f"{aid}: tag every cell that trains 'training', so that it gets the training cells' time limit")


# More wrong submissions for the model-card exercise, which has several ways to look right and be wrong:
# (name, solution cell grade_id, the wrong code for that cell, grade cells that must lose their points).
# They need not pass the visible tests; each must lose exactly the points named.
MODEL_CARD_WRONG = [
    ("copied-shipped-card", "card",
     "def write_card(record, fd_score):\n"
     "    return ModelCard.from_checkpoint('ddpm_digits')\n",
     {"test_card"}),
    ("card-of-another-run", "card",
     # documents a fresh run instead of the one trained in Part 1: complete, plausible, and not this run's
     "def write_card(record, fd_score):\n"
     "    other = training.train(lambda i: {'loss': 1.0}, max_steps=5, progress=False, log=False,\n"
     "                           about={'dataset': 'digits', 'seed': 0}).record\n"
     "    return ModelCard.from_record(other, name='digits_vae_08', description='A VAE that draws digits.',\n"
     "                                 intended_use=INTENDED_USE, limitations=LIMITATIONS, consent=CONSENT,\n"
     "                                 licence='MIT', authors='me', metrics={'fd_lite': round(fd_score, 2)},\n"
     "                                 disclosure='AI-generated overlay')\n",
     {"test_card"}),
    ("label-only-in-metadata", "label",
     # stamps the label, then posts the unlabelled pixels: the metadata says it, the picture does not
     "def label_output(model, card):\n"
     "    sample = model.sample(1, generator=torch.Generator().manual_seed(1))[0].numpy()\n"
     "    labelled = stamp_label(sample, 'AI-generated image', 'overlay', model=card.name)\n"
     "    labelled.pixels = labelled.original.copy()\n"
     "    return labelled\n",
     {"test_label"}),
    ("label-without-its-card", "label",
     "def label_output(model, card):\n"
     "    sample = model.sample(1, generator=torch.Generator().manual_seed(1))[0].numpy()\n"
     "    return stamp_label(sample, 'AI-generated image', 'overlay')\n",
     {"test_label"}),
    ("energy-from-the-library", "energy",
     "def energy_wh(cpu_s, wall_s, memory_gb, watts_per_core=12.0, watts_per_gb=0.3725, pue=1.0):\n"
     "    from workshop_utils import records\n"
     "    return records.energy_wh(cpu_s, wall_s, memory_gb, watts_per_core=watts_per_core,\n"
     "                             watts_per_gb=watts_per_gb, pue=pue)\n",
     {"test_energy"}),
]


@pytest.mark.slow
@pytest.mark.skipif("08_model_card" not in ASSIGNMENTS, reason="the model-card exercise is not in solutions/")
def test_model_card_wrong_submissions_lose_their_points(course):
    api, root, _ = course
    aid = "08_model_card"
    assert api.generate_assignment(aid)["success"]
    for name, grade_id, code, must_lose in MODEL_CARD_WRONG:
        _submit(root, aid, name, _student_copy(root, aid, {grade_id: code}))
        result = api.autograde(aid, name)
        assert result["success"], result["log"]
        grades = _grades(api, aid, name)
        lost = {cell for cell, (score, max_score, manual) in grades.items() if not manual and score < max_score}
        assert lost == must_lose, (name, grades)


# Exercise 06: for every autograded part, a constant answer, a random answer and an answer that calls the
# library's own implementation must fail that part's tests (visible or hidden). Checked in-process: the setup
# cell runs once, then each part's test cell runs after the solutions, with one part replaced.
DETECTOR_BAD_ANSWERS = {
    ("features", "test_features"): {
        "constant": "def spectral_features(images):\n    return np.zeros((len(images), images.shape[2] * (images.shape[3] // 2 + 1)))\n",
        "random": "def spectral_features(images):\n"
                  "    return np.random.default_rng(0).normal(size=(len(images), images.shape[2] * (images.shape[3] // 2 + 1)))\n",
        "library": "from workshop_utils.detection import spectra\n\n\n"
                   "def spectral_features(images):\n    return spectra.spectral_features(images)\n",
        "library helper": "from workshop_utils.detection.spectra import power_spectrum\n\n\n"
                          "def spectral_features(images):\n"
                          "    p = np.fft.ifftshift(power_spectrum(images), axes=(-2, -1))\n"
                          "    return np.log10(p[..., : images.shape[3] // 2 + 1] + 1e-8).reshape(len(images), -1)\n",
    },
    ("detector", "test_detector"): {
        "constant": "from sklearn.dummy import DummyClassifier\n\n\n"
                    "def fit_detector(features_real, features_fake):\n"
                    "    X, y = np.concatenate([features_real, features_fake]), [0] * len(features_real) + [1] * len(features_fake)\n"
                    "    return DummyClassifier(strategy='prior').fit(X, y)\n",
        "random": "class _Coin:\n"
                  "    def predict_proba(self, X):\n"
                  "        p = np.random.default_rng(0).random(len(X))\n"
                  "        return np.stack([1 - p, p], axis=1)\n\n\n"
                  "def fit_detector(features_real, features_fake):\n    return _Coin()\n",
        "library": "from workshop_utils.detection.detectors import fit_logistic\n\n\n"
                   "def fit_detector(features_real, features_fake):\n"
                   "    labels = np.r_[np.zeros(len(features_real)), np.ones(len(features_fake))]\n"
                   "    return fit_logistic(np.concatenate([features_real, features_fake]), labels, C=0.01)\n",
        "labels swapped": "def fit_detector(features_real, features_fake):\n"
                          "    X = np.concatenate([features_real, features_fake])\n"
                          "    y = np.r_[np.ones(len(features_real)), np.zeros(len(features_fake))]\n"
                          "    return make_pipeline(StandardScaler(), LogisticRegression(C=0.01)).fit(X, y)\n",
    },
    ("accuracy", "test_accuracy"): {
        "constant": "def balanced_accuracy(scores_real, scores_fake, threshold):\n    return 0.75\n",
        "random": "def balanced_accuracy(scores_real, scores_fake, threshold):\n    return float(np.random.random())\n",
        "library": "from workshop_utils.detection import evaluate\n\n\n"
                   "def balanced_accuracy(scores_real, scores_fake, threshold):\n"
                   "    return evaluate.evaluate(scores_real, scores_fake, threshold).accuracy\n",
        "plain accuracy": "def balanced_accuracy(scores_real, scores_fake, threshold):\n"
                          "    right = np.sum(np.asarray(scores_real) < threshold) + np.sum(np.asarray(scores_fake) >= threshold)\n"
                          "    return float(right / (len(scores_real) + len(scores_fake)))\n",
    },
    ("threshold", "test_threshold"): {
        "constant": "def choose_threshold(scores_real, scores_fake):\n    return 0.5\n",
        "random": "def choose_threshold(scores_real, scores_fake):\n"
                  "    return float(np.random.default_rng(1).uniform(min(np.min(scores_real), np.min(scores_fake)),"
                  " max(np.max(scores_real), np.max(scores_fake))))\n",
        "library": "from workshop_utils.detection.evaluate import choose_threshold\n",
        "median": "def choose_threshold(scores_real, scores_fake):\n"
                  "    return float(np.median(np.concatenate([scores_real, scores_fake])))\n",
    },
    ("jpeg", "test_jpeg"): {
        "constant": "def jpeg_roundtrip(images, quality):\n    return np.asarray(images, dtype=np.float32).copy()\n",
        "random": "def jpeg_roundtrip(images, quality):\n"
                  "    noise = np.random.default_rng(0).normal(0, 0.02, np.shape(images))\n"
                  "    return np.clip(images + noise, 0, 1).astype(np.float32)\n",
        "library": "from workshop_utils.detection import robustness\n\n\n"
                   "def jpeg_roundtrip(images, quality):\n    return robustness.jpeg(images, quality)\n",
        "ignores quality": "def jpeg_roundtrip(images, quality):\n"
                           "    out = np.empty(np.shape(images), dtype=np.float32)\n"
                           "    for i, image in enumerate(images):\n"
                           "        buffer = io.BytesIO()\n"
                           "        Image.fromarray(np.round(image.transpose(1, 2, 0) * 255).astype(np.uint8)).save(buffer, format='JPEG')\n"
                           "        out[i] = np.asarray(Image.open(buffer), dtype=np.float32).transpose(2, 0, 1) / 255\n"
                           "    return out\n",
    },
}


@pytest.fixture(scope="module")
def detector_exercise():
    """The setup cell of exercise 06 run once, and the solution's cells by grade id."""
    solution = nbformat.read(REPO / "solutions" / "06_detector" / "06_detector.ipynb", as_version=4)
    cells = {_nbgrader(c)["grade_id"]: c for c in solution.cells if c.cell_type == "code"}
    namespace: dict = {}
    exec(compile(cells["setup"].source, "setup", "exec"), namespace)
    answers = {grade_id: _solution_text(c.source) for grade_id, c in cells.items() if _nbgrader(c).get("solution")}
    return namespace, answers, {grade_id: c.source for grade_id, c in cells.items()}


def _run_part(detector_exercise, part, answer, test):
    namespace, answers, sources = detector_exercise
    local = dict(namespace)
    for grade_id, code in answers.items():
        exec(compile(answer if grade_id == part else code, grade_id, "exec"), local)
    exec(compile(sources[test], test, "exec"), local)


@pytest.mark.slow
@pytest.mark.parametrize("part, test", list(DETECTOR_BAD_ANSWERS), ids=[p for p, _ in DETECTOR_BAD_ANSWERS])
def test_detector_exercise_solution_passes_each_part(detector_exercise, part, test):
    _run_part(detector_exercise, part, detector_exercise[1][part], test)


@pytest.mark.slow
@pytest.mark.parametrize(
    "part, test, kind",
    [(part, test, kind) for (part, test), answers in DETECTOR_BAD_ANSWERS.items() for kind in answers],
    ids=[f"{part}-{kind}" for (part, _), answers in DETECTOR_BAD_ANSWERS.items() for kind in answers],
)
def test_detector_exercise_rejects_constant_random_and_library_answers(detector_exercise, part, test, kind):
    with pytest.raises(AssertionError):
        _run_part(detector_exercise, part, DETECTOR_BAD_ANSWERS[part, test][kind], test)


# Answers that return constants, for the text-watermark exercise: every part they touch loses its points
# (they also fail visible tests, which is fine: a student would see that before handing in).
CONSTANT_ANSWERS = {
    "07_text_watermark": ({
        "green": "def green_list(context, key, vocab_size, gamma=0.5):\n"
                 "    return torch.arange(vocab_size) < round(gamma * vocab_size)\n",
        "logits": "def watermark_logits(logits, context, key, delta, gamma=0.5):\n    return logits + delta\n",
        "z": "def z_score(n_green, n_scored, gamma=0.5):\n    return 5.0\n",
        "detect": "def detect(text, key, vocab, width=4, gamma=0.5, threshold=4.0):\n    return 5.0, True\n",
        "fpr": "def false_positive_rate(passages, keys, width):\n    return 0.0\n",
        "rates": "def detection_rates(texts, key, lengths=(200, 400, 800)):\n    return {n: 1.0 for n in lengths}\n",
    }, {"test_green", "test_logits", "test_z", "test_detect", "test_fpr", "test_rates"}),
}


@pytest.mark.slow
@pytest.mark.parametrize("aid", sorted(CONSTANT_ANSWERS))
def test_constant_answers_lose_every_part_they_touch(course, aid):
    api, root, _ = course
    assert api.generate_assignment(aid)["success"]
    answers, loses = CONSTANT_ANSWERS[aid]
    _submit(root, aid, "constant", _student_copy(root, aid, answers))
    assert api.autograde(aid, "constant")["success"]
    assert _lost(_grades(api, aid, "constant")) >= loses
