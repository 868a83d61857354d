import json

import pytest

from workshop_utils.course import cli

RESOURCE_ARGS = ["--title", "A test resource", "--url", "https://example.org/resource", "--year", "2020",
                 "--type", "paper", "--topics", "detection,labels", "--audience", "student",
                 "--summary", "A summary that is long enough to be accepted by the checker."]


def test_cli_check(capsys):
    assert cli.main(["check"]) == 0
    assert "All set" in capsys.readouterr().out


def test_cli_anatomy_and_notebooks_check_pass_on_the_repository(capsys, repo, monkeypatch):
    monkeypatch.chdir(repo)
    assert cli.main(["anatomy", "check"]) == 0
    assert cli.main(["notebooks", "check"]) == 0


def test_cli_reports_bad_paths(capsys, tmp_path):
    assert cli.main(["notebooks", "check", str(tmp_path / "nope.ipynb")]) == 2
    assert "not a notebook file or a folder" in capsys.readouterr().err


def test_cli_rejects_unknown_command():
    with pytest.raises(SystemExit):
        cli.main(["fly"])


def test_cli_resources_add_writes_a_suggestion_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["resources", "add", *RESOURCE_ARGS]) == 0
    saved = json.loads((tmp_path / "resource_suggestions.json").read_text())
    assert saved["resources"][0]["topics"] == ["detection", "labels"]
    assert cli.main(["resources", "add", *RESOURCE_ARGS]) == 2, "a duplicate link is refused"
    assert "already listed" in capsys.readouterr().err


def test_cli_resources_add_reports_every_problem(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    bad = ["--title", "A", "--url", "ftp://x", "--year", "1800", "--type", "papr", "--topics", "x",
           "--audience", "student", "--summary", "short"]
    assert cli.main(["resources", "add", *bad]) == 2
    err = capsys.readouterr().err
    for field in ("title:", "url:", "year:", "type:", "topics:", "summary:"):
        assert field in err
    assert not (tmp_path / "resource_suggestions.json").exists()
    assert cli.main(["resources", "add", "--title", "Only a title"]) == 2
    assert "needs --url" in capsys.readouterr().err


def test_cli_resources_check_and_render(tmp_path, capsys):
    assert cli.main(["resources", "check"]) == 0
    out = tmp_path / "guide.md"
    assert cli.main(["resources", "render", "--output", str(out)]) == 0
    assert out.read_text().startswith("# ")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"resources": [{"title": "x"}]}))
    assert cli.main(["resources", "check", "--file", str(broken)]) == 1
