"""Suggesting a resource from a notebook, and merging many participants' suggestions in one command."""

import json
import multiprocessing
import os
import stat

import pytest

from workshop_utils import sharing
from workshop_utils.course import cli
from workshop_utils.resources import SuggestionForm, guide


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(sharing.SHARE_ENV, raising=False)
    monkeypatch.setenv(sharing.ID_FILE_ENV, str(tmp_path / "id"))
    return tmp_path


def _fill(form, *, url="https://example.org/a-guide", title="A guide to disclosure", summary=None):
    form.widget()
    form.title.value, form.url.value, form.year.value = title, url, "2021"
    form.type.value = "guide"
    form.topics.value = ("labels", "detection")
    form.audience.value = ("student",)
    form.summary.value = summary if summary is not None else "How to label synthetic media so that viewers notice."


def test_the_form_checks_like_the_command_and_names_every_problem(here):
    form = SuggestionForm()
    _fill(form, url="not a link", summary="short")
    found = form.check()
    assert any(p.startswith("url") for p in found) and any(p.startswith("summary") for p in found)
    assert form.status_text.startswith("Not yet: ") and "workshop-status-error" in form.status._dom_classes
    assert form.save() is None and not (here / guide.SUGGESTIONS_FILE).exists(), "nothing invalid is saved"
    assert form.title.value == "A guide to disclosure", "a refused suggestion keeps what was typed"
    shipped = guide.load(guide.default_path())[0]
    _fill(form, url=shipped.url)
    assert form.check() == [f"url: already in the workshop's guide as {shipped.title!r}"]


def test_saving_appends_to_the_suggestions_file_and_clears_the_form(here):
    form = SuggestionForm()
    _fill(form)
    assert form.check() == [] and "Looks good" in form.status_text
    form.save_button.click()
    saved = json.loads((here / guide.SUGGESTIONS_FILE).read_text())["resources"]
    assert [e["url"] for e in saved] == ["https://example.org/a-guide"] and saved[0]["topics"] == ["labels", "detection"]
    assert guide.validate_entry(saved[0]) == []
    assert form.title.value == "" and form.type.value is None and form.topics.value == ()
    assert "Saved to resource_suggestions.json" in form.status_text and "shared" not in form.status_text
    _fill(form)
    assert form.save() is None and "already" in form.status_text, "the same link twice is refused"
    _fill(form, url="https://example.org/another", title="Another")
    assert form.save()["title"] == "Another" and len(form.saved) == 2
    assert guide.check_file(here / guide.SUGGESTIONS_FILE) == [], "the file passes `workshop resources check`"


def test_with_a_share_folder_the_suggestion_also_reaches_the_facilitator(here):
    share = here / "share"
    share.mkdir()
    form = SuggestionForm(share=share)
    _fill(form)
    assert form.save() is not None and "shared with the facilitator" in form.status_text
    shared = json.loads(form.share_path.read_text())["resources"]
    assert form.share_path.parent == share / "resources" and shared[0]["url"] == "https://example.org/a-guide"
    assert stat.S_IMODE(os.stat(form.share_path).st_mode) & 0o044, "the facilitator's account can read it"


def _participant(folder: str, share: str, number: int) -> None:
    os.chdir(folder)
    os.environ[sharing.ID_FILE_ENV] = os.path.join(folder, "id")
    form = SuggestionForm(share=share)
    for k in range(3):
        _fill(form, url=f"https://example.org/p{number}/r{k}", title=f"Resource {k} of participant {number}")
        assert form.save() is not None, form.status_text
    _fill(form, url="https://example.org/everyone", title="The one everyone suggests")
    assert form.save() is not None, form.status_text


def test_the_facilitator_merges_everyones_suggestions_in_one_command(here, capsys):
    share = here / "share"
    share.mkdir()
    context = multiprocessing.get_context("spawn")
    folders = []
    for n in range(5):
        folders.append(here / f"laptop{n}")
        folders[-1].mkdir()
    jobs = [context.Process(target=_participant, args=(str(f), str(share), n)) for n, f in enumerate(folders)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(timeout=180)
        assert job.exitcode == 0
    files = sorted((share / "resources").glob("*.json"))
    assert len(files) == 5, "one file per participant"
    (share / "resources" / "p-00000000dead.json").write_text('{"resources": [{"title": "broken"}]}')
    into = here / "reviewed.json"
    assert cli.main(["resources", "merge", *map(str, sorted((share / "resources").glob("*.json"))),
                     "--into", str(into)]) == 0
    report = capsys.readouterr().out
    merged = json.loads(into.read_text())["resources"]
    urls = [e["url"] for e in merged]
    assert len(urls) == 16 and len(set(urls)) == 16, "15 own resources and the shared one once"
    assert "added 16" in report and "left out 4 duplicate(s) and 1 invalid" in report
    assert cli.main(["resources", "merge", str(files[0]), "--into", str(into)]) == 0
    assert "added 0" in capsys.readouterr().out, "merging again adds nothing twice"
    assert cli.main(["resources", "merge", "--into", str(into)]) == 2
    assert cli.main(["resources", "check", str(files[0])]) == 2, "only merge takes suggestion files"
