"""The ``student`` object graders call: learner functions by name, across the sandbox.

``student.softmax(x)`` sends ``x`` into the sandbox, calls the learner's
``softmax`` there and returns the plain-data result.  What went wrong comes
back as an exception the runner knows how to explain to the learner:

* :class:`LearnerError` — their function raised (graders may expect this, e.g.
  a ``ValueError`` for bad input);
* :class:`NotImplementedYet` — the function is missing or still the stub;
* :class:`FunctionLost` — it overran its time or killed its process.

Every call's RuntimeWarnings and modified arguments are kept in
:attr:`StudentProxy.calls`, for the checks about stability and about leaving
inputs unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlmath.grading import learner_text
from mlmath.sandbox.session import CallOutcome, LearnerFault, SandboxSession


class LearnerError(Exception):
    """The learner's function raised an exception.

    ``fault`` is what it raised, for graders to inspect in this process;
    ``raised`` is the part a message may show (see :mod:`mlmath.grading.learner_text`).
    """

    def __init__(self, function: str, fault: LearnerFault, cell_names: list[str]):
        self.raised = learner_text.raised(fault, cell_names)
        super().__init__(f"{function} {self.raised}")
        self.function = function
        self.fault = fault

    def is_a(self, name: str) -> bool:
        return self.fault.is_a(name)


class NotImplementedYet(Exception):
    """The function is not defined, or raises NotImplementedError."""

    def __init__(self, function: str, why: str = ""):
        super().__init__(f"{function} is not implemented yet{': ' + why if why else ''}")
        self.function = function
        self.why = why


class FunctionLost(Exception):
    """The call overran its time limit or killed the sandboxed process."""

    def __init__(self, function: str, reason: str, seconds: float):
        self.function = function
        self.reason = reason
        if reason == "timeout":
            text = f"{function} did not finish within {seconds:g} s"
        elif reason == "submission-timeout":
            text = "the notebook used up its whole time budget before this check could run"
        elif reason == "protocol":
            text = (f"calling {function} made the sandboxed process send something that is not a "
                    "reply (too large, too deeply nested, or forged)")
        else:
            text = f"calling {function} ended the sandboxed process (os._exit, a crash, or too much memory)"
        super().__init__(text)


@dataclass(frozen=True)
class Call:
    function: str
    outcome: CallOutcome


class StudentProxy:
    """A per-check view of one submission's sandbox."""

    def __init__(self, session: SandboxSession, defined_in: dict[str, int],
                 lost_functions: dict[str, FunctionLost], call_seconds: float,
                 cell_names: list[str]):
        self._session = session
        self._cell_names = cell_names
        self._call_seconds = call_seconds
        self._defined_in = defined_in
        # shared by all checks of a submission: a function that hung or crashed once
        # fails its later checks at once instead of costing its time limit again
        self._lost_functions = lost_functions
        self.calls: list[Call] = []

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args, **kwargs):
            return self.call(name, *args, **kwargs)

        call.__name__ = name
        return call

    def call(self, function: str, *args, **kwargs):
        if function in self._lost_functions:
            raise self._lost_functions[function]
        outcome = self._session.call(function, args, kwargs, self._call_seconds)
        self.calls.append(Call(function, outcome))
        if outcome.lost:
            lost = FunctionLost(function, outcome.lost, self._call_seconds)
            self._lost_functions[function] = lost
            raise lost
        if outcome.missing:
            raise NotImplementedYet(function, self._why_missing(function))
        if outcome.not_implemented:
            raise NotImplementedYet(function)
        if outcome.fault:
            raise LearnerError(function, outcome.fault, self._cell_names)
        return outcome.value

    def _why_missing(self, function: str) -> str:
        cell = self._defined_in.get(function)
        if cell is None:
            return f"no answer cell defines {function}"
        if cell in self._session.lost_cells:
            return f"the answer cell that defines {function} never finished running"
        fault = self._session.cell_faults.get(cell)
        if fault:
            return f"the answer cell that defines {function} {learner_text.cell_raised(fault)}"
        return ""

    # -- what the calls of this check did -----------------------------------------
    @property
    def warnings(self) -> list[tuple[str, str, str]]:
        """(function, category, message) of every warning raised in this check's calls."""
        return [(c.function, category, message)
                for c in self.calls for category, message in c.outcome.warnings]

    @property
    def mutations(self) -> list[tuple[str, str]]:
        """(function, argument) for every argument a call of this check modified."""
        return [(c.function, argument) for c in self.calls for argument in c.outcome.mutated]
