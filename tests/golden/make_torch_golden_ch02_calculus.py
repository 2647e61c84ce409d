"""Write golden outputs of PyTorch for ch02_calculus: optimiser trajectories, backprop gradients,
Jacobians (torch.autograd.functional.jacobian) and mini-batch SGD runs (torch.optim.SGD on the batches of
the course's shuffling protocol).

The contract says the optimisers follow torch.optim (SGD with heavy-ball momentum, Adam with bias
correction, amsgrad off, no weight decay) and that backprop's gradients are those of autograd for
L = Σ Z2 ⊙ dZ2. The test suite compares the reference solutions with these numbers, so it does not
need PyTorch. Rerun after changing the cases (needs torch, CPU build):

    python tests/golden/make_torch_golden_ch02_calculus.py   # writes tests/golden/torch_ch02_calculus.json

Gradients of the optimiser problems are computed with NumPy (g = A x − b) and handed to torch as
p.grad, so the golden data tests the update rules alone, not two implementations of a matrix product.
"""

import json
from pathlib import Path

import numpy as np
import torch

STEPS = 100
CHECKPOINTS = (0, 1, 2, 3, 5, 10, 25, 50, 100)      # steps at which momentum and Adam runs are recorded


def problems(rng):
    """Convex quadratics f(x) = x·Ax/2 − b·x: a small 2-d one and an ill-conditioned 5-d one."""
    Q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    A5 = Q @ np.diag(np.geomspace(0.1, 10.0, 5)) @ Q.T
    return [{"A": [[3.0, 0.5], [0.5, 1.0]], "b": [1.0, -0.5], "x0": [2.0, -1.2]},
            {"A": ((A5 + A5.T) / 2).tolist(), "b": rng.normal(size=5).tolist(), "x0": rng.normal(size=5).tolist()}]


def run(problem, make_optimizer, state_keys=()):
    """x_0 .. x_STEPS under the optimiser, and the named optimiser state after every step."""
    A, b = np.array(problem["A"]), np.array(problem["b"])
    p = torch.tensor(problem["x0"], dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([p])
    xs, states = [p.detach().numpy().copy().tolist()], {key: [] for key in state_keys}
    for _ in range(STEPS):
        x = p.detach().numpy().copy()
        p.grad = torch.from_numpy(A @ x - b)
        optimizer.step()
        xs.append(p.detach().numpy().copy().tolist())
        for key in state_keys:
            states[key].append(optimizer.state[p][key].detach().numpy().copy().tolist())
    return xs, states


def optimiser_cases(rng):
    quadratics = problems(rng)
    sgd, momentum, adam = [], [], []
    for index, problem in enumerate(quadratics):
        for lr in (0.1, 0.02):
            xs, _ = run(problem, lambda params: torch.optim.SGD(params, lr=lr))
            sgd.append({"problem": index, "lr": lr, "trajectory": xs})
        for lr, mu in ((0.01, 0.9), (0.05, 0.5), (0.1, 0.0)):
            xs, _ = run(problem, lambda params: torch.optim.SGD(params, lr=lr, momentum=mu))
            momentum.append({"problem": index, "lr": lr, "momentum": mu,
                             "x": {str(k): xs[k] for k in CHECKPOINTS}})
        for lr, betas, eps in ((1e-3, (0.9, 0.999), 1e-8), (0.05, (0.8, 0.99), 1e-6), (0.1, (0.9, 0.999), 1e-8)):
            xs, states = run(problem, lambda params: torch.optim.Adam(params, lr=lr, betas=betas, eps=eps,
                                                                      amsgrad=False, weight_decay=0.0),
                             ("exp_avg", "exp_avg_sq"))
            adam.append({"problem": index, "lr": lr, "beta1": betas[0], "beta2": betas[1], "eps": eps,
                         "x": {str(k): xs[k] for k in CHECKPOINTS},
                         "m": {str(k): states["exp_avg"][k - 1] for k in CHECKPOINTS if k},
                         "v": {str(k): states["exp_avg_sq"][k - 1] for k in CHECKPOINTS if k}})
    return quadratics, sgd, momentum, adam


def backprop_cases(rng):
    """Autograd's gradients of L = Σ Z2 ⊙ dZ2 for two-layer ReLU networks (one with exact zeros in Z1)."""
    out = []
    for (N, D, H, C), integer_valued in (((5, 4, 6, 3), False), ((1, 3, 2, 2), False), ((8, 3, 6, 2), True)):
        draw = (lambda *s: rng.integers(-2, 3, size=s).astype(np.float64)) if integer_valued \
            else (lambda *s: rng.normal(size=s))
        arrays = {"W1": draw(H, D), "b1": draw(H), "W2": draw(C, H), "b2": draw(C), "X": draw(N, D)}
        dZ2 = rng.normal(size=(N, C))
        t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in arrays.items()}
        Z2 = torch.relu(t["X"] @ t["W1"].T + t["b1"]) @ t["W2"].T + t["b2"]
        (Z2 * torch.tensor(dZ2)).sum().backward()
        out.append({**{k: v.tolist() for k, v in arrays.items()}, "dZ2": dZ2.tolist(),
                    "Z2": Z2.detach().numpy().tolist(),
                    **{f"d{k}": t[k].grad.numpy().tolist() for k in arrays}})
    return out


