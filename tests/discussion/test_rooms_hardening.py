"""Facilitators sharing a rooms history never lose each other's rounds (issue 15, item 7)."""

import json
import multiprocessing

from journal_fault_helpers import add_round
from workshop_utils.discussion import FacilitatorView
from workshop_utils.discussion.rooms import PairHistory, split_into_rooms


def test_eight_facilitators_sharing_a_history_file_keep_eight_rounds(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("\n".join(f"Person {i:02d}" for i in range(24)) + "\n")
    history = tmp_path / "history.json"
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=add_round, args=(str(names), str(history))) for _ in range(8)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
        assert process.exitcode == 0
    rounds = json.loads(history.read_text())["rounds"]
    assert [r["round"] for r in rounds] == list(range(1, 9))


def test_updating_holds_the_lock_from_read_to_save(tmp_path):
    path = tmp_path / "history.json"
    names = [f"P{i}" for i in range(9)]
    with PairHistory.updating(path) as history:
        split_into_rooms(names, seed=1, history=history)
    view = FacilitatorView(names, seed=1, history=path, mode="static")  # round 2, read under the lock
    with PairHistory.updating(path) as history:  # meanwhile another facilitator adds round 3
        split_into_rooms(names, seed=2, history=history)
    view.next_round()  # round 4: it re-reads the file, so round 3 is kept
    assert view.rooms.round == 4
    assert [r["round"] for r in json.loads(path.read_text())["rounds"]] == [1, 2, 3, 4]
