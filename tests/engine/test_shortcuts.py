"""Are "from scratch" shortcuts found however they are spelled, and only where they count?"""

import pytest

from mlmath.grading.shortcuts import ShortcutScan
from mlmath.notebook import CodeCell
from mlmath.parsed_cells import parse_cells

NORM = ("numpy.linalg.norm", "scipy.linalg.norm", "math.hypot")
MATMUL = ("@", "numpy.dot", "numpy.matmul", "numpy.einsum")


def scan(*sources):
    return ShortcutScan(parse_cells([CodeCell(i, source, None) for i, source in enumerate(sources)], 256))


def used(source, functions, forbidden):
    return sorted(s.display for s in scan(source).find(functions, forbidden))


@pytest.mark.parametrize("source", [
    "import numpy as np\ndef vector_norm(v, ord=2):\n    return np.linalg.norm(v)",
    "import numpy.linalg as la\ndef vector_norm(v, ord=2):\n    return la.norm(v)",
    "from numpy.linalg import norm as n\ndef vector_norm(v, ord=2):\n    return n(v)",
    "from numpy import linalg\ndef vector_norm(v, ord=2):\n    return linalg.norm(v)",
    "import numpy as np\nf = np.linalg.norm\ndef vector_norm(v, ord=2):\n    return f(v)",
    "import numpy as np\ndef vector_norm(v, ord=2):\n    return getattr(np.linalg, 'norm')(v)",
    "def vector_norm(v, ord=2):\n    import numpy\n    return numpy.linalg.norm(v)",
    "import numpy as np\ndef helper(v):\n    return np.linalg.norm(v)\ndef vector_norm(v, ord=2):\n    return helper(v)",
    "from numpy.linalg import norm as vector_norm",
    "import numpy as np\nvector_norm = lambda v, ord=2: np.linalg.norm(v)",
], ids=["direct", "module-alias", "from-import-as", "from-module", "assigned-alias", "getattr",
        "local-import", "via-helper", "rebound-name", "lambda"])
def test_norm_shortcut_is_found_however_it_is_spelled(source):
    assert used(source, ("vector_norm",), NORM) == ["np.linalg.norm"]


def test_method_and_operator_forms_count():
    source = "def matmul(A, B):\n    C = A.dot(B)\n    return A @ B"
    assert used(source, ("matmul",), MATMUL) == ["np.dot", "the @ operator"]


def test_whole_module_bans_cover_every_member():
    source = "import torch\ndef softmax(x, axis=-1):\n    return torch.softmax(torch.tensor(x), axis).numpy()"
    assert used(source, ("softmax",), ("torch",)) == ["torch"]


@pytest.mark.parametrize("source", [
    "import numpy as np\ndef vector_norm(v, ord=2):\n    return np.sqrt(np.sum(np.asarray(v) ** 2))",
    "import numpy as np\ndef other(v):\n    return np.linalg.norm(v)\ndef vector_norm(v, ord=2):\n    return 0.0",
    "import numpy as np\ndef vector_norm(v, ord=2):\n    # np.linalg.norm would be too easy\n    return 0.0",
    "import scipy.special\ndef softmax(x, axis=-1):\n    return scipy.special.gammaln(x)",
    "def vector_norm(v, ord=2):\n    norm = 3\n    return norm",
], ids=["from-scratch", "unrelated-function", "comment", "allowed-member", "local-name"])
def test_allowed_code_is_not_flagged(source):
    forbidden = NORM + ("scipy.special.softmax",)
    assert used(source, ("vector_norm", "softmax"), forbidden) == []


def test_a_broken_cell_does_not_stop_the_scan():
    cells = ["def broken(:\n", "import numpy as np\ndef vector_norm(v, ord=2):\n    return np.linalg.norm(v)"]
    assert [s.display for s in scan(*cells).find(("vector_norm",), NORM)] == ["np.linalg.norm"]
