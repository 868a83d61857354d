"""A running room timer is kernel activity by the Jupyter server's own rule: it keeps a talking-only breakout alive.

The Jupyter server records a kernel's activity on every message the kernel
publishes on IOPub unless the message type is in ``untracked_message_types``
(jupyter_server's ``MappingKernelManager``); Binder and JupyterHub cull kernels
and servers without activity (see docs/facilitator_guide.md, "Binder and online
rooms"). This test starts a real kernel, starts the breakout timer, lets the
execution finish, and counts the widget updates the kernel publishes on its own
afterwards, while nobody runs anything.
"""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.slow


def _iopub_after_idle(code: str, seconds: float, enough: int | None = None) -> list[dict]:
    """What the kernel publishes after ``code`` has finished: for ``seconds``, or until ``enough`` widget updates."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        msg_id = client.execute(code)
        reply = client.get_shell_msg(timeout=120)
        while reply["parent_header"].get("msg_id") != msg_id:  # e.g. a late kernel_info_reply
            reply = client.get_shell_msg(timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
        while True:  # drain what the execution itself published, up to its "idle"
            message = client.get_iopub_msg(timeout=30)
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle" and \
                    message["parent_header"].get("msg_id") == msg_id:
                break
        seen, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                seen.append(client.get_iopub_msg(timeout=max(0.05, deadline - time.monotonic())))
            except Exception:  # queue.Empty: nothing more within the window
                break
            if enough is not None and sum(m["msg_type"] == "comm_msg" for m in seen) >= enough:
                break
        return seen
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_a_running_timer_publishes_activity_while_nobody_runs_a_cell():
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

    code = ("from workshop_utils.discussion.timer import DiscussionTimer\n"
            "timer = DiscussionTimer(20, start=True)\n"
            "display(timer)\n")
    # a generous window (the machine may be loaded): the point is that updates keep coming with nobody running a cell
    seen = _iopub_after_idle(code, seconds=60, enough=3)
    updates = [m for m in seen if m["msg_type"] == "comm_msg"]
    assert len(updates) >= 3, f"expected a widget update about every second, got {[m['msg_type'] for m in seen]}"
    shown = [m["content"]["data"]["state"].get("value", "") for m in updates]
    assert all("remaining" in text for text in shown) and len(set(shown)) == len(shown), "the countdown moves on"
    assert MappingKernelManager().track_message_type("comm_msg"), "the server counts widget updates as activity"


def test_a_stopped_timer_publishes_nothing():
    seen = _iopub_after_idle("from workshop_utils.discussion.timer import DiscussionTimer\n"
                             "timer = DiscussionTimer(20)\ndisplay(timer)\n", seconds=2.5)
    assert [m for m in seen if m["msg_type"] == "comm_msg"] == [], "so the test above measures the timer"
