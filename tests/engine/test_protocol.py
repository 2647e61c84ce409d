"""Does the trusted side hold every frame from the sandbox to the protocol, and cut its text?"""

import pytest

from mlmath.sandbox.protocol import (LIST_LIMIT, NAME_LIMIT, TEXT_LIMIT, ProtocolError, parse_call_reply,
                                     parse_cell_reply, parse_ready)

ERROR = {"type": "ValueError", "mro": ["ValueError", "Exception"], "message": "bad", "line": [2, 7]}


@pytest.mark.parametrize("reply", [
    "not a mapping",
    {"cell": "0", "error": None},
    {"cell": 0, "error": "a string, not a mapping"},
    {"cell": 0, "error": {"type": 3}},
    {"cell": 0, "error": {**ERROR, "mro": "ValueError"}},
    {"cell": 0, "error": {**ERROR, "line": [1, 2, 3]}},
    {"cell": 0, "error": {**ERROR, "line": ["1", 2]}},
])
def test_a_malformed_cell_reply_is_a_protocol_error(reply):
    with pytest.raises(ProtocolError):
        parse_cell_reply(reply)


@pytest.mark.parametrize("reply", [
    {"ok": True},                                           # no sequence number
    {"ok": "yes", "seq": 1},
    {"ok": False, "seq": 1, "error": "boom"},
    {"ok": True, "seq": 1, "warnings": [["RuntimeWarning"]]},
    {"ok": True, "seq": 1, "warnings": "overflow"},
    {"ok": True, "seq": 1, "mutated": [0]},
    {"ok": False, "seq": 1, "error": ERROR, "missing": 1},
])
def test_a_malformed_call_reply_is_a_protocol_error(reply):
    with pytest.raises(ProtocolError):
        parse_call_reply(reply)


def test_the_worker_must_announce_itself_first():
    parse_ready({"ready": True})
    for frame in ({"cell": 0, "error": None}, {"ready": 1}, []):
        with pytest.raises(ProtocolError):
            parse_ready(frame)


def test_text_from_the_sandbox_is_cut_here_whatever_the_worker_claims():
    huge = {"type": "E" * 10_000, "mro": ["M" * 10_000] * 1000, "message": "first\n" + "x" * 10**6, "line": None}
    _, reply = parse_call_reply({"ok": False, "seq": 5, "error": huge,
                                 "warnings": [["W", "w" * 10**6]] * 1000, "mutated": ["a" * 10**6] * 1000})
    assert reply.fault.message == "first"
    assert len(reply.fault.type) <= NAME_LIMIT and len(reply.fault.mro) == LIST_LIMIT
    assert all(len(name) <= NAME_LIMIT for name in reply.fault.mro)
    assert len(reply.warnings) == LIST_LIMIT and all(len(m) <= TEXT_LIMIT for _, m in reply.warnings)
    assert len(reply.mutated) == LIST_LIMIT and all(len(m) <= NAME_LIMIT for m in reply.mutated)


def test_a_good_reply_is_read_as_sent():
    seq, reply = parse_call_reply({"ok": False, "seq": 9, "error": ERROR, "not_implemented": False,
                                   "warnings": [["RuntimeWarning", "overflow encountered in exp"]], "mutated": ["0"]})
    assert seq == 9 and reply.fault.is_a("Exception") and reply.fault.line == (2, 7)
    assert reply.warnings == (("RuntimeWarning", "overflow encountered in exp"),) and reply.mutated == ("0",)
    assert parse_cell_reply({"cell": 3, "error": None}) == (3, None, ())