# maps written once for both libraries: xp is numpy or torch, W and b are constants of the map
JACOBIAN_MAPS = [
    ("lambda x, xp, W, b: xp.stack([xp.sin(3 * x[0]) + x[1] * x[2], xp.exp(x[0]) - x[1] * x[2] ** 2])", 3, None),
    ("lambda x, xp, W, b: xp.exp(x - x.max()) / xp.exp(x - x.max()).sum()", 4, None),
    ("lambda x, xp, W, b: xp.tanh(W @ x + b)", 3, (5, 3)),
    ("lambda x, xp, W, b: (x ** 2).sum() * xp.cos(x[0])", 2, None),
]


def jacobian_cases(rng):
    """torch.autograd.functional.jacobian of small smooth maps at random points (a scalar map among them)."""
    out = []
    for source, n, shape in JACOBIAN_MAPS:
        W = rng.normal(size=shape) if shape else np.zeros((1, n))
        b = rng.normal(size=W.shape[0])
        x = rng.uniform(-1, 1, size=n)
        f = eval(source)
        tW, tb = torch.tensor(W), torch.tensor(b)
        J = torch.autograd.functional.jacobian(lambda t: f(t, torch, tW, tb), torch.tensor(x))
        out.append({"source": source, "W": W.tolist(), "b": b.tolist(), "x": x.tolist(),
                    "J": J.reshape(-1, n).numpy().tolist()})
    return out


def minibatch_sgd_cases(rng):
    """torch.optim.SGD (plain, lr only) on the batches perm[s:s + batch_size] of the course's protocol:
    rng = np.random.default_rng(seed), a new rng.permutation(N) every epoch. The loss of a batch is
    the mean of (x·w − y)² / 2, differentiated by autograd."""
    out = []
    for n, d, batch_size, epochs, lr, seed in ((50, 3, 8, 3, 0.05, 1), (23, 2, 5, 2, 0.1, 7),
                                               (40, 3, 64, 4, 0.1, 3), (10, 2, 1, 2, 0.02, 11)):
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=d) + 0.3 * rng.normal(size=n)
        w0 = rng.normal(size=d)
        w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=lr)
        order = np.random.default_rng(seed)
        after_epoch = []
        for _ in range(epochs):
            perm = order.permutation(n)
            for s in range(0, n, batch_size):
                idx = perm[s:s + batch_size]
                Xb, yb = torch.tensor(X[idx]), torch.tensor(y[idx])
                optimizer.zero_grad()
                loss = ((Xb @ w - yb) ** 2).mean() / 2
                loss.backward()
                optimizer.step()
            after_epoch.append(w.detach().numpy().copy().tolist())
        out.append({"X": X.tolist(), "y": y.tolist(), "w0": w0.tolist(), "batch_size": batch_size,
                    "epochs": epochs, "lr": lr, "seed": seed, "after_epoch": after_epoch})
    return out


if __name__ == "__main__":
    rng = np.random.default_rng(2025)
    quadratics, sgd, momentum, adam = optimiser_cases(rng)
    golden = {"torch": torch.__version__, "steps": STEPS, "problems": quadratics, "sgd": sgd,
              "momentum": momentum, "adam": adam, "backprop": backprop_cases(np.random.default_rng(7)),
              "jacobian": jacobian_cases(np.random.default_rng(12)),
              "minibatch_sgd": minibatch_sgd_cases(np.random.default_rng(13))}
    path = Path(__file__).with_name("torch_ch02_calculus.json")
    path.write_text(json.dumps(golden) + "\n")
    print(f"wrote {path}")
