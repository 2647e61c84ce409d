"""Write golden outputs of PyTorch for ch06_deep_learning: cross-entropy and its gradient,
scaled dot-product attention with boolean masks, and multi-head attention.

The test suite compares the reference solutions with these numbers, so it does not
need PyTorch.  Rerun after changing the cases (needs torch, CPU build):

    python tests/golden/make_torch_golden_ch06_deep_learning.py
    # writes tests/golden/torch_ch06_deep_learning.json

Conventions translated here, once:
* the course's masks say True = "may attend"; ``F.scaled_dot_product_attention`` uses
  the same meaning, ``nn.MultiheadAttention`` the opposite (True = "blocked"), so its
  ``attn_mask`` gets ``~mask``, repeated for every head (batch-major, as torch expects);
* the course computes ``Q = X @ Wq``; torch computes ``X @ W.T``, so its in-projection
  holds ``Wq.T, Wk.T, Wv.T`` stacked and its out-projection ``Wo.T``.
"""

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F


def t64(array):
    return torch.tensor(np.asarray(array), dtype=torch.float64)


def cross_entropy_cases(rng):
    cases = [(rng.normal(scale=3.0, size=(5, 4)), rng.integers(0, 4, size=5)),
             (rng.normal(size=(1, 3)), np.array([2])),
             (rng.uniform(-1e4, 1e4, size=(6, 5)), rng.integers(0, 5, size=6)),
             (np.array([[1e4, 0.0], [-1e4, 1e4]]), np.array([1, 0]))]
    out = []
    for logits, labels in cases:
        z = t64(logits).requires_grad_(True)
        loss = F.cross_entropy(z, torch.tensor(labels, dtype=torch.int64))   # mean over the rows
        loss.backward()
        out.append({"logits": logits.tolist(), "labels": labels.tolist(), "loss": loss.item(),
                    "dlogits": z.grad.numpy().tolist()})
    return out


def attention_cases(rng):
    def case(q_shape, k_shape, v_shape, mask=None, scale=1.0):
        Q, K, V = (rng.normal(scale=scale, size=s) for s in (q_shape, k_shape, v_shape))
        return Q, K, V, mask

    T = 5
    causal = np.tril(np.ones((T, T), dtype=bool))
    padding = np.ones((2, 1, 1, 6), dtype=bool)
    padding[0, ..., 4:] = False
    padding[1, ..., 1] = False
    random_mask = rng.random((3, 6)) < 0.6
    random_mask[:, 0] = True                      # every query may attend somewhere
    cases = [case((T, 4), (T, 4), (T, 4)),
             case((3, 4), (6, 4), (6, 2), random_mask),
             case((2, 3, T, 4), (2, 3, T, 4), (2, 3, T, 3), causal),
             case((2, 2, 4, 8), (2, 2, 6, 8), (2, 2, 6, 5), padding),
             case((T, 4), (T, 4), (T, 4), causal, scale=70.0)]   # scores in the thousands
    out = []
    for Q, K, V, mask in cases:
        torch_mask = None if mask is None else torch.tensor(mask)
        result = F.scaled_dot_product_attention(t64(Q), t64(K), t64(V), attn_mask=torch_mask)
        scores = t64(Q) @ t64(K).transpose(-2, -1) / np.sqrt(Q.shape[-1])
        if torch_mask is not None:
            scores = scores.masked_fill(~torch_mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        out.append({"Q": Q.tolist(), "K": K.tolist(), "V": V.tolist(),
                    "mask": None if mask is None else mask.tolist(),
                    "out": result.numpy().tolist(), "weights": weights.numpy().tolist()})
    return out


def multi_head_cases(rng):
    out = []
    specs = [((6, 8), 2, None), ((6, 8), 4, "causal"), ((6, 8), 1, None), ((6, 8), 8, None),
             ((3, 5, 12), 3, None), ((3, 5, 12), 4, "causal"), ((3, 5, 12), 2, "padding")]
    for shape, n_heads, mask_kind in specs:
        d_model, T = shape[-1], shape[-2]
        X = rng.normal(size=shape)
        Wq, Wk, Wv, Wo = (rng.normal(scale=1 / np.sqrt(d_model), size=(d_model, d_model)) for _ in range(4))
        mask = None
        if mask_kind == "causal":
            mask = np.tril(np.ones((T, T), dtype=bool))
        elif mask_kind == "padding":                  # (B, T, T): each sequence hides its own keys
            mask = np.ones((shape[0], T, T), dtype=bool)
            mask[0, :, 3:] = False
            mask[2, :, 1] = False
        mha = torch.nn.MultiheadAttention(d_model, n_heads, bias=False, batch_first=True, dtype=torch.float64)
        with torch.no_grad():
            mha.in_proj_weight.copy_(torch.cat([t64(Wq).T, t64(Wk).T, t64(Wv).T]))
            mha.out_proj.weight.copy_(t64(Wo).T)
        blocked = None
        if mask is not None:
            blocked = torch.tensor(~mask)
            if blocked.dim() == 3:                     # (B, T, T) -> (B * n_heads, T, T)
                blocked = blocked.repeat_interleave(n_heads, dim=0)
        x = t64(X)
        with torch.no_grad():
            result, _ = mha(x, x, x, attn_mask=blocked, need_weights=False)
        out.append({"X": X.tolist(), "Wq": Wq.tolist(), "Wk": Wk.tolist(), "Wv": Wv.tolist(),
                    "Wo": Wo.tolist(), "n_heads": n_heads,
                    "mask": None if mask is None else mask.tolist(), "out": result.numpy().tolist()})
    return out


if __name__ == "__main__":
    rng = np.random.default_rng(2606)
    golden = {"torch": torch.__version__, "cross_entropy": cross_entropy_cases(rng),
              "attention": attention_cases(rng), "multi_head_attention": multi_head_cases(rng)}
    path = Path(__file__).with_name("torch_ch06_deep_learning.json")
    path.write_text(json.dumps(golden) + "\n")
    print(f"wrote {path}")
