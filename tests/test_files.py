"""The safe file helpers: bounded JSON, text in any common encoding, outputs that never destroy inputs."""

import json
import os

import pytest

from workshop_utils._files import (
    MAX_JSON_DEPTH,
    check_output_path,
    decode_text,
    is_protected_file,
    json_depth,
    load_json,
    read_text_file,
    write_json_atomic,
    write_output,
    write_text_atomic,
)
from workshop_utils._validate import check_path, check_plain_name


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000, "[" * (MAX_JSON_DEPTH + 1)
                                  + "]" * (MAX_JSON_DEPTH + 1)])
def test_load_json_refuses_deep_nesting_with_a_clear_error(text):
    with pytest.raises(ValueError, match="nests lists or objects more than 64 levels deep"):
        load_json(text, source="the test file")


def test_load_json_reads_normal_json_and_names_the_source():
    assert load_json(b'\xef\xbb\xbf{"a": [1, 2]}') == {"a": [1, 2]}  # a byte-order mark is fine
    assert json_depth({"a": [{"b": 1}]}) == 3 and json_depth(5) == 0
    with pytest.raises(ValueError, match=r"names.json is not valid JSON \(line 1, column 2"):
        load_json("{x", source="names.json")
    with pytest.raises(ValueError, match="is not UTF-8"):
        load_json(b"\xff\xfe{", source="x")


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
    ("latin-1", "cp1252"), ("cp1252", "cp1252"),
])
def test_decode_text_reads_the_encodings_people_save_in(encoding, expected):
    text = "Zoë Müller\nJosé Ñúñez\n"
    decoded, used = decode_text(text.encode(encoding))
    assert decoded.replace("\ufeff", "") == text and used == expected


def test_decode_text_keeps_utf8_with_a_damaged_byte_and_never_raises():
    decoded, used = decode_text("café ".encode() + b"\xff")
    assert decoded.startswith("café") and used == "utf-8, damaged"
    assert decode_text(b"\x00\x01\x02\xff\xfe")[1] in ("binary", "utf-16-le", "utf-16-be")


def test_read_text_file_names_the_argument(tmp_path):
    with pytest.raises(IsADirectoryError, match="names file: .* is a folder"):
        read_text_file(tmp_path, name="names file")
    with pytest.raises(FileNotFoundError, match="names file: no file at"):
        read_text_file(tmp_path / "nope.txt", name="names file")
    (tmp_path / "bin.txt").write_bytes(b"PK\x03\x04\x00\x00\x00\x00\x00binary")
    with pytest.raises(ValueError, match="is not a text file"):
        read_text_file(tmp_path / "bin.txt", name="names file")


def _journal(path):
    path.write_text(json.dumps({"format": "workshop-journal", "version": 1, "entries": {}}))
    return path


def test_an_output_is_never_an_input_or_a_journal(tmp_path):
    source = tmp_path / "in.md"
    source.write_text("input")
    with pytest.raises(ValueError, match="is also an input"):
        write_output(source, "x", inputs=[source], force=True)
    link = tmp_path / "link.md"
    link.symlink_to(source)
    with pytest.raises(ValueError, match="is also an input"):
        write_output(link, "x", inputs=[source], force=True)
    hard = tmp_path / "hard.md"
    os.link(source, hard)
    with pytest.raises(ValueError, match="is also an input"):
        write_output(hard, "x", inputs=[source], force=True)
    journal = _journal(tmp_path / "anything.json")
    with pytest.raises(ValueError, match="holds a journal or a rooms history; it is never overwritten"):
        write_output(journal, "x", force=True)
    backup = tmp_path / "workshop_journal.corrupt-20260101-120000.json"
    backup.write_text("damaged")
    assert is_protected_file(backup)
    with pytest.raises(ValueError, match="never overwritten"):
        write_output(backup, "x", force=True)
    assert source.read_text() == "input" and json.loads(journal.read_text())["format"] == "workshop-journal"


def test_an_existing_output_is_replaced_only_with_force(tmp_path):
    target = tmp_path / "out.md"
    write_output(target, "first")
    with pytest.raises(FileExistsError, match="already exists; use --force"):
        write_output(target, "second")
    assert target.read_text() == "first"
    write_output(target, "second", force=True)
    assert target.read_text() == "second"
    with pytest.raises(IsADirectoryError, match="is a folder"):
        check_output_path(tmp_path, name="-o")
    with pytest.raises(FileNotFoundError, match="the folder .* does not exist"):
        check_output_path(tmp_path / "no" / "out.md", name="-o")


def test_atomic_writes_follow_links_and_refuse_read_only_files(tmp_path):
    real = tmp_path / "real.json"
    write_json_atomic(real, {"a": 1})
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_json_atomic(link, {"a": 2})
    assert link.is_symlink() and json.loads(real.read_text()) == {"a": 2}
    real.chmod(0o444)
    try:
        with pytest.raises(PermissionError, match="is read-only, so it was not changed"):
            write_text_atomic(real, "x")
        assert json.loads(real.read_text()) == {"a": 2}
    finally:
        real.chmod(0o644)


def test_json_with_a_lone_surrogate_is_written_not_lost(tmp_path):
    path = write_json_atomic(tmp_path / "s.json", {"answer": "half \ud83d an emoji"})
    assert json.loads(path.read_text(encoding="utf-8"))["answer"] == "half \ud83d an emoji"


@pytest.mark.parametrize("value", [42, None, b"x.json", ["a"]])
def test_check_path_names_the_argument(value):
    with pytest.raises(TypeError, match="journal must be a file path"):
        check_path("journal", value)


@pytest.mark.parametrize("value", ["../x", "a/b", "a\\b", "..", ".hidden", "", "c:x"])
def test_check_plain_name_refuses_folders_and_dots(value):
    with pytest.raises(ValueError, match="name must be a plain name"):
        check_plain_name("name", value)
