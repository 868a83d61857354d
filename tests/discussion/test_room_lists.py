"""Room lists for online sessions: one room per line for a call's chat, Zoom's breakout pre-assignment CSV."""

import csv
import io

import pytest

from workshop_utils.course import cli
from workshop_utils.discussion.rooms import split_into_rooms

PEOPLE = ["Ana Silva <ana@example.org>", "Ben Okafor <ben@example.org>", "Chen Wei <chen@example.org>",
          "Dee Ray <dee@example.org>", "Eli Moss <eli@example.org>", "Fay Lin <fay@example.org>",
          "Gus Hale <gus@example.org>"]


def test_one_room_per_line_leaves_the_addresses_out():
    rooms = split_into_rooms(PEOPLE, seed=3)
    lines = rooms.to_lines().splitlines()
    assert len(lines) == len(rooms.rooms) == 2
    assert all(line.startswith(f"Room {i}: ") for i, line in enumerate(lines, 1))
    assert "@" not in rooms.to_lines() and "<" not in rooms.to_lines()
    named = [name for line in lines for name in line.split(": ", 1)[1].split(", ")]
    assert sorted(named) == sorted(p.split(" <")[0] for p in PEOPLE), "everyone once"


def test_the_zoom_csv_pre_assigns_everyone_by_address():
    rooms = split_into_rooms(PEOPLE, seed=3)
    rows = list(csv.reader(io.StringIO(rooms.to_zoom_csv())))
    assert rows[0] == ["Pre-assign Room Name", "Email Address"]
    assert sorted(address for _, address in rows[1:]) == sorted(p.split("<")[1][:-1] for p in PEOPLE)
    for i, room in enumerate(rooms.rooms, 1):
        assert sorted(a for r, a in rows[1:] if r == f"Room {i}") == sorted(n.split("<")[1][:-1] for n in room)
    plain = split_into_rooms(["ana@example.org", "Ben", "Chen <chen@example.org>"], seed=1)
    with pytest.raises(ValueError, match="missing for: Ben"):
        plain.to_zoom_csv()


def test_the_command_prints_lines_or_csv_and_keeps_remarks_off_stdout(tmp_path, capsys):
    names = tmp_path / "names.txt"
    names.write_text("\n".join(PEOPLE) + "\n")
    assert cli.main(["rooms", str(names), "--format", "zoom-csv"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Pre-assign Room Name,Email Address\n") and "--seed" in err and "--seed" not in out
    assert cli.main(["rooms", str(names), "--seed", "3", "--format", "lines"]) == 0
    out, _ = capsys.readouterr()
    assert out == split_into_rooms(PEOPLE, seed=3).to_lines()
    assert cli.main(["rooms", str(names), "--seed", "3", "--format", "text"]) == 0
    assert "Room 1" in capsys.readouterr().out
