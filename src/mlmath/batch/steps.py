"""nbgrader's autograde steps as a grading worker runs them: from the course's
``nbgrader_config.py``, in nbgrader's order, with the steps that read the
gradebook reading a snapshot of it and the steps that write it left out (the
coordinator does their work, see :mod:`mlmath.batch.recorder`)."""

from __future__ import annotations

import json
import threading
from functools import lru_cache

from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import (AssignLatePenalties, Execute, OverwriteCells, OverwriteKernelspec,
                                    SaveAutoGrades)
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader
from traitlets.utils.importstring import import_item

from mlmath.batch.snapshot import AssignmentSnapshot, SnapshotGradebook
from mlmath.nbgrader_bridge.overwrite_cells import RestoreAllCells


class SnapshotOverwriteKernelspec(OverwriteKernelspec):
    """nbgrader's kernelspec reset, reading the instructor's kernelspec from the snapshot."""

    def preprocess(self, nb, resources):
        view = self.snapshot.find_notebook(resources["nbgrader"]["notebook"],
                                           resources["nbgrader"]["assignment"])
        if view.kernelspec:
            nb.metadata["kernelspec"] = json.loads(view.kernelspec)
        return nb, resources


class SnapshotOverwriteCells(RestoreAllCells):
    """The course's OverwriteCells, reading the instructor's cells from the snapshot."""

    def preprocess(self, nb, resources):
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.gradebook = self.snapshot
        nb, resources = super(OverwriteCells, self).preprocess(nb, resources)
        nb, resources = self.add_missing_grade_cells(nb, resources)
        return self.add_missing_task_cells(nb, resources)


@lru_cache(maxsize=8)
def nbgrader_config(course_root: str) -> Config:
    """The course's nbgrader configuration, as ``nbgrader autograde`` loads it."""
    return PyFileConfigLoader("nbgrader_config.py", path=course_root).load_config()


def _steps(classes, config: Config, snapshot: AssignmentSnapshot) -> list:
    steps = []
    for entry in classes:
        cls = import_item(entry) if isinstance(entry, str) else entry
        if issubclass(cls, OverwriteCells):
            cls = SnapshotOverwriteCells
        elif issubclass(cls, OverwriteKernelspec):
            cls = SnapshotOverwriteKernelspec
        if cls is Execute:
            raise RuntimeError("nbgrader_config.py asks for nbgrader's Execute step, which runs "
                               "learner code in a kernel; mlmath autograde grades in the sandbox only")
        if cls in (SaveAutoGrades, AssignLatePenalties):
            continue  # the coordinator writes the gradebook
        step = cls(config=config)
        step.snapshot = SnapshotGradebook(snapshot)
        steps.append(step)
    return steps


def _built(config: Config, snapshot: AssignmentSnapshot) -> tuple:
    traits = config.get("Autograde", {})
    sanitize = traits.get("sanitize_preprocessors", Autograde.sanitize_preprocessors.default_value)
    autograde = traits.get("autograde_preprocessors", Autograde.autograde_preprocessors.default_value)
    return tuple(_steps(sanitize, config, snapshot) + _steps(autograde, config, snapshot))


_last = threading.local()


def autograde_steps(config: Config, snapshot: AssignmentSnapshot) -> tuple:
    """The steps, built once for a worker's notebooks of one configuration and gradebook
    snapshot (equal to the last one: each task carries its own copy).  A step keeps nothing
    from one notebook for the next — what some set while they run (OverwriteCells' notebook,
    the ids DeduplicateIds has seen) is set afresh at the start of each notebook — but it
    does keep it while it runs, so each thread (a Dask worker may run several) has its own."""
    if getattr(_last, "config", None) is not config or _last.snapshot != snapshot:
        _last.config, _last.snapshot, _last.steps = config, snapshot, _built(config, snapshot)
    return _last.steps
