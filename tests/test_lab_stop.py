"""``cpc306 lab`` stops its JupyterLab when it is told to stop, however it is told.

A SIGTERM or SIGHUP sent to the ``cpc306`` process alone (a service manager, a closed
terminal) must not leave the server serving on with its token: the child is asked to stop
(SIGTERM, on which a Jupyter server shuts its kernels down) and waited for.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = """
import signal, sys, time
from pathlib import Path
mark = Path(sys.argv[1])
def stop(signum, frame):
    mark.write_text(f"stopped by {signum}")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
mark.write_text("running")
time.sleep(60)
"""

PARENT = """
import sys
from cpc306_portfolio.notebooks.opening import run_until_stopped
sys.exit(run_until_stopped([sys.executable, "-c", sys.argv[1], sys.argv[2]]))
"""


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_to_the_command_alone_stops_its_server_too(tmp_path: Path, sent) -> None:
    mark = tmp_path / "child.txt"
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD, str(mark)], start_new_session=True
    )
    deadline = time.monotonic() + 30
    while not (mark.exists() and mark.read_text() == "running"):
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.05)
    parent.send_signal(sent)  # to the command only, not its process group
    assert parent.wait(timeout=30) == 0
    assert mark.read_text() == f"stopped by {int(signal.SIGTERM)}"
