"""Set-up files agree with each other, and the package follows the style rules."""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "workshop_utils"
# pip name -> conda-forge name, where they differ
CONDA_NAMES = {"torch": "pytorch-cpu"}
# Installed by pip inside environment.yml: not on conda-forge (c2pa-python), or the PyPI headless
# build of OpenCV wanted (conda-forge's opencv-python-headless is a single build labelled broken).
PIP_IN_CONDA = {"opencv-python-headless", "c2pa-python"}
# The only upper caps allowed, each with its reason: c2pa-python's API changes between minor releases.
CAPPED = {"c2pa-python": "<0.39"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement.strip())
    return match.group(1).lower(), match.group(2).replace(" ", "")


def test_environment_yml_lists_the_same_runtime_dependencies_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pip_deps = dict(_split(r) for r in project["dependencies"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_deps = dict(_split(d.replace("=", "==", 1) if re.match(r"^python=", d) else d) for d in conda)
    expected = {CONDA_NAMES.get(name, name): spec for name, spec in pip_deps.items() if name not in PIP_IN_CONDA}
    actual = {k: v for k, v in conda_deps.items() if k not in {"python", "pip"}}
    assert actual == expected
    assert "conda-forge" in env["channels"]
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml needs one `pip:` subsection"
    assert dict(_split(r) for r in pip_sections[0]) == {n: s for n, s in pip_deps.items() if n in PIP_IN_CONDA}


def test_pyproject_uses_floor_pins_only_and_keeps_torch_floor():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    assert not [r for r in reqs if "==" in r], "pyproject.toml takes floor pins only (>=)"
    for name, spec in map(_split, reqs):
        clauses = spec.split(",") if spec else []
        assert clauses and clauses[0].startswith(">="), f"{name} needs a floor pin (>=)"
        assert clauses[1:] == ([CAPPED[name]] if name in CAPPED else []), (
            f"{name}: floor pins only; an upper cap needs a reason in CAPPED")
    assert "torch>=2.2" in project["dependencies"]


def test_invisible_watermark_is_installed_without_its_declared_dependencies():
    # Its metadata requires opencv-python (clashes with the headless build) and an unpinned torch.
    makefile, post_build = (REPO / "Makefile").read_text(), (REPO / "postBuild").read_text()
    assert re.search(r'pip install --no-deps "invisible-watermark==\$\(IMWATERMARK_VERSION\)"', makefile)
    assert re.search(r"^IMWATERMARK_VERSION \?= \d+\.\d+\.\d+$", makefile, re.M)
    assert "pip install --no-cache-dir --no-deps invisible-watermark==" in post_build
    installs = [l for l in makefile.splitlines() + post_build.splitlines() if "invisible-watermark" in l and "pip" in l]
    assert installs and all("--no-deps" in l for l in installs)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    assert not any(r.lower().startswith("invisible-watermark") for r in reqs)


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    assert "```bash\nmake test\n```" in readme
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_makefile_installs_the_cpu_build_of_torch_first():
    makefile = (REPO / "Makefile").read_text()
    torch_line = next(i for i, l in enumerate(makefile.splitlines()) if '"torch==' in l)
    project_line = next(i for i, l in enumerate(makefile.splitlines()) if "pip install -e" in l)
    assert torch_line < project_line
    assert "download.pytorch.org/whl/cpu" in makefile


def test_binder_files():
    post_build = REPO / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    assert "set -euo pipefail" in post_build.read_text() and "pip install" in post_build.read_text()
    assert not (REPO / "binder").exists() and not (REPO / ".binder").exists(), (
        "a binder/ folder would make repo2docker ignore the root environment.yml")
    badge = re.search(r"\(https://mybinder\.org/v2/gh/[^)]*urlpath=lab/tree/([^)]+)\)", (REPO / "README.md").read_text())
    assert badge and (REPO / badge.group(1)).exists(), "the Binder badge must open an existing lesson"


def test_importing_the_package_is_light_and_side_effect_free():
    code = (
        "import sys, workshop_utils, workshop_utils.course.cli, workshop_utils.course.curriculum;"
        "heavy = [m for m in ('torch', 'matplotlib', 'ipywidgets', 'sklearn') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_star_imports_and_every_public_function_has_a_docstring():
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        assert ast.get_docstring(tree), f"{path.name} needs a module docstring"
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert all(alias.name != "*" for alias in node.names), f"star import in {path.name}"
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                assert ast.get_docstring(node), f"{path.name}: {node.name} needs a docstring"


def test_gitignore_keeps_grading_state_and_journals_out():
    ignored = (REPO / ".gitignore").read_text()
    for entry in ["submitted/", "autograded/", "feedback/", "gradebook.db", ".venv/"]:
        assert entry in ignored
