"""The nbgrader pipeline, in-process: generate, validate, autograde, feedback.

For every assignment in solutions/:
- regenerating exercises/ reproduces the committed bytes;
- no solution code and no hidden test appears anywhere in exercises/;
- autograding the solution scores full marks (the written answer waits for a human);
- an untouched exercise scores 0 on autograded cells, and autograding does not crash;
- a submission that passes the visible tests but is wrong loses the hidden-test points.
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


def _student_copy(root: Path, aid: str, mutate: tuple | None = None):
    """The generated exercise with every solution cell filled in from the solutions."""
    solution = nbformat.read(root / "solutions" / aid / f"{aid}.ipynb", as_version=4)
    answers = {_nbgrader(c)["grade_id"]: c.source for c in solution.cells if _nbgrader(c).get("solution")}
    notebook = nbformat.read(root / "exercises" / aid / f"{aid}.ipynb", as_version=4)
    for cell in notebook.cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if _nbgrader(cell).get("solution"):
            cell.source = _solution_text(answers[grade_id])
            if mutate and grade_id == mutate[0]:
                cell.source = mutate[1]
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

    # Feedback for the perfect student renders, with scores.
    assert api.generate_feedback(aid, "perfect")["success"]
    html = (root / "feedback" / "perfect" / aid / f"{aid}.html").read_text(encoding="utf-8")
    assert "Score:" in html
