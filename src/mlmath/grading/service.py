"""The warm grader: one trusted process per course that ``mlmath check`` and check cells share.

Grading a notebook from cold means starting Python, importing NumPy, hypothesis and
the graders, running the reference solutions and starting the sandbox — most of a
second before the first check runs.  So the first ``mlmath check`` (or check cell)
of a course starts this process in the background, and every later one is a short
request to it over a Unix socket only its user can open (see
:mod:`mlmath.service_client`); it exits after :data:`IDLE_SECONDS` without
a request.

A request is one line of JSON, ``{"notebook": path, "assignment": id or null,
"exercises": [id, ...] or null, "hints": bool}`` (or ``{"op": "stop"}``), and so is
the answer: ``{"ok": true, "report": <mlmath check --json>, "text": <its table, with
each failed check's fix if "hints">, "notes": [...]}`` or ``{"ok": false, "error":
"why"}``.  Requests are graded one at a time, each exactly as ``mlmath check``
grades in its own process: the learner's code runs in
fresh sandboxed processes, forked from a zygote this process keeps warm
(:func:`~mlmath.sandbox.session.warm_zygotes`), and graders or reference solutions
whose files changed are loaded again.  It never runs learner code itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from pathlib import Path

#: a warm grader nobody has asked anything for this long exits
IDLE_SECONDS = 600
#: the longest request line read (a path and a few ids)
REQUEST_LIMIT = 64 * 1024


def grade_request(request: dict) -> dict:
    """Grade one request; any failure to grade is an answer, never an exception."""
    from mlmath.course import CourseError, find_root, load_course
    from mlmath.grading.grade import grade_notebook
    from mlmath.grading.runner import GraderError
    from mlmath.notebook import NotebookError
    from mlmath.render import report_text
    from mlmath.sandbox.session import SandboxUnavailable

    try:
        notebook = Path(request["notebook"])
        course = load_course(find_root(notebook.resolve().parent))
        assignment = course.assignment(request["assignment"]) if request.get("assignment") else None
        exercises = set(request["exercises"]) if request.get("exercises") else None
        report = grade_notebook(notebook, course, assignment, exercises)
    except (CourseError, NotebookError, GraderError, SandboxUnavailable, OSError) as error:
        return {"ok": False, "error": str(error) or type(error).__name__}
    text = report_text(report, hints=bool(request.get("hints")))
    return {"ok": True, "report": report.to_json(), "text": text, "notes": report.notes}


def _read_request(connection: socket.socket) -> dict | None:
    data = b""
    while not data.endswith(b"\n") and len(data) <= REQUEST_LIMIT:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    try:
        request = json.loads(data)
    except ValueError:
        return None
    return request if isinstance(request, dict) else None


def serve(listener: socket.socket, idle_seconds: float = IDLE_SECONDS) -> None:
    """Answer requests on ``listener``, one connection at a time, until idle or told to stop."""
    from mlmath.sandbox.session import warm_zygotes

    listener.settimeout(idle_seconds)
    with warm_zygotes():
        while True:
            try:
                connection, _ = listener.accept()
            except socket.timeout:
                return
            with connection:
                connection.settimeout(None)
                request = _read_request(connection)
                if request is not None and request.get("op") == "stop":
                    connection.sendall(b'{"ok": true}\n')
                    return
                try:
                    reply = grade_request(request) if request else {"ok": False, "error": "not a request"}
                except Exception as error:  # noqa: BLE001 - a bug here must not stop the service
                    reply = {"ok": False, "error": f"the grader failed: {type(error).__name__}: {error}"}
                try:
                    connection.sendall((json.dumps(reply) + "\n").encode())
                except OSError:
                    pass   # the client gave up waiting


def main(socket_path: str) -> None:
    """Run as the course's warm grader on ``socket_path``, unless another one already does."""
    path = Path(socket_path)
    lock = open(path.with_suffix(".lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return   # another warm grader of this course serves this socket
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o177)   # the socket is this user's only
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_mask)
    listener.listen(8)
    try:
        serve(listener)
    finally:
        path.unlink(missing_ok=True)
        listener.close()


if __name__ == "__main__":
    main(sys.argv[1])
