"""One submission's sandbox, seen from the trusted side.

A :class:`SandboxSession` starts the worker, runs the learner's cells in it and
calls the learner's functions on request, enforcing the wall-clock limits from
outside: a cell or a call that overruns, or that kills the worker (``os._exit``,
a segfault, running out of memory), costs only itself.  The worker is then
started afresh, without any cell that hung or killed it, so the other
exercises of the notebook are still graded.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

from mlmath.course import Limits
from mlmath.sandbox import wire
from mlmath.sandbox.launcher import LaunchPlan, plan_launch


class WorkerLost(Exception):
    """The worker died or overran its time; ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SandboxUnavailable(RuntimeError):
    """The sandbox itself cannot run (not the learner's fault)."""


@dataclass(frozen=True)
class LearnerFault:
    """An exception raised by learner code, as plain data."""

    type: str
    message: str
    mro: tuple[str, ...] = ()

    def is_a(self, name: str) -> bool:
        return name == self.type or name in self.mro


@dataclass
class CallOutcome:
    """What one call of a learner function produced."""

    value: Any = None
    fault: LearnerFault | None = None
    missing: bool = False          # the function is not defined
    not_implemented: bool = False  # it raised NotImplementedError (the stub)
    lost: str | None = None        # timed out or killed the worker
    warnings: list[tuple[str, str]] = field(default_factory=list)
    mutated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.fault is None and not self.missing and self.lost is None


class _Worker:
    """One running worker process and its framed pipes."""

    def __init__(self, plan: LaunchPlan):
        debug = os.environ.get("MLMATH_SANDBOX_DEBUG") == "1"
        self.plan = plan
        self.process = subprocess.Popen(
            plan.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=None if debug else subprocess.DEVNULL, env=plan.env, cwd=plan.cwd,
            preexec_fn=plan.preexec, start_new_session=True, close_fds=True)
        self._out = self.process.stdout.fileno()

    def send(self, message: dict) -> None:
        try:
            self.process.stdin.write(wire.pack_frame(wire.encode(message)))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerLost("crashed") from None

    def receive(self, deadline: float) -> dict:
        def read_exact(size: int) -> bytes:
            chunks = []
            while size:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([self._out], [], [], remaining)[0]:
                    raise WorkerLost("timeout")
                chunk = os.read(self._out, min(size, 1 << 20))
                if not chunk:
                    raise WorkerLost("crashed")
                chunks.append(chunk)
                size -= len(chunk)
            return b"".join(chunks)

        try:
            message = wire.decode(wire.read_frame(read_exact))
        except wire.WireError:
            raise WorkerLost("crashed") from None
        if not isinstance(message, dict):
            raise WorkerLost("crashed")
        return message

    def stop(self) -> None:
        """Kill the worker and reap it.

        Under bubblewrap the sandbox's own init process is killed first, so that
        bwrap reaps it and exits: killing bwrap instead would leave that process
        a zombie for the machine's init to collect, which in a container may never happen.
        """
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if self.process.poll() is None and self.plan.isolated:
            for child in _children(self.process.pid):
                _kill(child)
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()
        if self.plan.cleanup_dir:
            shutil.rmtree(self.plan.cleanup_dir, ignore_errors=True)


class SandboxSession:
    """Runs ``cells`` in a sandbox and calls the functions they define."""

    def __init__(self, cells: list[str], limits: Limits):
        self.cells = list(cells)
        self.limits = limits
        self.deadline = time.monotonic() + limits.submission_seconds
        self.cell_faults: dict[int, LearnerFault] = {}
        self.lost_cells: dict[int, str] = {}   # cell index -> "timeout" | "crashed"
        self._worker: _Worker | None = None
        self._sequence = 0

    # -- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> "SandboxSession":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def _time_left(self) -> float:
        return self.deadline - time.monotonic()

    def _ensure_worker(self) -> _Worker:
        """A live worker that has run every cell that does not hang or kill it."""
        while self._worker is None:
            if self._time_left() <= 0:
                raise WorkerLost("submission-timeout")
            worker = _Worker(plan_launch(self.limits))
            cells = ["" if i in self.lost_cells else src for i, src in enumerate(self.cells)]
            try:
                worker.send({"op": "run_cells", "cells": cells})
                for index in range(len(cells)):
                    deadline = time.monotonic() + min(self.limits.cell_seconds, self._time_left())
                    try:
                        reply = worker.receive(deadline)
                    except WorkerLost as lost:
                        if not cells[index].strip():
                            worker.stop()
                            raise SandboxUnavailable(
                                "the sandbox worker failed on an empty cell; run with "
                                "MLMATH_SANDBOX_DEBUG=1 to see its error output") from None
                        self.lost_cells[index] = lost.reason
                        raise
                    if reply.get("error") and index not in self.cell_faults:
                        self.cell_faults[index] = _fault(reply["error"])
            except WorkerLost:
                worker.stop()
                continue
            self._worker = worker
        return self._worker

    # -- calls ---------------------------------------------------------------------
    def call(self, name: str, args: tuple = (), kwargs: dict | None = None,
             seconds: float | None = None) -> CallOutcome:
        """Call the learner's ``name(*args, **kwargs)`` in the sandbox, for at most ``seconds``
        (default: the course's limit per call)."""
        payload = wire.encode([list(args), dict(kwargs or {})])
        self._sequence += 1
        try:
            worker = self._ensure_worker()
            worker.send({"op": "call", "name": name, "payload": payload, "seq": self._sequence})
            limit = self.limits.call_seconds if seconds is None else seconds
            deadline = time.monotonic() + max(min(limit, self._time_left()), 0)
            reply = worker.receive(deadline)
            while reply.get("seq") != self._sequence:   # a stale frame, e.g. from a forked child
                reply = worker.receive(deadline)
        except WorkerLost as lost:
            self.close()
            return CallOutcome(lost=lost.reason)
        outcome = CallOutcome(
            warnings=[(str(c), str(m)) for c, m in reply.get("warnings", [])],
            mutated=[str(m) for m in reply.get("mutated", [])])
        if reply.get("ok"):
            outcome.value = reply.get("value")
        else:
            outcome.fault = _fault(reply.get("error") or {})
            outcome.missing = bool(reply.get("missing"))
            outcome.not_implemented = bool(reply.get("not_implemented"))
        return outcome


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(child) for child in listing.read().split()]
    except OSError:
        return []


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _fault(error: dict) -> LearnerFault:
    return LearnerFault(type=str(error.get("type", "Exception")),
                        message=str(error.get("message", "")),
                        mro=tuple(str(n) for n in error.get("mro", ())))
