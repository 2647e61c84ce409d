""""From scratch" enforced where the code runs: forbidden routines replaced by tripwires.

Imported by the sandbox worker only.  Before any learner code of an exercise
runs, every forbidden routine of that exercise (a dotted name from the course
catalog: ``numpy.linalg.norm``, ``scipy.special.softmax``, the private paths and
the C routines underneath them, the twins that compute the same thing) is
looked up, and every reference to that very object in every loaded module is
replaced by a tripwire: found by identity, so ``numpy.linalg._linalg.norm``,
``from scipy.special._logsumexp import softmax`` or a name assembled at run time
all lead to it.  Modules imported later are patched as they load.  A whole
module on the list (``scipy.stats``, ``sklearn``) cannot be imported at all.

A tripwire raises :class:`ShortcutUsed`, naming the shortcut for the honest
learner, and remembers that it fired: the worker reports that with its reply and
the exercise scores 0, even if learner code caught the exception.

Out of reach, and said so in the README: C slots that no module attribute leads
to (the ``@`` operator, ``ndarray.dot`` and other array methods — the static scan
catches their spellings), ctypes, and a learner who digs the original object out
of a tripwire's closure on purpose.
"""

import importlib
import importlib.abc
import sys
import types


class ShortcutUsed(Exception):
    """A forbidden routine was called."""


class Tripwires:
    """The tripwires of one exercise, and the shortcuts that have fired.

    A forbidden routine whose module is loaded is armed at once; one whose module
    is not loaded yet is armed when that module finishes loading (importing it
    now would cost every exercise the import of, say, scikit-learn).  A name on
    the list that turns out to be a module is refused when something imports it.
    """

    def __init__(self, forbidden, index=None):
        self.fired = []
        self.blocked_modules = []
        self.pending = []          # dotted names whose module is not loaded yet
        self.by_id = {}            # id(forbidden object) -> its tripwire
        self._keep = []            # the originals: their ids must stay theirs
        sys.meta_path.insert(0, _PatchingFinder(self))
        for name in forbidden:
            if name and name != "@":
                self._arm(name)
        if index is None:
            self.patch_loaded()
        else:
            self.patch_indexed(index)

    def _arm(self, name):
        if name in sys.modules:
            self._block(name)
        elif not self._arm_loaded(name):
            # not reachable yet: a module not imported so far (refused whole when it is), or a
            # routine of one (armed when that module has loaded) — nothing is imported here
            self.pending.append(name)

    def _block(self, name):
        self.blocked_modules.append(name)
        for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            sys.modules.pop(loaded, None)
        parent, _, child = name.rpartition(".")
        if parent in sys.modules and child in vars(sys.modules[parent]):
            delattr(sys.modules[parent], child)

    def _arm_loaded(self, name):
        """Arm ``name`` if the object it stands for is reachable from loaded modules."""
        target = _resolve_loaded(name)
        if target is _MISSING:
            return False
        if id(target) not in self.by_id:
            self._keep.append(target)
            self.by_id[id(target)] = self._tripwire(_display(name))
        return True

    def _tripwire(self, display):
        fired = self.fired

        def tripwire(*args, **kwargs):
            fired.append(display)
            raise ShortcutUsed(f"{display} is a shortcut this exercise must do without")

        tripwire.__name__ = display.rsplit(".", 1)[-1]
        return tripwire

    def loaded(self, module):
        """A module finished loading: arm what it made reachable, patch what it holds."""
        name = module.__name__
        ready = [p for p in self.pending if p.startswith(name + ".") and self._arm_loaded(p)]
        if ready:
            self.pending = [p for p in self.pending if p not in ready]
            self.patch_loaded()
        else:
            self.patch(module)

    def patch(self, module):
        """Replace every attribute of ``module`` that is a forbidden object."""
        try:
            items = list(vars(module).items())
        except TypeError:
            return
        for key, value in items:
            wire = self.by_id.get(id(value))
            if wire is not None:
                _replace(module, key, wire)

    def patch_loaded(self):
        for module in list(sys.modules.values()):
            if module is not None:
                self.patch(module)

    def patch_indexed(self, index):
        """What :meth:`patch_loaded` does, through ``index`` (a :class:`ModuleIndex` of the modules
        loaded now): only the attributes that hold a forbidden object are touched."""
        for target_id, wire in self.by_id.items():
            for module, key in index.holders.get(target_id, ()):
                if id(vars(module).get(key)) == target_id:
                    _replace(module, key, wire)

    def blocks(self, fullname):
        """Whether importing ``fullname`` is refused: a forbidden module, or one inside it."""
        return any(fullname == name or fullname.startswith(name + ".")
                   for name in self.blocked_modules + self.pending)


class _PatchingFinder(importlib.abc.MetaPathFinder):
    """Refuses the forbidden modules; patches every other module as it finishes loading."""

    def __init__(self, tripwires):
        self.tripwires = tripwires

    def find_spec(self, fullname, path, target=None):
        if self.tripwires.blocks(fullname):
            self.tripwires.fired.append(fullname)
            raise ImportError(f"{fullname} is a shortcut this exercise must do without")
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader, self.tripwires)
                return spec
        return None


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, tripwires):
        self.loader = loader
        self.tripwires = tripwires

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        self.tripwires.loaded(module)

    def __getattr__(self, name):   # get_resource_reader, is_package, ... as the real loader has them
        return getattr(self.loader, name)


_MISSING = object()


def _replace(module, key, wire):
    try:
        setattr(module, key, wire)
    except (AttributeError, TypeError):
        pass


def _resolve_loaded(name):
    """The object a dotted name stands for, reached from the longest prefix that is a loaded
    module (nothing is imported), or _MISSING."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        target = sys.modules.get(".".join(parts[:cut]))
        if target is None:
            continue
        for attribute in parts[cut:]:
            # a module's own attributes only: its __getattr__ may import (scipy's lazy submodules)
            found = vars(target).get(attribute, _MISSING) if isinstance(target, types.ModuleType) \
                else getattr(target, attribute, _MISSING)
            if found is _MISSING:
                return _MISSING
            target = found
        return target
    return _MISSING


def _display(name):
    return "np." + name[len("numpy."):] if name.startswith("numpy.") else name


class ModuleIndex:
    """Where each object is held in the loaded modules: ``id -> [(module, attribute)]``.

    Built once in the zygote (no learner code has run there, so the index stays true in
    every process it forks), it spares each exercise's process a walk over every
    attribute of every module — a walk that also touches, and so copies, most of the
    memory the process shares with the zygote.
    """

    def __init__(self):
        self.holders = {}
        for module in list(sys.modules.values()):
            try:
                items = list(vars(module).items())
            except TypeError:
                continue
            for key, value in items:
                self.holders.setdefault(id(value), []).append((module, key))
