"""The replies a sandbox worker may send, checked on the trusted side.

Every frame from the sandbox is decoded under the course's budget (see
:mod:`mlmath.sandbox.wire`) and then held to the shape the worker is supposed
to send; anything else — a string where a mapping belongs, an unknown field
type, a reply to a call that was never made — raises :class:`ProtocolError`,
and the session then treats the worker like one that crashed: stopped, and
charged to that submission alone.

Text from the sandbox is cut here, in the trusted process, whatever the
worker claims to have cut already: a learner can change the worker's own
limits (they are globals of a module inside the sandbox), never these.
"""

from __future__ import annotations

from dataclasses import dataclass

#: longest exception or warning text kept from the sandbox (first line only)
TEXT_LIMIT = 200
#: longest name (an exception's type, an argument's name) kept from the sandbox
NAME_LIMIT = 80
#: most entries kept of an exception's class hierarchy, of warnings and of modified arguments
LIST_LIMIT = 20


class ProtocolError(Exception):
    """A frame from the sandbox that does not follow the protocol."""


@dataclass(frozen=True)
class LearnerFault:
    """An exception raised by learner code, as bounded plain data.

    ``type`` and ``mro`` are the names the learner's code reported, for matching
    (``is_a("ValueError")``); ``message`` is its first line, cut; ``line`` is
    ``(cell index, line number)`` of the deepest frame in an answer cell, if any.
    """

    type: str
    message: str
    mro: tuple[str, ...] = ()
    line: tuple[int, int] | None = None

    def is_a(self, name: str) -> bool:
        return name == self.type or name in self.mro


@dataclass(frozen=True)
class CallReply:
    value: object = None
    ok: bool = False
    fault: LearnerFault | None = None
    missing: bool = False
    not_implemented: bool = False
    warnings: tuple[tuple[str, str], ...] = ()
    mutated: tuple[str, ...] = ()
    shortcuts: tuple[str, ...] = ()


def first_line(text: str, limit: int = TEXT_LIMIT) -> str:
    """The first non-empty line of ``text``, cut to ``limit`` characters."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _mapping(message) -> dict:
    if type(message) is not dict:
        raise ProtocolError("a reply is not a mapping")
    return message


def _text(value, limit: int) -> str:
    if type(value) is not str:
        raise ProtocolError("a text field is not a string")
    return first_line(value, limit)


def _flag(message: dict, key: str) -> bool:
    value = message.get(key, False)
    if type(value) is not bool:
        raise ProtocolError(f"{key!r} is not a boolean")
    return value


def _int(value) -> int:
    if type(value) is not int:
        raise ProtocolError("a number field is not an integer")
    return value


def _list(value) -> list:
    if type(value) is not list:
        raise ProtocolError("a list field is not a list")
    return value[:LIST_LIMIT]


def parse_fault(error) -> LearnerFault:
    error = _mapping(error)
    line = error.get("line")
    if line is not None:
        line = _list(line)
        if len(line) != 2:
            raise ProtocolError("malformed error location")
        line = (_int(line[0]), _int(line[1]))
    return LearnerFault(type=_text(error.get("type", "Exception"), NAME_LIMIT),
                        message=_text(error.get("message", ""), TEXT_LIMIT),
                        mro=tuple(_text(name, NAME_LIMIT) for name in _list(error.get("mro", []))),
                        line=line)


def parse_ready(message) -> None:
    """The worker's first frame, sent before any learner code runs."""
    if _mapping(message).get("ready") is not True:
        raise ProtocolError("the worker did not announce itself")


def is_pong(message, nonce: int) -> bool:
    """The zygote's answer to ``{"op": "ping", "nonce": nonce}``."""
    return type(message) is dict and message.get("pong") == nonce and len(message) == 1


def is_ended(message) -> bool:
    """The zygote's report that an exercise's process has ended."""
    return type(message) is dict and "ended" in message and "cell" not in message and "seq" not in message


def _shortcuts(message: dict) -> tuple[str, ...]:
    """The forbidden routines the exercise's code called, as the reply reports them."""
    return tuple(_text(name, NAME_LIMIT) for name in _list(message.get("shortcuts", [])))


def parse_cell_reply(message) -> tuple[int, LearnerFault | None, tuple[str, ...]]:
    """``(cell index, fault or None, shortcuts called)`` of a ``run_cells`` reply."""
    message = _mapping(message)
    error = message.get("error")
    return _int(message.get("cell")), None if error is None else parse_fault(error), _shortcuts(message)


def parse_call_reply(message) -> tuple[int, CallReply]:
    """``(sequence number, reply)`` of a ``call`` reply."""
    message = _mapping(message)
    sequence = _int(message.get("seq"))
    warnings = []
    for pair in _list(message.get("warnings", [])):
        pair = _list(pair)
        if len(pair) != 2:
            raise ProtocolError("malformed warning")
        warnings.append((_text(pair[0], NAME_LIMIT), _text(pair[1], TEXT_LIMIT)))
    mutated = tuple(_text(name, NAME_LIMIT) for name in _list(message.get("mutated", [])))
    common = dict(warnings=tuple(warnings), mutated=mutated, shortcuts=_shortcuts(message))
    if _flag(message, "ok"):
        return sequence, CallReply(value=message.get("value"), ok=True, **common)
    return sequence, CallReply(fault=parse_fault(message.get("error", {})),
                               missing=_flag(message, "missing"),
                               not_implemented=_flag(message, "not_implemented"), **common)
