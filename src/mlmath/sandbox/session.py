"""One submission's sandbox, seen from the trusted side.

A :class:`SandboxSession` starts the worker, runs the learner's cells in it and
calls the learner's functions on request, enforcing the wall-clock limits from
outside: a cell or a call that overruns, or that kills the worker (``os._exit``,
a segfault, running out of memory), costs only itself.  The worker is then
started afresh, without any cell that hung or killed it, so the other
exercises of the notebook are still graded.
"""

from __future__ import annotations

import atexit
import os
import select
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from mlmath.course import Limits
from mlmath.sandbox import protocol, wire
from mlmath.sandbox.launcher import LaunchPlan, isolated, plan_launch
from mlmath.sandbox.protocol import LearnerFault

__all__ = ["Sandbox", "SandboxSession", "SandboxUnavailable", "WorkerLost", "CallOutcome", "LearnerFault",
           "warm_zygotes", "keep_zygotes_warm"]


class WorkerLost(Exception):
    """An exercise's process died, overran its time or broke the protocol; ``reason`` says
    which (``"timeout"``, ``"submission-timeout"``, ``"crashed"`` or ``"protocol"``).
    ``child_ended``: the zygote reported its end and lives on."""

    def __init__(self, reason: str, child_ended: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.child_ended = child_ended


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

    def fit_for_reuse(self) -> bool:
        """Whether this zygote can serve another submission: it is isolated, alive, and alone
        in its sandbox (no process of an exercise, nothing learner code left behind), and the
        next frame on its pipe is its answer to a ping (nothing stale or forged is queued).
        With no other process left, only the zygote can read the ping and answer it."""
        if not (self.plan.isolated and self.process.poll() is None):
            return False
        inits = _children(self.process.pid)
        zygotes = [child for init in inits for child in _children(init)]
        if len(inits) != 1 or len(zygotes) != 1 or _children(zygotes[0]):
            return False
        nonce = _unpredictable()
        try:
            self.send({"op": "ping", "nonce": nonce})
            return protocol.is_pong(self.receive(time.monotonic() + 5.0), nonce)
        except WorkerLost:
            return False

    def zygote_has_children(self) -> bool:
        """Whether the zygote has a child process now (seen from outside, in /proc)."""
        zygotes = ([grandchild for child in _children(self.process.pid) for grandchild in _children(child)]
                   if self.plan.isolated else [self.process.pid])
        return any(_children(zygote) for zygote in zygotes)

    def _remove_workdir(self) -> None:
        if self.plan.cleanup_dir:
            shutil.rmtree(self.plan.cleanup_dir, ignore_errors=True)


class _ZygotePark:
    """Idle zygotes a grading process keeps for its next submission, one per set of limits.

    A zygote never runs learner code: each exercise runs in a process it forks, and
    before it reports that process's end it has killed whatever the process left and
    emptied the scratch folder (the process's own ``/tmp`` is gone with it).  So the
    next submission's exercises start from the same pristine zygote as the last's —
    without paying ≈ 0.1–0.2 s to start bubblewrap and import NumPy again.  A zygote
    is parked only when :meth:`_Worker.fit_for_reuse` says so (under bubblewrap: the
    resource-limits-only sandbox cannot see what learner code left running), and
    retired after :attr:`MAX_SUBMISSIONS` (its CPU-time limit counts all its life).
    """

    MAX_SUBMISSIONS = 500

    def __init__(self):
        self.scopes = 0          # warm_zygotes() blocks open
        self.forever = False     # keep_zygotes_warm() was called
        self.idle: dict[Limits, tuple[_Worker, int]] = {}

    @property
    def keeping(self) -> bool:
        """Whether zygotes are kept now (in a warm_zygotes() block, or for good)."""
        return bool(self.scopes or self.forever)

    def take(self, limits: Limits) -> tuple[_Worker | None, int]:
        zygote, served = self.idle.pop(limits, (None, 0))
        if zygote is not None and zygote.process.poll() is not None:
            zygote.stop()
            return None, 0
        return zygote, served

    def put(self, limits: Limits, zygote: _Worker, served: int) -> bool:
        """Keep ``zygote`` if parking is on and it is fit for another submission."""
        if (not self.keeping or served >= self.MAX_SUBMISSIONS or limits in self.idle
                or not zygote.fit_for_reuse()):
            return False
        self.idle[limits] = (zygote, served)
        return True

    def stop_all(self) -> None:
        idle, self.idle = self.idle, {}
        for zygote, _ in idle.values():
            zygote.stop()


_park = _ZygotePark()


@contextmanager
def warm_zygotes():
    """Within this block, a submission's zygote is kept for the next submission graded in
    this process (see :class:`_ZygotePark`); every kept zygote is stopped when it ends."""
    _park.scopes += 1
    try:
        yield
    finally:
        _park.scopes -= 1
        if not _park.keeping:
            _park.stop_all()


def start_zygote(limits: Limits) -> None:
    """Start a zygote for ``limits`` now and park it for the next submission (within
    :func:`warm_zygotes`, when none is parked): a grading process starts its sandbox while
    it waits for its first job, rather than at the start of that job.  Only under bubblewrap:
    elsewhere no zygote is kept (:meth:`_Worker.fit_for_reuse`)."""
    if _park.keeping and isolated() and limits not in _park.idle:
        zygote = _Worker(plan_launch(limits), limits)
        if not _park.put(limits, zygote, 0):
            zygote.stop()


def keep_zygotes_warm() -> None:
    """Keep zygotes between submissions for the rest of this process's life (``nbgrader
    autograde`` grading a class in one process); they are stopped when it exits.  Only for
    a process that grades on its main thread: a zygote dies with the thread that started it."""
    if not _park.forever:
        _park.forever = True
        atexit.register(_park.stop_all)


class Sandbox:
    """One submission's sandbox: a zygote process that forks one process per exercise.

    The zygote (NumPy loaded, no learner code ever run) is started once — or taken
    warm from the last submission, see :func:`warm_zygotes` — and again only after
    something killed or wedged it; each exercise's :class:`SandboxSession` asks it
    for a process of its own.  The submission's time budget, and what its cells did
    (faults, cells that hung or crashed), are kept here: a cell that hung for one
    exercise is not run again for the next.
    """

    def __init__(self, limits: Limits, started: float | None = None):
        self.limits = limits
        self.deadline = (time.monotonic() if started is None else started) + limits.submission_seconds
        self.cell_faults: dict[int, LearnerFault] = {}
        self.lost_cells: dict[int, str] = {}   # cell index -> a WorkerLost reason
        self._zygote: _Worker | None = None
        self._served = 0   # submissions the zygote had graded before this one

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    def close(self) -> None:
        """Kill the zygote and every process of the sandbox."""
        if self._zygote is not None:
            zygote, self._zygote = self._zygote, None
            zygote.stop()

    def release(self) -> None:
        """The submission is graded: park the zygote for the next one if it is fit, else close."""
        if self._zygote is not None and _park.put(self.limits, self._zygote, self._served + 1):
            self._zygote = None
        self.close()

    def time_left(self) -> float:
        return self.deadline - time.monotonic()

    def zygote(self) -> _Worker:
        if self._zygote is None:
            self._zygote, self._served = _park.take(self.limits)
        if self._zygote is None:
            self._zygote = _Worker(plan_launch(self.limits), self.limits)
        return self._zygote

    def started_zygote(self) -> _Worker | None:
        """The zygote if it is running, without starting one."""
        return self._zygote

    def session(self, cells: list[str], forbidden: tuple[str, ...] = ()) -> "SandboxSession":
        """A process for one exercise: it runs ``cells`` (``""`` for those it must not run)
        with tripwires on ``forbidden``."""
        return SandboxSession(cells, self.limits, forbidden=forbidden, sandbox=self)


class SandboxSession:
    """One exercise's process: runs ``cells`` and calls the functions they define.

    Made by :meth:`Sandbox.session`; made directly, it has a sandbox of its own
    (``started``: when grading of the submission began, as for :class:`Sandbox`).
    ``shortcuts`` collects the forbidden routines its code called.
    """

    def __init__(self, cells: list[str], limits: Limits, started: float | None = None,
                 forbidden: tuple[str, ...] = (), sandbox: Sandbox | None = None):
        self.cells = list(cells)
        self.limits = limits
        self.forbidden = tuple(forbidden)
        self.sandbox = sandbox or Sandbox(limits, started)
        self._owns_sandbox = sandbox is None
        self.shortcuts: set[str] = set()
        self._running = False   # a process of this exercise is alive in the zygote

    @property
    def cell_faults(self) -> dict[int, LearnerFault]:
        return self.sandbox.cell_faults

    @property
    def lost_cells(self) -> dict[int, str]:
        return self.sandbox.lost_cells

    # -- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> "SandboxSession":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """End this exercise's process (the zygote reports it gone), or the whole sandbox if
        it does not end cleanly."""
        zygote = self.sandbox.started_zygote()   # never start a sandbox just to end a process
        was_running, self._running = self._running, False
        if was_running and zygote is not None:
            try:
                zygote.send({"op": "end"})
                deadline = time.monotonic() + min(self.limits.call_seconds, 5.0)
                while True:
                    self._receive(zygote, deadline)   # stale frames until the zygote's report
            except WorkerLost as lost:
                if not lost.child_ended:
                    self.sandbox.close()
            except BaseException:
                self.sandbox.close()
                raise
        if self._owns_sandbox:
            self.sandbox.release()

    def _receive(self, zygote: _Worker, deadline: float):
        """The next frame of this exercise's process; its end (the zygote's report, checked
        against the processes that are really there) is WorkerLost("crashed")."""
        frame = zygote.receive(deadline)
        if protocol.is_ended(frame):
            if zygote.zygote_has_children():   # a report forged by the process itself
                raise WorkerLost("protocol")
            raise WorkerLost("crashed", child_ended=True)
        return frame

    def _lost(self, lost: WorkerLost) -> None:
        """This exercise's process is gone; so is the zygote unless it reported the end."""
        self._running = False
        if not lost.child_ended:
            self.sandbox.close()

    def _ensure_running(self) -> _Worker:
        """The zygote, with a live process of this exercise that has run every cell that does
        not hang, kill it or break the protocol."""
        while not self._running:
            if self.sandbox.time_left() <= 0:
                raise WorkerLost("submission-timeout")
            zygote = self.sandbox.zygote()
            try:
                zygote.send({"op": "fork", "forbidden": list(self.forbidden)})
                self._running = True
                self._run_cells(zygote)
            except WorkerLost as lost:
                self._lost(lost)
            except BaseException:
                self._running = False
                self.sandbox.close()
                raise
        return self.sandbox.zygote()

    def _run_cells(self, zygote: _Worker) -> None:
        lost_cells = self.sandbox.lost_cells
        cells = ["" if i in lost_cells else src for i, src in enumerate(self.cells)]
        zygote.send({"op": "run_cells", "cells": cells})
        for index in range(len(cells)):
            deadline = time.monotonic() + min(self.limits.cell_seconds, self.sandbox.time_left())
            try:
                fault = self._cell_reply(zygote, index, deadline)
            except WorkerLost as lost:
                lost_cells[index] = lost.reason
                raise
            if fault and index not in self.sandbox.cell_faults:
                self.sandbox.cell_faults[index] = fault

    def _cell_reply(self, zygote: _Worker, index: int, deadline: float) -> LearnerFault | None:
        while True:
            try:
                cell, fault, shortcuts = protocol.parse_cell_reply(self._receive(zygote, deadline))
            except protocol.ProtocolError:
                raise WorkerLost("protocol") from None
            self.shortcuts.update(shortcuts)
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
        sequence = _unpredictable()
        try:
            zygote = self._ensure_running()
            zygote.send({"op": "call", "name": name, "payload": payload, "seq": sequence})
            limit = self.limits.call_seconds if seconds is None else seconds
            deadline = time.monotonic() + max(min(limit, self.sandbox.time_left()), 0)
            reply = self._call_reply(zygote, sequence, deadline)
        except WorkerLost as lost:
            self._lost(lost)
            return CallOutcome(lost=lost.reason)
        except BaseException:
            self._running = False
            self.sandbox.close()
            raise
        self.shortcuts.update(reply.shortcuts)
        return CallOutcome(value=reply.value, fault=reply.fault, missing=reply.missing,
                           not_implemented=reply.not_implemented, warnings=list(reply.warnings),
                           mutated=list(reply.mutated))

    def _call_reply(self, zygote: _Worker, sequence: int, deadline: float) -> protocol.CallReply:
        while True:
            try:
                seq, reply = protocol.parse_call_reply(self._receive(zygote, deadline))
            except protocol.ProtocolError:
                raise WorkerLost("protocol") from None
            if seq == sequence:
                return reply
            self.shortcuts.update(reply.shortcuts)   # a stale frame, e.g. from a forked child


def _unpredictable() -> int:
    """A number the sandbox cannot guess, to tag a request: no frame written ahead of time can
    pass for its reply (56 bits, well within msgpack's integers)."""
    return int.from_bytes(os.urandom(7), "big")


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
