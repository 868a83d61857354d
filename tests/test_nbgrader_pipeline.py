"""The nbgrader pipeline, in-process: generate, validate, autograde, feedback.

For every assignment in solutions/:
- regenerating exercises/ reproduces the committed bytes;
- no solution code and no hidden test appears anywhere in exercises/;
- autograding the solution scores full marks (the written answer waits for a human);
- an untouched exercise scores 0 on autograded cells, and autograding does not crash;
- a submission that passes the visible tests but is wrong loses the hidden-test points;
- where listed, answers that only call the library, or return constants, lose every part they touch.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("nbgrader")
from nbgrader.apps import NbGraderAPI  # noqa: E402
from nbgrader.validator import Validator  # noqa: E402
from traitlets.config.loader import PyFileConfigLoader  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit())

# A plausible mistake per assignment that the visible tests cannot see:
# (solution cell grade_id, the wrong code for that cell, grade cells that must lose their points)
WRONG_SUBMISSIONS = {
    "01_gan_basics": (
        "d_loss",
        # sums over the batch instead of averaging: right for one example, wrong for a batch
        "def discriminator_loss(real_logits, fake_logits):\n"
        "    return -(F.logsigmoid(real_logits).sum() + F.logsigmoid(-fake_logits).sum())\n",
        {"test_d_loss"},
    ),
    "03_autoencoder_faceswap": (
        "train_step",
        # compares the output with the distorted input instead of the clean face: identical when
        # nothing is distorted (as in the visible loss check), and it still swaps well enough to
        # reach the bar, so only the hidden tests can catch it
        "def train_step(model, optimizer, faces_a, faces_b, warp=faceswap.random_warp):\n"
        "    warped_a, warped_b = warp(faces_a), warp(faces_b)\n"
        "    loss_a = F.l1_loss(model.decoders['A'](model.encoder(warped_a)), warped_a)\n"
        "    loss_b = F.l1_loss(model.decoders['B'](model.encoder(warped_b)), warped_b)\n"
        "    optimizer.zero_grad()\n"
        "    (loss_a + loss_b).backward()\n"
        "    optimizer.step()\n"
        "    return {'loss_a': loss_a.item(), 'loss_b': loss_b.item()}\n",
        {"test_train_step"},
    ),
    "02_diffusion": (
        "q_sample",
        # forgets the square root on the noise factor: right where abar is 0 or 1, wrong in between;
        # it still trains to the quality bar, which is why only hidden tests can catch it
        "def q_sample(x0, t, noise, alphas_cumprod):\n"
        "    signal_level = alphas_cumprod[t].reshape(-1, 1)\n"
        "    return signal_level.sqrt() * x0 + (1 - signal_level) * noise\n",
        {"test_q_sample"},
    ),
    "04_text_generation": (
        "ppl",
        # averages each line's perplexity instead of exp of the mean NLL over all characters:
        # right for one line or equally surprising lines, wrong for a real batch
        "def perplexity(logits, targets):\n"
        "    per_line = [math.exp(mean_nll(logits[i:i + 1], targets[i:i + 1])) for i in range(len(logits))]\n"
        "    return sum(per_line) / len(per_line)\n"
        "\n\n"
        "def bits_per_char(logits, targets):\n"
        "    return mean_nll(logits, targets) / math.log(2)\n",
        {"test_ppl"},
    ),
    "08_model_card": (
        "energy",
        # forgets the memory term: right for every visible check (they hold no memory), wrong for a real run
        "def energy_wh(cpu_s, wall_s, memory_gb, watts_per_core=12.0, watts_per_gb=0.3725, pue=1.0):\n"
        "    return pue * cpu_s * watts_per_core / 3600.0\n",
        {"test_energy"},
    ),
    "07_text_watermark": (
        "green",
        # truncates the green share with int() instead of rounding: identical for 72 characters at
        # gamma 0.5 or 0.25 (all the visible checks), one id short at 72 x 0.3 = 21.6
        "def green_list(context, key, vocab_size, gamma=0.5):\n"
        "    if not context:\n"
        "        raise ValueError('context must not be empty')\n"
        "    seed = int.from_bytes(hashlib.sha256(f'{key}:{context}'.encode('utf-8')).digest()[:8], 'big')\n"
        "    perm = torch.randperm(vocab_size, generator=torch.Generator().manual_seed(seed))\n"
        "    mask = torch.zeros(vocab_size, dtype=torch.bool)\n"
        "    mask[perm[: int(gamma * vocab_size)]] = True\n"
        "    return mask\n",
        {"test_green", "test_logits"},
    ),
    "06_detector": (
        "features",
        # the magnitude |F| instead of the power |F|**2: a flat image still gives -8, a checkerboard still peaks at
        # the corner, and after standardisation it is the same detector, so only the hidden feature test sees it
        "def spectral_features(images):\n"
        "    x = np.asarray(images, dtype=np.float64)\n"
        "    x = x - x.mean(axis=(2, 3), keepdims=True)\n"
        "    magnitude = np.abs(np.fft.rfft2(x)).mean(axis=1)\n"
        "    return np.log10(magnitude + 1e-8).reshape(len(x), -1)\n",
        {"test_features"},
    ),
}
# More wrong submissions for some assignments: (student, {solution grade_id: code}, grade cells that
# must lose their points, whether it passes the visible tests). "delegates" answers every part by
# calling the library's own implementation; "constant" returns fixed answers.
MORE_WRONG_SUBMISSIONS = {
    "07_text_watermark": [
        ("delegates", {
            "green": "def green_list(context, key, vocab_size, gamma=0.5):\n"
                     "    return text_watermark.green_list(context, key, vocab_size, gamma)\n",
            "logits": "def watermark_logits(logits, context, key, delta, gamma=0.5):\n"
                      "    green = text_watermark.green_list(context, key, logits.shape[-1], gamma)\n"
                      "    return text_watermark.watermark_logits(logits, green, delta)\n",
            "z": "def z_score(n_green, n_scored, gamma=0.5):\n"
                 "    return text_watermark.z_score(n_green, n_scored, gamma)\n",
            "detect": "def detect(text, key, vocab, width=4, gamma=0.5, threshold=4.0):\n"
                      "    found = text_watermark.detect(text, text_watermark.GreenLists(vocab, key, gamma, width), threshold)\n"
                      "    return found.z, found.watermarked\n",
            "fpr": "from workshop_utils.provenance import robustness\n\n\n"
                   "def false_positive_rate(passages, keys, width):\n"
                   "    return robustness.real_text_scores(passages, vocab, keys, width).flagged_share(4.0)\n",
            "rates": "def detection_rates(texts, key, lengths=(200, 400, 800)):\n"
                     "    return robustness.detection_rates(texts, text_watermark.GreenLists(vocab, key), lengths)\n",
        }, {"test_green", "test_logits", "test_z", "test_detect", "test_fpr", "test_rates"}, True),
        ("constant", {
            "green": "def green_list(context, key, vocab_size, gamma=0.5):\n"
                     "    return torch.arange(vocab_size) < round(gamma * vocab_size)\n",
            "logits": "def watermark_logits(logits, context, key, delta, gamma=0.5):\n    return logits + delta\n",
            "z": "def z_score(n_green, n_scored, gamma=0.5):\n    return 5.0\n",
            "detect": "def detect(text, key, vocab, width=4, gamma=0.5, threshold=4.0):\n    return 5.0, True\n",
            "fpr": "def false_positive_rate(passages, keys, width):\n    return 0.0\n",
            "rates": "def detection_rates(texts, key, lengths=(200, 400, 800)):\n    return {n: 1.0 for n in lengths}\n",
        }, {"test_green", "test_logits", "test_z", "test_detect", "test_fpr", "test_rates"}, False),
    ],
}
# Exercise 05 has several plausible mistakes. Each is (grade_id, wrong code, cells that lose points,
# passes the visible tests?); the last item is optional and True by default.
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
    # a constant answer: what the first visible check expects, whatever the log
    ("co_shares", _CO_SHARES_HEAD + "    return pd.DataFrame({'item_id': [5], 'account_a': [1], 'account_b': [2], 'gap_s': [3]})\n",
     {"test_co_shares", "test_quality_bar"}, False),
    # delegates to the library: passes the visible tests of Part 1, fails where the library is switched off
    ("co_shares", _CO_SHARES_HEAD + "    return detect.co_shares(events, window)\n",
     {"test_co_shares", "test_quality_bar"}, False),
    # runs the lesson's SQL in DuckDB: graded parts must be pandas
    ("co_shares", _CO_SHARES_HEAD + "    import duckdb\n"
     "    con = duckdb.connect()\n"
     "    con.register('events', events)\n"
     "    return con.execute(detect.CO_SHARES_SQL, {'window': window, 'bucket': max(window, 1)}).df()\n",
     {"test_co_shares", "test_quality_bar"}, False),
    # `<` instead of `<=`: misses pairs exactly `window` apart; still finds the networks
    ("co_shares", _CO_SHARES_HEAD + _PAIRS + "    keep = (p['account_id_a'] < p['account_id_b']) & (gap < window)\n" + _OUT,
     {"test_co_shares"}),
    # self-pairs: an account that shares an item twice "co-shares" with itself
    ("co_shares", _CO_SHARES_HEAD + _PAIRS
     + "    keep = (p['account_id_a'] <= p['account_id_b']) & (gap <= window) & (p['ts_a'] != p['ts_b'])\n" + _OUT,
     {"test_co_shares"}),
    # counts co-share rows instead of distinct items
    ("network", "def account_network(shares):\n"
     "    graph = nx.Graph()\n"
     "    for (a, b), w in shares.groupby(['account_a', 'account_b']).size().items():\n"
     "        graph.add_edge(a, b, weight=int(w))\n"
     "    return graph\n",
     {"test_account_network"}),
]
MARKERS = re.compile(r"^\s*(#+|\s*)\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)", re.M)


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _solution_text(source: str) -> str:
    """The source with the nbgrader solution markers removed (what a student would write)."""
    return "\n".join(l for l in source.splitlines() if not MARKERS.match(l))


def _regions(source: str, kind: str) -> list[str]:
    return re.findall(rf"BEGIN {kind}[^\n]*\n(.*?)\n[^\n]*END {kind}", source, re.S)


@pytest.fixture
def course(tmp_path):
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    config.CourseDirectory.root = str(tmp_path)
    config.CourseDirectory.db_url = f"sqlite:///{tmp_path}/gradebook.db"
    config.Exchange.root = str(tmp_path / "exchange")
    (tmp_path / "exchange").mkdir()
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
def test_no_solution_or_hidden_test_leaks_into_exercises(aid):
    solution = nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    secret_lines, public = set(), []
    for cell in solution.cells:
        text = cell.source
        for kind in ("SOLUTION", "HIDDEN TESTS"):
            for region in _regions(cell.source, kind):
                secret_lines |= {l.strip() for l in region.splitlines() if len(l.strip()) >= 12}
                text = text.replace(region, "")
        public.append(text)
    # A line that the instructor also wrote in a visible part (e.g. a visible test) is not a secret.
    public_text = "\n".join(public)
    secret_lines = {l for l in secret_lines if l not in public_text}
    assert secret_lines, "expected solution and hidden-test regions in the solution notebook"
    assert (REPO / "exercises" / aid).is_dir(), f"exercises/{aid} is missing: run `make exercises`"
    for path in (REPO / "exercises" / aid).rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            leaked = sorted(l for l in secret_lines if l in text)
            assert not leaked, f"{path.relative_to(REPO)} contains solution or hidden-test lines: {leaked[:3]}"
            assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


def _submit(root: Path, aid: str, student: str, notebook) -> None:
    folder = root / "submitted" / student / aid
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{aid}.ipynb")


def _student_copy(root: Path, aid: str, mutate: tuple | dict | None = None):
    """The generated exercise with every solution cell filled in from the solutions.

    ``mutate`` replaces one cell (``(grade_id, code, ...)``) or several (``{grade_id: code}``).
    """
    if isinstance(mutate, tuple):
        mutate = {mutate[0]: mutate[1]}
    solution = nbformat.read(root / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    answers = {_nbgrader(c)["grade_id"]: c.source for c in solution.cells if _nbgrader(c).get("solution")}
    notebook = nbformat.read(root / "exercises" / aid / f"{aid}.ipynb", as_version=4)
    for cell in notebook.cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if _nbgrader(cell).get("solution"):
            cell.source = _solution_text(answers[grade_id])
            if mutate and grade_id in mutate:
                cell.source = mutate[grade_id]
    return notebook


def _grades(api, aid: str, student: str) -> dict[str, tuple[float | None, float, bool]]:
    with api.gradebook as gb:
        submission = gb.find_submission(aid, student)
        return {g.name: (g.auto_score, g.max_score, g.needs_manual_grade) for nb in submission.notebooks for g in nb.grades}


@pytest.mark.slow
@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_autograde_solution_untouched_and_wrong_submissions(course, aid):
    api, root, config = course
    assert api.generate_assignment(aid)["success"]
    exercise = nbformat.read(root / "exercises" / aid / f"{aid}.ipynb", as_version=4)
    _submit(root, aid, "perfect", _student_copy(root, aid))
    _submit(root, aid, "untouched", exercise)
    mutations = WRONG_SUBMISSIONS[aid] if isinstance(WRONG_SUBMISSIONS[aid], list) else [WRONG_SUBMISSIONS[aid]]
    wrong_students = {}
    for k, mutation in enumerate(mutations):
        student = "plausible" if k == 0 else f"plausible{k}"
        _submit(root, aid, student, _student_copy(root, aid, mutation))
        wrong_students[student] = mutation
        # A plausible mistake passes every visible test a student can run (unless marked otherwise).
        if mutation[3:4] != (False,):
            validation = Validator(config=config).validate(str(root / "submitted" / student / aid / f"{aid}.ipynb"))
            assert not validation.get("failed"), f"the wrong submission should pass the visible tests: {validation}"

    for student in ("perfect", "untouched", *wrong_students):
        result = api.autograde(aid, student)
        assert result["success"], result["log"]

    perfect = _grades(api, aid, "perfect")
    auto = {k: v for k, v in perfect.items() if not v[2]}
    manual = {k: v for k, v in perfect.items() if v[2]}
    assert auto and all(score == max_score for score, max_score, _ in auto.values()), perfect
    assert manual, "each exercise has a manually graded written reflection"

    untouched = _grades(api, aid, "untouched")
    assert all(score == 0 for score, _, _ in untouched.values()), untouched

    for student, mutation in wrong_students.items():
        plausible = _grades(api, aid, student)
        lost = {name for name, (score, max_score, manual_cell) in plausible.items() if not manual_cell and score < max_score}
        assert lost == mutation[2], (student, plausible)

    for student, cells, lost_cells, passes_visible in MORE_WRONG_SUBMISSIONS.get(aid, []):
        _submit(root, aid, student, _student_copy(root, aid, cells))
        path = str(root / "submitted" / student / aid / f"{aid}.ipynb")
        assert bool(Validator(config=config).validate(path).get("failed")) != passes_visible, student
        assert api.autograde(aid, student)["success"]
        grades = _grades(api, aid, student)
        lost = {name for name, (score, max_score, manual_cell) in grades.items() if not manual_cell and score < max_score}
        assert lost == lost_cells, (student, grades)

    # Feedback for the perfect student renders, with scores.
    assert api.generate_feedback(aid, "perfect")["success"]
    html = (root / "feedback" / "perfect" / aid / f"{aid}.html").read_text(encoding="utf-8")
    assert "Score:" in html


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
        _submit(root, aid, name, _student_copy(root, aid, (grade_id, code)))
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
