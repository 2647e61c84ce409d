"""Write golden outputs of PyTorch for the exercises whose contract is "as PyTorch does".

The test suite compares the reference solutions with these numbers, so it does
not need PyTorch.  Rerun after changing the cases (needs torch, CPU build):

    python tests/golden/make_torch_golden.py     # writes tests/golden/torch_ch04_numerics.json
"""

import json
from pathlib import Path

import numpy as np
import torch


def bce_cases(rng):
    cases = [([1000.0], [0.0]), ([-1000.0], [0.0]), ([-1000.0], [1.0]), ([0.0], [1.0])]
    for size, scale in ((8, 3.0), (16, 50.0), (9, 1e4)):
        cases.append((rng.normal(scale=scale, size=size).tolist(), rng.uniform(0, 1, size=size).tolist()))
    out = []
    for logits, targets in cases:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            torch.tensor(logits, dtype=torch.float64), torch.tensor(targets, dtype=torch.float64))
        out.append({"logits": logits, "targets": targets, "loss": loss.item()})
    return out


def unscale_cases(rng):
    """GradScaler.unscale_ on float16 gradients: the float32 values and whether it found inf/NaN."""
    out = []
    for scale, poison in ((65536.0, None), (1024.0, float("inf")), (3.0, float("nan")), (8.0, None)):
        grads = [rng.normal(scale=scale * 1e-3, size=shape).astype(np.float16) for shape in ((3,), (2, 2))]
        if poison is not None:
            grads[1][0, 1] = poison
        tensors = [torch.tensor(g.astype(np.float32)).half().float() for g in grads]
        found_inf = torch.zeros(1)
        torch._amp_foreach_non_finite_check_and_unscale_(
            tensors, found_inf, torch.tensor([1.0 / scale], dtype=torch.float64).float())
        out.append({"scale": scale,
                    "grads": [[str(v) for v in g.astype(np.float32).ravel()] for g in grads],
                    "shapes": [list(g.shape) for g in grads],
                    "unscaled": [[str(v) for v in t.numpy().ravel()] for t in tensors],
                    "found_inf": bool(found_inf.item())})
    return out


if __name__ == "__main__":
    rng = np.random.default_rng(2024)
    golden = {"torch": torch.__version__, "bce_with_logits": bce_cases(rng), "unscale_grads": unscale_cases(rng)}
    path = Path(__file__).with_name("torch_ch04_numerics.json")
    path.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {path}")
