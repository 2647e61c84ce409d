"""The process that runs learner code, inside the sandbox.

It is started by :mod:`mlmath.sandbox.session` as ``python -I worker.py`` with
its protocol on stdin/stdout, and speaks in length-prefixed :mod:`wire` frames:

``{"ready": True}``
    is the zygote's first frame, sent once it is set up and before any
    learner code runs;
``{"op": "fork", "forbidden": [dotted name, ...]}``
    makes the zygote fork one exercise's process, with tripwires on the
    exercise's forbidden routines (see :mod:`tripwires`); that process then
    reads the requests below until ``{"op": "end"}``, and when it has ended the
    zygote replies ``{"ended": wait status}``;
``{"op": "ping", "nonce": int}``
    is answered by the zygote with ``{"pong": nonce}``: the grader's check that
    nothing else is left writing on the pipe before it keeps the zygote for the
    next submission;
``{"op": "run_cells", "cells": [source, ...]}``
    executes the learner's cells in one namespace, replying once per cell with
    ``{"cell": i, "error": None | error}`` so that the caller knows which cell
    hung or killed the process;
``{"op": "call", "name": str, "payload": bytes}``
    calls a function of that namespace with the ``[args, kwargs]`` encoded in
    ``payload`` and replies with its result (or its exception), the
    RuntimeWarnings it raised and the arguments it modified.

Replies of an exercise's process carry ``"shortcuts"``, the forbidden routines
that were called, once any was.

Before any learner code runs, the protocol descriptors are moved aside and
fds 0-2 point at /dev/null, so ``print`` or ``input`` in learner code cannot
reach the grader.  Everything the worker needs from builtins and NumPy is
bound at import time.  Nothing here is trusted by the grader beyond "this is
what the learner's function returned".
"""

from builtins import (  # bound now: immune to later monkeypatching of builtins
    BaseException, EOFError, NotImplementedError, all, callable, compile, dict, int,
    enumerate, eval, exec, getattr, len, list, memoryview, min, str, tuple,
    type, zip,
)
import builtins
import gc
import math
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ctypes  # noqa: E402
from shutil import rmtree as _rmtree  # noqa: E402

import numpy  # noqa: E402  (pre-imported: learners' cells all need it)
import wire  # noqa: E402
from namespaces import private_tmp  # noqa: E402
from tripwires import ModuleIndex, Tripwires  # noqa: E402

_array_equal = numpy.array_equal
_ndarray = numpy.ndarray
_errstate = numpy.errstate
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter
_os_read = os.read
_os_write = os.write
_getpid = os.getpid
_exit = os._exit
_kill = os.kill
_listdir = os.listdir
_fork = os.fork
_waitpid = os.waitpid
_libc = ctypes.CDLL(None)
_PR_SET_DUMPABLE = 4
_ZYGOTE = 0   # the zygote's pid, set in main()
_SIGKILL = 9
_IN_PID_NAMESPACE = os.environ.get("MLMATH_SANDBOX_PIDNS") == "1"
_PRIVATE_TMP_BYTES = int(os.environ.get("MLMATH_PRIVATE_TMP_BYTES", "0"))
_encode = wire.encode
_decode = wire.decode
_WireError = wire.WireError
_SourceFunction = wire.SourceFunction

_TEXT_LIMIT = 500


def _text(value):
    """``str(value)`` cut to a sane length; never raises, never a str subclass."""
    try:
        text = str(value)
    except BaseException:
        return "<unprintable>"
    if type(text) is not str:
        return "<unprintable>"
    return text[:_TEXT_LIMIT]


_CELL_PREFIX = "<answer cell "


def _where(exc):
    """``[cell index, line]`` of the deepest frame of the traceback that is in an answer cell."""
    found = None
    try:
        frame = exc.__traceback__
        while frame is not None:
            name = frame.tb_frame.f_code.co_filename
            if type(name) is str and name.startswith(_CELL_PREFIX) and name.endswith(">"):
                found = [int(name[len(_CELL_PREFIX):-1]), frame.tb_lineno]
            frame = frame.tb_next
    except BaseException:
        return None
    return found


def _error(exc):
    kind = type(exc)
    return {
        "type": _text(getattr(kind, "__name__", "Exception")),
        "mro": [_text(getattr(k, "__name__", "?")) for k in getattr(kind, "__mro__", ())],
        "message": _text(exc),
        "line": _where(exc),
    }


