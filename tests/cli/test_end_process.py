"""The `mlmath` command ends its process without tearing the interpreter down, yet as a
normal exit would end it: threads finished, exit handlers run, output flushed, its code kept."""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import atexit, sys, threading, time
from mlmath.cli.main import end_process
atexit.register(lambda: print("exit handler ran"))
threading.Thread(target=lambda: (time.sleep(0.3), print("thread finished"))).start()
print("buffered", end=" ")
sys.stderr.write("to stderr")
end_process(3)
print("never")
"""


def test_end_process_waits_for_threads_runs_exit_handlers_and_flushes():
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert result.stdout.split() == ["buffered", "thread", "finished", "exit", "handler", "ran"]
    assert result.stderr == "to stderr"
