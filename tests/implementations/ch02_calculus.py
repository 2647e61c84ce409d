"""Learner implementations for ch02_calculus: numerical gradients and Jacobians, activation derivatives,
gradient checking, backprop through a two-layer ReLU network, gradient descent, mini-batch SGD, momentum,
Adam and the Hessian.

Each ``source`` is the whole answer cell of its exercise; the notebook's set-up cell has already run
``import numpy as np``. This chapter has no "from scratch" rules, so there are no shortcut cases.
"""

from tests.implementations import right, wrong

WRONG = [
    # ------------------------------------------------------------------ numerical_gradient
    wrong("numerical_gradient", "forward_difference", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            grad = np.zeros_like(x)
            fx = f(x)
            for index in np.ndindex(x.shape):
                step = x.copy()
                step[index] += h
                grad[index] = (f(step) - fx) / h
            return grad
    """, fails=("central_differences",)),

    wrong("numerical_gradient", "divides_by_h", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            grad = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += h
                minus[index] -= h
                grad[index] = (f(plus) - f(minus)) / h
            return grad
    """, fails=("divides_by_2h", "central_differences")),

    wrong("numerical_gradient", "textbook_loop_over_len", """
        def numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x)
            for i in range(len(x)):
                x_plus = x.copy()
                x_plus[i] += h
                x_minus = x.copy()
                x_minus[i] -= h
                grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)
            return grad
    """, fails=("any_shape", "integer_input")),

    wrong("numerical_gradient", "keeps_float32", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.array(x)
            if x.dtype.kind in "iu":          # integers would truncate the step
                x = x.astype(float)
            grad = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += h
                minus[index] -= h
                grad[index] = (f(plus) - f(minus)) / (2 * h)
            return grad
    """, fails=("returns_float64",)),

    wrong("numerical_gradient", "step_hard_coded", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            eps = 1e-5
            grad = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += eps
                minus[index] -= eps
                grad[index] = (f(plus) - f(minus)) / (2 * eps)
            return grad
    """, fails=("uses_the_given_step",)),

    wrong("numerical_gradient", "nudges_the_callers_array", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.asarray(x, dtype=float)        # no copy when x is already float64
            grad = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                x[index] += h
                f_plus = f(x)
                x[index] -= 2 * h
                f_minus = f(x)
                x[index] += h                     # back to where it was... almost
                grad[index] = (f_plus - f_minus) / (2 * h)
            return grad
    """, fails=("leaves_input_unchanged",)),

    wrong("numerical_gradient", "returns_a_flat_gradient", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            flat = x.ravel()
            grad = np.zeros(flat.size)
            for i in range(flat.size):
                step = np.zeros(flat.size)
                step[i] = h
                grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * h)
            return grad
    """, fails=("any_shape",)),

    wrong("numerical_gradient", "steps_every_entry_at_once", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            slope = (f(x + h) - f(x - h)) / (2 * h)
            return np.full(x.shape, slope)
    """, fails=("central_differences", "divides_by_2h")),

    # ------------------------------------------------------------------ jacobian
    wrong("jacobian", "transposed_rows_per_input", """
        def numerical_jacobian(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            rows = []
            for j in range(x.size):
                e = np.zeros_like(x)
                e[j] = h
                rows.append(np.ravel((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * h)))
            return np.array(rows)          # one row per input: the (n, m) transpose
    """, fails=("central_differences", "shape_is_outputs_by_inputs")),

    wrong("jacobian", "forward_difference", """
        def numerical_jacobian(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            fx = np.ravel(np.asarray(f(x), dtype=float))
            J = np.zeros((fx.size, x.size))
            for j in range(x.size):
                e = np.zeros_like(x)
                e[j] = h
                J[:, j] = (np.ravel(np.asarray(f(x + e), dtype=float)) - fx) / h
            return J
    """, fails=("central_differences",)),

    wrong("jacobian", "assumes_a_vector_output", """
        def numerical_jacobian(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            m = len(f(x))
            J = np.zeros((m, x.size))
            for j in range(x.size):
                e = np.zeros_like(x)
                e[j] = h
                J[:, j] = (f(x + e) - f(x - e)) / (2 * h)
            return J
    """, fails=("scalar_output",)),

    wrong("jacobian", "steps_a_copy_of_the_input_dtype", """
        def numerical_jacobian(f, x, h=1e-5):
            x = np.asarray(x)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            columns = []
            for j in range(len(x)):
                plus, minus = x.copy(), x.copy()
                plus[j] += h
                minus[j] -= h
                columns.append(np.atleast_1d((np.asarray(f(plus)) - np.asarray(f(minus))) / (2 * h)))
            return np.column_stack(columns).astype(float)
    """, fails=("integer_x", "f_receives_float64_arrays")),

    wrong("jacobian", "flattens_any_x", """
        def numerical_jacobian(f, x, h=1e-5):
            x = np.ravel(np.array(x, dtype=float))      # accepts a matrix or a number without complaint
            columns = []
            for j in range(x.size):
                e = np.zeros_like(x)
                e[j] = h
                columns.append(np.atleast_1d((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * h)))
            return np.stack(columns, axis=1).astype(float)
    """, fails=("rejects_x_that_is_not_1d",)),

    wrong("jacobian", "step_hard_coded", """
        def numerical_jacobian(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            step = 1e-5
            columns = []
            for j in range(x.size):
                e = np.zeros_like(x)
                e[j] = step
                columns.append(np.atleast_1d((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * step)))
            return np.stack(columns, axis=1).astype(float)
    """, fails=("uses_the_given_step",)),

    wrong("jacobian", "nudges_the_callers_array", """
        def numerical_jacobian(f, x, h=1e-5):
            x = np.asarray(x, dtype=float)                # no copy when x is already float64
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            columns = []
            for j in range(x.size):
                x[j] += h
                f_plus = np.atleast_1d(np.array(f(x), dtype=float))
                x[j] -= 2 * h
                f_minus = np.atleast_1d(np.array(f(x), dtype=float))
                x[j] += h                                 # back where it was? not always, in floating point
                columns.append((f_plus - f_minus) / (2 * h))
            return np.stack(columns, axis=1)
    """, fails=("leaves_x_unchanged",)),

    # ------------------------------------------------------------------ activations
    wrong("activations", "naive_sigmoid_overflows", """
        def sigmoid(x):
            return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)

        def tanh_grad(x):
            return 1 - np.tanh(np.asarray(x, dtype=float)) ** 2

        def relu_grad(x):
            return (np.asarray(x) > 0).astype(float)
    """, fails=("sigmoid_is_stable",)),

    wrong("activations", "ratio_form_gives_nan", """
        def sigmoid(x):
            e = np.exp(np.asarray(x, dtype=float))
            return e / (1 + e)

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)

        def tanh_grad(x):
            return 1 - np.tanh(np.asarray(x, dtype=float)) ** 2

        def relu_grad(x):
            return (np.asarray(x) > 0).astype(float)
    """, fails=("sigmoid_is_stable",)),

    wrong("activations", "where_computes_both_branches", """
        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)

        def tanh_grad(x):
            return 1 - np.tanh(np.asarray(x, dtype=float)) ** 2

        def relu_grad(x):
            return np.where(np.asarray(x) > 0, 1.0, 0.0)
    """, fails=("sigmoid_is_stable",)),

    wrong("activations", "derivatives_in_terms_of_the_output", """
        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

        def sigmoid_grad(x):
            x = np.asarray(x, dtype=float)
            return x * (1 - x)

        def tanh_grad(x):
            x = np.asarray(x, dtype=float)
            return 1 - x ** 2

        def relu_grad(x):
            return (np.asarray(x) > 0).astype(float)
    """, fails=("sigmoid_grad", "tanh_grad")),

    wrong("activations", "tanh_grad_without_the_square", """
        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)

        def tanh_grad(x):
            return 1 - np.tanh(np.asarray(x, dtype=float))

        def relu_grad(x):
            return (np.asarray(x) > 0).astype(float)
    """, fails=("tanh_grad",)),

    wrong("activations", "relu_grad_one_at_zero", """
        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)

        def tanh_grad(x):
            return 1 - np.tanh(np.asarray(x, dtype=float)) ** 2

        def relu_grad(x):
            return (np.asarray(x) >= 0).astype(float)
    """, fails=("relu_grad_is_zero_at_zero",)),

    wrong("activations", "relu_grad_returns_booleans", """
        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)

        def tanh_grad(x):
            return 1 - np.tanh(np.asarray(x, dtype=float)) ** 2

        def relu_grad(x):
            return np.asarray(x) > 0
    """, fails=("float64_results",)),

    wrong("activations", "scalars_become_arrays", """
        def sigmoid(x):
            x = np.array(x, dtype=float, ndmin=1)
            e = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)

        def tanh_grad(x):
            return 1 - np.tanh(np.array(x, dtype=float, ndmin=1)) ** 2

        def relu_grad(x):
            return (np.array(x, ndmin=1) > 0).astype(float)
    """, fails=("scalars_and_any_shape",)),

    wrong("activations", "relu_grad_masks_in_place", """
        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)

        def tanh_grad(x):
            return 1 - np.tanh(np.asarray(x, dtype=float)) ** 2

        def relu_grad(x):
            x = np.asarray(x, dtype=float)
            x[x > 0] = 1.0
            x[x <= 0] = 0.0
            return x
    """, fails=("leaves_input_unchanged",)),

    # ------------------------------------------------------------------ gradient_check
    wrong("gradient_check", "forward_difference", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x, dtype=float)
            a = np.asarray(grad_f(x), dtype=float)
            n = np.zeros_like(x)
            fx = f(x)
            for index in np.ndindex(x.shape):
                step = x.copy()
                step[index] += h
                n[index] = (f(step) - fx) / h
            return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))
    """, fails=("correct_gradient_passes",)),

    wrong("gradient_check", "ratio_of_norms", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x, dtype=float)
            a = np.asarray(grad_f(x), dtype=float)
            n = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += h
                minus[index] -= h
                n[index] = (f(plus) - f(minus)) / (2 * h)
            return float(np.linalg.norm(a - n) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(n)))
    """, fails=("detects_a_wrong_gradient",)),

    wrong("gradient_check", "mean_instead_of_max", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x, dtype=float)
            a = np.asarray(grad_f(x), dtype=float)
            n = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += h
                minus[index] -= h
                n[index] = (f(plus) - f(minus)) / (2 * h)
            return float(np.mean(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))
    """, fails=("detects_a_wrong_gradient",)),

    wrong("gradient_check", "no_floor_divides_zero_by_zero", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x, dtype=float)
            a = np.asarray(grad_f(x), dtype=float)
            n = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += h
                minus[index] -= h
                n[index] = (f(plus) - f(minus)) / (2 * h)
            return float(np.max(np.abs(a - n) / (np.abs(a) + np.abs(n))))
    """, fails=("entries_where_both_gradients_vanish",)),

    wrong("gradient_check", "floor_added_to_the_denominator", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x, dtype=float)
            a = np.asarray(grad_f(x), dtype=float)
            n = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += h
                minus[index] -= h
                n[index] = (f(plus) - f(minus)) / (2 * h)
            return float(np.max(np.abs(a - n) / (np.abs(a) + np.abs(n) + 1e-8)))
    """, fails=("denominator_floor",)),

    wrong("gradient_check", "larger_magnitude_in_the_denominator", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x, dtype=float)
            a = np.asarray(grad_f(x), dtype=float)
            n = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += h
                minus[index] -= h
                n[index] = (f(plus) - f(minus)) / (2 * h)
            return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(n)))))
    """, fails=("detects_a_wrong_gradient",)),

    wrong("gradient_check", "absolute_error", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x, dtype=float)
            a = np.asarray(grad_f(x), dtype=float)
            n = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += h
                minus[index] -= h
                n[index] = (f(plus) - f(minus)) / (2 * h)
            return float(np.max(np.abs(a - n)))
    """, fails=("detects_a_wrong_gradient",)),

    wrong("gradient_check", "step_hard_coded", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x, dtype=float)
            a = np.asarray(grad_f(x), dtype=float)
            n = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                plus, minus = x.copy(), x.copy()
                plus[index] += 1e-5
                minus[index] -= 1e-5
                n[index] = (f(plus) - f(minus)) / 2e-5
            return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))
    """, fails=("uses_the_given_step",)),

    wrong("gradient_check", "vector_only_and_integer_steps", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x)
            a = np.asarray(grad_f(x), dtype=float)
            n = np.zeros(len(x))
            for i in range(len(x)):
                plus, minus = x.copy(), x.copy()
                plus[i] += h
                minus[i] -= h
                n[i] = (f(plus) - f(minus)) / (2 * h)
            return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))
    """, fails=("any_shape_and_integer_input",)),

    # ------------------------------------------------------------------ backprop
    wrong("backprop", "mean_over_the_batch", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache["X"], cache["Z1"], cache["A1"]
            N = X.shape[0]
            dZ2 = np.asarray(dZ2, dtype=float) / N           # average over the batch
            dW2 = dZ2.T @ A1
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"]) * (Z1 > 0)
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("dW2", "db2", "dW1", "db1")),

    wrong("backprop", "bias_gradients_averaged", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache["X"], cache["Z1"], cache["A1"]
            dZ2 = np.asarray(dZ2, dtype=float)
            dW2 = dZ2.T @ A1
            db2 = dZ2.mean(axis=0)
            dZ1 = (dZ2 @ params["W2"]) * (Z1 > 0)
            dW1 = dZ1.T @ X
            db1 = dZ1.mean(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("db2", "db1")),

    wrong("backprop", "no_relu_mask", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache["X"], cache["Z1"], cache["A1"]
            dZ2 = np.asarray(dZ2, dtype=float)
            dW2 = dZ2.T @ A1
            db2 = dZ2.sum(axis=0)
            dZ1 = dZ2 @ params["W2"]
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("dW1", "db1", "dX", "matches_a_numerical_gradient")),

    wrong("backprop", "relu_mask_one_at_zero", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache["X"], cache["Z1"], cache["A1"]
            dZ2 = np.asarray(dZ2, dtype=float)
            dW2 = dZ2.T @ A1
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"]) * (A1 >= 0)
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("relu_gradient_is_zero_at_zero",)),

    wrong("backprop", "relu_mask_from_activations_at_zero", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, (X, Z1, A1)

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache
            dZ2 = np.asarray(dZ2, dtype=float)
            dW2 = dZ2.T @ A1
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"]) * np.heaviside(Z1, 1.0)
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("relu_gradient_is_zero_at_zero",)),

    wrong("backprop", "dW2_transposed", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache["X"], cache["Z1"], cache["A1"]
            dZ2 = np.asarray(dZ2, dtype=float)
            dW2 = A1.T @ dZ2
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"]) * (Z1 > 0)
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("dW2",)),

    wrong("backprop", "dW2_from_Z1", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1}

        def two_layer_backward(params, cache, dZ2):
            X, Z1 = cache["X"], cache["Z1"]
            dZ2 = np.asarray(dZ2, dtype=float)
            dW2 = dZ2.T @ Z1
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"]) * (Z1 > 0)
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("dW2",)),

    wrong("backprop", "dX_skips_the_mask", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache["X"], cache["Z1"], cache["A1"]
            dZ2 = np.asarray(dZ2, dtype=float)
            dW2 = dZ2.T @ A1
            db2 = dZ2.sum(axis=0)
            dA1 = dZ2 @ params["W2"]
            dZ1 = dA1 * (Z1 > 0)
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dA1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("dX",)),

    wrong("backprop", "forward_without_relu", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            Z2 = Z1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": np.maximum(Z1, 0)}

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache["X"], cache["Z1"], cache["A1"]
            dZ2 = np.asarray(dZ2, dtype=float)
            dW2 = dZ2.T @ A1
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"]) * (Z1 > 0)
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("forward", "single_sample")),

    wrong("backprop", "squeezes_dZ2", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache["X"], cache["Z1"], cache["A1"]
            dZ2 = np.squeeze(np.asarray(dZ2, dtype=float))     # (N, 1) outputs -> (N,)
            W2 = np.squeeze(params["W2"])
            dW2 = (dZ2.T @ A1).reshape(np.shape(params["W2"]))
            db2 = np.atleast_1d(dZ2.sum(axis=0))
            dZ1 = np.atleast_2d(dZ2 @ W2) * (Z1 > 0)
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("single_sample",)),

    wrong("backprop", "integer_inputs_stay_integer", """
        def two_layer_forward(params, X):
            Z1 = X @ params["W1"].T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ params["W2"].T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            X, Z1, A1 = cache["X"], cache["Z1"], cache["A1"]
            dW2 = dZ2.T @ A1
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"]) * (Z1 > 0)
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("integer_inputs",)),

    wrong("backprop", "reuses_the_cache_as_the_mask", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + params["b2"]
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            X, A1 = cache["X"], cache["A1"]
            dZ2 = np.asarray(dZ2, dtype=float)
            dW2 = dZ2.T @ A1
            db2 = dZ2.sum(axis=0)
            mask = cache["Z1"]                  # turn Z1 into the ReLU mask, in place
            mask[mask > 0] = 1.0
            mask[mask <= 0] = 0.0
            dZ1 = (dZ2 @ params["W2"]) * mask
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            dX = dZ1 @ params["W1"]
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dX": dX}
    """, fails=("leaves_inputs_unchanged",)),

    # ------------------------------------------------------------------ gradient_descent
    wrong("gradient_descent", "updates_x0_in_place", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            x = np.asarray(x0, dtype=float)
            history = [x.copy()]
            for _ in range(steps):
                x -= lr * grad_f(x)
                history.append(x.copy())
            return x, np.array(history)
    """, fails=("leaves_input_unchanged",)),

    wrong("gradient_descent", "history_rows_alias_one_array", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            x = np.array(x0, dtype=float)
            history = [x]
            for _ in range(steps):
                x -= lr * grad_f(x)
                history.append(x)
            return x, np.array(history)
    """, fails=("history",)),

    wrong("gradient_descent", "history_without_x0", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            x = np.array(x0, dtype=float)
            history = []
            for _ in range(steps):
                x = x - lr * grad_f(x)
                history.append(x)
            return x, np.array(history)
    """, fails=("history", "zero_steps")),

    wrong("gradient_descent", "climbs_the_gradient", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            x = np.array(x0, dtype=float)
            history = [x]
            for _ in range(steps):
                x = x + lr * grad_f(x)
                history.append(x)
            return x, np.array(history)
    """, fails=("final_point", "history")),

    wrong("gradient_descent", "one_step_too_many", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            x = np.array(x0, dtype=float)
            history = [x]
            for _ in range(steps + 1):
                x = x - lr * grad_f(x)
                history.append(x)
            return history[-1], np.array(history[:-1])
    """, fails=("final_point",)),

    wrong("gradient_descent", "integer_x0_copied_as_integer", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            x = np.copy(x0)
            history = [x.copy()]
            for _ in range(steps):
                x -= lr * grad_f(x)
                history.append(x.copy())
            return x, np.array(history)
    """, fails=("integer_x0",)),

    wrong("gradient_descent", "history_preallocated_with_len", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            x = np.array(x0, dtype=float)
            history = np.zeros((steps + 1, len(x)))
            history[0] = x
            for k in range(1, steps + 1):
                x = x - lr * grad_f(x)
                history[k] = x
            return x, history
    """, fails=("any_shape",)),

    wrong("gradient_descent", "other_defaults", """
        def gradient_descent(grad_f, x0, lr=0.01, steps=1000):
            x = np.array(x0, dtype=float)
            history = [x]
            for _ in range(steps):
                x = x - lr * grad_f(x)
                history.append(x)
            return x, np.array(history)
    """, fails=("default_arguments",)),

    # ------------------------------------------------------------------ sgd
    wrong("sgd", "no_shuffling", """
        def minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
            X, y = np.asarray(X), np.asarray(y)
            if len(X) != len(y) or lr <= 0:
                raise ValueError("bad X, y or lr")
            if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
                raise ValueError("batch_size must be an integer >= 1")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            w = np.array(w0, dtype=float)
            for _ in range(epochs):
                for s in range(0, len(X), batch_size):          # the data's own order
                    w = w - lr * grad_fn(w, X[s:s + batch_size], y[s:s + batch_size])
            return w
    """, fails=("follows_the_shuffling_protocol", "new_permutation_every_epoch")),

    wrong("sgd", "one_permutation_for_all_epochs", """
        def minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
            X, y = np.asarray(X), np.asarray(y)
            if len(X) != len(y) or lr <= 0:
                raise ValueError("bad X, y or lr")
            if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
                raise ValueError("batch_size must be an integer >= 1")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            w = np.array(w0, dtype=float)
            perm = np.random.default_rng(seed).permutation(len(X))   # drawn once, reused every epoch
            for _ in range(epochs):
                for s in range(0, len(X), batch_size):
                    idx = perm[s:s + batch_size]
                    w = w - lr * grad_fn(w, X[idx], y[idx])
            return w
    """, fails=("new_permutation_every_epoch",)),

    wrong("sgd", "new_generator_every_epoch", """
        def minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
            X, y = np.asarray(X), np.asarray(y)
            if len(X) != len(y) or lr <= 0:
                raise ValueError("bad X, y or lr")
            if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
                raise ValueError("batch_size must be an integer >= 1")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            w = np.array(w0, dtype=float)
            for _ in range(epochs):
                rng = np.random.default_rng(seed)               # the same order again every epoch
                perm = rng.permutation(len(X))
                for s in range(0, len(X), batch_size):
                    idx = perm[s:s + batch_size]
                    w = w - lr * grad_fn(w, X[idx], y[idx])
            return w
    """, fails=("new_permutation_every_epoch",)),

    wrong("sgd", "legacy_global_seed", """
        def minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
            X, y = np.asarray(X), np.asarray(y)
            if len(X) != len(y) or lr <= 0:
                raise ValueError("bad X, y or lr")
            if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
                raise ValueError("batch_size must be an integer >= 1")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            np.random.seed(seed)
            w = np.array(w0, dtype=float)
            for _ in range(epochs):
                perm = np.random.permutation(len(X))
                for s in range(0, len(X), batch_size):
                    idx = perm[s:s + batch_size]
                    w = w - lr * grad_fn(w, X[idx], y[idx])
            return w
    """, fails=("follows_the_shuffling_protocol",)),

    wrong("sgd", "drops_the_last_batch", """
        def minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
            X, y = np.asarray(X), np.asarray(y)
            if len(X) != len(y) or lr <= 0:
                raise ValueError("bad X, y or lr")
            if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
                raise ValueError("batch_size must be an integer >= 1")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            rng = np.random.default_rng(seed)
            w = np.array(w0, dtype=float)
            n_batches = max(1, len(X) // batch_size)
            for _ in range(epochs):
                perm = rng.permutation(len(X))
                for b in range(n_batches):
                    idx = perm[b * batch_size:(b + 1) * batch_size]
                    w = w - lr * grad_fn(w, X[idx], y[idx])
            return w
    """, fails=("last_batch_may_be_smaller",)),

    wrong("sgd", "checks_values_not_types", """
        def minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
            X, y = np.asarray(X), np.asarray(y)
            if len(X) != len(y):
                raise ValueError("X and y must have the same length")
            if lr <= 0 or batch_size < 1 or epochs < 0:      # 2.0 and True slip through
                raise ValueError("bad lr, batch_size or epochs")
            rng = np.random.default_rng(seed)
            w = np.array(w0, dtype=float)
            for _ in range(int(epochs)):
                perm = rng.permutation(len(X))
                for s in range(0, len(X), int(batch_size)):
                    idx = perm[s:s + int(batch_size)]
                    w = w - lr * grad_fn(w, X[idx], y[idx])
            return w
    """, fails=("rejects_bad_arguments",)),

    wrong("sgd", "updates_w0_in_place", """
        def minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
            X, y = np.asarray(X), np.asarray(y)
            if len(X) != len(y) or lr <= 0:
                raise ValueError("bad X, y or lr")
            if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
                raise ValueError("batch_size must be an integer >= 1")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            rng = np.random.default_rng(seed)
            w = np.asarray(w0, dtype=float)                     # no copy when w0 is already float64
            for _ in range(epochs):
                perm = rng.permutation(len(X))
                for s in range(0, len(X), batch_size):
                    idx = perm[s:s + batch_size]
                    w -= lr * grad_fn(w, X[idx], y[idx])
            return w
    """, fails=("leaves_inputs_unchanged",)),

    # ------------------------------------------------------------------ momentum
    wrong("momentum", "exponential_average", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.array(x0, dtype=float)
            v = np.zeros_like(x)
            for _ in range(steps):
                v = momentum * v + (1 - momentum) * grad_f(x)
                x = x - lr * v
            return x
    """, fails=("matches_heavy_ball",)),

    wrong("momentum", "nesterov", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.array(x0, dtype=float)
            v = np.zeros_like(x)
            for _ in range(steps):
                g = grad_f(x)
                v = momentum * v + g
                x = x - lr * (g + momentum * v)
            return x
    """, fails=("matches_heavy_ball",)),

    wrong("momentum", "moves_with_the_old_velocity", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.array(x0, dtype=float)
            v = np.zeros_like(x)
            for _ in range(steps):
                x_next = x - lr * v
                v = momentum * v + grad_f(x)
                x = x_next
            return x
    """, fails=("matches_heavy_ball", "first_steps")),

    wrong("momentum", "velocity_starts_at_the_gradient", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.array(x0, dtype=float)
            v = np.asarray(grad_f(x), dtype=float)
            for _ in range(steps):
                v = momentum * v + grad_f(x)
                x = x - lr * v
            return x
    """, fails=("first_steps",)),

    wrong("momentum", "returns_the_history_too", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.array(x0, dtype=float)
            v = np.zeros_like(x)
            history = [x]
            for _ in range(steps):
                v = momentum * v + grad_f(x)
                x = x - lr * v
                history.append(x)
            return x, np.array(history)
    """, fails=("matches_heavy_ball",)),

    wrong("momentum", "updates_x0_in_place", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.asarray(x0, dtype=float)
            v = np.zeros_like(x)
            for _ in range(steps):
                v = momentum * v + grad_f(x)
                x -= lr * v
            return x
    """, fails=("leaves_input_unchanged",)),

    wrong("momentum", "integer_x0_copied_as_integer", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.copy(x0)
            v = np.zeros(np.shape(x0))
            for _ in range(steps):
                v = momentum * v + grad_f(x)
                x -= lr * v
            return x
    """, fails=("any_shape_and_integer_x0",)),

    wrong("momentum", "other_default_momentum", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.99, steps=100):
            x = np.array(x0, dtype=float)
            v = np.zeros_like(x)
            for _ in range(steps):
                v = momentum * v + grad_f(x)
                x = x - lr * v
            return x
    """, fails=("defaults_and_zero_steps",)),

    # ------------------------------------------------------------------ adam
    wrong("adam", "no_bias_correction", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError("t starts at 1")
            m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * np.asarray(g, dtype=float)
            v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * np.asarray(g, dtype=float) ** 2
            return np.asarray(x, dtype=float) - lr * m / (np.sqrt(v) + eps), m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m, v = np.zeros_like(x), np.zeros_like(x)
            for t in range(1, steps + 1):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr, beta1, beta2, eps)
            return x
    """, fails=("first_step", "later_steps", "adam_matches_torch_trajectories")),

    wrong("adam", "loop_counts_t_from_zero", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError(f"t must be at least 1, got {t}")
            g = np.asarray(g, dtype=float)
            m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
            v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g ** 2
            m_hat = m / (1 - beta1 ** t)
            v_hat = v / (1 - beta2 ** t)
            return np.asarray(x, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m, v = np.zeros_like(x), np.zeros_like(x)
            for t in range(steps):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr, beta1, beta2, eps)
            return x
    """, fails=("adam_matches_torch_trajectories", "adam_steps_and_defaults")),

    wrong("adam", "bias_correction_with_t_plus_one", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError("t starts at 1")
            g = np.asarray(g, dtype=float)
            m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
            v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g ** 2
            m_hat = m / (1 - beta1 ** (t + 1))
            v_hat = v / (1 - beta2 ** (t + 1))
            return np.asarray(x, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m, v = np.zeros_like(x), np.zeros_like(x)
            for t in range(1, steps + 1):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr, beta1, beta2, eps)
            return x
    """, fails=("first_step", "later_steps")),

    wrong("adam", "eps_inside_the_square_root", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError("t starts at 1")
            g = np.asarray(g, dtype=float)
            m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
            v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g ** 2
            m_hat = m / (1 - beta1 ** t)
            v_hat = v / (1 - beta2 ** t)
            return np.asarray(x, dtype=float) - lr * m_hat / np.sqrt(v_hat + eps), m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m, v = np.zeros_like(x), np.zeros_like(x)
            for t in range(1, steps + 1):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr, beta1, beta2, eps)
            return x
    """, fails=("eps_outside_the_square_root",)),

    wrong("adam", "second_moment_of_g_not_g_squared", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError("t starts at 1")
            g = np.asarray(g, dtype=float)
            m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
            v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g
            m_hat = m / (1 - beta1 ** t)
            v_hat = v / (1 - beta2 ** t)
            return np.asarray(x, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m, v = np.zeros_like(x), np.zeros_like(x)
            for t in range(1, steps + 1):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr, beta1, beta2, eps)
            return x
    """, fails=("moments", "first_step")),

    wrong("adam", "returns_corrected_moments", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError("t starts at 1")
            g = np.asarray(g, dtype=float)
            m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
            v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g ** 2
            m = m / (1 - beta1 ** t)
            v = v / (1 - beta2 ** t)
            return np.asarray(x, dtype=float) - lr * m / (np.sqrt(v) + eps), m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m, v = np.zeros_like(x), np.zeros_like(x)
            for t in range(1, steps + 1):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr, beta1, beta2, eps)
            return x
    """, fails=("moments", "adam_matches_torch_trajectories")),

    wrong("adam", "updates_the_moments_in_place", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError("t starts at 1")
            g = np.asarray(g, dtype=float)
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            m_hat = m / (1 - beta1 ** t)
            v_hat = v / (1 - beta2 ** t)
            return x - lr * m_hat / (np.sqrt(v_hat) + eps), m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m, v = np.zeros_like(x), np.zeros_like(x)
            for t in range(1, steps + 1):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr, beta1, beta2, eps)
            return x
    """, fails=("adam_step_is_pure",)),

    wrong("adam", "accepts_t_zero", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            g = np.asarray(g, dtype=float)
            m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
            v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g ** 2
            with np.errstate(divide="ignore", invalid="ignore"):
                m_hat = m / (1 - beta1 ** t)
                v_hat = v / (1 - beta2 ** t)
                x_new = np.asarray(x, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps)
            return x_new, m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m, v = np.zeros_like(x), np.zeros_like(x)
            for t in range(1, steps + 1):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr, beta1, beta2, eps)
            return x
    """, fails=("rejects_t_below_one",)),

    wrong("adam", "step_counter_never_advances", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError("t starts at 1")
            g = np.asarray(g, dtype=float)
            m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * g
            v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g ** 2
            m_hat = m / (1 - beta1 ** t)
            v_hat = v / (1 - beta2 ** t)
            return np.asarray(x, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m, v = np.zeros_like(x), np.zeros_like(x)
            t = 1
            for _ in range(steps):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr, beta1, beta2, eps)
            return x
    """, fails=("adam_matches_torch_trajectories",)),

    # ------------------------------------------------------------------ hessian
    wrong("hessian", "forgets_the_factor_4", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            H = np.zeros((n, n))
            E = np.eye(n) * h
            for i in range(n):
                for j in range(n):
                    H[i, j] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j]) + f(x - E[i] - E[j])) / h ** 2
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "minimum"
            if np.all(lam < -tol):
                return "maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("matches_the_exact_hessian",)),

    wrong("hessian", "one_sided_differences", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            fx = f(x)
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(n):
                    H[i, j] = (f(x + E[i] + E[j]) - f(x + E[i]) - f(x + E[j]) + fx) / h ** 2
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "minimum"
            if np.all(lam < -tol):
                return "maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("matches_the_exact_hessian",)),

    wrong("hessian", "upper_triangle_not_mirrored", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j]) + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "minimum"
            if np.all(lam < -tol):
                return "maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("is_symmetric", "matches_the_exact_hessian")),

    wrong("hessian", "only_the_diagonal", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            fx = f(x)
            return np.diag([(f(x + E[i]) - 2 * fx + f(x - E[i])) / h ** 2 for i in range(n)])

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "minimum"
            if np.all(lam < -tol):
                return "maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("matches_the_exact_hessian",)),

    wrong("hessian", "step_hard_coded", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            step = 1e-4
            E = np.eye(n) * step
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * step * step)
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "minimum"
            if np.all(lam < -tol):
                return "maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("uses_the_given_step",)),

    wrong("hessian", "integer_steps_truncated", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x)
            n = x.size
            H = np.zeros((n, n))

            def at(i, si, j, sj):
                p = x.copy()
                p[i] += si
                p[j] += sj
                return f(p)

            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "minimum"
            if np.all(lam < -tol):
                return "maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("integer_x",)),

    wrong("hessian", "walks_the_callers_array_around_the_square", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.asarray(x, dtype=float)       # the caller's array when it is float64
            n = x.size
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    x[i] += h
                    x[j] += h
                    fpp = f(x)
                    x[j] -= 2 * h
                    fpm = f(x)
                    x[i] -= 2 * h
                    fmm = f(x)
                    x[j] += 2 * h
                    fmp = f(x)
                    x[i] += h                    # back to the centre... up to rounding
                    x[j] -= h
                    H[i, j] = H[j, i] = (fpp - fpm - fmp + fmm) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "minimum"
            if np.all(lam < -tol):
                return "maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("leaves_input_unchanged",)),

    wrong("hessian", "classifies_by_the_diagonal", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            d = np.diag(np.asarray(H, dtype=float))
            if np.all(d > tol):
                return "minimum"
            if np.all(d < -tol):
                return "maximum"
            if np.any(d > tol) and np.any(d < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("saddle",)),

    wrong("hessian", "two_by_two_determinant_test", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            H = np.asarray(H, dtype=float)
            det, trace = np.linalg.det(H), np.trace(H)
            if abs(det) <= tol:
                return "inconclusive"
            if det < 0:
                return "saddle"
            return "minimum" if trace > 0 else "maximum"
    """, fails=("minimum_and_maximum", "saddle")),

    wrong("hessian", "ignores_the_tolerance", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > 0):
                return "minimum"
            if np.all(lam < 0):
                return "maximum"
            if np.any(lam > 0) and np.any(lam < 0):
                return "saddle"
            return "inconclusive"
    """, fails=("inconclusive", "uses_tol")),

    wrong("hessian", "zero_eigenvalue_checked_first", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.any(np.abs(lam) <= tol):
                return "inconclusive"
            if np.all(lam > 0):
                return "minimum"
            if np.all(lam < 0):
                return "maximum"
            return "saddle"
    """, fails=("saddle",)),

    wrong("hessian", "default_tol_too_loose", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-5):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "minimum"
            if np.all(lam < -tol):
                return "maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("default_tol",)),

    wrong("hessian", "default_tol_too_tight", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-8):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "minimum"
            if np.all(lam < -tol):
                return "maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("default_tol",)),

    wrong("hessian", "boundary_counts_as_non_zero", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam >= tol):
                return "minimum"
            if np.all(lam <= -tol):
                return "maximum"
            if np.any(lam >= tol) and np.any(lam <= -tol):
                return "saddle"
            return "inconclusive"
    """, fails=("uses_tol", "default_tol")),

    wrong("hessian", "tolerance_relative_to_the_largest_eigenvalue", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            cut = tol * max(1.0, np.max(np.abs(lam)))     # scaled to the matrix
            if np.all(lam > cut):
                return "minimum"
            if np.all(lam < -cut):
                return "maximum"
            if np.any(lam > cut) and np.any(lam < -cut):
                return "saddle"
            return "inconclusive"
    """, fails=("default_tol",)),

    wrong("hessian", "capitalised_labels", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h
            H = np.zeros((n, n))
            for i in range(n):
                for j in range(i, n):
                    H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                         + f(x - E[i] - E[j])) / (4 * h * h)
            return H

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
            if np.all(lam > tol):
                return "Minimum"
            if np.all(lam < -tol):
                return "Maximum"
            if np.any(lam > tol) and np.any(lam < -tol):
                return "Saddle"
            return "Inconclusive"
    """, fails=("minimum_and_maximum", "saddle", "inconclusive")),
]

RIGHT = [
    # ------------------------------------------------------------------ numerical_gradient
    right("numerical_gradient", "flat_view_and_unit_vectors", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.asarray(x, dtype=np.float64)
            flat = x.ravel()
            grad = np.empty(flat.size)
            for i in range(flat.size):
                e = np.zeros(flat.size)
                e[i] = h
                grad[i] = (f((flat + e).reshape(x.shape)) - f((flat - e).reshape(x.shape))) / (2 * h)
            return grad.reshape(x.shape)
    """),

    right("numerical_gradient", "nditer_with_saved_value", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.array(x, dtype=float, copy=True)
            grad = np.zeros_like(x)
            it = np.nditer(x, flags=["multi_index"])
            while not it.finished:
                idx = it.multi_index
                old = x[idx]
                x[idx] = old + h
                fxph = f(x)
                x[idx] = old - h
                fxmh = f(x)
                x[idx] = old
                grad[idx] = (fxph - fxmh) / (2 * h)
                it.iternext()
            return grad
    """),

    right("numerical_gradient", "restores_the_callers_float_array_exactly", """
        def numerical_gradient(f, x, h=1e-5):
            x = np.asarray(x, dtype=float)          # the caller's array itself when it is float64
            grad = np.zeros(x.shape)
            for index in np.ndindex(x.shape):
                saved = x[index]
                x[index] = saved + h
                upper = f(x)
                x[index] = saved - h
                lower = f(x)
                x[index] = saved                    # exactly the old value: nothing changes for the caller
                grad[index] = 0.5 * (upper - lower) / h
            return grad
    """),

    # ------------------------------------------------------------------ jacobian
    right("jacobian", "fills_columns_of_a_preallocated_matrix", """
        def numerical_jacobian(f, x, h=1e-5):
            x = np.array(x, dtype=np.float64)
            if x.ndim != 1:
                raise ValueError(f"x must be 1-D, got shape {x.shape}")
            m = np.size(f(x.copy()))
            J = np.empty((m, x.size))
            for j in range(x.size):
                plus, minus = x.copy(), x.copy()
                plus[j] += h
                minus[j] -= h
                J[:, j] = (np.reshape(f(plus), -1) - np.reshape(f(minus), -1)) / (2 * h)
            return J
    """),

    right("jacobian", "one_gradient_per_output", """
        def numerical_jacobian(f, x, h=1e-5):
            point = np.array(x, dtype=np.float64)
            if point.ndim != 1:
                raise ValueError("x must be a 1-D array")
            shifts = h * np.eye(point.size)
            plus = [np.atleast_1d(np.asarray(f(point + s), dtype=np.float64)) for s in shifts]
            minus = [np.atleast_1d(np.asarray(f(point - s), dtype=np.float64)) for s in shifts]
            m = plus[0].size if plus else np.size(f(point))
            rows = [[(plus[j][i] - minus[j][i]) / (2 * h) for j in range(point.size)] for i in range(m)]
            return np.array(rows, dtype=np.float64).reshape(m, point.size)
    """),

    # ------------------------------------------------------------------ activations
    right("activations", "scipy_expit", """
        from scipy.special import expit

        def sigmoid(x):
            return expit(np.asarray(x, dtype=float))

        def sigmoid_grad(x):
            x = np.asarray(x, dtype=float)
            return expit(x) * expit(-x)

        def tanh_grad(x):
            return 1.0 - np.tanh(np.asarray(x, dtype=float)) ** 2

        def relu_grad(x):
            return np.heaviside(np.asarray(x, dtype=float), 0.0)
    """),

    right("activations", "sigmoid_from_tanh", """
        def sigmoid(x):
            return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1.0 - s)

        def tanh_grad(x):
            return 1.0 / np.cosh(np.asarray(x, dtype=float)) ** 2

        def relu_grad(x):
            return np.where(np.asarray(x) > 0, 1.0, 0.0)
    """),

    right("activations", "clipped_exponent", """
        def sigmoid(x):
            z = np.clip(np.asarray(x, dtype=float), -500.0, 500.0)   # e^500 is still finite
            return 1.0 / (1.0 + np.exp(-z))

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s - s * s

        def tanh_grad(x):
            t = np.tanh(np.asarray(x, dtype=float))
            return (1.0 - t) * (1.0 + t)

        def relu_grad(x):
            return 1.0 * (np.asarray(x) > 0)
    """),

    right("activations", "two_branches_with_masks", """
        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            out = np.empty_like(x)
            pos = x >= 0
            out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
            ex = np.exp(x[~pos])
            out[~pos] = ex / (1.0 + ex)
            return out if out.ndim else out[()]

        def sigmoid_grad(x):
            s = sigmoid(x)
            return s * (1 - s)

        def tanh_grad(x):
            return 1 - np.square(np.tanh(x))

        def relu_grad(x):
            return np.greater(x, 0).astype(np.float64)
    """),

    # ------------------------------------------------------------------ gradient_check
    right("gradient_check", "reuses_numerical_gradient", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.array(x, dtype=float)
            analytic = np.asarray(grad_f(x), dtype=float)
            numeric = numerical_gradient(f, x, h)
            error = np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric))
            return error.max()
    """),

    right("gradient_check", "unit_vectors_over_the_flat_array", """
        def gradient_check(f, grad_f, x, h=1e-5):
            x = np.asarray(x, dtype=np.float64)
            a = np.asarray(grad_f(x.copy()), dtype=np.float64).ravel()
            flat = x.ravel()
            n = np.array([(f((flat + e).reshape(x.shape)) - f((flat - e).reshape(x.shape))) / (2 * h)
                          for e in h * np.eye(flat.size)])
            worst = 0.0
            for ai, ni in zip(a, n):
                worst = max(worst, abs(ai - ni) / max(1e-8, abs(ai) + abs(ni)))
            return worst
    """),

    right("gradient_check", "numpy_scalar_result", """
        def gradient_check(f, grad_f, x, h=1e-5):
            point = np.array(x, dtype=float)
            a = np.asarray(grad_f(point), dtype=float)
            n = np.empty_like(point)
            for idx in np.ndindex(point.shape):
                up, down = point.copy(), point.copy()
                up[idx] += h
                down[idx] -= h
                n[idx] = (f(up) - f(down)) / (2 * h)
            return np.max(np.abs(a - n) / np.fmax(np.abs(a) + np.abs(n), 1e-8))
    """),

    # ------------------------------------------------------------------ backprop
    right("backprop", "einsum_with_indices", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            W1, b1 = np.asarray(params["W1"], dtype=float), np.asarray(params["b1"], dtype=float)
            W2, b2 = np.asarray(params["W2"], dtype=float), np.asarray(params["b2"], dtype=float)
            Z1 = np.einsum("nd,hd->nh", X, W1) + b1
            A1 = np.where(Z1 > 0, Z1, 0.0)
            Z2 = np.einsum("nh,ch->nc", A1, W2) + b2
            return Z2, {"X": X, "Z1": Z1, "A1": A1}

        def two_layer_backward(params, cache, dZ2):
            W1, W2 = np.asarray(params["W1"], dtype=float), np.asarray(params["W2"], dtype=float)
            dZ2 = np.asarray(dZ2, dtype=float)
            dZ1 = np.einsum("nc,ch->nh", dZ2, W2) * (cache["Z1"] > 0)
            return {"dW2": np.einsum("nc,nh->ch", dZ2, cache["A1"]), "db2": np.einsum("nc->c", dZ2),
                    "dW1": np.einsum("nh,nd->hd", dZ1, cache["X"]), "db1": np.einsum("nh->h", dZ1),
                    "dX": np.einsum("nh,hd->nd", dZ1, W1)}
    """),

    right("backprop", "tuple_cache_and_mask_from_activations", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            W1, b1, W2, b2 = [np.asarray(params[k], dtype=float) for k in ("W1", "b1", "W2", "b2")]
            Z1 = X.dot(W1.T) + b1
            A1 = np.maximum(0, Z1)
            return A1.dot(W2.T) + b2, (X, A1)

        def two_layer_backward(params, cache, dZ2):
            X, A1 = cache
            W1, W2 = np.asarray(params["W1"], dtype=float), np.asarray(params["W2"], dtype=float)
            dZ2 = np.asarray(dZ2, dtype=float)
            dA1 = dZ2.dot(W2)
            dZ1 = dA1 * (A1 > 0)                 # A1 > 0 exactly where Z1 > 0
            return {"dW1": dZ1.T.dot(X), "db1": np.sum(dZ1, axis=0), "dW2": dZ2.T.dot(A1),
                    "db2": np.sum(dZ2, axis=0), "dX": dZ1.dot(W1)}
    """),

    right("backprop", "one_sample_at_a_time", """
        def two_layer_forward(params, X):
            X = np.asarray(X, dtype=float)
            Z1 = X @ np.asarray(params["W1"], dtype=float).T + np.asarray(params["b1"], dtype=float)
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ np.asarray(params["W2"], dtype=float).T + np.asarray(params["b2"], dtype=float)
            return Z2, {"X": X, "Z1": Z1}

        def two_layer_backward(params, cache, dZ2):
            W1, W2 = np.asarray(params["W1"], dtype=float), np.asarray(params["W2"], dtype=float)
            X, Z1 = cache["X"], cache["Z1"]
            dZ2 = np.asarray(dZ2, dtype=float)
            grads = {"dW1": np.zeros_like(W1), "db1": np.zeros(W1.shape[0]), "dW2": np.zeros_like(W2),
                     "db2": np.zeros(W2.shape[0]), "dX": np.zeros_like(X)}
            for n in range(X.shape[0]):              # the single-sample rules, summed over the batch
                a1 = np.maximum(Z1[n], 0)
                grads["dW2"] += np.outer(dZ2[n], a1)
                grads["db2"] += dZ2[n]
                dz1 = (W2.T @ dZ2[n]) * (Z1[n] > 0)
                grads["dW1"] += np.outer(dz1, X[n])
                grads["db1"] += dz1
                grads["dX"][n] = W1.T @ dz1
            return grads
    """),

    # ------------------------------------------------------------------ gradient_descent
    right("gradient_descent", "preallocated_history", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            x = np.array(x0, dtype=float)
            history = np.empty((steps + 1,) + x.shape)
            history[0] = x
            for k in range(1, steps + 1):
                x = x - lr * np.asarray(grad_f(x))
                history[k] = x
            return x, history
    """),

    right("gradient_descent", "in_place_on_a_copy", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            x = np.array(x0, dtype=np.float64, copy=True)
            history = [x.copy()]
            for _ in range(steps):
                x -= lr * grad_f(x)
                history.append(x.copy())
            return x, np.stack(history)
    """),

    right("gradient_descent", "while_loop", """
        def gradient_descent(grad_f, x0, lr=0.1, steps=100):
            points = [np.asarray(x0, dtype=float) * 1.0]
            while len(points) <= steps:
                current = points[-1]
                points.append(current - lr * grad_f(current))
            return points[-1].copy(), np.array(points)
    """),

    # ------------------------------------------------------------------ sgd
    right("sgd", "shuffled_copies_and_numbers_module", """
        import numbers

        def minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
            X, y = np.asarray(X), np.asarray(y)
            if X.shape[0] != y.shape[0]:
                raise ValueError("X and y need the same number of rows")
            if lr <= 0:
                raise ValueError("the learning rate must be positive")
            for name, value, low in (("batch_size", batch_size, 1), ("epochs", epochs, 0)):
                if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < low:
                    raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
            rng = np.random.default_rng(seed)
            w = np.array(w0, dtype=np.float64, copy=True)
            for _ in range(epochs):
                order = rng.permutation(len(X))
                X_shuffled, y_shuffled = X[order], y[order]          # new arrays: the caller's stay as they were
                for start in range(0, len(X), batch_size):
                    stop = start + batch_size
                    w -= lr * np.asarray(grad_fn(w, X_shuffled[start:stop], y_shuffled[start:stop]), dtype=np.float64)
            return w
    """),

    right("sgd", "array_split_on_the_permutation", """
        def minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
            def integer(value):
                return type(value) is int or isinstance(value, np.integer)
            if len(X) != len(y):
                raise ValueError(f"len(X) = {len(X)} but len(y) = {len(y)}")
            if not lr > 0:
                raise ValueError("lr must be > 0")
            if not integer(batch_size) or batch_size < 1:
                raise ValueError("batch_size must be an integer of at least 1")
            if not integer(epochs) or epochs < 0:
                raise ValueError("epochs must be a non-negative integer")
            X, y = np.asarray(X), np.asarray(y)
            n = len(X)
            rng = np.random.default_rng(seed)
            w = np.asarray(w0, dtype=np.float64).copy()
            cuts = np.arange(batch_size, n, batch_size)               # where one batch ends and the next begins
            epoch = 0
            while epoch < epochs:
                for idx in np.split(rng.permutation(n), cuts):
                    w = w - lr * grad_fn(w, X[idx], y[idx])
                epoch += 1
            return w.astype(np.float64)
    """),

    # ------------------------------------------------------------------ momentum
    right("momentum", "learning_rate_inside_the_velocity", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.array(x0, dtype=float)
            u = np.zeros_like(x)
            for _ in range(steps):
                u = momentum * u - lr * grad_f(x)     # u = -lr * v: the same path for a constant lr
                x = x + u
            return x
    """),

    right("momentum", "torch_style_buffer", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.array(x0, dtype=float)
            buf = None
            for _ in range(steps):
                g = np.asarray(grad_f(x), dtype=float)
                buf = g.copy() if buf is None else momentum * buf + g
                x = x - lr * buf
            return x
    """),

    right("momentum", "in_place_updates_on_copies", """
        def sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100):
            x = np.array(x0, dtype=np.float64)
            v = np.zeros(x.shape)
            for _ in range(steps):
                v *= momentum
                v += grad_f(x)
                x -= lr * v
            return x
    """),

    # ------------------------------------------------------------------ adam
    right("adam", "pytorch_arrangement", """
        import math

        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError("the step number t starts at 1")
            g = np.asarray(g, dtype=float)
            m = np.asarray(m, dtype=float) + (1 - beta1) * (g - np.asarray(m, dtype=float))   # lerp
            v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * g * g
            step_size = lr / (1 - beta1 ** t)
            denom = np.sqrt(v) / math.sqrt(1 - beta2 ** t) + eps
            return np.asarray(x, dtype=float) - step_size * m / denom, m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=float)
            m = v = np.zeros_like(x)
            for t in range(1, steps + 1):
                x, m, v = adam_step(x, grad_f(x), m, v, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
            return x
    """),

    right("adam", "inline_loop_in_adam", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if not t >= 1:
                raise ValueError(f"t must be >= 1 (got {t})")
            g = np.asarray(g, dtype=np.float64)
            m_new = beta1 * np.asarray(m, dtype=np.float64) + (1.0 - beta1) * g
            v_new = beta2 * np.asarray(v, dtype=np.float64) + (1.0 - beta2) * g ** 2
            m_hat = m_new / (1.0 - beta1 ** t)
            v_hat = v_new / (1.0 - beta2 ** t)
            return np.asarray(x, dtype=np.float64) - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            x = np.array(x0, dtype=np.float64)
            m, v = np.zeros(x.shape), np.zeros(x.shape)
            for step in range(steps):
                t = step + 1
                g = grad_f(x)
                m = beta1 * m + (1.0 - beta1) * g
                v = beta2 * v + (1.0 - beta2) * g * g
                x = x - lr * (m / (1.0 - beta1 ** t)) / (np.sqrt(v / (1.0 - beta2 ** t)) + eps)
            return x
    """),

    right("adam", "state_dict_and_copies", """
        def adam_step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            if t < 1:
                raise ValueError("Adam counts its steps from t = 1")
            x, g, m, v = (np.array(a, dtype=float) for a in (x, g, m, v))
            m *= beta1
            m += (1 - beta1) * g                # in place, but on copies
            v *= beta2
            v += (1 - beta2) * np.square(g)
            bias1, bias2 = 1 - beta1 ** t, 1 - beta2 ** t
            x -= lr * (m / bias1) / (np.sqrt(v / bias2) + eps)
            return x, m, v

        def adam(grad_f, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, steps=100):
            state = {"x": np.array(x0, dtype=float)}
            state["m"] = np.zeros_like(state["x"])
            state["v"] = np.zeros_like(state["x"])
            for t in range(1, steps + 1):
                state["x"], state["m"], state["v"] = adam_step(state["x"], grad_f(state["x"]), state["m"],
                                                               state["v"], t, lr, beta1, beta2, eps)
            return state["x"]
    """),

    # ------------------------------------------------------------------ hessian
    right("hessian", "jacobian_of_the_numerical_gradient", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = x.size
            E = np.eye(n) * h

            def gradient(p):
                return np.array([(f(p + E[k]) - f(p - E[k])) / (2 * h) for k in range(n)])

            H = np.array([(gradient(x + E[j]) - gradient(x - E[j])) / (2 * h) for j in range(n)]).T
            return (H + H.T) / 2

        def classify_critical_point(H, tol=1e-6):
            lam = np.linalg.eigh(np.asarray(H, dtype=float))[0]
            pos, neg = int(np.sum(lam > tol)), int(np.sum(lam < -tol))
            if pos == len(lam):
                return "minimum"
            if neg == len(lam):
                return "maximum"
            return "saddle" if pos and neg else "inconclusive"
    """),

    right("hessian", "three_point_diagonal", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.array(x, dtype=float)
            n = len(x)
            fx = f(x)
            H = np.zeros((n, n))
            for i in range(n):
                ei = np.zeros(n)
                ei[i] = h
                H[i, i] = (f(x + ei) - 2 * fx + f(x - ei)) / h ** 2
                for j in range(i + 1, n):
                    ej = np.zeros(n)
                    ej[j] = h
                    H[i, j] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * h ** 2)
                    H[j, i] = H[i, j]
            return H

        def classify_critical_point(H, tol=1e-6):
            import scipy.linalg
            lam = scipy.linalg.eigvalsh(np.asarray(H, dtype=float))
            if lam.min() > tol:
                return "minimum"
            if lam.max() < -tol:
                return "maximum"
            if lam.max() > tol and lam.min() < -tol:
                return "saddle"
            return "inconclusive"
    """),

    right("hessian", "all_pairs_then_averaged", """
        def numerical_hessian(f, x, h=1e-4):
            x = np.asarray(x, dtype=np.float64)
            n = x.shape[0]
            shifts = h * np.eye(n)
            H = np.empty((n, n))
            for i in range(n):
                for j in range(n):
                    si, sj = shifts[i], shifts[j]
                    H[i, j] = ((f(x + si + sj) - f(x + si - sj)) - (f(x - si + sj) - f(x - si - sj))) / (4 * h * h)
            return 0.5 * (H + H.T)

        def classify_critical_point(H, tol=1e-6):
            signs = {int(np.sign(l)) if abs(l) > tol else 0 for l in np.linalg.eigvalsh(np.asarray(H, dtype=float))}
            if signs == {1}:
                return "minimum"
            if signs == {-1}:
                return "maximum"
            if {1, -1} <= signs:
                return "saddle"
            return "inconclusive"
    """),
]
