"""Learner implementations for ch05_regression: least squares, ridge, the lasso by coordinate
descent, and regression metrics.

Each ``source`` is the whole answer cell of its exercise; the notebook's set-up cell
has already run ``import numpy as np``.
"""

from tests.implementations import right, wrong

WRONG = [
    # ------------------------------------------------------------------ ols
    wrong("ols", "inverse_of_normal_matrix", """
        def ols_fit(X, y):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            x_mean, y_mean = X.mean(axis=0), y.mean()
            Xc, yc = X - x_mean, y - y_mean
            w = np.linalg.inv(Xc.T @ Xc) @ Xc.T @ yc        # the textbook formula
            return w, y_mean - x_mean @ w
    """, fails=("duplicated_and_proportional_columns", "accurate_when_nearly_collinear")),

    wrong("ols", "solves_normal_equation", """
        def ols_fit(X, y):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            Xc = X - X.mean(axis=0)
            yc = y - y.mean()
            w = np.linalg.solve(Xc.T @ Xc, Xc.T @ yc)
            b = y.mean() - X.mean(axis=0) @ w
            return w, b
    """, fails=("duplicated_and_proportional_columns", "fewer_samples_than_features",
                "accurate_when_nearly_collinear")),

    wrong("ols", "pinv_of_normal_matrix", """
        def ols_fit(X, y):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            # pinv instead of inv: no error for singular X^T X any more
            w = np.linalg.pinv(Xc.T @ Xc) @ (Xc.T @ yc)
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("accurate_when_nearly_collinear",)),

    wrong("ols", "column_of_ones_appended", """
        def ols_fit(X, y):
            X = np.asarray(X, dtype=float)
            A = np.column_stack([X, np.ones(X.shape[0])])
            coef = np.linalg.lstsq(A, np.asarray(y, dtype=float), rcond=None)[0]
            return coef[:-1], coef[-1]
    """, fails=("affine_and_constant_columns", "fewer_samples_than_features")),

    wrong("ols", "no_intercept", """
        def ols_fit(X, y):
            w = np.linalg.lstsq(np.asarray(X, dtype=float), np.asarray(y, dtype=float), rcond=None)[0]
            return w, 0.0
    """, fails=("matches_least_squares",)),

    wrong("ols", "intercept_after_uncentred_fit", """
        def ols_fit(X, y):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            w = np.linalg.pinv(X) @ y                        # no centring
            b = y.mean() - X.mean(axis=0) @ w
            return w, b
    """, fails=("matches_least_squares",)),

    wrong("ols", "qr_back_substitution", """
        def ols_fit(X, y):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            Q, R = np.linalg.qr(Xc)
            w = np.linalg.solve(R, Q.T @ yc)
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("duplicated_and_proportional_columns", "fewer_samples_than_features")),

    wrong("ols", "centres_the_callers_arrays", """
        def ols_fit(X, y):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            x_mean, y_mean = X.mean(axis=0), y.mean()
            X -= x_mean                                      # in place: the caller's X
            y -= y_mean
            w = np.linalg.lstsq(X, y, rcond=None)[0]
            return w, y_mean - x_mean @ w
    """, fails=("leaves_input_unchanged",)),

    wrong("ols", "sklearn_alias", """
        from sklearn.linear_model import LinearRegression as LR

        def ols_fit(X, y):
            model = LR().fit(np.asarray(X, dtype=float), np.asarray(y, dtype=float))
            return model.coef_, float(model.intercept_)
    """, fails=("from_scratch",)),

    # ------------------------------------------------------------------ ridge
    wrong("ridge", "penalises_a_column_of_ones", """
        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError("lam must be non-negative")
            X = np.asarray(X, dtype=float)
            A = np.column_stack([X, np.ones(len(X))])
            coef = np.linalg.solve(A.T @ A + lam * np.eye(A.shape[1]), A.T @ np.asarray(y, dtype=float))
            return coef[:-1], coef[-1]
    """, fails=("intercept_not_penalised", "matches_ridge_objective")),

    wrong("ridge", "guide_formula_without_intercept", """
        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError("lam must be non-negative")
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            d = X.shape[1]
            w = np.linalg.lstsq(X.T @ X + lam * np.eye(d), X.T @ y, rcond=None)[0]
            return w, 0.0
    """, fails=("matches_ridge_objective", "intercept_not_penalised")),

    wrong("ridge", "mean_squared_error_scaling", """
        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError("lam must be non-negative")
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            # (1/n)||y - Xw||^2 + lam ||w||^2
            w = np.linalg.lstsq(Xc.T @ Xc / n + lam * np.eye(d), Xc.T @ yc / n, rcond=None)[0]
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("matches_ridge_objective",)),

    wrong("ridge", "solve_even_for_lam_zero", """
        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError("lam must be non-negative")
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            x_mean, y_mean = X.mean(axis=0), y.mean()
            Xc, yc = X - x_mean, y - y_mean
            w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)
            return w, y_mean - x_mean @ w
    """, fails=("lam_zero_rank_deficient_is_minimum_norm",)),

    wrong("ridge", "no_check_of_lam", """
        def ridge_fit(X, y, lam):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            x_mean, y_mean = X.mean(axis=0), y.mean()
            U, s, Vt = np.linalg.svd(X - x_mean, full_matrices=False)
            keep = s > 1e-12 * s.max()
            f = np.zeros_like(s)
            f[keep] = s[keep] / (s[keep] ** 2 + lam)
            w = Vt.T @ (f * (U.T @ (y - y_mean)))
            return w, y_mean - x_mean @ w
    """, fails=("rejects_negative_lam",)),

    wrong("ridge", "rejects_lam_zero", """
        def ridge_fit(X, y, lam):
            if lam <= 0:
                raise ValueError("lam must be positive")
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            x_mean, y_mean = X.mean(axis=0), y.mean()
            Xc, yc = X - x_mean, y - y_mean
            w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)
            return w, y_mean - x_mean @ w
    """, fails=("lam_zero_gives_ols", "lam_zero_rank_deficient_is_minimum_norm")),

    wrong("ridge", "centres_the_callers_arrays", """
        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError("lam must be non-negative")
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            x_mean, y_mean = X.mean(axis=0), y.mean()
            X -= x_mean
            y -= y_mean
            A = np.vstack([X, np.sqrt(lam) * np.eye(X.shape[1])])
            w = np.linalg.lstsq(A, np.concatenate([y, np.zeros(X.shape[1])]), rcond=None)[0]
            return w, y_mean - x_mean @ w
    """, fails=("leaves_input_unchanged",)),

    wrong("ridge", "sklearn_module_alias", """
        import sklearn.linear_model as lm

        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError("lam must be non-negative")
            model = lm.Ridge(alpha=lam).fit(np.asarray(X, dtype=float), np.asarray(y, dtype=float))
            return model.coef_, float(model.intercept_)
    """, fails=("from_scratch",)),

    # ------------------------------------------------------------------ lasso
    wrong("lasso", "threshold_drops_negative_values", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.maximum(z - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros(d)
            for _ in range(max_iter):
                w_old = w.copy()
                for j in range(d):
                    if z[j] == 0:
                        continue
                    r = yc - Xc @ w
                    rho = Xc[:, j] @ r / n + z[j] * w[j]
                    w[j] = soft_threshold(rho, alpha) / z[j]
                if np.max(np.abs(w - w_old)) <= tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("soft_threshold_values", "matches_sklearn_lasso")),

    wrong("lasso", "threshold_loses_the_sign", """
        def soft_threshold(z, t):
            return np.maximum(np.abs(np.asarray(z, dtype=float)) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros(d)
            r = yc.copy()
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    r -= (new - w[j]) * Xc[:, j]
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
                if biggest <= tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("soft_threshold_values", "matches_sklearn_lasso")),

    wrong("lasso", "threshold_without_the_clamp", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return z - t * np.sign(z)                        # crosses 0 inside the band

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros(d)
            r = yc.copy()
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    r -= (new - w[j]) * Xc[:, j]
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
                if biggest <= tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("soft_threshold_zeroes_the_band", "alpha_max_gives_exact_zeros")),

    wrong("lasso", "objective_without_one_over_n", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            # minimises 1/2 ||y - Xw - b||^2 + alpha ||w||_1
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            d = X.shape[1]
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0)
            w = np.zeros(d)
            r = yc.copy()
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ r + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    r -= (new - w[j]) * Xc[:, j]
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
                if biggest <= tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("matches_sklearn_lasso", "alpha_max_gives_exact_zeros")),

    wrong("lasso", "objective_without_one_half", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            # minimises (1/n) ||y - Xw - b||^2 + alpha ||w||_1: setting the subgradient to 0
            # gives 2 (z w - rho) + alpha sign(w) = 0, i.e. threshold alpha / 2
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros(d)
            r = yc.copy()
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha / 2) / z[j]
                    r -= (new - w[j]) * Xc[:, j]
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
                if biggest <= tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("matches_sklearn_lasso", "alpha_max_gives_exact_zeros")),

    wrong("lasso", "penalises_a_column_of_ones", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            A = np.column_stack([X, np.ones(len(y))])        # the intercept as one more weight
            n, d = A.shape
            z = (A ** 2).sum(axis=0) / n
            w = np.zeros(d)
            r = y.copy()
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = A[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    r -= (new - w[j]) * A[:, j]
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
                if biggest <= tol:
                    break
            return w[:-1], w[-1]
    """, fails=("intercept_not_penalised",)),

    wrong("lasso", "intercept_as_a_coordinate_on_uncentred_data", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.where(z > t, z - t, np.where(z < -t, z + t, 0.0))

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            col_sq = (X ** 2).sum(axis=0) / n
            r = y - b
            for _ in range(max_iter):
                new_b = b + r.mean()                          # exact minimisation in b
                r = r - (new_b - b)
                change = abs(new_b - b)
                b = new_b
                for j in range(d):
                    if np.ptp(X[:, j]) == 0:                  # constant: the intercept covers it
                        continue
                    rho = X[:, j] @ r / n + col_sq[j] * w[j]
                    new = float(soft_threshold(rho, alpha)) / col_sq[j]
                    r = r - (new - w[j]) * X[:, j]
                    change = max(change, abs(new - w[j]))
                    w[j] = new
                if change <= tol:
                    break
            return w, b
    """, fails=("intercept_not_penalised",)),

    wrong("lasso", "old_weights_are_an_alias", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros(d)
            for _ in range(max_iter):
                w_old = w                                    # not a copy: always "converged"
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ (yc - Xc @ w) / n + z[j] * w[j]
                    w[j] = soft_threshold(rho, alpha) / z[j]
                if np.max(np.abs(w - w_old)) <= tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("converges_on_correlated_features",)),

    wrong("lasso", "stops_when_one_coordinate_settles", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros(d)
            r = yc.copy()
            done = False
            for _ in range(max_iter):
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    change = new - w[j]
                    r -= change * Xc[:, j]
                    w[j] = new
                    if abs(change) < tol and _ > 0:
                        done = True
                        break
                if done:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("converges_on_correlated_features",)),

    wrong("lasso", "sklearn_default_max_iter_and_tol", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=1000, tol=1e-4):      # scikit-learn's defaults
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros(d)
            r = yc.copy()
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    r -= (new - w[j]) * Xc[:, j]
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
                if biggest <= tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("converges_on_correlated_features",)),

    wrong("lasso", "stops_when_the_objective_settles", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros(d)
            r = yc.copy()
            objective = r @ r / (2 * n)
            for _ in range(max_iter):
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    r -= (new - w[j]) * Xc[:, j]
                    w[j] = new
                new_objective = r @ r / (2 * n) + alpha * np.abs(w).sum()
                if objective - new_objective <= tol:
                    break
                objective = new_objective
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("converges_on_correlated_features",)),

    wrong("lasso", "ignores_max_iter_and_tol", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros(d)
            r = yc.copy()
            while True:                                      # run until really converged
                biggest = 0.0
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    r -= (new - w[j]) * Xc[:, j]
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
                if biggest <= 1e-10:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("honours_max_iter_and_tol",)),

    wrong("lasso", "divides_by_zero_for_a_constant_column", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            w = np.zeros(d)
            r = yc.copy()
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    xj = Xc[:, j]
                    rho = xj @ r / n + (xj @ xj / n) * w[j]
                    new = soft_threshold(rho, alpha) / (xj @ xj / n)
                    r -= (new - w[j]) * xj
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
                if not biggest > tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("constant_column_gets_zero_weight",)),

    wrong("lasso", "integer_weights", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X)
            y = np.asarray(y)
            n, d = X.shape
            Xc, yc = X - X.mean(axis=0), y - y.mean()
            z = (Xc ** 2).sum(axis=0) / n
            w = np.zeros_like(X[0])                          # int for integer X
            r = yc.copy()
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = Xc[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    old = w[j]
                    w[j] = new
                    r -= (w[j] - old) * Xc[:, j]
                    biggest = max(biggest, abs(w[j] - old))
                if biggest <= tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """, fails=("integer_input",)),

    wrong("lasso", "centres_the_callers_arrays", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            x_mean, y_mean = X.mean(axis=0), y.mean()
            X -= x_mean
            y -= y_mean
            z = (X ** 2).sum(axis=0) / n
            w = np.zeros(d)
            r = y.copy()
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    if z[j] == 0:
                        continue
                    rho = X[:, j] @ r / n + z[j] * w[j]
                    new = soft_threshold(rho, alpha) / z[j]
                    r -= (new - w[j]) * X[:, j]
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
                if biggest <= tol:
                    break
            return w, y_mean - x_mean @ w
    """, fails=("leaves_input_unchanged",)),

    wrong("lasso", "sklearn_alias", """
        from sklearn.linear_model import Lasso as _Lasso

        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            model = _Lasso(alpha=alpha, max_iter=max_iter, tol=tol).fit(X, y)
            return model.coef_, float(model.intercept_)
    """, fails=("from_scratch",)),

    # ------------------------------------------------------------------ metrics
    wrong("metrics", "root_mean_squared_error", """
        def mse(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return float(np.sqrt(np.mean((y - y_hat) ** 2)))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            if np.all(y == y[0]):
                return 1.0 if np.all(y == y_hat) else 0.0
            return float(1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2))
    """, fails=("mse_matches_definition",)),

    wrong("metrics", "sample_variance_denominator", """
        def mse(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return float(np.sum((y - y_hat) ** 2) / (len(y) - 1))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            if np.all(y == y[0]):
                return 1.0 if np.all(y == y_hat) else 0.0
            return float(1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2))
    """, fails=("mse_matches_definition",)),

    wrong("metrics", "squared_correlation", """
        def mse(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return float(np.mean((y - y_hat) ** 2))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            if np.all(y == y[0]):
                return 1.0 if np.all(y == y_hat) else 0.0
            return float(np.corrcoef(y, y_hat)[0, 1] ** 2)
    """, fails=("r2_matches_definition", "r2_can_be_negative_and_is_not_correlation")),

    wrong("metrics", "clips_r2_at_zero", """
        def mse(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return float(np.mean((y - y_hat) ** 2))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            if np.all(y == y[0]):
                return 1.0 if np.all(y == y_hat) else 0.0
            r2 = 1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2)
            return float(max(r2, 0.0))                       # "R² is between 0 and 1"
    """, fails=("r2_can_be_negative_and_is_not_correlation",)),

    wrong("metrics", "total_sum_around_the_predictions", """
        def mse(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return float(np.mean((y - y_hat) ** 2))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            if np.all(y == y[0]):
                return 1.0 if np.all(y == y_hat) else 0.0
            return float(1 - np.sum((y - y_hat) ** 2) / np.sum((y - y_hat.mean()) ** 2))
    """, fails=("r2_matches_definition",)),

    wrong("metrics", "no_constant_case", """
        def mse(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return float(np.mean((y - y_hat) ** 2))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return float(1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2))
    """, fails=("r2_constant_y",)),

    wrong("metrics", "constant_detected_by_zero_total_sum", """
        def mse(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return float(np.mean((y - y_hat) ** 2))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            ss_res = np.sum((y - y_hat) ** 2)
            ss_tot = np.sum((y - y.mean()) ** 2)
            if ss_tot == 0:                                  # scikit-learn's test
                return 1.0 if ss_res == 0 else 0.0
            return float(1 - ss_res / ss_tot)
    """, fails=("r2_constant_y_whose_mean_rounds",)),

    wrong("metrics", "trusts_broadcasting", """
        def mse(y, y_hat):
            return float(np.mean((np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)) ** 2))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if len(y) > 0 and np.all(y == y[0]):
                return 1.0 if np.all(y == y_hat) else 0.0
            return float(1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2))
    """, fails=("rejects_empty_and_unequal_lengths",)),

    wrong("metrics", "returns_an_array", """
        def mse(y, y_hat):
            y, y_hat = np.atleast_1d(np.asarray(y, dtype=float)), np.atleast_1d(np.asarray(y_hat, dtype=float))
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return np.mean((y - y_hat) ** 2, keepdims=True)

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            if np.all(y == y[0]):
                return 1.0 if np.all(y == y_hat) else 0.0
            return float(1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2))
    """, fails=("mse_matches_definition", "integer_lists_give_a_number")),

    wrong("metrics", "sorts_in_place", """
        def mse(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            return float(np.mean((y - y_hat) ** 2))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
            if y.size == 0 or y.shape != y_hat.shape:
                raise ValueError("need two non-empty arrays of the same length")
            residual = y - y_hat
            y -= y.mean()                                    # centre y ... the caller's y
            if np.all(y == y[0]):
                return 1.0 if np.all(residual == 0) else 0.0
            return float(1 - np.sum(residual ** 2) / np.sum(y ** 2))
    """, fails=("leaves_input_unchanged",)),

    # ------------------------------------------------------------------ gd_regression
    wrong("gd_regression", "gradient_without_the_two", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            losses = [np.mean((X @ w + b - y) ** 2)]
            for _ in range(epochs):
                r = X @ w + b - y
                w = w - lr * X.T @ r / n                     # d/dw of the mean of r**2 ... without the 2
                b = b - lr * np.mean(r)
                losses.append(np.mean((X @ w + b - y) ** 2))
            return w, b, np.array(losses)
    """, fails=("follows_the_gradient_descent_recurrence",)),

    wrong("gd_regression", "bias_from_the_updated_weights", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            losses = [np.mean((X @ w + b - y) ** 2)]
            for _ in range(epochs):
                w = w - lr * 2 / n * X.T @ (X @ w + b - y)
                b = b - lr * 2 / n * np.sum(X @ w + b - y)   # residual recomputed with the new w
                losses.append(np.mean((X @ w + b - y) ** 2))
            return w, b, np.array(losses)
    """, fails=("follows_the_gradient_descent_recurrence",)),

    wrong("gd_regression", "losses_only_after_each_step", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            losses = []
            for _ in range(epochs):
                r = X @ w + b - y
                w = w - lr * 2 / n * (X.T @ r)
                b = b - lr * 2 / n * r.sum()
                losses.append(np.mean((X @ w + b - y) ** 2))
            return w, b, np.array(losses)
    """, fails=("follows_the_gradient_descent_recurrence", "zero_epochs_returns_the_start")),

    wrong("gd_regression", "loss_before_each_step", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            losses = []
            for _ in range(epochs + 1):
                r = X @ w + b - y
                losses.append(np.mean(r ** 2))
                w = w - lr * 2 / n * (X.T @ r)               # one step too many: w no longer matches losses[-1]
                b = b - lr * 2 / n * r.sum()
            return w, b, np.array(losses)
    """, fails=("follows_the_gradient_descent_recurrence", "losses_are_the_mse_after_k_steps")),

    wrong("gd_regression", "half_mse_as_the_loss", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            history = []
            for k in range(epochs + 1):
                r = X @ w + b - y
                history.append(0.5 * np.mean(r ** 2))        # the "1/2 MSE" of many textbooks
                if k < epochs:
                    w = w - lr * (2 / n) * (X.T @ r)
                    b = b - lr * (2 / n) * np.sum(r)
            return w, b, np.array(history)
    """, fails=("losses_are_the_mse_after_k_steps", "zero_epochs_returns_the_start")),

    wrong("gd_regression", "no_intercept_step", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n, d = X.shape
            w = np.zeros(d)
            losses = [np.mean(y ** 2)]
            for _ in range(epochs):
                r = X @ w - y
                w = w - lr * 2 / n * (X.T @ r)
                losses.append(np.mean((X @ w - y) ** 2))
            return w, 0.0, np.array(losses)
    """, fails=("follows_the_gradient_descent_recurrence", "approaches_least_squares")),

    wrong("gd_regression", "stops_when_the_loss_blows_up", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            losses = [np.mean((X @ w + b - y) ** 2)]
            for _ in range(epochs):
                r = X @ w + b - y
                w, b = w - lr * 2 / n * (X.T @ r), b - lr * 2 / n * r.sum()
                loss = np.mean((X @ w + b - y) ** 2)
                if not np.isfinite(loss):
                    raise ValueError("training diverged: lower the learning rate")
                losses.append(loss)
            return w, b, np.array(losses)
    """, fails=("diverging_run_is_returned_as_is",)),

    wrong("gd_regression", "clips_the_gradient", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            losses = [np.mean((X @ w + b - y) ** 2)]
            for _ in range(epochs):
                r = X @ w + b - y
                g = np.append(2 / n * (X.T @ r), 2 / n * r.sum())
                norm = np.sqrt(g @ g)
                if norm > 1e6:                               # "safety": gradient clipping
                    g = g * (1e6 / norm)
                w, b = w - lr * g[:-1], b - lr * g[-1]
                losses.append(np.mean((X @ w + b - y) ** 2))
            return w, b, np.array(losses)
    """, fails=("diverging_run_is_returned_as_is",)),

    wrong("gd_regression", "no_validation", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            losses = [np.mean((X @ w + b - y) ** 2)]
            for _ in range(int(epochs)):
                r = X @ w + b - y
                w, b = w - lr * 2 / n * (X.T @ r), b - lr * 2 / n * r.sum()
                losses.append(np.mean((X @ w + b - y) ** 2))
            return w, b, np.array(losses)
    """, fails=("rejects_bad_input",)),

    wrong("gd_regression", "integer_weights_from_zeros_like", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X)
            y = np.asarray(y)
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n = len(y)
            w = np.zeros_like(X[0])                          # integer X: integer weights
            b = 0.0
            losses = [np.mean((X @ w + b - y) ** 2)]
            for _ in range(epochs):
                r = X @ w + b - y
                w -= lr * 2 / n * (X.T @ r)
                b -= lr * 2 / n * r.sum()
                losses.append(np.mean((X @ w + b - y) ** 2))
            return w, b, np.array(losses)
    """, fails=("integer_input",)),

    wrong("gd_regression", "last_residual_in_place", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)                   # no copy when y already is float64
            if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
                raise ValueError("X must be (n, d) and y (n,)")
            if not lr > 0:
                raise ValueError("lr must be positive")
            if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            n, d = X.shape
            w, b = np.zeros(d), 0.0
            losses = []
            for _ in range(epochs):
                r = X @ w + b - y
                losses.append(np.mean(r ** 2))
                w, b = w - lr * 2 / n * (X.T @ r), b - lr * 2 / n * r.sum()
            y -= X @ w + b                                   # the last residual, without a new array
            losses.append(np.mean(y ** 2))
            return w, b, np.array(losses)
    """, fails=("leaves_input_unchanged",)),
]

RIGHT = [
    # ------------------------------------------------------------------ ols
    right("ols", "pinv_of_centred_design", """
        def ols_fit(X, y):
            X = np.asarray(X, dtype=np.float64)
            y = np.asarray(y, dtype=np.float64)
            mx, my = X.mean(axis=0), y.mean()
            w = np.linalg.pinv(X - mx) @ (y - my)
            return w, my - mx @ w                            # a NumPy scalar
    """),

    right("ols", "centres_x_but_not_y", """
        def ols_fit(X, y):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            # the ones-vector is orthogonal to the centred columns: y's mean drops out of w by itself
            w = np.linalg.lstsq(X - X.mean(axis=0), y, rcond=None)[0]
            return w, float(np.mean(y - X @ w))
    """),

    right("ols", "pinv_of_centred_x_on_raw_y", """
        def ols_fit(X, y):
            X = np.array(X, dtype=np.float64)
            y = np.array(y, dtype=np.float64)
            w = np.linalg.pinv(X - X.mean(axis=0)) @ y
            return w, np.mean(y) - np.mean(X, axis=0) @ w
    """),

    right("ols", "own_svd_with_cutoff", """
        def ols_fit(X, y):
            X = np.array(X, dtype=float)                     # private copies
            y = np.array(y, dtype=float)
            x_bar = X.mean(axis=0)
            y_bar = y.mean()
            X -= x_bar
            y -= y_bar
            U, s, Vt = np.linalg.svd(X, full_matrices=False)
            inv_s = np.array([1.0 / v if v > 1e-10 * s[0] else 0.0 for v in s])
            w = Vt.T @ (inv_s * (U.T @ y))
            return (w, float(y_bar - x_bar.dot(w)))
    """),

    right("ols", "scipy_lstsq", """
        import scipy.linalg

        def ols_fit(X, y):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            centre = X.mean(axis=0)
            Xc = X - centre
            # scipy's default cutoff (cond = eps) keeps rounding-level singular values of a
            # rank-deficient Xc; numpy's lstsq cutoff, eps * max(n, d), drops them
            w = scipy.linalg.lstsq(Xc, y - y.mean(), cond=np.finfo(float).eps * max(Xc.shape))[0]
            b = y.mean() - np.dot(centre, w)
            return [w, b]
    """),

    right("ols", "loop_centring_and_numpy_lstsq", """
        def ols_fit(X, y):
            rows = [[float(v) for v in row] for row in np.asarray(X).tolist()]
            targets = [float(v) for v in np.asarray(y).tolist()]
            n, d = len(rows), len(rows[0])
            means = [sum(row[j] for row in rows) / n for j in range(d)]
            y_mean = sum(targets) / n
            Xc = np.array([[row[j] - means[j] for j in range(d)] for row in rows])
            yc = np.array([t - y_mean for t in targets])
            w, *_ = np.linalg.lstsq(Xc, yc, rcond=None)
            return w, y_mean - float(np.dot(means, w))
    """),

    # ------------------------------------------------------------------ ridge
    right("ridge", "solve_with_lstsq_at_zero", """
        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError(f"lam must be >= 0, got {lam}")
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            mx, my = X.mean(axis=0), y.mean()
            Xc, yc = X - mx, y - my
            if lam == 0:
                w = np.linalg.lstsq(Xc, yc, rcond=None)[0]
            else:
                w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)
            return w, float(my - mx @ w)
    """),

    right("ridge", "augmented_least_squares", """
        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError("the ridge penalty cannot be negative")
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc = X - X.mean(axis=0)
            A = np.vstack([Xc, np.sqrt(lam) * np.eye(d)])
            rhs = np.concatenate([y - y.mean(), np.zeros(d)])
            w = np.linalg.lstsq(A, rhs, rcond=None)[0]
            return w, y.mean() - X.mean(axis=0) @ w
    """),

    right("ridge", "cholesky_and_ols_at_zero", """
        import scipy.linalg as sla

        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError("lam < 0")
            if lam == 0:
                return ols_fit(X, y)                          # the answer of exercise 1
            X = np.asarray(X, dtype=np.float64)
            y = np.asarray(y, dtype=np.float64)
            xm = X.mean(axis=0)
            Xc = X - xm
            factor = sla.cho_factor(Xc.T @ Xc + lam * np.eye(X.shape[1]))
            w = sla.cho_solve(factor, Xc.T @ (y - y.mean()))
            return w, np.float64(y.mean() - xm @ w)
    """),

    right("ridge", "unpenalised_intercept_in_augmented_system", """
        def ridge_fit(X, y, lam):
            if lam < 0:
                raise ValueError("lam must be non-negative")
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            if lam == 0:
                mx = X.mean(axis=0)
                w = np.linalg.pinv(X - mx) @ (y - y.mean())
                return w, y.mean() - mx @ w
            A = np.column_stack([X, np.ones(len(y))])
            penalty = lam * np.eye(A.shape[1])
            penalty[-1, -1] = 0.0                            # b is not penalised
            coef = np.linalg.solve(A.T @ A + penalty, A.T @ y)
            return coef[:-1], coef[-1]
    """),

    # ------------------------------------------------------------------ lasso
    right("lasso", "gram_matrix_updates", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return z - np.clip(z, -t, t)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            Xc = X - X.mean(axis=0)
            G = Xc.T @ Xc / n                                # covariance of the features
            c = Xc.T @ (y - y.mean()) / n
            w = np.zeros(d)
            for sweep in range(max_iter):
                w_before = w.copy()
                for j in range(d):
                    if G[j, j] > 0:
                        rho = c[j] - G[j] @ w + G[j, j] * w[j]
                        w[j] = soft_threshold(rho, alpha) / G[j, j]
                if np.abs(w - w_before).max() <= tol:
                    break
            return w, y.mean() - X.mean(axis=0) @ w
    """),

    right("lasso", "while_loop_with_counter", """
        def soft_threshold(z, t):
            z = np.asarray(z).astype(np.float64)
            magnitude = np.abs(z) - t
            return np.where(magnitude > 0, np.sign(z) * magnitude, 0.0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X).astype(np.float64)
            y = np.asarray(y).astype(np.float64)
            n, d = X.shape
            x_bar = np.mean(X, axis=0, keepdims=True)
            Xc = X - x_bar
            residual = y - np.mean(y)
            curvature = np.einsum("ij,ij->j", Xc, Xc) / n
            w = np.zeros(d, dtype=np.float64)
            sweeps, moved = 0, np.inf
            while sweeps < max_iter and moved > tol:
                moved = 0.0
                for j in np.flatnonzero(curvature > 0):
                    target = (Xc[:, j] @ residual) / n + curvature[j] * w[j]
                    updated = soft_threshold(target, alpha) / curvature[j]
                    residual = residual + (w[j] - updated) * Xc[:, j]
                    moved = max(moved, abs(updated - w[j]))
                    w[j] = updated
                sweeps += 1
            return w, np.mean(y) - (x_bar @ w)[0]
    """),

    right("lasso", "plain_python_loops", """
        import math

        def soft_threshold(z, t):
            z = np.asarray(z, dtype=np.float64)
            return np.copysign(np.maximum(np.abs(z) - t, 0.0), z)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            rows = np.asarray(X, dtype=float).tolist()
            ys = np.asarray(y, dtype=float).tolist()
            n, d = len(rows), len(rows[0])
            means = [sum(r[j] for r in rows) / n for j in range(d)]
            y_mean = sum(ys) / n
            cols = [[r[j] - means[j] for r in rows] for j in range(d)]
            norms = [sum(v * v for v in col) / n for col in cols]
            res = [v - y_mean for v in ys]
            w = [0.0] * d
            for _ in range(max_iter):
                biggest = 0.0
                for j in range(d):
                    if norms[j] == 0.0:
                        continue
                    col = cols[j]
                    rho = sum(a * b for a, b in zip(col, res)) / n + norms[j] * w[j]
                    new = math.copysign(max(abs(rho) - alpha, 0.0), rho) / norms[j]
                    delta = new - w[j]
                    if delta:
                        res = [r - delta * a for r, a in zip(res, col)]
                        w[j] = new
                        biggest = max(biggest, abs(delta))
                if biggest <= tol:
                    break
            return np.array(w), y_mean - sum(m * v for m, v in zip(means, w))
    """),

    right("lasso", "fresh_residual_every_update", """
        def soft_threshold(z, t):
            z = np.asarray(z, dtype=float)
            return np.sign(z) * np.maximum(np.abs(z) - t, 0)

        def lasso_fit(X, y, alpha, max_iter=10000, tol=1e-8):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y, dtype=float)
            n, d = X.shape
            mx, my = X.mean(axis=0), y.mean()
            Xc, yc = X - mx, y - my
            w = np.zeros(d)
            for it in range(max_iter):
                old = np.copy(w)
                for j in range(d):
                    xj = Xc[:, j]
                    zj = xj @ xj / n
                    if zj == 0:
                        w[j] = 0.0
                        continue
                    partial = yc - Xc @ w + xj * w[j]            # residual without feature j
                    w[j] = soft_threshold(xj @ partial / n, alpha) / zj
                if np.all(np.abs(w - old) <= tol):
                    break
            return w, float(my - mx @ w)
    """),

    # ------------------------------------------------------------------ metrics
    right("metrics", "plain_python", """
        def _check(y, y_hat):
            y = [float(v) for v in np.ravel(y)]
            y_hat = [float(v) for v in np.ravel(y_hat)]
            if not y or len(y) != len(y_hat):
                raise ValueError(f"got {len(y)} targets and {len(y_hat)} predictions")
            return y, y_hat

        def mse(y, y_hat):
            y, y_hat = _check(y, y_hat)
            return sum((a - b) ** 2 for a, b in zip(y, y_hat)) / len(y)

        def r2_score(y, y_hat):
            y, y_hat = _check(y, y_hat)
            if len(set(y)) == 1:
                return 1.0 if y == y_hat else 0.0
            mean = sum(y) / len(y)
            ss_res = sum((a - b) ** 2 for a, b in zip(y, y_hat))
            ss_tot = sum((a - mean) ** 2 for a in y)
            return 1.0 - ss_res / ss_tot
    """),

    right("metrics", "ptp_and_dot", """
        def mse(y, y_hat):
            y = np.asarray(y, dtype=float)
            y_hat = np.asarray(y_hat, dtype=float)
            if len(y) != len(y_hat) or len(y) == 0:
                raise ValueError("y and y_hat must be non-empty and of equal length")
            e = y - y_hat
            return e.dot(e) / len(e)

        def r2_score(y, y_hat):
            y = np.asarray(y, dtype=float)
            y_hat = np.asarray(y_hat, dtype=float)
            if len(y) != len(y_hat) or len(y) == 0:
                raise ValueError("y and y_hat must be non-empty and of equal length")
            if np.ptp(y) == 0:
                return float(np.array_equal(y, y_hat))
            e, c = y - y_hat, y - y.mean()
            return 1 - e.dot(e) / c.dot(c)
    """),

    right("metrics", "ratio_of_mean_squares", """
        def mse(y, y_hat):
            y, y_hat = np.asarray(y), np.asarray(y_hat)
            if y.shape != y_hat.shape or y.size == 0:
                raise ValueError(f"shapes {y.shape} and {y_hat.shape}: need equal, non-empty")
            return np.mean(np.square(y - y_hat, dtype=np.float64))

        def r2_score(y, y_hat):
            y, y_hat = np.asarray(y, dtype=np.float64), np.asarray(y_hat, dtype=np.float64)
            if y.shape != y_hat.shape or y.size == 0:
                raise ValueError(f"shapes {y.shape} and {y_hat.shape}: need equal, non-empty")
            if (y == y[0]).all():
                return 1.0 if (y == y_hat).all() else 0.0
            return 1.0 - mse(y, y_hat) / np.var(y)
    """),

    # ------------------------------------------------------------------ gd_regression
    right("gd_regression", "augmented_parameter_vector", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X, dtype=np.float64)
            y = np.asarray(y, dtype=np.float64)
            if X.ndim != 2 or y.shape != (X.shape[0],):
                raise ValueError(f"shapes {np.shape(X)} and {np.shape(y)} do not match")
            if lr <= 0 or lr != lr:
                raise ValueError("lr must be > 0")
            if type(epochs) is bool or not isinstance(epochs, (int, np.integer)) or epochs < 0:
                raise ValueError("epochs must be a non-negative integer")
            A = np.hstack([X, np.ones((len(y), 1))])         # the intercept as a column of ones
            theta = np.zeros(A.shape[1])
            losses = np.zeros(epochs + 1)
            with np.errstate(all="ignore"):
                for k in range(epochs + 1):
                    r = A @ theta - y
                    losses[k] = r @ r / len(y)
                    if k < epochs:
                        theta = theta - lr * (2 / len(y)) * (A.T @ r)
            return theta[:-1], theta[-1], losses              # b a NumPy scalar
    """),

    right("gd_regression", "plain_python_loops_over_samples", """
        def _mse(X, y, w, b):
            return sum((sum(wj * xj for wj, xj in zip(w, row)) + b - t) ** 2 for row, t in zip(X, y)) / len(y)

        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.array(X, dtype=float)                     # copies
            y = np.array(y, dtype=float)
            if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
                raise ValueError("X must be (n, d) and y (n,) with the same n")
            if not (lr > 0):
                raise ValueError("lr must be > 0")
            if isinstance(epochs, (bool, np.bool_)) or not isinstance(epochs, (int, np.integer)):
                raise ValueError("epochs must be an integer")
            if epochs < 0:
                raise ValueError("epochs must be >= 0")
            n, d = X.shape
            w, b = [0.0] * d, 0.0
            losses = [_mse(X, y, w, b)]
            for _ in range(epochs):
                r = [sum(wj * xj for wj, xj in zip(w, row)) + b - t for row, t in zip(X, y)]
                grad_w = [2.0 / n * sum(ri * row[j] for ri, row in zip(r, X)) for j in range(d)]
                grad_b = 2.0 / n * sum(r)
                w = [wj - lr * gj for wj, gj in zip(w, grad_w)]
                b = b - lr * grad_b
                losses.append(_mse(X, y, w, b))
            return np.array(w, dtype=np.float64), b, np.array(losses, dtype=np.float64)
    """),

    right("gd_regression", "einsum_and_mean_gradient", """
        def linear_regression_gd(X, y, lr=0.1, epochs=100):
            X = np.asarray(X)
            y = np.asarray(y)
            if np.ndim(X) != 2 or np.ndim(y) != 1 or len(X) != len(y):
                raise ValueError("need X (n, d) and y (n,)")
            if not np.isscalar(lr) or not lr > 0:
                raise ValueError("lr must be a positive number")
            if not isinstance(epochs, (int, np.integer)) or isinstance(epochs, bool) or epochs < 0:
                raise ValueError("epochs must be an integer >= 0")
            X = X.astype(np.float64)
            y = y.astype(np.float64)
            w = np.zeros(X.shape[1])
            b = np.float64(0.0)
            losses = np.empty(epochs + 1)
            old = np.seterr(over="ignore", invalid="ignore")
            try:
                for k in range(epochs + 1):
                    r = np.einsum("ij,j->i", X, w) + b - y
                    losses[k] = np.mean(np.square(r))
                    if k == epochs:
                        break
                    grad_w = 2 * np.einsum("ij,i->j", X, r) / len(y)
                    grad_b = 2 * r.mean()
                    w -= lr * grad_w
                    b -= lr * grad_b
            finally:
                np.seterr(**old)
            return w, b, losses
    """),
]
