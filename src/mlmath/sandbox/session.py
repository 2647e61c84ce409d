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
from mlmath.sandbox import protocol, wire
from mlmath.sandbox.launcher import LaunchPlan, plan_launch
from mlmath.sandbox.protocol import LearnerFault

__all__ = ["SandboxSession", "SandboxUnavailable", "WorkerLost", "CallOutcome", "LearnerFault"]


class WorkerLost(Exception):
    """The worker died, overran its time or broke the protocol; ``reason`` says which
    (``"timeout"``, ``"submission-timeout"``, ``"crashed"`` or ``"protocol"``)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SandboxUnavailable(RuntimeError):
    """The sandbox itself cannot run (not the learner's fault): no score may be given."""


@dataclass
class CallOutcome:
    """What one call of a learner function produced."""

    value: Any = None
    fault: LearnerFault | None = None
    missing: bool = False          # the function is not defined
    not_implemented: bool = False  # it raised NotImplementedError (the stub)
    lost: str | None = None        # timed out, killed the worker or broke the protocol
    warnings: list[tuple[str, str]] = field(default_factory=list)
    mutated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.fault is None and not self.missing and self.lost is None


class _Worker:
    """One running worker process and its framed pipes.

    It is started, and its first frame awaited, before any learner code is sent:
    a worker that cannot get that far is a broken sandbox (:class:`SandboxUnavailable`),
    never a learner's fault.  Whatever it sends later is decoded under the course's
    budget and checked against the protocol by the caller.
    """

    def __init__(self, plan: LaunchPlan, limits: Limits):
        debug = os.environ.get("MLMATH_SANDBOX_DEBUG") == "1"
        self.plan = plan
        self.budget = wire.Budget(items=limits.reply_items, frame_bytes=limits.reply_mb << 20)
        try:
            self.process = subprocess.Popen(
                plan.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=None if debug else subprocess.DEVNULL, env=plan.env, cwd=plan.cwd,
                preexec_fn=plan.preexec, start_new_session=True, close_fds=True)
        except OSError as error:
            self._remove_workdir()
            raise SandboxUnavailable(f"the sandbox could not be started ({error})") from None
        self._out = self.process.stdout.fileno()
        try:
            protocol.parse_ready(self.receive(time.monotonic() + limits.startup_seconds))
        except (WorkerLost, protocol.ProtocolError):
            self.stop()
            raise SandboxUnavailable(
                "the sandbox could not start (no learner code had run yet); run with "
                "MLMATH_SANDBOX_DEBUG=1 to see its error output") from None

    def send(self, message: dict) -> None:
        try:
            self.process.stdin.write(wire.pack_frame(wire.encode(message)))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerLost("crashed") from None

    def receive(self, deadline: float):
        """The next frame, decoded (any plain value: the caller checks its shape)."""
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
            return wire.decode(wire.read_frame(read_exact, self.budget.frame_bytes), budget=self.budget)
        except wire.WireError:
            raise WorkerLost("protocol") from None

    def stop(self) -> None:
        """Kill the worker and everything it started, and reap it.

        Under bubblewrap the sandbox's own init process is killed first, which
        takes every process of its PID namespace with it, and bwrap then reaps it
        and exits: killing bwrap instead would leave that process a zombie for the
        machine's init to collect, which in a container may never happen.
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
        self._remove_workdir()

    def _remove_workdir(self) -> None:
        if self.plan.cleanup_dir:
            shutil.rmtree(self.plan.cleanup_dir, ignore_errors=True)


class SandboxSession:
    """Runs ``cells`` in a sandbox and calls the functions they define.

    ``started`` is when grading of the submission began (default: now): time the
    trusted side spent on it before the sandbox started counts against the
    submission's budget too.
    """

    def __init__(self, cells: list[str], limits: Limits, started: float | None = None):
        self.cells = list(cells)
        self.limits = limits
        self.deadline = (time.monotonic() if started is None else started) + limits.submission_seconds
        self.cell_faults: dict[int, LearnerFault] = {}
        self.lost_cells: dict[int, str] = {}   # cell index -> a WorkerLost reason
        self._worker: _Worker | None = None

    # -- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> "SandboxSession":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._worker is not None:
            worker, self._worker = self._worker, None
            worker.stop()

    def _time_left(self) -> float:
        return self.deadline - time.monotonic()

    def _ensure_worker(self) -> _Worker:
        """A live worker that has run every cell that does not hang, kill it or break the protocol."""
        while self._worker is None:
            if self._time_left() <= 0:
                raise WorkerLost("submission-timeout")
            worker = _Worker(plan_launch(self.limits), self.limits)
            try:
                self._run_cells(worker)
            except WorkerLost:
                worker.stop()
                continue
            except BaseException:
                worker.stop()
                raise
            self._worker = worker
        return self._worker

    def _run_cells(self, worker: _Worker) -> None:
        cells = ["" if i in self.lost_cells else src for i, src in enumerate(self.cells)]
        worker.send({"op": "run_cells", "cells": cells})
        for index in range(len(cells)):
            deadline = time.monotonic() + min(self.limits.cell_seconds, self._time_left())
            try:
                fault = self._cell_reply(worker, index, deadline)
            except WorkerLost as lost:
                self.lost_cells[index] = lost.reason
                raise
            if fault and index not in self.cell_faults:
                self.cell_faults[index] = fault

    @staticmethod
    def _cell_reply(worker: _Worker, index: int, deadline: float) -> LearnerFault | None:
        while True:
            try:
                cell, fault = protocol.parse_cell_reply(worker.receive(deadline))
            except protocol.ProtocolError:
                raise WorkerLost("protocol") from None
            if cell == index:
                return fault
            if cell > index:   # a reply for a cell that has not run: not the worker's own
                raise WorkerLost("protocol")

    # -- calls ---------------------------------------------------------------------
    def call(self, name: str, args: tuple = (), kwargs: dict | None = None,
             seconds: float | None = None) -> CallOutcome:
        """Call the learner's ``name(*args, **kwargs)`` in the sandbox, for at most ``seconds``
        (default: the course's limit per call)."""
        payload = wire.encode([list(args), dict(kwargs or {})])
        # unpredictable, so that no frame written ahead of time can pass for the reply
        sequence = int.from_bytes(os.urandom(7), "big")
        try:
            worker = self._ensure_worker()
            worker.send({"op": "call", "name": name, "payload": payload, "seq": sequence})
            limit = self.limits.call_seconds if seconds is None else seconds
            deadline = time.monotonic() + max(min(limit, self._time_left()), 0)
            reply = self._call_reply(worker, sequence, deadline)
        except WorkerLost as lost:
            self.close()
            return CallOutcome(lost=lost.reason)
        except BaseException:
            self.close()
            raise
        return CallOutcome(value=reply.value, fault=reply.fault, missing=reply.missing,
                           not_implemented=reply.not_implemented, warnings=list(reply.warnings),
                           mutated=list(reply.mutated))

    @staticmethod
    def _call_reply(worker: _Worker, sequence: int, deadline: float) -> protocol.CallReply:
        while True:
            try:
                seq, reply = protocol.parse_call_reply(worker.receive(deadline))
            except protocol.ProtocolError:
                raise WorkerLost("protocol") from None
            if seq == sequence:
                return reply
            # else: a stale frame, e.g. from a forked child of an earlier call


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