class Channel:
    """Framed messages over the two descriptors saved from stdin and stdout.

    Only the worker process itself may use them: a process forked by learner
    code that finds its way back here exits instead of reading the grader's next
    request or sending a second reply.
    """

    def __init__(self, fd_in, fd_out):
        self.fd_in = fd_in
        self.fd_out = fd_out
        self.owner = _getpid()

    def _guard(self):
        if _getpid() != self.owner:
            _exit(0)

    def _read_exact(self, size):
        chunks = []
        while size:
            chunk = _os_read(self.fd_in, min(size, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def receive(self):
        self._guard()
        return _decode(wire.read_frame(self._read_exact), allow_source=True)

    def send(self, message):
        self._guard()
        data = wire.pack_frame(_encode(message))
        view = memoryview(data)
        while view:
            written = _os_write(self.fd_out, view)
            view = view[written:]


def _detach_stdio():
    """Keep the protocol on private descriptors; learner stdio goes nowhere."""
    fd_in, fd_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    keep_stderr = os.environ.get("MLMATH_SANDBOX_DEBUG") == "1"
    for fd in (0, 1) if keep_stderr else (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    return Channel(fd_in, fd_out)


def _materialise(value):
    """Turn grader-supplied source functions into callables, in here."""
    if type(value) is _SourceFunction:
        return eval(value.source, {"np": numpy, "numpy": numpy, "math": math})
    return value


def _unchanged(before, after):
    if type(before) is not type(after):
        return False
    if type(before) is _ndarray:
        return (before.shape == after.shape and before.dtype == after.dtype
                and _array_equal(before, after, equal_nan=before.dtype.kind in "fc"))
    if type(before) in (list, tuple):
        return len(before) == len(after) and all(_unchanged(b, a) for b, a in zip(before, after))
    if type(before) is dict:
        return before.keys() == after.keys() and all(_unchanged(before[k], after[k]) for k in before)
    return True


def _kill_strays(owner):
    """Kill every process learner code left behind (only inside the sandbox's own
    PID namespace, where the processes in /proc are the sandbox's and nothing else):
    all but the namespace's init, the zygote and the caller.  A forked child of
    learner code that returns here exits instead: it must not kill the worker, nor
    speak for it."""
    me = _getpid()
    if me != owner:
        _exit(0)
    if not _IN_PID_NAMESPACE:
        return
    for entry in _listdir("/proc"):
        if entry.isdigit() and int(entry) not in (1, _ZYGOTE, me):
            try:
                _kill(int(entry), _SIGKILL)
            except OSError:
                pass


def _wipe(folder, keep):
    """Empty the private scratch folder between two exercises' processes, but for ``keep``:
    what was there before any learner code ran (under bubblewrap, the mount points of a
    virtual environment that lives under /tmp)."""
    for entry in _listdir(folder):
        if entry in keep:
            continue
        path = os.path.join(folder, entry)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                _rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        except OSError:
            pass


def _requests(channel):
    """The grader's requests, until it hangs up."""
    while True:
        try:
            yield channel.receive()
        except EOFError:
            return


class Worker:
    """One exercise's process: runs its cells, serves the grader's calls, until ``end``."""

    def __init__(self, channel, forbidden, index=None):
        self.channel = channel
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.tripwires = Tripwires(forbidden, index)   # before any learner code runs

    def _shortcuts(self, reply):
        if self.tripwires.fired:
            reply["shortcuts"] = [_text(name) for name in self.tripwires.fired[:20]]
        return reply

    def run_cells(self, cells):
        for index, source in enumerate(cells):
            error = None
            try:
                exec(compile(source, f"{_CELL_PREFIX}{index}>", "exec"), self.namespace)
            except BaseException as exc:  # SystemExit too: one cell must not end the session
                error = _error(exc)
            _kill_strays(self.channel.owner)
            self.channel.send(self._shortcuts({"cell": index, "error": error}))

    def call(self, name, payload):
        function = self.namespace.get(name)
        if not callable(function):
            return {"ok": False, "missing": True,
                    "error": {"type": "NameError", "mro": ["NameError"],
                              "message": f"{name} is not defined"}}
        args, kwargs = _decode(payload, allow_source=True)
        pristine_args, pristine_kwargs = _decode(payload, allow_source=True)
        args = [_materialise(a) for a in args]
        kwargs = {k: _materialise(v) for k, v in kwargs.items()}
        with _catch_warnings(record=True) as caught:
            _simplefilter("always")
            try:
                with _errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
                    value = function(*args, **kwargs)
                reply = {"ok": True, "value": value}
            except BaseException as exc:
                reply = {"ok": False, "error": _error(exc),
                         "not_implemented": type(exc) is NotImplementedError}
        reply["warnings"] = [[_text(getattr(w.category, "__name__", "Warning")), _text(w.message)]
                             for w in caught[:20]]
        reply["mutated"] = [
            _text(position) for position, (before, after) in enumerate(zip(pristine_args, args))
            if type(before) is not _SourceFunction and not _unchanged(before, after)
        ] + [key for key in pristine_kwargs
             if type(pristine_kwargs[key]) is not _SourceFunction
             and not _unchanged(pristine_kwargs[key], kwargs[key])]
        return reply

    def serve(self):
        for message in _requests(self.channel):
            if message["op"] == "end":
                return
            if message["op"] == "run_cells":
                self.run_cells(message["cells"])
            elif message["op"] == "call":
                reply = self._shortcuts(self.call(message["name"], message["payload"]))
                _kill_strays(self.channel.owner)
                reply["seq"] = message["seq"]
                try:
                    self.channel.send(reply)
                except _WireError as exc:   # the result is not plain data: report that instead
                    error = {"type": "ReturnTypeError", "mro": ["ReturnTypeError"], "message": _text(exc)}
                    self.channel.send(self._shortcuts({"ok": False, "seq": message["seq"], "error": error,
                                                       "warnings": reply["warnings"],
                                                       "mutated": reply["mutated"]}))


class Zygote:
    """The sandbox's first process: NumPy and this module loaded, no learner code ever run.

    For each exercise it forks a process that runs only that exercise's cells and
    serves its calls, in a private ``/tmp`` where the kernel allows one (see
    :mod:`namespaces`); once that process has ended (asked to, or killed by what it
    ran) the zygote kills whatever it left behind, empties the scratch folder and
    says ``{"ended": status}``.  So builtins patched, files written or processes
    started by one exercise's code never meet another exercise's — nor, when the
    grader keeps the zygote for the next submission, another learner's.
    """

    def __init__(self, channel):
        self.channel = channel
        self.scratch = os.getcwd()
        self.scratch_before = frozenset(_listdir(self.scratch))
        self.index = ModuleIndex()
        self.private_tmp = _PRIVATE_TMP_BYTES > 0 and _private_tmp_works()

    def serve(self):
        for message in _requests(self.channel):
            if message["op"] == "ping":
                self.channel.send({"pong": message["nonce"]})
            if message["op"] != "fork":
                continue
            child = _fork()
            if child == 0:
                self.channel.owner = _getpid()
                if self.private_tmp:
                    private_tmp(_PRIVATE_TMP_BYTES)
                Worker(self.channel, message["forbidden"], self.index).serve()
                _exit(0)
            _, status = _waitpid(child, 0)
            _kill_strays(self.channel.owner)
            _wipe(self.scratch, self.scratch_before)
            self.channel.send({"ended": status})


def _private_tmp_works():
    """Whether a forked process can make its private /tmp here (tried once, in a throwaway
    process): a failure in an exercise's own process would look like the learner's doing."""
    child = _fork()
    if child == 0:
        try:
            _exit(0 if private_tmp(_PRIVATE_TMP_BYTES) else 1)
        except BaseException:
            _exit(2)
    _, status = _waitpid(child, 0)
    return status == 0


def main():
    global _ZYGOTE
    channel = _detach_stdio()
    _ZYGOTE = _getpid()
    _libc.prctl(_PR_SET_DUMPABLE, 0)   # the exercises' processes may not read or trace it
    zygote = Zygote(channel)
    gc.freeze()   # what the zygote holds now is never collected, so forks share its pages
    channel.send({"ready": True})   # before any learner code: the grader knows the sandbox works
    zygote.serve()
    # threads the learner's code started must not keep the sandbox alive
    _exit(0)


if __name__ == "__main__":
    main()
