"""Learner implementations for ch06_deep_learning: softmax cross-entropy, He initialisation,
MLP forward/backward, training on spirals, attention with masks and multi-head attention.

Each ``source`` is the whole answer cell of its exercise; the notebook's set-up cell has
already run ``import numpy as np``, and the other exercises' cells hold the reference
answers (so a training answer uses the reference's mlp_forward, and so on).
"""

from tests.implementations import right, wrong

WRONG = [
    # ------------------------------------------------------------------ softmax_ce
    wrong("softmax_ce", "softmax_then_log_without_shift", """
        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            labels = np.asarray(labels)
            n = len(z)
            p = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
            loss = -np.mean(np.log(p[np.arange(n), labels]))
            grad = p.copy()
            grad[np.arange(n), labels] -= 1
            return float(loss), grad / n
    """, fails=("stable_for_large_logits",)),

    wrong("softmax_ce", "clipped_probabilities", """
        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            labels = np.asarray(labels)
            n = len(z)
            e = np.exp(z - z.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            p_clipped = np.clip(p, 1e-12, 1.0)            # avoid log(0)
            loss = -np.mean(np.log(p_clipped[np.arange(n), labels]))
            grad = p.copy()
            grad[np.arange(n), labels] -= 1
            return float(loss), grad / n
    """, fails=("stable_for_large_logits",)),

    wrong("softmax_ce", "one_global_maximum", """
        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            labels = np.asarray(labels)
            n = len(z)
            shifted = z - np.max(z)
            log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
            grad = np.exp(log_p)
            grad[np.arange(n), labels] -= 1
            return float(-np.mean(log_p[np.arange(n), labels])), grad / n
    """, fails=("stable_for_large_logits",)),

    wrong("softmax_ce", "sum_instead_of_mean", """
        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            labels = np.asarray(labels)
            n = len(z)
            shifted = z - z.max(axis=1, keepdims=True)
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            loss = -np.sum(log_p[np.arange(n), labels])
            grad = np.exp(log_p)
            grad[np.arange(n), labels] -= 1
            return float(loss), grad / n
    """, fails=("loss_matches_definition",)),

    wrong("softmax_ce", "gradient_not_divided_by_n", """
        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            labels = np.asarray(labels)
            rows = np.arange(len(z))
            shifted = z - z.max(axis=1, keepdims=True)
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            grad = np.exp(log_p)
            grad[rows, labels] -= 1                      # softmax - onehot
            return float(-log_p[rows, labels].mean()), grad
    """, fails=("gradient_matches_definition",)),

    wrong("softmax_ce", "loss_per_row", """
        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            labels = np.asarray(labels)
            rows = np.arange(len(z))
            shifted = z - z.max(axis=1, keepdims=True)
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            grad = np.exp(log_p)
            grad[rows, labels] -= 1
            return -log_p[rows, labels], grad / len(z)
    """, fails=("loss_is_a_single_number",)),

    wrong("softmax_ce", "shifts_callers_logits", """
        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            labels = np.asarray(labels)
            rows = np.arange(len(z))
            z -= z.max(axis=1, keepdims=True)
            log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            grad = np.exp(log_p)
            grad[rows, labels] -= 1
            return float(-log_p[rows, labels].mean()), grad / len(z)
    """, fails=("leaves_inputs_unchanged",)),

    wrong("softmax_ce", "every_row_against_every_label", """
        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            labels = np.asarray(labels)
            n = len(z)
            shifted = z - z.max(axis=1, keepdims=True)
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            loss = -np.mean(log_p[:, labels])            # picks an (N, N) block
            grad = np.exp(log_p) - np.eye(z.shape[1])[labels]
            return float(loss), grad / n
    """, fails=("loss_matches_definition",)),

    # ------------------------------------------------------------------ init
    wrong("init", "fan_out", """
        def mlp_init(layer_sizes, seed=0):
            rng = np.random.default_rng(seed)
            params = []
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
                W = rng.normal(0, np.sqrt(2 / n_out), size=(n_out, n_in))
                params.append((W, np.zeros(n_out)))
            return params
    """, fails=("he_scale_uses_fan_in",)),

    wrong("init", "variance_used_as_std", """
        def mlp_init(layer_sizes, seed=0):
            rng = np.random.default_rng(seed)
            params = []
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
                W = rng.normal(0, 2 / n_in, size=(n_out, n_in))
                params.append((W, np.zeros(n_out)))
            return params
    """, fails=("he_scale_uses_fan_in",)),

    wrong("init", "xavier_scale", """
        def mlp_init(layer_sizes, seed=0):
            rng = np.random.default_rng(seed)
            return [(rng.normal(size=(n_out, n_in)) / np.sqrt(n_in), np.zeros(n_out))
                    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]
    """, fails=("he_scale_uses_fan_in",)),

    wrong("init", "he_uniform", """
        def mlp_init(layer_sizes, seed=0):
            rng = np.random.default_rng(seed)
            params = []
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
                limit = np.sqrt(6 / n_in)                    # same variance, 2 / n_in
                params.append((rng.uniform(-limit, limit, size=(n_out, n_in)), np.zeros(n_out)))
            return params
    """, fails=("weights_are_normal",)),

    wrong("init", "unseeded_global_generator", """
        def mlp_init(layer_sizes, seed=0):
            params = []
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
                W = np.random.randn(n_out, n_in) * np.sqrt(2 / n_in)
                params.append((W, np.zeros(n_out)))
            return params
    """, fails=("same_seed_same_parameters",)),

    wrong("init", "ignores_the_seed", """
        def mlp_init(layer_sizes, seed=0):
            rng = np.random.default_rng(0)
            params = []
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
                params.append((rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in)), np.zeros(n_out)))
            return params
    """, fails=("same_seed_same_parameters",)),

    wrong("init", "reseeds_every_layer", """
        def mlp_init(layer_sizes, seed=0):
            params = []
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
                rng = np.random.default_rng(seed)
                params.append((rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in)), np.zeros(n_out)))
            return params
    """, fails=("layers_are_independent_draws",)),

    wrong("init", "random_biases", """
        def mlp_init(layer_sizes, seed=0):
            rng = np.random.default_rng(seed)
            params = []
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
                std = np.sqrt(2 / n_in)
                params.append((rng.normal(0, std, size=(n_out, n_in)), rng.normal(0, std, size=n_out)))
            return params
    """, fails=("shapes_and_zero_biases",)),

    wrong("init", "float32_weights", """
        def mlp_init(layer_sizes, seed=0):
            rng = np.random.default_rng(seed)
            params = []
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
                W = rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in)).astype(np.float32)
                params.append((W, np.zeros(n_out, dtype=np.float32)))
            return params
    """, fails=("float64_from_any_integer_sequence",)),

    # ------------------------------------------------------------------ mlp_backprop
    wrong("mlp_backprop", "relu_mask_includes_zero", """
        def mlp_forward(params, X):
            A = np.asarray(X, dtype=float)
            cache = []
            for i, (W, b) in enumerate(params):
                Z = A @ W.T + b
                cache.append((A, Z))
                A = np.maximum(Z, 0) if i < len(params) - 1 else Z
            return A, cache

        def mlp_backward(params, cache, dlogits):
            grads = [None] * len(params)
            dZ = np.asarray(dlogits, dtype=float)
            for i in reversed(range(len(params))):
                A_prev, Z = cache[i]
                grads[i] = (dZ.T @ A_prev, dZ.sum(axis=0))
                if i > 0:
                    dZ = (dZ @ params[i][0]) * (cache[i - 1][1] >= 0)
            return grads
    """, fails=("relu_derivative_is_zero_at_zero",)),

    wrong("mlp_backprop", "averages_over_the_batch", """
        def mlp_forward(params, X):
            A = np.asarray(X, dtype=float)
            cache = []
            for i, (W, b) in enumerate(params):
                Z = A @ W.T + b
                cache.append((A, Z))
                A = np.maximum(Z, 0) if i < len(params) - 1 else Z
            return A, cache

        def mlp_backward(params, cache, dlogits):
            grads = [None] * len(params)
            dZ = np.asarray(dlogits, dtype=float)
            n = dZ.shape[0]
            for i in reversed(range(len(params))):
                A_prev, Z = cache[i]
                grads[i] = (dZ.T @ A_prev / n, dZ.mean(axis=0))
                if i > 0:
                    dZ = (dZ @ params[i][0]) * (cache[i - 1][1] > 0)
            return grads
    """, fails=("gradients_are_summed_over_the_batch", "backward_one_hidden_layer")),

    wrong("mlp_backprop", "two_layers_only", """
        def mlp_forward(params, X):
            (W1, b1), (W2, b2) = params
            X = np.asarray(X, dtype=float)
            Z1 = X @ W1.T + b1
            A1 = np.maximum(Z1, 0)
            return A1 @ W2.T + b2, {"X": X, "Z1": Z1, "A1": A1}

        def mlp_backward(params, cache, dlogits):
            (W1, b1), (W2, b2) = params
            dZ2 = np.asarray(dlogits, dtype=float)
            dW2, db2 = dZ2.T @ cache["A1"], dZ2.sum(axis=0)
            dZ1 = (dZ2 @ W2) * (cache["Z1"] > 0)
            return [(dZ1.T @ cache["X"], dZ1.sum(axis=0)), (dW2, db2)]
    """, fails=("forward_any_depth", "backward_any_depth")),

    wrong("mlp_backprop", "db_keeps_the_batch_axis", """
        def mlp_forward(params, X):
            A = np.asarray(X, dtype=float)
            cache = []
            for i, (W, b) in enumerate(params):
                Z = A @ W.T + b
                cache.append((A, Z))
                A = np.maximum(Z, 0) if i < len(params) - 1 else Z
            return A, cache

        def mlp_backward(params, cache, dlogits):
            grads = [None] * len(params)
            dZ = np.asarray(dlogits, dtype=float)
            for i in reversed(range(len(params))):
                A_prev, Z = cache[i]
                grads[i] = (dZ.T @ A_prev, np.sum(dZ, axis=0, keepdims=True))
                if i > 0:
                    dZ = (dZ @ params[i][0]) * (cache[i - 1][1] > 0)
            return grads
    """, fails=("backward_one_hidden_layer",)),

    wrong("mlp_backprop", "relu_mask_written_into_the_cache", """
        def mlp_forward(params, X):
            A = np.asarray(X, dtype=float)
            cache = []
            for i, (W, b) in enumerate(params):
                Z = A @ W.T + b
                cache.append({"A_prev": A, "Z": Z})
                A = np.maximum(Z, 0) if i < len(params) - 1 else Z
            return A, cache

        def mlp_backward(params, cache, dlogits):
            grads = []
            dZ = np.asarray(dlogits, dtype=float)
            for i in range(len(params) - 1, -1, -1):
                grads.insert(0, (dZ.T @ cache[i]["A_prev"], dZ.sum(axis=0)))
                if i > 0:
                    mask = cache[i - 1]["Z"]          # reuse the memory of Z for the mask
                    mask[mask <= 0] = 0
                    mask[mask > 0] = 1
                    dZ = (dZ @ params[i][0]) * mask
            return grads
    """, fails=("leaves_inputs_unchanged",)),

    wrong("mlp_backprop", "float32_for_speed", """
        def mlp_forward(params, X):
            A = np.asarray(X, dtype=np.float32)
            cache = []
            for i, (W, b) in enumerate(params):
                Z = A @ np.asarray(W, dtype=np.float32).T + np.asarray(b, dtype=np.float32)
                cache.append((A, Z))
                A = np.maximum(Z, 0) if i < len(params) - 1 else Z
            return A, cache

        def mlp_backward(params, cache, dlogits):
            grads = [None] * len(params)
            dZ = np.asarray(dlogits, dtype=np.float32)
            for i in reversed(range(len(params))):
                A_prev, Z = cache[i]
                grads[i] = (dZ.T @ A_prev, dZ.sum(axis=0))
                if i > 0:
                    dZ = (dZ @ np.asarray(params[i][0], dtype=np.float32)) * (cache[i - 1][1] > 0)
            return grads
    """, fails=("integer_inputs_give_float64",)),

    # ------------------------------------------------------------------ training
    wrong("training", "stops_too_early", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.02, epochs=40, seed=0):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            params = [list(p) for p in mlp_init([2, *hidden_sizes, 3], seed=seed)]
            m = [[0.0, 0.0] for _ in params]
            v = [[0.0, 0.0] for _ in params]
            for t in range(1, epochs + 1):
                logits, cache = mlp_forward(params, X)
                _, dlogits = softmax_cross_entropy(logits, y)
                for l, grads in enumerate(mlp_backward(params, cache, dlogits)):
                    for i, g in enumerate(grads):
                        m[l][i] = 0.9 * m[l][i] + 0.1 * g
                        v[l][i] = 0.999 * v[l][i] + 0.001 * g ** 2
                        step = (m[l][i] / (1 - 0.9 ** t)) / (np.sqrt(v[l][i] / (1 - 0.999 ** t)) + 1e-8)
                        params[l][i] = params[l][i] - lr * step
            return [tuple(p) for p in params]
    """, fails=("classifies_held_out_points",)),

    wrong("training", "plain_gradient_descent_too_slow", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.1, epochs=1000, seed=0):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            params = mlp_init([2, *hidden_sizes, 3], seed=seed)
            for epoch in range(epochs):
                logits, cache = mlp_forward(params, X)
                loss, dlogits = softmax_cross_entropy(logits, y)
                grads = mlp_backward(params, cache, dlogits)
                params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
            return params
    """, fails=("classifies_held_out_points",)),

    wrong("training", "three_hidden_units", """
        def train_mlp(X, y, hidden_sizes=(3,), lr=0.02, epochs=1500, seed=0):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            params = [list(p) for p in mlp_init([2, *hidden_sizes, 3], seed=seed)]
            m = [[0.0, 0.0] for _ in params]
            v = [[0.0, 0.0] for _ in params]
            for t in range(1, epochs + 1):
                logits, cache = mlp_forward(params, X)
                _, dlogits = softmax_cross_entropy(logits, y)
                for l, grads in enumerate(mlp_backward(params, cache, dlogits)):
                    for i, g in enumerate(grads):
                        m[l][i] = 0.9 * m[l][i] + 0.1 * g
                        v[l][i] = 0.999 * v[l][i] + 0.001 * g ** 2
                        step = (m[l][i] / (1 - 0.9 ** t)) / (np.sqrt(v[l][i] / (1 - 0.999 ** t)) + 1e-8)
                        params[l][i] = params[l][i] - lr * step
            return [tuple(p) for p in params]
    """, fails=("classifies_held_out_points",)),

    wrong("training", "number_of_classes_off_by_one", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.5, epochs=2000, seed=0):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            n_classes = int(y.max())
            params = mlp_init([X.shape[1], *hidden_sizes, n_classes], seed=seed)
            velocity = [(0, 0)] * len(params)
            for epoch in range(epochs):
                logits, cache = mlp_forward(params, X)
                _, dlogits = softmax_cross_entropy(logits, y)
                grads = mlp_backward(params, cache, dlogits)
                velocity = [(0.9 * vW + dW, 0.9 * vb + db) for (vW, vb), (dW, db) in zip(velocity, grads)]
                params = [(W - lr * vW, b - lr * vb) for (W, b), (vW, vb) in zip(params, velocity)]
            return params
    """, fails=("classifies_held_out_points",)),

    wrong("training", "biases_never_updated", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.02, epochs=1500, seed=0):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            params = mlp_init([2, *hidden_sizes, 3], seed=seed)
            Ws = [W for W, b in params]
            bs = [b for W, b in params]
            m = [np.zeros_like(W) for W in Ws]
            v = [np.zeros_like(W) for W in Ws]
            for t in range(1, epochs + 1):
                logits, cache = mlp_forward(list(zip(Ws, bs)), X)
                _, dlogits = softmax_cross_entropy(logits, y)
                for i, (dW, db) in enumerate(mlp_backward(list(zip(Ws, bs)), cache, dlogits)):
                    m[i] = 0.9 * m[i] + 0.1 * dW
                    v[i] = 0.999 * v[i] + 0.001 * dW ** 2
                    Ws[i] = Ws[i] - lr * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
            return list(zip(Ws, bs))
    """, fails=("classifies_held_out_points",)),

    wrong("training", "learning_rate_diverges", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=100.0, epochs=500, seed=0):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            params = mlp_init([2, *hidden_sizes, 3], seed=seed)
            for epoch in range(epochs):
                logits, cache = mlp_forward(params, X)
                _, dlogits = softmax_cross_entropy(logits, y)
                grads = mlp_backward(params, cache, dlogits)
                params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
            return params
    """, fails=("classifies_held_out_points",)),

    wrong("training", "minibatch_labels_not_shuffled", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.05, epochs=200, seed=0, batch_size=32):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            rng = np.random.default_rng(seed)
            params = mlp_init([2, *hidden_sizes, 3], seed=seed)
            velocity = [(0.0, 0.0) for _ in params]
            for epoch in range(epochs):
                order = rng.permutation(len(y))
                for start in range(0, len(y), batch_size):
                    X_batch = X[order[start:start + batch_size]]
                    y_batch = y[start:start + batch_size]
                    logits, cache = mlp_forward(params, X_batch)
                    _, dlogits = softmax_cross_entropy(logits, y_batch)
                    grads = mlp_backward(params, cache, dlogits)
                    velocity = [(0.9 * vW + dW, 0.9 * vb + db) for (vW, vb), (dW, db) in zip(velocity, grads)]
                    params = [(W - lr * vW, b - lr * vb) for (W, b), (vW, vb) in zip(params, velocity)]
            return params
    """, fails=("classifies_held_out_points",)),

    wrong("training", "shuffles_the_callers_arrays", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.05, epochs=300, seed=0, batch_size=32):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            rng = np.random.default_rng(seed)
            params = mlp_init([2, *hidden_sizes, 3], seed=seed)
            velocity = [(0.0, 0.0) for _ in params]
            for epoch in range(epochs):
                order = rng.permutation(len(y))
                X[:] = X[order]                          # shuffle the data set, keeping pairs together
                y[:] = y[order]
                for start in range(0, len(y), batch_size):
                    logits, cache = mlp_forward(params, X[start:start + batch_size])
                    _, dlogits = softmax_cross_entropy(logits, y[start:start + batch_size])
                    grads = mlp_backward(params, cache, dlogits)
                    velocity = [(0.9 * vW + dW, 0.9 * vb + db) for (vW, vb), (dW, db) in zip(velocity, grads)]
                    params = [(W - lr * vW, b - lr * vb) for (W, b), (vW, vb) in zip(params, velocity)]
            return params
    """, fails=("leaves_inputs_unchanged",)),

    wrong("training", "nearest_neighbours_instead_of_training", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.02, epochs=1500, seed=0):
            # "training without training": keep the training set as the parameters — one
            # "layer" whose weights are the points and whose biases are their labels
            return [(np.array(X, dtype=float), np.array(y, dtype=int))]

        def mlp_forward(params, X):
            A = np.asarray(X, dtype=np.float64)
            if len(params) == 1 and np.asarray(params[0][1]).dtype.kind in "iu":
                points, labels = params[0]        # the training set: a 7-nearest-neighbour vote
                d2 = ((A[:, None, :] - points[None, :, :]) ** 2).sum(axis=-1)
                nearest = labels[np.argsort(d2, axis=1)[:, :7]]
                votes = np.stack([(nearest == k).sum(axis=1) for k in range(3)], axis=1)
                return votes.astype(np.float64), {"inputs": [A], "pre_activations": []}
            inputs, pre_activations = [], []      # real parameters: the honest forward pass
            last = len(params) - 1
            for layer, (W, b) in enumerate(params):
                Z = A @ np.asarray(W, dtype=np.float64).T + np.asarray(b, dtype=np.float64)
                inputs.append(A)
                if layer < last:
                    pre_activations.append(Z)
                    A = np.maximum(Z, 0.0)
            return Z, {"inputs": inputs, "pre_activations": pre_activations}
    """, fails=("classifies_held_out_points", "learns_another_spiral_from_lists", "leaves_inputs_unchanged")),

    wrong("training", "weights_stored_as_in_by_out", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.02, epochs=1500, seed=0):
            # my own loop, with the X @ W convention of the textbook I know: W is (in, out)
            X = np.asarray(X, dtype=float)
            Y = np.eye(3)[np.asarray(y)]
            rng = np.random.default_rng(seed)
            sizes = [2, *hidden_sizes, 3]
            params = [[rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out)), np.zeros(n_out)]
                      for n_in, n_out in zip(sizes[:-1], sizes[1:])]
            m = [[np.zeros_like(p) for p in pair] for pair in params]
            v = [[np.zeros_like(p) for p in pair] for pair in params]
            for t in range(1, epochs + 1):
                acts = [X]
                for l, (W, b) in enumerate(params):
                    Z = acts[-1] @ W + b
                    acts.append(np.maximum(Z, 0) if l < len(params) - 1 else Z)
                E = np.exp(acts[-1] - acts[-1].max(axis=1, keepdims=True))
                dZ = (E / E.sum(axis=1, keepdims=True) - Y) / len(X)
                for l in reversed(range(len(params))):
                    grads = (acts[l].T @ dZ, dZ.sum(axis=0))
                    if l > 0:
                        dZ = (dZ @ params[l][0].T) * (acts[l] > 0)
                    for i, g in enumerate(grads):
                        m[l][i] = 0.9 * m[l][i] + 0.1 * g
                        v[l][i] = 0.999 * v[l][i] + 0.001 * g ** 2
                        step = (m[l][i] / (1 - 0.9 ** t)) / (np.sqrt(v[l][i] / (1 - 0.999 ** t)) + 1e-8)
                        params[l][i] = params[l][i] - lr * step
            return [tuple(pair) for pair in params]
    """, fails=("classifies_held_out_points", "learns_another_spiral_from_lists", "leaves_inputs_unchanged")),

    wrong("training", "returns_a_dict_of_weights", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.02, epochs=1500, seed=0):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            params = [list(pair) for pair in mlp_init([2, *hidden_sizes, 3], seed=seed)]
            m = [[0.0, 0.0] for _ in params]
            v = [[0.0, 0.0] for _ in params]
            for t in range(1, epochs + 1):
                logits, cache = mlp_forward(params, X)
                _, dlogits = softmax_cross_entropy(logits, y)
                for l, grads in enumerate(mlp_backward(params, cache, dlogits)):
                    for i, g in enumerate(grads):
                        m[l][i] = 0.9 * m[l][i] + 0.1 * g
                        v[l][i] = 0.999 * v[l][i] + 0.001 * g ** 2
                        step = (m[l][i] / (1 - 0.9 ** t)) / (np.sqrt(v[l][i] / (1 - 0.999 ** t)) + 1e-8)
                        params[l][i] = params[l][i] - lr * step
            model = {}
            for l, (W, b) in enumerate(params, start=1):
                model[f"W{l}"], model[f"b{l}"] = W, b
            return model
    """, fails=("classifies_held_out_points", "learns_another_spiral_from_lists", "leaves_inputs_unchanged")),
    # ------------------------------------------------------------------ attention
    wrong("attention", "k_dot_T", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ K.T / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("leading_batch_dimensions", "masks_broadcast_over_batch_dimensions")),

    wrong("attention", "no_scaling", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2)
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("matches_definition",)),

    wrong("attention", "scales_by_value_size", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(V.shape[-1])
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("matches_definition",)),

    wrong("attention", "softmax_over_the_queries", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-2, keepdims=True))
            weights = e / e.sum(axis=-2, keepdims=True)
            return weights @ V, weights
    """, fails=("matches_definition",)),

    wrong("attention", "true_means_blocked", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores = np.where(mask, -np.inf, scores)   # as in nn.MultiheadAttention's bool attn_mask
            m = scores.max(axis=-1, keepdims=True)
            e = np.exp(scores - m)
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("boolean_masks", "masks_broadcast_over_batch_dimensions")),

    wrong("attention", "zeroes_weights_after_softmax", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            if mask is not None:
                weights = weights * mask
            return weights @ V, weights
    """, fails=("boolean_masks",)),

    wrong("attention", "boolean_index_assignment", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores[~np.asarray(mask, dtype=bool)] = -np.inf      # needs a mask of the scores' shape
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("masks_broadcast_over_batch_dimensions",)),

    wrong("attention", "mask_fill_minus_1e4", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores = np.where(mask, scores, -1e4)          # "minus infinity"
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("masked_weights_exactly_zero_for_large_scores",)),

    wrong("attention", "no_max_shift", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            e = np.exp(scores)
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("stable_for_large_scores",)),

    wrong("attention", "causal_mask_above_the_diagonal", """
        def causal_mask(T):
            return np.triu(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("causal_mask",)),

    wrong("attention", "causal_mask_of_floats", """
        def causal_mask(T):
            return np.tril(np.ones((T, T)))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores = np.where(np.asarray(mask, dtype=bool), scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("causal_mask",)),

    wrong("attention", "scales_the_callers_queries", """
        def causal_mask(T):
            return np.tril(np.ones((T, T), dtype=bool))

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            Q /= np.sqrt(Q.shape[-1])                          # scale once, before the product
            scores = Q @ np.swapaxes(K, -1, -2)
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            return weights @ V, weights
    """, fails=("leaves_inputs_unchanged",)),

    # ------------------------------------------------------------------ multi_head
    wrong("multi_head", "round_robin_head_split", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            *lead, T, d = X.shape
            if d % n_heads:
                raise ValueError("d_model must be divisible by n_heads")
            dh = d // n_heads
            split = lambda M: np.moveaxis(M.reshape(*lead, T, dh, n_heads), -1, -3)   # (..., H, T, dh)
            Q, K, V = split(X @ Wq), split(X @ Wk), split(X @ Wv)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(dh)
            if mask is not None:
                scores = np.where(np.expand_dims(mask, -3), scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            heads = (e / e.sum(axis=-1, keepdims=True)) @ V
            return np.moveaxis(heads, -3, -1).reshape(X.shape) @ Wo
    """, fails=("single_sequence",)),

    wrong("multi_head", "scales_by_d_model", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            *lead, T, d = X.shape
            if d % n_heads:
                raise ValueError("d_model must be divisible by n_heads")
            dh = d // n_heads
            split = lambda M: np.swapaxes(M.reshape(*lead, T, n_heads, dh), -2, -3)
            Q, K, V = split(X @ Wq), split(X @ Wk), split(X @ Wv)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d)
            if mask is not None:
                scores = np.where(np.expand_dims(mask, -3), scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            heads = (e / e.sum(axis=-1, keepdims=True)) @ V
            return np.swapaxes(heads, -2, -3).reshape(X.shape) @ Wo
    """, fails=("single_sequence",)),

    wrong("multi_head", "projections_transposed_like_torch", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            *lead, T, d = X.shape
            if d % n_heads:
                raise ValueError("d_model must be divisible by n_heads")
            dh = d // n_heads
            split = lambda M: np.swapaxes(M.reshape(*lead, T, n_heads, dh), -2, -3)
            Q, K, V = split(X @ Wq.T), split(X @ Wk.T), split(X @ Wv.T)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(dh)
            if mask is not None:
                scores = np.where(np.expand_dims(mask, -3), scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            heads = (e / e.sum(axis=-1, keepdims=True)) @ V
            return np.swapaxes(heads, -2, -3).reshape(X.shape) @ Wo.T
    """, fails=("single_sequence",)),

    wrong("multi_head", "forgets_the_output_projection", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            *lead, T, d = X.shape
            if d % n_heads:
                raise ValueError("d_model must be divisible by n_heads")
            dh = d // n_heads
            split = lambda M: np.swapaxes(M.reshape(*lead, T, n_heads, dh), -2, -3)
            Q, K, V = split(X @ Wq), split(X @ Wk), split(X @ Wv)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(dh)
            if mask is not None:
                scores = np.where(np.expand_dims(mask, -3), scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            heads = (e / e.sum(axis=-1, keepdims=True)) @ V
            return np.swapaxes(heads, -2, -3).reshape(X.shape)
    """, fails=("single_sequence",)),

    wrong("multi_head", "merges_heads_without_swapping_back", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            *lead, T, d = X.shape
            if d % n_heads:
                raise ValueError("d_model must be divisible by n_heads")
            dh = d // n_heads
            split = lambda M: np.swapaxes(M.reshape(*lead, T, n_heads, dh), -2, -3)
            Q, K, V = split(X @ Wq), split(X @ Wk), split(X @ Wv)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(dh)
            if mask is not None:
                scores = np.where(np.expand_dims(mask, -3), scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            heads = (e / e.sum(axis=-1, keepdims=True)) @ V        # (..., H, T, dh)
            return heads.reshape(X.shape) @ Wo
    """, fails=("single_sequence",)),

    wrong("multi_head", "one_sequence_only", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            T, d = X.shape
            if d % n_heads != 0:
                raise ValueError("d_model must be divisible by n_heads")
            dh = d // n_heads
            Q, K, V = X @ Wq, X @ Wk, X @ Wv
            heads = []
            for h in range(n_heads):
                cols = slice(h * dh, (h + 1) * dh)
                scores = Q[:, cols] @ K[:, cols].T / np.sqrt(dh)
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                e = np.exp(scores - scores.max(axis=1, keepdims=True))
                heads.append((e / e.sum(axis=1, keepdims=True)) @ V[:, cols])
            return np.concatenate(heads, axis=1) @ Wo
    """, fails=("batched_input",)),

    wrong("multi_head", "mask_without_a_head_axis", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            *lead, T, d = X.shape
            if d % n_heads:
                raise ValueError("d_model must be divisible by n_heads")
            dh = d // n_heads
            split = lambda M: np.swapaxes(M.reshape(*lead, T, n_heads, dh), -2, -3)
            Q, K, V = split(X @ Wq), split(X @ Wk), split(X @ Wv)
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(dh)    # (..., H, T, T)
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            e = np.exp(scores - scores.max(axis=-1, keepdims=True))
            heads = (e / e.sum(axis=-1, keepdims=True)) @ V
            return np.swapaxes(heads, -2, -3).reshape(X.shape) @ Wo
    """, fails=("mask_applies_to_every_head",)),

    wrong("multi_head", "drops_leftover_columns", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            d = X.shape[-1]
            dh = d // n_heads
            Q, K, V = X @ Wq, X @ Wk, X @ Wv
            out = np.zeros(X.shape)
            for h in range(n_heads):
                cols = slice(h * dh, (h + 1) * dh)
                scores = Q[..., cols] @ np.swapaxes(K[..., cols], -1, -2) / np.sqrt(dh)
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                e = np.exp(scores - scores.max(axis=-1, keepdims=True))
                out += ((e / e.sum(axis=-1, keepdims=True)) @ V[..., cols]) @ Wo[cols]
            return out
    """, fails=("rejects_indivisible_heads",)),
]

RIGHT = [
    # ------------------------------------------------------------------ softmax_ce
    right("softmax_ce", "scipy_logsumexp_and_softmax", """
        from scipy.special import logsumexp, softmax

        def softmax_cross_entropy(logits, labels):
            z = np.array(logits, dtype=np.float64)
            labels = np.asarray(labels, dtype=np.int64)
            n = z.shape[0]
            picked = z[np.arange(n), labels]
            loss = np.mean(logsumexp(z, axis=1) - picked)
            grad = softmax(z, axis=1)
            grad[np.arange(n), labels] -= 1.0
            return loss, grad / n
    """),

    right("softmax_ce", "logaddexp_reduce_and_one_hot", """
        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            n, c = z.shape
            onehot = np.eye(c)[np.asarray(labels)]
            lse = np.logaddexp.reduce(z, axis=1, keepdims=True)
            log_probs = z - lse
            loss = -np.sum(onehot * log_probs) / n
            return float(loss), (np.exp(log_probs) - onehot) / n
    """),

    right("softmax_ce", "row_by_row_loop", """
        import math

        def softmax_cross_entropy(logits, labels):
            z = np.asarray(logits, dtype=float)
            labels = list(np.asarray(labels).ravel())
            n = len(labels)
            total = 0.0
            grad = np.empty(z.shape)
            for i, label in enumerate(labels):
                row = z[i] - z[i].max()
                denominator = np.exp(row).sum()
                total += math.log(denominator) - row[label]
                grad[i] = np.exp(row) / denominator
                grad[i, label] -= 1.0
            return total / n, grad / n
    """),

    # ------------------------------------------------------------------ init
    right("init", "standard_normal_times_scale", """
        def mlp_init(layer_sizes, seed=0):
            rng = np.random.default_rng(seed)
            params = []
            for i in range(len(layer_sizes) - 1):
                fan_in, fan_out = int(layer_sizes[i]), int(layer_sizes[i + 1])
                W = rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)
                params.append((W, np.zeros(fan_out)))
            return params
    """),

    right("init", "legacy_random_state", """
        def mlp_init(layer_sizes, seed=0):
            state = np.random.RandomState(seed)
            sizes = list(layer_sizes)
            return [(state.randn(n_out, n_in) * (2.0 / n_in) ** 0.5, np.zeros(n_out))
                    for n_in, n_out in zip(sizes, sizes[1:])]
    """),

    right("init", "global_seed_then_normal", """
        def mlp_init(layer_sizes, seed=0):
            np.random.seed(seed)
            params = []
            for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
                W = np.random.normal(loc=0.0, scale=np.sqrt(2 / n_in), size=(n_out, n_in))
                b = np.zeros((n_out,), dtype=np.float64)
                params.append([W, b])
            return params
    """),

    # ------------------------------------------------------------------ mlp_backprop
    right("mlp_backprop", "cache_of_layer_tuples", """
        def mlp_forward(params, X):
            A = np.asarray(X, dtype=float)
            cache = []
            for i, (W, b) in enumerate(params):
                Z = A @ W.T + b
                cache.append((A, Z))
                A = np.maximum(Z, 0) if i < len(params) - 1 else Z
            return A, cache

        def mlp_backward(params, cache, dlogits):
            grads = [None] * len(params)
            dZ = np.asarray(dlogits, dtype=float)
            for i in reversed(range(len(params))):
                A_prev, _ = cache[i]
                grads[i] = (dZ.T @ A_prev, dZ.sum(axis=0))
                if i > 0:
                    dZ = (dZ @ params[i][0]) * (cache[i - 1][1] > 0)
            return grads
    """),

    right("mlp_backprop", "activations_only_in_the_cache", """
        def mlp_forward(params, X):
            activations = [np.asarray(X, dtype=np.float64)]
            for W, b in params[:-1]:
                activations.append(np.maximum(activations[-1] @ np.transpose(W) + b, 0.0))
            W, b = params[-1]
            return activations[-1] @ np.transpose(W) + b, {"activations": activations}

        def mlp_backward(params, cache, dlogits):
            acts = cache["activations"]
            delta = np.array(dlogits, dtype=np.float64)
            grads = []
            for layer in range(len(params) - 1, -1, -1):
                grads.append((np.dot(delta.T, acts[layer]), np.sum(delta, axis=0)))
                if layer:
                    # ReLU output > 0 exactly where its input was > 0
                    delta = np.dot(delta, params[layer][0]) * (acts[layer] > 0)
            grads.reverse()
            return grads
    """),

    right("mlp_backprop", "einsum_and_heaviside", """
        def mlp_forward(params, X):
            A = np.asarray(X) * 1.0
            inputs, zs = [], []
            for W, b in params:
                inputs.append(A)
                Z = np.einsum("nk,jk->nj", A, W) + b
                zs.append(Z)
                A = np.maximum(Z, 0.0)
            return zs[-1], (inputs, zs)

        def mlp_backward(params, cache, dlogits):
            inputs, zs = cache
            out = []
            dZ = np.asarray(dlogits) * 1.0
            for l in range(len(params) - 1, -1, -1):
                out.insert(0, (np.einsum("nj,nk->jk", dZ, inputs[l]), dZ.sum(0)))
                if l > 0:
                    dZ = np.einsum("nj,jk->nk", dZ, params[l][0]) * np.heaviside(zs[l - 1], 0.0)
            return out
    """),

    # ------------------------------------------------------------------ training
    right("training", "sgd_momentum_minibatches", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.05, epochs=300, seed=0, batch_size=32, momentum=0.9):
            X = np.array(X, dtype=float)
            y = np.array(y, dtype=int)
            rng = np.random.default_rng(seed)
            params = mlp_init([2, *hidden_sizes, 3], seed=seed)
            velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
            for epoch in range(epochs):
                order = rng.permutation(len(y))
                for start in range(0, len(y), batch_size):
                    batch = order[start:start + batch_size]
                    logits, cache = mlp_forward(params, X[batch])
                    _, dlogits = softmax_cross_entropy(logits, y[batch])
                    grads = mlp_backward(params, cache, dlogits)
                    velocity = [(momentum * vW + dW, momentum * vb + db)
                                for (vW, vb), (dW, db) in zip(velocity, grads)]
                    params = [(W - lr * vW, b - lr * vb) for (W, b), (vW, vb) in zip(params, velocity)]
            return params
    """),

    right("training", "adam_two_hidden_layers", """
        def train_mlp(X, y, hidden_sizes=(32, 32), lr=0.01, epochs=1000, seed=0):
            X = np.asarray(X, dtype=np.float64)
            y = np.asarray(y)
            params = mlp_init([X.shape[1], *hidden_sizes, 3], seed)
            flat = [array.copy() for pair in params for array in pair]
            m = [np.zeros_like(a) for a in flat]
            v = [np.zeros_like(a) for a in flat]
            for t in range(1, epochs + 1):
                pairs = list(zip(flat[0::2], flat[1::2]))
                logits, cache = mlp_forward(pairs, X)
                _, dlogits = softmax_cross_entropy(logits, y)
                grads = [g for pair in mlp_backward(pairs, cache, dlogits) for g in pair]
                for i, g in enumerate(grads):
                    m[i] = 0.9 * m[i] + 0.1 * g
                    v[i] = 0.999 * v[i] + 0.001 * g * g
                    flat[i] = flat[i] - lr * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
            return list(zip(flat[0::2], flat[1::2]))
    """),

    right("training", "full_batch_heavy_ball", """
        def train_mlp(X, y, hidden_sizes=(64,), lr=0.5, epochs=3000, seed=0):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            params = mlp_init([2] + list(hidden_sizes) + [3], seed=seed)
            vel = [[0.0, 0.0] for _ in params]
            for _ in range(epochs):
                logits, cache = mlp_forward(params, X)
                loss, dlogits = softmax_cross_entropy(logits, y)
                grads = mlp_backward(params, cache, dlogits)
                new = []
                for i, ((W, b), (dW, db)) in enumerate(zip(params, grads)):
                    vel[i][0] = 0.9 * vel[i][0] + dW
                    vel[i][1] = 0.9 * vel[i][1] + db
                    new.append((W - lr * vel[i][0], b - lr * vel[i][1]))
                params = new
            return params
    """),

    # ------------------------------------------------------------------ attention
    right("attention", "seed_guide_fixed_with_swapaxes", """
        def causal_mask(T):
            return np.tril(np.ones((T, T))).astype(bool)

        def stable_softmax(x):
            x_max = x.max(axis=-1, keepdims=True)
            exp_x = np.exp(x - x_max)
            return exp_x / exp_x.sum(axis=-1, keepdims=True)

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
            d_k = Q.shape[-1]
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
            if mask is not None:
                scores = np.where(mask, scores, -1e9)       # far below any score of the contract
            weights = stable_softmax(scores)
            return weights @ V, weights
    """),

    right("attention", "einsum_and_scipy_softmax", """
        from scipy.special import softmax

        def causal_mask(T):
            i, j = np.indices((T, T))
            return j <= i

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q = np.asarray(Q, dtype=np.float64)
            scores = np.einsum("...qd,...kd->...qk", Q, np.asarray(K, dtype=np.float64)) / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores = np.where(np.asarray(mask), scores, -np.inf)
            weights = softmax(scores, axis=-1)
            out = np.einsum("...qk,...kv->...qv", weights, np.asarray(V, dtype=np.float64))
            return out, weights
    """),

    right("attention", "most_negative_float_fill", """
        def causal_mask(T):
            return np.arange(T)[:, None] >= np.arange(T)[None, :]

        def scaled_dot_product_attention(Q, K, V, mask=None):
            Q, K, V = (np.array(a, dtype=float) for a in (Q, K, V))
            scores = np.matmul(Q, np.moveaxis(K, -1, -2)) * (1.0 / np.sqrt(Q.shape[-1]))
            if mask is not None:
                lowest = np.finfo(np.float64).min
                scores = np.where(np.asarray(mask, dtype=bool), scores, lowest)
            scores = scores - np.max(scores, axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= np.sum(weights, axis=-1, keepdims=True)
            return np.matmul(weights, V), weights
    """),

    # ------------------------------------------------------------------ multi_head
    right("multi_head", "loop_over_heads_with_my_attention", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            d_model = X.shape[-1]
            if d_model % n_heads != 0:
                raise ValueError(f"{d_model} features cannot be split into {n_heads} heads")
            dh = d_model // n_heads
            Q, K, V = X @ Wq, X @ Wk, X @ Wv
            heads = []
            for h in range(n_heads):
                cols = slice(h * dh, (h + 1) * dh)
                out, _ = scaled_dot_product_attention(Q[..., cols], K[..., cols], V[..., cols], mask)
                heads.append(out)
            return np.concatenate(heads, axis=-1) @ Wo
    """),

    right("multi_head", "per_head_output_projection", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=float)
            d = X.shape[-1]
            if d % n_heads:
                raise ValueError("n_heads must divide d_model")
            dh = d // n_heads
            allowed = None if mask is None else np.asarray(mask, dtype=bool)
            out = np.zeros(X.shape)
            for h in range(n_heads):
                block = slice(h * dh, (h + 1) * dh)
                q, k, v = X @ Wq[:, block], X @ Wk[:, block], X @ Wv[:, block]
                s = q @ np.swapaxes(k, -1, -2) / np.sqrt(dh)
                if allowed is not None:
                    s = np.where(allowed, s, -np.inf)
                w = np.exp(s - s.max(axis=-1, keepdims=True))
                w /= w.sum(axis=-1, keepdims=True)
                out += (w @ v) @ Wo[block, :]          # concat(heads) @ Wo, one block at a time
            return out
    """),

    right("multi_head", "einsum_with_reshape", """
        def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, mask=None):
            X = np.asarray(X, dtype=np.float64)
            batched = X.ndim == 3
            Xb = X if batched else X[None]
            B, T, d = Xb.shape
            if d % n_heads != 0:
                raise ValueError("d_model is not a multiple of n_heads")
            dh = d // n_heads
            q = np.einsum("btd,de->bte", Xb, Wq).reshape(B, T, n_heads, dh)
            k = np.einsum("btd,de->bte", Xb, Wk).reshape(B, T, n_heads, dh)
            v = np.einsum("btd,de->bte", Xb, Wv).reshape(B, T, n_heads, dh)
            scores = np.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(dh)
            if mask is not None:
                m = np.asarray(mask, dtype=bool)
                m = m[:, None] if m.ndim == 3 else m[None, None]
                scores = np.where(m, scores, -np.inf)
            scores = scores - scores.max(axis=-1, keepdims=True)
            w = np.exp(scores)
            w = w / w.sum(axis=-1, keepdims=True)
            heads = np.einsum("bhqk,bkhd->bqhd", w, v).reshape(B, T, d)
            out = heads @ Wo
            return out if batched else out[0]
    """),
]
