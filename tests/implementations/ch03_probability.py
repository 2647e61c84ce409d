"""Learner implementations for ch03_probability: marginal and conditional distributions, Bayes'
rule, pmfs, Gaussian log-densities, expectation and variance, covariance and correlation, maximum
likelihood, cross-entropy, entropy, KL divergence and mutual information.

Each ``source`` is the whole answer cell of its exercise; the notebook's set-up cell has
already run ``import numpy as np``.  ``_cell`` glues a learner's two functions together
when only one of them carries the mistake.
"""

import textwrap

from tests.implementations import right, wrong


def _cell(*functions: str) -> str:
    return "\n\n".join(textwrap.dedent(f).strip() for f in functions)


# ====================================================================================== conditional
MARGINAL = """
    def marginal(joint, axis):
        P = np.asarray(joint, dtype=float)
        if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
            raise ValueError("joint must be a 2-d probability table")
        if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool) or axis not in (0, 1, -1, -2):
            raise ValueError("axis must be 0, 1, -1 or -2")
        return P.sum(axis=axis)
"""

CONDITIONAL = """
    def conditional(joint, y):
        P = np.asarray(joint, dtype=float)
        if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
            raise ValueError("joint must be a 2-d probability table")
        if not isinstance(y, (int, np.integer)) or isinstance(y, bool) or not 0 <= y < P.shape[1]:
            raise ValueError("y must be a column index")
        column = P[:, y]
        if column.sum() == 0:
            raise ValueError("P(Y = y) is 0")
        return column / column.sum()
"""

# ====================================================================================== expectation
CHECKED = """
    def _checked(values, probs):
        x = np.asarray(values, dtype=float)
        p = np.asarray(probs, dtype=float)
        if x.ndim != 1 or x.shape != p.shape:
            raise ValueError("values and probs must be 1-d of equal length")
        if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
            raise ValueError("probs must be a distribution")
        return x, p
"""

EXPECTATION = CHECKED + """
    def expectation(values, probs):
        x, p = _checked(values, probs)
        return float(np.sum(p * x))
"""

VARIANCE = """
    def variance(values, probs):
        x, p = _checked(values, probs)
        mu = np.sum(p * x)
        return float(np.sum(p * (x - mu) ** 2))
"""

# ====================================================================================== bayes
BAYES = """
    def bayes_posterior(prior, likelihood):
        prior = np.asarray(prior, dtype=float)
        likelihood = np.asarray(likelihood, dtype=float)
        if np.any(prior < 0) or abs(prior.sum() - 1) > 1e-9:
            raise ValueError("prior must be a probability distribution")
        if np.any(likelihood < 0):
            raise ValueError("likelihoods must be non-negative")
        unnormalised = prior * likelihood
        evidence = unnormalised.sum()
        if evidence == 0:
            raise ValueError("the evidence is zero")
        return unnormalised / evidence
"""

LOG_BAYES = """
    def log_bayes_posterior(log_prior, log_likelihood):
        from scipy.special import logsumexp
        log_prior = np.asarray(log_prior, dtype=float)
        log_likelihood = np.asarray(log_likelihood, dtype=float)
        if np.isnan(log_prior).any() or (log_prior == np.inf).any():
            raise ValueError("log-prior entries must be real or -inf")
        if not abs(logsumexp(log_prior)) <= 1e-9:
            raise ValueError("the prior does not sum to 1")
        log_joint = log_prior + log_likelihood
        log_evidence = logsumexp(log_joint)
        if log_evidence == -np.inf:
            raise ValueError("the evidence is zero")
        return log_joint - log_evidence
"""

# ====================================================================================== pmfs
BINOMIAL = """
    def binomial_pmf(k, n, p):
        from scipy.special import gammaln, xlogy, xlog1py
        k = np.asarray(k, dtype=float)
        ok = (k >= 0) & (k <= n) & (k == np.round(k))
        kk = np.where(ok, k, 0)
        logp = gammaln(n + 1) - gammaln(kk + 1) - gammaln(n - kk + 1) + xlogy(kk, p) + xlog1py(n - kk, -p)
        return np.where(ok, np.exp(logp), 0.0)
"""

POISSON = """
    def poisson_pmf(k, lam):
        from scipy.special import gammaln, xlogy
        k = np.asarray(k, dtype=float)
        ok = (k >= 0) & (k == np.round(k))
        kk = np.where(ok, k, 0)
        return np.where(ok, np.exp(xlogy(kk, lam) - lam - gammaln(kk + 1)), 0.0)
"""

# ====================================================================================== gaussian
NORMAL = """
    def normal_logpdf(x, mu, sigma):
        if sigma <= 0:
            raise ValueError("sigma must be positive")
        x = np.asarray(x, dtype=float)
        return -0.5 * np.log(2 * np.pi) - np.log(sigma) - (x - mu) ** 2 / (2 * sigma ** 2)
"""

MVN = """
    def mvn_logpdf(X, mean, cov):
        X = np.asarray(X, dtype=float)
        mean = np.asarray(mean, dtype=float)
        cov = np.asarray(cov, dtype=float)
        if not np.allclose(cov, cov.T, rtol=1e-8, atol=0):
            raise ValueError("covariance must be symmetric")
        try:
            L = np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            raise ValueError("covariance must be positive definite")
        d = len(mean)
        z = np.linalg.solve(L, (X - mean).T)
        quad = np.sum(z ** 2, axis=0)
        return -0.5 * (d * np.log(2 * np.pi) + 2 * np.sum(np.log(np.diag(L))) + quad)
"""

# ====================================================================================== covariance
COVARIANCE = """
    def covariance_matrix(X):
        X = np.asarray(X, dtype=float)
        if X.shape[0] < 2:
            raise ValueError("need at least two samples")
        Xc = X - X.mean(axis=0)
        return Xc.T @ Xc / (X.shape[0] - 1)
"""

CORRELATION = """
    def correlation_matrix(X):
        X = np.asarray(X, dtype=float)
        if X.shape[0] < 2:
            raise ValueError("need at least two samples")
        Xc = X - X.mean(axis=0)
        C = Xc.T @ Xc / (X.shape[0] - 1)
        s = np.sqrt(np.diag(C))
        with np.errstate(invalid="ignore", divide="ignore"):
            return C / np.outer(s, s)
"""

# ====================================================================================== mle
MLE_BERNOULLI = """
    def mle_bernoulli(data):
        data = np.asarray(data, dtype=float)
        if data.size == 0 or not np.all((data == 0) | (data == 1)):
            raise ValueError("Bernoulli data must be a non-empty array of 0s and 1s")
        return data.mean()
"""

MLE_GAUSSIAN = """
    def mle_gaussian(data):
        data = np.asarray(data, dtype=float)
        if data.size == 0:
            raise ValueError("no data")
        mu = data.mean()
        return mu, np.mean((data - mu) ** 2)
"""

# ====================================================================================== cross_entropy
BCE = """
    def binary_cross_entropy(y_true, y_pred, eps=1e-15):
        y = np.asarray(y_true, dtype=float)
        p = np.clip(np.asarray(y_pred, dtype=float), eps, 1 - eps)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
"""

CCE = """
    def categorical_cross_entropy(labels, probs, eps=1e-15):
        probs = np.clip(np.asarray(probs, dtype=float), eps, 1 - eps)
        labels = np.asarray(labels)
        if labels.ndim == 1:
            labels = np.eye(probs.shape[1])[labels]
        return -np.mean(np.sum(labels * np.log(probs), axis=1))
"""

def _with_checks(header: str, checks: str, body: str) -> str:
    """``header`` (a def line), then the shared validation ``checks``, then ``body``."""
    inner = textwrap.dedent(checks).strip("\n") + "\n" + textwrap.dedent(body).strip("\n")
    return header + "\n" + textwrap.indent(inner, "    ")


# ====================================================================================== kl
KL_CHECKS = """
        p = np.asarray(p, dtype=float)
        q = np.asarray(q, dtype=float)
        if p.shape != q.shape:
            raise ValueError("p and q must have the same length")
        for d in (p, q):
            if np.any(d < 0) or abs(d.sum() - 1) > 1e-9:
                raise ValueError("not a probability distribution")
"""

# ====================================================================================== mutual_information
MI_CHECKS = """
        P = np.asarray(joint, dtype=float)
        if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
            raise ValueError("joint must be a 2-d probability table")
"""


WRONG = [
    # ------------------------------------------------------------------ conditional
    wrong("conditional", "forgets_to_renormalise", _cell(MARGINAL, """
        def conditional(joint, y):
            P = np.asarray(joint, dtype=float)
            if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d distribution")
            if not isinstance(y, (int, np.integer)) or isinstance(y, bool) or not 0 <= y < P.shape[1]:
                raise ValueError("bad y")
            if P[:, y].sum() == 0:
                raise ValueError("P(Y = y) is 0")
            return P[:, y]                      # P(X, Y = y) taken for P(X | Y = y)
    """), fails=("conditional_is_the_column_over_its_marginal",)),

    wrong("conditional", "normalises_the_row", _cell(MARGINAL, """
        def conditional(joint, y):
            P = np.asarray(joint, dtype=float)
            if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d distribution")
            if not isinstance(y, (int, np.integer)) or isinstance(y, bool) or not 0 <= y < P.shape[1]:
                raise ValueError("bad y")
            if P[:, y].sum() == 0:
                raise ValueError("P(Y = y) is 0")
            row = P[y % P.shape[0], :]          # rows and columns mixed up
            return row / row.sum()
    """), fails=("conditional_is_the_column_over_its_marginal",)),

    wrong("conditional", "axis_means_the_one_kept", _cell("""
        def marginal(joint, axis):
            P = np.asarray(joint, dtype=float)
            if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d distribution")
            if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool) or axis not in (0, 1, -1, -2):
                raise ValueError("axis must be 0 or 1")
            return P.sum(axis=1 - axis % 2)     # axis=0 read as "the distribution of X, the first axis"
    """, CONDITIONAL), fails=("marginal_sums_out_the_axis",)),

    wrong("conditional", "negative_y_indexes_from_the_end", _cell(MARGINAL, """
        def conditional(joint, y):
            P = np.asarray(joint, dtype=float)
            if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d distribution")
            if not isinstance(y, (int, np.integer)) or isinstance(y, bool) or y >= P.shape[1]:
                raise ValueError("y out of range")
            column = P[:, y]                    # y = -1 quietly gives the last column
            if column.sum() == 0:
                raise ValueError("P(Y = y) is 0")
            return column / column.sum()
    """), fails=("conditional_rejects_y_out_of_range",)),

    wrong("conditional", "nan_for_impossible_condition", _cell(MARGINAL, """
        def conditional(joint, y):
            P = np.asarray(joint, dtype=float)
            if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d distribution")
            if not isinstance(y, (int, np.integer)) or isinstance(y, bool) or not 0 <= y < P.shape[1]:
                raise ValueError("bad y")
            with np.errstate(invalid="ignore"):
                return P[:, y] / P[:, y].sum()
    """), fails=("conditional_rejects_zero_probability_column",)),

    wrong("conditional", "no_validation_of_the_table", """
        def marginal(joint, axis):
            if axis not in (0, 1, -1, -2) or isinstance(axis, (bool, float)):
                raise ValueError("axis must be 0 or 1")
            return np.asarray(joint, dtype=float).sum(axis=axis)

        def conditional(joint, y):
            P = np.asarray(joint, dtype=float)
            if not isinstance(y, (int, np.integer)) or isinstance(y, bool) or not 0 <= y < P.shape[1]:
                raise ValueError("bad y")
            if P[:, y].sum() == 0:
                raise ValueError("P(Y = y) is 0")
            return P[:, y] / P[:, y].sum()
    """, fails=("rejects_table_that_is_not_a_distribution",)),

    wrong("conditional", "membership_test_lets_floats_through", _cell("""
        def marginal(joint, axis):
            P = np.asarray(joint, dtype=float)
            if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d distribution")
            if axis not in (0, 1, -1, -2):      # 1.0 == 1 and True == 1: both slip through
                raise ValueError("axis must be 0 or 1")
            return P.sum(axis=int(axis))
    """, """
        def conditional(joint, y):
            P = np.asarray(joint, dtype=float)
            if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d distribution")
            if y not in range(P.shape[1]):
                raise ValueError("y out of range")
            column = P[:, int(y)]
            if column.sum() == 0:
                raise ValueError("P(Y = y) is 0")
            return column / column.sum()
    """), fails=("axis_and_y_must_be_integers",)),

    wrong("conditional", "normalises_in_place", _cell(MARGINAL, """
        def conditional(joint, y):
            P = np.asarray(joint, dtype=float)
            if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d distribution")
            if not isinstance(y, (int, np.integer)) or isinstance(y, bool) or not 0 <= y < P.shape[1]:
                raise ValueError("bad y")
            total = P[:, y].sum()
            if total == 0:
                raise ValueError("P(Y = y) is 0")
            P[:, y] /= total                    # writes into the caller's table
            return P[:, y]
    """), fails=("leave_input_unchanged",)),

    wrong("conditional", "axis_range_not_checked", _cell("""
        def marginal(joint, axis):
            P = np.asarray(joint, dtype=float)
            if P.ndim != 2 or np.any(P < 0) or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d distribution")
            if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
                raise ValueError("axis must be an integer")
            return P.sum(axis=axis % 2)         # axis=2 quietly means axis 0
    """, CONDITIONAL), fails=("marginal_rejects_other_axes",)),

    # ------------------------------------------------------------------ expectation
    wrong("expectation", "shortcut_variance_cancels", _cell(EXPECTATION, """
        def variance(values, probs):
            x, p = _checked(values, probs)
            return float(np.sum(p * x ** 2) - np.sum(p * x) ** 2)     # E[X^2] - E[X]^2
    """), fails=("variance_stable_far_from_zero",)),

    wrong("expectation", "plain_average", _cell(CHECKED, """
        def expectation(values, probs):
            x, p = _checked(values, probs)
            return float(np.mean(x))             # forgets the probabilities
    """, """
        def variance(values, probs):
            x, p = _checked(values, probs)
            return float(np.mean((x - np.mean(x)) ** 2))
    """), fails=("expectation_is_the_weighted_sum", "variance_matches_the_definition")),

    wrong("expectation", "returns_the_standard_deviation", _cell(EXPECTATION, """
        def variance(values, probs):
            x, p = _checked(values, probs)
            mu = np.sum(p * x)
            return float(np.sqrt(np.sum(p * (x - mu) ** 2)))
    """), fails=("variance_matches_the_definition",)),

    wrong("expectation", "unweighted_mean_inside_variance", _cell(EXPECTATION, """
        def variance(values, probs):
            x, p = _checked(values, probs)
            return float(np.sum(p * (x - x.mean()) ** 2))   # centred on the plain average, not on E[X]
    """), fails=("variance_matches_the_definition",)),

    wrong("expectation", "isclose_default_tolerance", """
        def _checked(values, probs):
            x = np.asarray(values, dtype=float)
            p = np.asarray(probs, dtype=float)
            if x.ndim != 1 or x.shape != p.shape:
                raise ValueError("values and probs must be 1-d of equal length")
            if np.any(p < 0) or not np.isclose(p.sum(), 1):
                raise ValueError("probs must sum to 1")
            return x, p

        def expectation(values, probs):
            x, p = _checked(values, probs)
            return float(np.sum(p * x))

        def variance(values, probs):
            x, p = _checked(values, probs)
            return float(np.sum(p * (x - np.sum(p * x)) ** 2))
    """, fails=("rejects_probs_that_are_not_a_distribution",)),

    wrong("expectation", "sum_compared_with_equals", """
        def _checked(values, probs):
            x = np.asarray(values, dtype=float)
            p = np.asarray(probs, dtype=float)
            if x.ndim != 1 or x.shape != p.shape:
                raise ValueError("values and probs must be 1-d of equal length")
            if np.any(p < 0) or p.sum() != 1:
                raise ValueError("probs must sum to 1")
            return x, p

        def expectation(values, probs):
            x, p = _checked(values, probs)
            return float(np.sum(p * x))

        def variance(values, probs):
            x, p = _checked(values, probs)
            return float(np.sum(p * (x - np.sum(p * x)) ** 2))
    """, fails=("rejects_probs_that_are_not_a_distribution",)),

    wrong("expectation", "no_shape_checks", """
        def _checked(values, probs):
            x = np.asarray(values, dtype=float).ravel()
            p = np.asarray(probs, dtype=float).ravel()
            if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
                raise ValueError("probs must be a distribution")
            return x, p

        def expectation(values, probs):
            x, p = _checked(values, probs)
            return float(np.sum(p * x[:p.size]))

        def variance(values, probs):
            x, p = _checked(values, probs)
            x = x[:p.size]
            return float(np.sum(p * (x - np.sum(p * x)) ** 2))
    """, fails=("rejects_bad_shapes",)),

    wrong("expectation", "centres_in_place", _cell(EXPECTATION, """
        def variance(values, probs):
            x = np.asarray(values, dtype=float)
            p = np.asarray(probs, dtype=float)
            if x.ndim != 1 or x.shape != p.shape:
                raise ValueError("values and probs must be 1-d of equal length")
            if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
                raise ValueError("probs must be a distribution")
            x -= np.sum(p * x)                   # a float array passed in is now centred
            return float(np.sum(p * x * x))
    """), fails=("leave_inputs_unchanged",)),

    wrong("expectation", "returns_a_length_one_array", _cell(CHECKED, """
        def expectation(values, probs):
            x, p = _checked(values, probs)
            return p[None, :] @ x                # shape (1,), not a number
    """, VARIANCE), fails=("expectation_is_the_weighted_sum",)),

    # ------------------------------------------------------------------ bayes
    wrong("bayes", "forgets_the_evidence", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            if np.any(prior < 0) or abs(prior.sum() - 1) > 1e-9:
                raise ValueError("bad prior")
            if np.any(likelihood < 0):
                raise ValueError("bad likelihood")
            if np.sum(prior * likelihood) == 0:
                raise ValueError("zero evidence")
            return prior * likelihood          # P(h) P(D | h) is the posterior
    """, LOG_BAYES), fails=("posterior_matches_bayes_rule",)),

    wrong("bayes", "sum_compared_with_equals", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            if np.any(prior < 0) or prior.sum() != 1:
                raise ValueError("prior must sum to 1")
            if np.any(likelihood < 0):
                raise ValueError("likelihoods must be non-negative")
            joint = prior * likelihood
            if joint.sum() == 0:
                raise ValueError("the evidence is zero")
            return joint / joint.sum()
    """, LOG_BAYES), fails=("accepts_prior_with_rounding_error",)),

    wrong("bayes", "isclose_default_tolerance", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            if np.any(prior < 0) or not np.isclose(prior.sum(), 1):
                raise ValueError("prior must sum to 1")
            if np.any(likelihood < 0):
                raise ValueError("likelihoods must be non-negative")
            joint = prior * likelihood
            if joint.sum() == 0:
                raise ValueError("the evidence is zero")
            return joint / joint.sum()
    """, LOG_BAYES), fails=("rejects_prior_that_is_not_a_distribution",)),

    wrong("bayes", "only_checks_the_sum", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            if abs(prior.sum() - 1) > 1e-9:
                raise ValueError("prior must sum to 1")
            if np.any(likelihood < 0):
                raise ValueError("likelihoods must be non-negative")
            joint = prior * likelihood
            if joint.sum() == 0:
                raise ValueError("the evidence is zero")
            return joint / joint.sum()
    """, LOG_BAYES), fails=("rejects_prior_that_is_not_a_distribution",)),

    wrong("bayes", "likelihood_validated_as_distribution", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            for name, v in (("prior", prior), ("likelihood", likelihood)):
                if np.any(v < 0) or abs(v.sum() - 1) > 1e-9:
                    raise ValueError(f"{name} must be a probability distribution")
            joint = prior * likelihood
            if joint.sum() == 0:
                raise ValueError("the evidence is zero")
            return joint / joint.sum()
    """, LOG_BAYES), fails=("posterior_matches_bayes_rule", "rejects_negative_likelihood")),

    wrong("bayes", "nan_on_zero_evidence", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            if np.any(prior < 0) or abs(prior.sum() - 1) > 1e-9:
                raise ValueError("prior must be a probability distribution")
            if np.any(likelihood < 0):
                raise ValueError("likelihoods must be non-negative")
            joint = prior * likelihood
            return joint / joint.sum()
    """, LOG_BAYES), fails=("zero_evidence_raises",)),

    wrong("bayes", "log_version_through_linear", _cell(BAYES, """
        def log_bayes_posterior(log_prior, log_likelihood):
            return np.log(bayes_posterior(np.exp(log_prior), np.exp(log_likelihood)))
    """), fails=("log_posterior_stable",)),

    wrong("bayes", "log_sum_exp_without_shift", _cell(BAYES, """
        def log_bayes_posterior(log_prior, log_likelihood):
            log_prior = np.asarray(log_prior, dtype=float)
            log_likelihood = np.asarray(log_likelihood, dtype=float)
            if not abs(np.log(np.sum(np.exp(log_prior)))) <= 1e-9:
                raise ValueError("the prior does not sum to 1")
            log_joint = log_prior + log_likelihood
            evidence = np.sum(np.exp(log_joint))
            if evidence == 0:
                raise ValueError("the evidence is zero")
            return log_joint - np.log(evidence)
    """), fails=("log_posterior_stable",)),

    wrong("bayes", "nan_slips_through_the_log_prior_check", _cell(BAYES, """
        def log_bayes_posterior(log_prior, log_likelihood):
            from scipy.special import logsumexp
            log_prior = np.asarray(log_prior, dtype=float)
            log_likelihood = np.asarray(log_likelihood, dtype=float)
            if abs(logsumexp(log_prior)) > 1e-9:
                raise ValueError("the prior does not sum to 1")
            log_joint = log_prior + log_likelihood
            log_evidence = logsumexp(log_joint)
            if log_evidence == -np.inf:
                raise ValueError("the evidence is zero")
            return log_joint - log_evidence
    """), fails=("log_rejects_invalid_log_prior",)),

    wrong("bayes", "log_version_never_raises_on_zero_evidence", _cell(BAYES, """
        def log_bayes_posterior(log_prior, log_likelihood):
            from scipy.special import logsumexp
            log_prior = np.asarray(log_prior, dtype=float)
            if np.isnan(log_prior).any() or (log_prior == np.inf).any() or abs(logsumexp(log_prior)) > 1e-9:
                raise ValueError("log_prior is not a log-distribution")
            log_joint = log_prior + np.asarray(log_likelihood, dtype=float)
            return log_joint - logsumexp(log_joint)
    """), fails=("log_zero_evidence_raises",)),

    wrong("bayes", "prior_tolerance_1e_8", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            if np.any(prior < 0) or abs(prior.sum() - 1) > 1e-8:
                raise ValueError("prior must sum to 1")
            if np.any(likelihood < 0):
                raise ValueError("likelihoods must be non-negative")
            joint = prior * likelihood
            if joint.sum() == 0:
                raise ValueError("the evidence is zero")
            return joint / joint.sum()
    """, LOG_BAYES), fails=("rejects_prior_that_is_not_a_distribution",)),

    wrong("bayes", "isclose_with_atol_only", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            if np.any(prior < 0) or not np.isclose(prior.sum(), 1, atol=1e-9):
                raise ValueError("prior must sum to 1")
            if np.any(likelihood < 0):
                raise ValueError("likelihoods must be non-negative")
            joint = prior * likelihood
            if joint.sum() == 0:
                raise ValueError("the evidence is zero")
            return joint / joint.sum()
    """, LOG_BAYES), fails=("rejects_prior_that_is_not_a_distribution",)),

    wrong("bayes", "prior_tolerance_too_tight", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            if np.any(prior < 0) or abs(prior.sum() - 1) > 1e-12:
                raise ValueError("prior must sum to 1")
            if np.any(likelihood < 0):
                raise ValueError("likelihoods must be non-negative")
            joint = prior * likelihood
            if joint.sum() == 0:
                raise ValueError("the evidence is zero")
            return joint / joint.sum()
    """, LOG_BAYES), fails=("accepts_prior_with_rounding_error",)),

    wrong("bayes", "log_prior_tolerance_1e_8", _cell(BAYES, """
        def log_bayes_posterior(log_prior, log_likelihood):
            from scipy.special import logsumexp
            log_prior = np.asarray(log_prior, dtype=float)
            log_likelihood = np.asarray(log_likelihood, dtype=float)
            if np.isnan(log_prior).any() or (log_prior == np.inf).any():
                raise ValueError("log-prior entries must be real or -inf")
            if abs(logsumexp(log_prior)) > 1e-8:
                raise ValueError("the prior does not sum to 1")
            log_joint = log_prior + log_likelihood
            log_evidence = logsumexp(log_joint)
            if log_evidence == -np.inf:
                raise ValueError("the evidence is zero")
            return log_joint - log_evidence
    """), fails=("log_rejects_invalid_log_prior",)),

    wrong("bayes", "log_prior_isclose_default", _cell(BAYES, """
        def log_bayes_posterior(log_prior, log_likelihood):
            from scipy.special import logsumexp
            log_prior = np.asarray(log_prior, dtype=float)
            log_likelihood = np.asarray(log_likelihood, dtype=float)
            if np.isnan(log_prior).any() or (log_prior == np.inf).any():
                raise ValueError("log-prior entries must be real or -inf")
            if not np.isclose(np.exp(log_prior).sum(), 1.0):
                raise ValueError("the prior does not sum to 1")
            log_joint = log_prior + log_likelihood
            log_evidence = logsumexp(log_joint)
            if log_evidence == -np.inf:
                raise ValueError("the evidence is zero")
            return log_joint - log_evidence
    """), fails=("log_rejects_invalid_log_prior",)),

    wrong("bayes", "log_prior_tolerance_too_tight", _cell(BAYES, """
        def log_bayes_posterior(log_prior, log_likelihood):
            from scipy.special import logsumexp
            log_prior = np.asarray(log_prior, dtype=float)
            log_likelihood = np.asarray(log_likelihood, dtype=float)
            if np.isnan(log_prior).any() or (log_prior == np.inf).any():
                raise ValueError("log-prior entries must be real or -inf")
            if abs(logsumexp(log_prior)) > 1e-12:
                raise ValueError("the prior does not sum to 1")
            log_joint = log_prior + log_likelihood
            log_evidence = logsumexp(log_joint)
            if log_evidence == -np.inf:
                raise ValueError("the evidence is zero")
            return log_joint - log_evidence
    """), fails=("log_rejects_invalid_log_prior",)),

    wrong("bayes", "multiplies_into_the_prior", _cell("""
        def bayes_posterior(prior, likelihood):
            prior = np.asarray(prior, dtype=float)
            likelihood = np.asarray(likelihood, dtype=float)
            if np.any(prior < 0) or abs(prior.sum() - 1) > 1e-9:
                raise ValueError("prior must be a probability distribution")
            if np.any(likelihood < 0):
                raise ValueError("likelihoods must be non-negative")
            prior *= likelihood                # reuse the prior's memory
            evidence = prior.sum()
            if evidence == 0:
                raise ValueError("the evidence is zero")
            return prior / evidence
    """, LOG_BAYES), fails=("leave_inputs_unchanged",)),

    # ------------------------------------------------------------------ pmfs
    wrong("pmfs", "binomial_from_math_comb", _cell("""
        import math

        def binomial_pmf(k, n, p):
            k = np.asarray(k, dtype=float)
            out = np.zeros(k.shape)
            for idx, kk in np.ndenumerate(k):
                if 0 <= kk <= n and kk == int(kk):
                    kk = int(kk)
                    out[idx] = math.comb(n, kk) * p ** kk * (1 - p) ** (n - kk)
            return out[()]
    """, POISSON), fails=("binomial_stable_for_large_counts",)),

    wrong("pmfs", "poisson_power_over_factorial", _cell(BINOMIAL, """
        from scipy.special import factorial

        def poisson_pmf(k, lam):
            k = np.asarray(k, dtype=float)
            ok = (k >= 0) & (k == np.floor(k))
            kk = np.where(ok, k, 0)
            return np.where(ok, lam ** kk * np.exp(-lam) / factorial(kk), 0.0)
    """), fails=("poisson_stable_for_large_counts",)),

    wrong("pmfs", "log_p_without_xlogy", _cell("""
        from scipy.special import gammaln

        def binomial_pmf(k, n, p):
            k = np.asarray(k, dtype=float)
            ok = (k >= 0) & (k <= n) & (k == np.floor(k))
            kk = np.where(ok, k, 0)
            logp = gammaln(n + 1) - gammaln(kk + 1) - gammaln(n - kk + 1) + kk * np.log(p) + (n - kk) * np.log(1 - p)
            return np.where(ok, np.exp(logp), 0.0)

        def poisson_pmf(k, lam):
            k = np.asarray(k, dtype=float)
            ok = (k >= 0) & (k == np.floor(k))
            kk = np.where(ok, k, 0)
            return np.where(ok, np.exp(kk * np.log(lam) - lam - gammaln(kk + 1)), 0.0)
    """), fails=("degenerate_parameters",)),

    wrong("pmfs", "gammaln_without_support_mask", _cell("""
        from scipy.special import gammaln, xlogy, xlog1py

        def binomial_pmf(k, n, p):
            k = np.asarray(k, dtype=float)
            # gammaln is +inf at 0, -1, -2, ...: counts outside 0..n come out as exp(-inf) = 0
            return np.exp(gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + xlogy(k, p) + xlog1py(n - k, -p))

        def poisson_pmf(k, lam):
            k = np.asarray(k, dtype=float)
            return np.exp(xlogy(k, lam) - lam - gammaln(k + 1))
    """), fails=("non_whole_k_is_zero",)),

    wrong("pmfs", "rounds_k_to_the_nearest_count", _cell("""
        from scipy.special import gammaln, xlogy, xlog1py

        def binomial_pmf(k, n, p):
            k = np.round(np.asarray(k, dtype=float))
            ok = (k >= 0) & (k <= n)
            kk = np.where(ok, k, 0)
            logp = gammaln(n + 1) - gammaln(kk + 1) - gammaln(n - kk + 1) + xlogy(kk, p) + xlog1py(n - kk, -p)
            return np.where(ok, np.exp(logp), 0.0)

        def poisson_pmf(k, lam):
            k = np.round(np.asarray(k, dtype=float))
            ok = k >= 0
            kk = np.where(ok, k, 0)
            return np.where(ok, np.exp(xlogy(kk, lam) - lam - gammaln(kk + 1)), 0.0)
    """), fails=("non_whole_k_is_zero",)),

    wrong("pmfs", "zeroes_bad_counts_in_place", _cell("""
        from scipy.special import gammaln, xlogy, xlog1py

        def binomial_pmf(k, n, p):
            k = np.asarray(k, dtype=float)
            bad = (k < 0) | (k > n) | (k != np.floor(k))
            k[bad] = 0                                  # park the bad counts at 0
            logp = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + xlogy(k, p) + xlog1py(n - k, -p)
            return np.where(bad, 0.0, np.exp(logp))

        def poisson_pmf(k, lam):
            k = np.asarray(k, dtype=float)
            bad = (k < 0) | (k != np.floor(k))
            k[bad] = 0
            return np.where(bad, 0.0, np.exp(xlogy(k, lam) - lam - gammaln(k + 1)))
    """), fails=("leaves_input_unchanged",)),

    wrong("pmfs", "flattens_k", _cell("""
        import math

        def _log_binom(kk, n, p):
            if p in (0.0, 1.0):
                return 0.0 if kk == (0 if p == 0 else n) else -math.inf
            return (math.lgamma(n + 1) - math.lgamma(kk + 1) - math.lgamma(n - kk + 1)
                    + kk * math.log(p) + (n - kk) * math.log1p(-p))

        def binomial_pmf(k, n, p):
            out = []
            for kk in np.ravel(k):
                ok = 0 <= kk <= n and kk == int(kk)
                out.append(math.exp(_log_binom(kk, n, p)) if ok else 0.0)
            return np.array(out)

        def poisson_pmf(k, lam):
            out = []
            for kk in np.ravel(k):
                if kk < 0 or kk != int(kk):
                    out.append(0.0)
                elif lam == 0:
                    out.append(1.0 if kk == 0 else 0.0)
                else:
                    out.append(math.exp(kk * math.log(lam) - lam - math.lgamma(kk + 1)))
            return np.array(out)
    """), fails=("vectorised_over_k",)),

    wrong("pmfs", "scipy_stats_through_an_alias", _cell("""
        from scipy import stats as st

        def binomial_pmf(k, n, p):
            return st.binom.pmf(k, n, p)

        def poisson_pmf(k, lam):
            return st.poisson.pmf(k, lam)
    """), fails=("from_scratch",)),

    # ------------------------------------------------------------------ gaussian
    wrong("gaussian", "sigma_used_as_variance", _cell("""
        def normal_logpdf(x, mu, sigma):
            if sigma <= 0:
                raise ValueError("sigma must be positive")
            x = np.asarray(x, dtype=float)
            return -0.5 * np.log(2 * np.pi * sigma) - (x - mu) ** 2 / (2 * sigma)
    """, MVN), fails=("normal_logpdf_matches_definition",)),

    wrong("gaussian", "log_of_the_density", _cell("""
        def normal_logpdf(x, mu, sigma):
            if sigma <= 0:
                raise ValueError("sigma must be positive")
            x = np.asarray(x, dtype=float)
            pdf = np.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / (sigma * np.sqrt(2 * np.pi))
            return np.log(pdf)
    """, MVN), fails=("normal_logpdf_far_from_the_mean",)),

    wrong("gaussian", "sigma_zero_allowed", _cell("""
        def normal_logpdf(x, mu, sigma):
            if sigma < 0:
                raise ValueError("sigma must not be negative")
            x = np.asarray(x, dtype=float)
            return -0.5 * np.log(2 * np.pi) - np.log(sigma) - (x - mu) ** 2 / (2 * sigma ** 2)
    """, MVN), fails=("normal_rejects_non_positive_sigma",)),

    wrong("gaussian", "determinant_and_inverse", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            cov = np.asarray(cov, dtype=float)
            if not np.allclose(cov, cov.T):
                raise ValueError("covariance must be symmetric")
            if np.any(np.linalg.eigvalsh(cov) <= 0):
                raise ValueError("covariance must be positive definite")
            d = len(mean)
            diff = X - mean
            quad = np.sum(diff @ np.linalg.inv(cov) * diff, axis=-1)
            return -0.5 * (d * np.log(2 * np.pi) + np.log(np.linalg.det(cov)) + quad)
    """), fails=("mvn_stable_in_high_dimension",)),

    wrong("gaussian", "no_symmetry_check", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            try:
                L = np.linalg.cholesky(np.asarray(cov, dtype=float))
            except np.linalg.LinAlgError:
                raise ValueError("covariance must be positive definite")
            z = np.linalg.solve(L, (X - mean).T)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + 2 * np.log(np.diag(L)).sum() + (z ** 2).sum(axis=0))
    """), fails=("mvn_rejects_non_symmetric_cov",)),

    wrong("gaussian", "exact_symmetry_check", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            cov = np.asarray(cov, dtype=float)
            if not np.array_equal(cov, cov.T):
                raise ValueError("covariance must be symmetric")
            try:
                L = np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                raise ValueError("covariance must be positive definite")
            z = np.linalg.solve(L, (X - mean).T)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + 2 * np.log(np.diag(L)).sum() + (z ** 2).sum(axis=0))
    """), fails=("mvn_accepts_rounding_asymmetry",)),

    wrong("gaussian", "allclose_default_tolerance", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            cov = np.asarray(cov, dtype=float)
            if not np.allclose(cov, cov.T):
                raise ValueError("covariance must be symmetric")
            try:
                L = np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                raise ValueError("covariance must be positive definite")
            z = np.linalg.solve(L, (X - mean).T)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + 2 * np.log(np.diag(L)).sum() + (z ** 2).sum(axis=0))
    """), fails=("mvn_rejects_non_symmetric_cov",)),

    wrong("gaussian", "symmetry_tolerance_1e_7", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            cov = np.asarray(cov, dtype=float)
            if np.max(np.abs(cov - cov.T)) > 1e-7 * np.max(np.abs(cov)):
                raise ValueError("covariance must be symmetric")
            try:
                L = np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                raise ValueError("covariance must be positive definite")
            z = np.linalg.solve(L, (X - mean).T)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + 2 * np.log(np.diag(L)).sum() + (z ** 2).sum(axis=0))
    """), fails=("mvn_rejects_non_symmetric_cov",)),

    wrong("gaussian", "absolute_symmetry_tolerance", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            cov = np.asarray(cov, dtype=float)
            if np.max(np.abs(cov - cov.T)) > 1e-8:
                raise ValueError("covariance must be symmetric")
            try:
                L = np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                raise ValueError("covariance must be positive definite")
            z = np.linalg.solve(L, (X - mean).T)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + 2 * np.log(np.diag(L)).sum() + (z ** 2).sum(axis=0))
    """), fails=("mvn_rejects_non_symmetric_cov",)),

    wrong("gaussian", "allclose_rtol_with_default_atol", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            cov = np.asarray(cov, dtype=float)
            if not np.allclose(cov, cov.T, rtol=1e-8):
                raise ValueError("covariance must be symmetric")
            try:
                L = np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                raise ValueError("covariance must be positive definite")
            z = np.linalg.solve(L, (X - mean).T)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + 2 * np.log(np.diag(L)).sum() + (z ** 2).sum(axis=0))
    """), fails=("mvn_rejects_non_symmetric_cov",)),

    wrong("gaussian", "symmetry_tolerance_too_tight", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            cov = np.asarray(cov, dtype=float)
            if np.max(np.abs(cov - cov.T)) > 1e-11 * np.max(np.abs(cov)):
                raise ValueError("covariance must be symmetric")
            try:
                L = np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                raise ValueError("covariance must be positive definite")
            z = np.linalg.solve(L, (X - mean).T)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + 2 * np.log(np.diag(L)).sum() + (z ** 2).sum(axis=0))
    """), fails=("mvn_accepts_rounding_asymmetry",)),

    wrong("gaussian", "slogdet_sign_ignored", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            cov = np.asarray(cov, dtype=float)
            if not np.allclose(cov, cov.T, rtol=1e-8, atol=0):
                raise ValueError("covariance must be symmetric")
            sign, logdet = np.linalg.slogdet(cov)
            diff = X - mean
            quad = np.sum(diff * np.linalg.solve(cov, diff.T).T, axis=-1)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + logdet + quad)
    """), fails=("mvn_rejects_not_positive_definite",)),

    wrong("gaussian", "always_a_batch", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.atleast_2d(np.asarray(X, dtype=float))
            cov = np.asarray(cov, dtype=float)
            if not np.allclose(cov, cov.T, rtol=1e-8, atol=0):
                raise ValueError("covariance must be symmetric")
            try:
                L = np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                raise ValueError("covariance must be positive definite")
            z = np.linalg.solve(L, (X - mean).T)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + 2 * np.log(np.diag(L)).sum() + (z ** 2).sum(axis=0))
    """), fails=("mvn_single_point_gives_a_number",)),

    wrong("gaussian", "centres_X_in_place", _cell(NORMAL, """
        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=float)
            cov = np.asarray(cov, dtype=float)
            if not np.allclose(cov, cov.T, rtol=1e-8, atol=0):
                raise ValueError("covariance must be symmetric")
            try:
                L = np.linalg.cholesky(cov)
            except np.linalg.LinAlgError:
                raise ValueError("covariance must be positive definite")
            X -= mean
            z = np.linalg.solve(L, X.T)
            return -0.5 * (len(mean) * np.log(2 * np.pi) + 2 * np.log(np.diag(L)).sum() + (z ** 2).sum(axis=0))
    """), fails=("leave_inputs_unchanged",)),

    wrong("gaussian", "scipy_stats_module_alias", _cell("""
        import scipy.stats as ss

        def normal_logpdf(x, mu, sigma):
            if sigma <= 0:
                raise ValueError("sigma must be positive")
            return ss.norm.logpdf(x, loc=mu, scale=sigma)
    """, MVN), fails=("from_scratch",)),

    # ------------------------------------------------------------------ covariance
    wrong("covariance", "divides_by_n", _cell("""
        def covariance_matrix(X):
            X = np.asarray(X, dtype=float)
            if X.shape[0] < 2:
                raise ValueError("need at least two samples")
            Xc = X - X.mean(axis=0)
            return Xc.T @ Xc / X.shape[0]
    """, CORRELATION), fails=("covariance_matches_np_cov",)),

    wrong("covariance", "rows_as_features", _cell("""
        def covariance_matrix(X):
            X = np.asarray(X, dtype=float)
            if X.shape[0] < 2:
                raise ValueError("need at least two samples")
            Xc = X - X.mean(axis=1, keepdims=True)
            return Xc @ Xc.T / (X.shape[1] - 1)

        def correlation_matrix(X):
            C = covariance_matrix(X)
            s = np.sqrt(np.diag(C))
            return C / np.outer(s, s)
    """), fails=("covariance_matches_np_cov", "correlation_matches_np_corrcoef")),

    wrong("covariance", "std_with_numpy_default_ddof", _cell(COVARIANCE, """
        def correlation_matrix(X):
            X = np.asarray(X, dtype=float)
            s = X.std(axis=0)                          # ddof=0
            with np.errstate(invalid="ignore", divide="ignore"):
                return covariance_matrix(X) / np.outer(s, s)
    """), fails=("correlation_matches_np_corrcoef",)),

    wrong("covariance", "raw_moments", _cell("""
        def covariance_matrix(X):
            X = np.asarray(X, dtype=float)
            n = X.shape[0]
            if n < 2:
                raise ValueError("need at least two samples")
            m = X.mean(axis=0)
            return (X.T @ X / n - np.outer(m, m)) * n / (n - 1)
    """, CORRELATION), fails=("data_far_from_the_origin",)),

    wrong("covariance", "squeezes_one_feature", _cell("""
        def covariance_matrix(X):
            X = np.asarray(X, dtype=float)
            if X.shape[0] < 2:
                raise ValueError("need at least two samples")
            Xc = X - X.mean(axis=0)
            return np.squeeze(Xc.T @ Xc / (X.shape[0] - 1))

        def correlation_matrix(X):
            X = np.asarray(X, dtype=float)
            C = np.atleast_2d(covariance_matrix(X))
            s = np.sqrt(np.diag(C))
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.squeeze(C / np.outer(s, s))
    """), fails=("one_feature_gives_1x1",)),

    wrong("covariance", "constant_column_gets_zero", _cell(COVARIANCE, """
        def correlation_matrix(X):
            C = covariance_matrix(X)
            s = np.sqrt(np.diag(C))
            s[s == 0] = 1.0                            # avoid dividing by zero
            return C / np.outer(s, s)
    """), fails=("constant_column_gives_nan_correlations",)),

    wrong("covariance", "no_sample_count_check", _cell("""
        def covariance_matrix(X):
            X = np.asarray(X, dtype=float)
            Xc = X - X.mean(axis=0)
            return Xc.T @ Xc / (X.shape[0] - 1)

        def correlation_matrix(X):
            C = covariance_matrix(X)
            s = np.sqrt(np.diag(C))
            return C / np.outer(s, s)
    """), fails=("fewer_than_two_samples_raises",)),

    wrong("covariance", "centres_in_place", _cell("""
        def covariance_matrix(X):
            X = np.asarray(X, dtype=float)
            if X.shape[0] < 2:
                raise ValueError("need at least two samples")
            X -= X.mean(axis=0)
            return X.T @ X / (X.shape[0] - 1)
    """, CORRELATION), fails=("leave_input_unchanged",)),

    wrong("covariance", "np_cov_imported_under_another_name", _cell("""
        from numpy import cov as sample_cov

        def covariance_matrix(X):
            X = np.asarray(X, dtype=float)
            if X.shape[0] < 2:
                raise ValueError("need at least two samples")
            return np.atleast_2d(sample_cov(X, rowvar=False))
    """, CORRELATION), fails=("from_scratch",)),

    # ------------------------------------------------------------------ mle
    wrong("mle", "unbiased_variance", _cell(MLE_BERNOULLI, """
        def mle_gaussian(data):
            data = np.asarray(data, dtype=float)
            if data.size == 0:
                raise ValueError("no data")
            return data.mean(), data.var(ddof=1)
    """), fails=("gaussian_mle", "gaussian_single_observation")),

    wrong("mle", "raw_second_moment", _cell(MLE_BERNOULLI, """
        def mle_gaussian(data):
            data = np.asarray(data, dtype=float)
            if data.size == 0:
                raise ValueError("no data")
            mu = np.mean(data)
            return mu, np.mean(data ** 2) - mu ** 2        # Var = E[X^2] - E[X]^2
    """), fails=("gaussian_stable_far_from_zero",)),

    wrong("mle", "returns_the_standard_deviation", _cell(MLE_BERNOULLI, """
        def mle_gaussian(data):
            data = np.asarray(data, dtype=float)
            if data.size == 0:
                raise ValueError("no data")
            return data.mean(), data.std()
    """), fails=("gaussian_mle",)),

    wrong("mle", "bernoulli_without_validation", _cell("""
        def mle_bernoulli(data):
            return float(np.mean(data))
    """, MLE_GAUSSIAN), fails=("bernoulli_rejects_bad_data",)),

    wrong("mle", "bernoulli_accepts_fractions", _cell("""
        def mle_bernoulli(data):
            data = np.asarray(data, dtype=float)
            if data.size == 0 or np.any(data < 0) or np.any(data > 1):
                raise ValueError("Bernoulli data must lie in [0, 1]")
            return data.mean()
    """, MLE_GAUSSIAN), fails=("bernoulli_rejects_bad_data",)),

    wrong("mle", "bernoulli_count_of_ones", _cell("""
        def mle_bernoulli(data):
            data = np.asarray(data)
            if data.size == 0 or not np.isin(data, [0, 1]).all():
                raise ValueError("Bernoulli data must be 0s and 1s")
            return int(np.sum(data))
    """, MLE_GAUSSIAN), fails=("bernoulli_is_the_fraction_of_ones",)),

    wrong("mle", "gaussian_mean_of_nothing", _cell(MLE_BERNOULLI, """
        def mle_gaussian(data):
            data = np.asarray(data, dtype=float)
            mu = data.mean()
            return mu, ((data - mu) ** 2).mean()
    """), fails=("gaussian_rejects_empty",)),

    wrong("mle", "centres_data_in_place", _cell(MLE_BERNOULLI, """
        def mle_gaussian(data):
            data = np.asarray(data, dtype=float)
            if data.size == 0:
                raise ValueError("no data")
            mu = data.mean()
            data -= mu
            return mu, np.mean(data * data)
    """), fails=("leave_input_unchanged",)),

    # ------------------------------------------------------------------ cross_entropy
    wrong("cross_entropy", "log_base_2", _cell("""
        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            y = np.asarray(y_true, dtype=float)
            p = np.clip(np.asarray(y_pred, dtype=float), eps, 1 - eps)
            return -np.mean(y * np.log2(p) + (1 - y) * np.log2(1 - p))

        def categorical_cross_entropy(labels, probs, eps=1e-15):
            probs = np.clip(np.asarray(probs, dtype=float), eps, 1 - eps)
            labels = np.asarray(labels)
            if labels.ndim == 1:
                labels = np.eye(probs.shape[1])[labels]
            return -np.mean(np.sum(labels * np.log2(probs), axis=1))
    """), fails=("bce_matches_definition", "cce_class_indices")),

    wrong("cross_entropy", "no_clipping", _cell("""
        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            y = np.asarray(y_true, dtype=float)
            p = np.asarray(y_pred, dtype=float)
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

        def categorical_cross_entropy(labels, probs, eps=1e-15):
            probs = np.asarray(probs, dtype=float)
            labels = np.asarray(labels)
            if labels.ndim == 1:
                labels = np.eye(probs.shape[1])[labels]
            return -np.mean(np.sum(labels * np.log(probs), axis=1))
    """), fails=("bce_clips_predictions_of_0_and_1", "cce_clips_zero_probability")),

    wrong("cross_entropy", "clips_only_the_low_end", _cell("""
        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            y = np.asarray(y_true, dtype=float)
            p = np.maximum(np.asarray(y_pred, dtype=float), eps)      # log(0) is the only danger
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    """, CCE), fails=("bce_clips_predictions_of_0_and_1",)),

    wrong("cross_entropy", "adds_eps_instead_of_clipping", _cell("""
        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            y = np.asarray(y_true, dtype=float)
            p = np.asarray(y_pred, dtype=float)
            return -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))

        def categorical_cross_entropy(labels, probs, eps=1e-15):
            probs = np.asarray(probs, dtype=float)
            labels = np.asarray(labels)
            if labels.ndim == 1:
                labels = np.eye(probs.shape[1])[labels]
            return -np.mean(np.sum(labels * np.log(probs + eps), axis=1))
    """), fails=("bce_respects_eps", "cce_clips_zero_probability")),

    wrong("cross_entropy", "branches_on_the_label", _cell("""
        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            y = np.asarray(y_true, dtype=float)
            p = np.clip(np.asarray(y_pred, dtype=float), eps, 1 - eps)
            return np.mean(np.where(y == 1, -np.log(p), -np.log(1 - p)))
    """, CCE), fails=("bce_soft_labels",)),

    wrong("cross_entropy", "sum_over_samples", _cell("""
        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            y = np.asarray(y_true, dtype=float)
            p = np.clip(np.asarray(y_pred, dtype=float), eps, 1 - eps)
            return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))

        def categorical_cross_entropy(labels, probs, eps=1e-15):
            probs = np.clip(np.asarray(probs, dtype=float), eps, 1 - eps)
            labels = np.asarray(labels)
            if labels.ndim == 1:
                labels = np.eye(probs.shape[1])[labels]
            return -np.sum(labels * np.log(probs))
    """), fails=("bce_matches_definition", "cce_class_indices")),

    wrong("cross_entropy", "class_indices_only", _cell(BCE, """
        def categorical_cross_entropy(labels, probs, eps=1e-15):
            probs = np.clip(np.asarray(probs, dtype=float), eps, 1 - eps)
            labels = np.asarray(labels, dtype=int)
            return -np.mean(np.log(probs[np.arange(len(probs)), labels]))
    """), fails=("cce_one_hot_labels",)),

    wrong("cross_entropy", "eps_hard_coded", _cell("""
        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            y = np.asarray(y_true, dtype=float)
            p = np.clip(np.asarray(y_pred, dtype=float), 1e-15, 1 - 1e-15)
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

        def categorical_cross_entropy(labels, probs, eps=1e-15):
            probs = np.clip(np.asarray(probs, dtype=float), 1e-15, 1 - 1e-15)
            labels = np.asarray(labels)
            if labels.ndim == 1:
                labels = np.eye(probs.shape[1])[labels]
            return -np.mean(np.sum(labels * np.log(probs), axis=1))
    """), fails=("bce_respects_eps", "cce_clips_zero_probability")),

    wrong("cross_entropy", "clips_in_place", _cell("""
        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            y = np.asarray(y_true, dtype=float)
            p = np.asarray(y_pred, dtype=float)
            np.clip(p, eps, 1 - eps, out=p)
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    """, CCE), fails=("leave_inputs_unchanged",)),

    # ------------------------------------------------------------------ entropy
    wrong("entropy", "natural_log_whatever_the_base", """
        def entropy(p, base=2):
            if base <= 0 or base == 1:
                raise ValueError("invalid base")
            p = np.asarray(p, dtype=float)
            if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
                raise ValueError("p must be a probability distribution")
            p = p[p > 0]
            return -np.sum(p * np.log(p))
    """, fails=("bits_by_default", "other_bases")),

    wrong("entropy", "always_bits", """
        def entropy(p, base=2):
            if base <= 0 or base == 1:
                raise ValueError("invalid base")
            p = np.asarray(p, dtype=float)
            if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
                raise ValueError("p must be a probability distribution")
            p = p[p > 0]
            return -np.sum(p * np.log2(p))
    """, fails=("other_bases",)),

    wrong("entropy", "nan_from_zero_probabilities", """
        def entropy(p, base=2):
            if base <= 0 or base == 1:
                raise ValueError("invalid base")
            p = np.asarray(p, dtype=float)
            if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
                raise ValueError("p must be a probability distribution")
            return -np.sum(p * np.log(p)) / np.log(base)
    """, fails=("zero_probabilities_add_nothing",)),

    wrong("entropy", "no_validation_of_p", """
        def entropy(p, base=2):
            if base <= 0 or base == 1:
                raise ValueError("invalid base")
            p = np.asarray(p, dtype=float)
            p = p[p > 0]
            return -np.sum(p * np.log(p)) / np.log(base)
    """, fails=("rejects_non_distribution",)),

    wrong("entropy", "exact_sum_check", """
        def entropy(p, base=2):
            if base <= 0 or base == 1:
                raise ValueError("invalid base")
            p = np.asarray(p, dtype=float)
            if np.any(p < 0) or p.sum() != 1:
                raise ValueError("p must be a probability distribution")
            p = p[p > 0]
            return -np.sum(p * np.log(p)) / np.log(base)
    """, fails=("rejects_non_distribution",)),

    wrong("entropy", "bases_below_one_rejected", """
        def entropy(p, base=2):
            if base <= 1:
                raise ValueError("the base must be greater than 1")
            p = np.asarray(p, dtype=float)
            if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
                raise ValueError("p must be a probability distribution")
            p = p[p > 0]
            return -np.sum(p * np.log(p)) / np.log(base)
    """, fails=("rejects_invalid_base",)),

    wrong("entropy", "base_never_checked", """
        def entropy(p, base=2):
            p = np.asarray(p, dtype=float)
            if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
                raise ValueError("p must be a probability distribution")
            p = p[p > 0]
            return -np.sum(p * np.log(p)) / np.log(base)
    """, fails=("rejects_invalid_base",)),

    wrong("entropy", "overwrites_zeros_in_place", """
        def entropy(p, base=2):
            if base <= 0 or base == 1:
                raise ValueError("invalid base")
            p = np.asarray(p, dtype=float)
            if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
                raise ValueError("p must be a probability distribution")
            zero = p == 0
            p[zero] = 1.0                      # 1 * log 1 = 0, so zeros drop out
            h = -np.sum(p * np.log(p)) / np.log(base)
            return h
    """, fails=("leaves_input_unchanged",)),

    # ------------------------------------------------------------------ kl
    wrong("kl", "eps_smoothing_from_the_guide", _with_checks("def kl_divergence(p, q, eps=1e-15):", KL_CHECKS, """
            p = p + eps
            q = q + eps
            p = p / p.sum()
            q = q / q.sum()
            return np.sum(p * np.log(p / q))
    """), fails=("q_zero_under_positive_p_is_inf",)),

    wrong("kl", "zero_times_log_zero", _with_checks("def kl_divergence(p, q):", KL_CHECKS, """
            with np.errstate(divide="ignore"):
                return np.sum(p * np.log(p / q))
    """), fails=("zero_p_terms_add_nothing",)),

    wrong("kl", "log_base_2", _with_checks("def kl_divergence(p, q):", KL_CHECKS, """
            s = p > 0
            if np.any(q[s] == 0):
                return np.inf
            return np.sum(p[s] * np.log2(p[s] / q[s]))
    """), fails=("matches_definition",)),

    wrong("kl", "arguments_swapped", _with_checks("def kl_divergence(p, q):", KL_CHECKS, """
            s = q > 0
            if np.any(p[s] == 0):
                return np.inf
            return np.sum(q[s] * np.log(q[s] / p[s]))
    """), fails=("matches_definition",)),

    wrong("kl", "no_validation", """
        def kl_divergence(p, q):
            p = np.asarray(p, dtype=float)
            q = np.asarray(q, dtype=float)
            s = p > 0
            if np.any(q[s] == 0):
                return np.inf
            return np.sum(p[s] * np.log(p[s] / q[s]))
    """, fails=("rejects_non_distributions",)),

    wrong("kl", "no_length_check", """
        def kl_divergence(p, q):
            p = np.asarray(p, dtype=float)
            q = np.asarray(q, dtype=float)
            for d in (p, q):
                if np.any(d < 0) or abs(d.sum() - 1) > 1e-9:
                    raise ValueError("not a probability distribution")
            s = p > 0
            if np.any(q[s] == 0):
                return np.inf
            return np.sum(np.where(s, p * np.log(np.where(s, p, 1) / np.where(q > 0, q, 1)), 0.0))
    """, fails=("rejects_unequal_lengths",)),

    wrong("kl", "rejects_a_single_outcome", """
        def kl_divergence(p, q):
            p = np.asarray(p, dtype=float)
            q = np.asarray(q, dtype=float)
            if p.ndim != 1 or p.shape != q.shape or p.size < 2:
                raise ValueError("p and q must be distributions over the same two or more outcomes")
            for d in (p, q):
                if np.any(d < 0) or abs(d.sum() - 1) > 1e-9:
                    raise ValueError("not a probability distribution")
            s = p > 0
            if np.any(q[s] == 0):
                return np.inf
            return float(np.sum(p[s] * np.log(p[s] / q[s])))
    """, fails=("degenerate_distributions",)),

    wrong("kl", "point_mass_q_rules_out_everything", _with_checks("def kl_divergence(p, q):", KL_CHECKS, """
            if np.max(q) == 1.0:               # q is certain: every other outcome is impossible
                return np.inf
            s = p > 0
            if np.any(q[s] == 0):
                return np.inf
            return np.sum(p[s] * np.log(p[s] / q[s]))
    """), fails=("degenerate_distributions",)),

    wrong("kl", "sums_checked_with_isclose_default", """
        def kl_divergence(p, q):
            p = np.asarray(p, dtype=float)
            q = np.asarray(q, dtype=float)
            if p.shape != q.shape:
                raise ValueError("p and q must have the same length")
            for d in (p, q):
                if np.any(d < 0) or not np.isclose(d.sum(), 1.0):
                    raise ValueError("not a probability distribution")
            s = p > 0
            if np.any(q[s] == 0):
                return np.inf
            return np.sum(p[s] * np.log(p[s] / q[s]))
    """, fails=("rejects_non_distributions",)),

    wrong("kl", "sum_tolerance_1e_8", """
        def kl_divergence(p, q):
            p = np.asarray(p, dtype=float)
            q = np.asarray(q, dtype=float)
            if p.shape != q.shape:
                raise ValueError("p and q must have the same length")
            for d in (p, q):
                if np.any(d < 0) or abs(d.sum() - 1) > 1e-8:
                    raise ValueError("not a probability distribution")
            s = p > 0
            if np.any(q[s] == 0):
                return np.inf
            return np.sum(p[s] * np.log(p[s] / q[s]))
    """, fails=("rejects_non_distributions",)),

    wrong("kl", "patches_zeros_in_place", _with_checks("def kl_divergence(p, q):", KL_CHECKS, """
            if np.any((p > 0) & (q == 0)):
                return np.inf
            unused = p == 0
            p[unused] = 1.0                    # 1 * log(1 / 1) = 0: the term vanishes
            q[unused] = 1.0
            return np.sum(p * np.log(p / q))
    """), fails=("leaves_inputs_unchanged",)),

    # ------------------------------------------------------------------ mutual_information
    wrong("mutual_information", "log_base_2", _with_checks("def mutual_information(joint):", MI_CHECKS, """
            px = P.sum(axis=1, keepdims=True)
            py = P.sum(axis=0, keepdims=True)
            s = P > 0
            return np.sum(P[s] * np.log2(P[s] / (px * py)[s]))
    """), fails=("matches_definition",)),

    wrong("mutual_information", "zero_cells_give_nan", _with_checks("def mutual_information(joint):", MI_CHECKS, """
            px = P.sum(axis=1, keepdims=True)
            py = P.sum(axis=0, keepdims=True)
            return np.sum(P * np.log(P / (px * py)))
    """), fails=("zeros_allowed",)),

    wrong("mutual_information", "no_validation", """
        def mutual_information(joint):
            P = np.asarray(joint, dtype=float)
            px = P.sum(axis=1, keepdims=True)
            py = P.sum(axis=0, keepdims=True)
            s = P > 0
            return np.sum(P[s] * np.log(P[s] / (px * py)[s]))
    """, fails=("rejects_non_distribution",)),

    wrong("mutual_information", "normalises_instead_of_validating", """
        def mutual_information(joint):
            P = np.abs(np.asarray(joint, dtype=float))
            P = P / P.sum()                      # make it a distribution
            px = P.sum(axis=1, keepdims=True)
            py = P.sum(axis=0, keepdims=True)
            s = P > 0
            return np.sum(P[s] * np.log(P[s] / (px * py)[s]))
    """, fails=("rejects_non_distribution",)),

    wrong("mutual_information", "marginals_on_the_wrong_axes", _with_checks("def mutual_information(joint):", MI_CHECKS, """
            px = P.sum(axis=0)                  # p(x)
            py = P.sum(axis=1)                  # p(y)
            product = np.outer(px, py)
            s = P > 0
            return np.sum(P[s] * np.log(P[s] / product[s]))
    """), fails=("matches_definition",)),

    wrong("mutual_information", "mean_instead_of_sum", _with_checks("def mutual_information(joint):", MI_CHECKS, """
            px = P.sum(axis=1, keepdims=True)
            py = P.sum(axis=0, keepdims=True)
            s = P > 0
            return np.mean(np.where(s, P * np.log(np.where(s, P, 1) / (px * py)), 0.0))
    """), fails=("matches_definition",)),

    wrong("mutual_information", "fills_zeros_in_place", _with_checks("def mutual_information(joint):", MI_CHECKS, """
            P[P == 0] = 1e-300                  # keep log away from 0
            px = P.sum(axis=1, keepdims=True)
            py = P.sum(axis=0, keepdims=True)
            return np.sum(P * np.log(P / (px * py)))
    """), fails=("leaves_input_unchanged",)),
]

RIGHT = [
    # ------------------------------------------------------------------ conditional
    right("conditional", "sum_and_divide", _cell(MARGINAL, CONDITIONAL)),

    right("conditional", "operator_index_and_python_loops", """
        import math
        import operator

        def _table(joint):
            if np.ndim(joint) != 2:
                raise ValueError("joint must be a 2-d table")
            rows = [[float(v) for v in row] for row in np.asarray(joint, dtype=float)]
            if any(v < 0 for row in rows for v in row) or abs(math.fsum(v for row in rows for v in row) - 1.0) > 1e-9:
                raise ValueError("joint is not a 2-d distribution")
            return rows

        def _index(value, what):
            if isinstance(value, bool):
                raise ValueError(f"{what} must be an integer, not a bool")
            try:
                return operator.index(value)
            except TypeError:
                raise ValueError(f"{what} must be an integer") from None

        def marginal(joint, axis):
            rows = _table(joint)
            axis = _index(axis, "axis")
            if axis in (1, -1):
                return np.array([math.fsum(row) for row in rows])
            if axis in (0, -2):
                return np.array([math.fsum(column) for column in zip(*rows)])
            raise ValueError(f"axis {axis} does not exist in a 2-d table")

        def conditional(joint, y):
            rows = _table(joint)
            y = _index(y, "y")
            if not 0 <= y < len(rows[0]):
                raise ValueError(f"y = {y} is not a column index")
            column = [row[y] for row in rows]
            total = math.fsum(column)
            if total == 0:
                raise ValueError("P(Y = y) = 0")
            return np.array([v / total for v in column])
    """),

    right("conditional", "bayes_route_with_marginal", """
        def _valid(joint):
            P = np.array(joint, dtype=np.float64)          # a copy
            if P.ndim != 2 or (P < 0).any() or not np.isclose(P.sum(), 1.0, rtol=0, atol=1e-9):
                raise ValueError(f"not a joint pmf table (shape {P.shape}, sum {P.sum()})")
            return P

        def marginal(joint, axis):
            P = _valid(joint)
            if type(axis) is bool or not isinstance(axis, (int, np.integer)):
                raise ValueError("axis must be an integer")
            if not -P.ndim <= axis < P.ndim:
                raise ValueError("axis out of range")
            return np.add.reduce(P, axis=axis)

        def conditional(joint, y):
            P = _valid(joint)
            if type(y) is bool or not isinstance(y, (int, np.integer)) or y < 0 or y >= P.shape[1]:
                raise ValueError("y out of range")
            p_y = marginal(P, 0)[y]
            if p_y <= 0:
                raise ValueError("conditioning on an impossible event")
            P[:, y] /= p_y                                   # our own copy
            return P[:, y]
    """),

    # ------------------------------------------------------------------ expectation
    right("expectation", "two_pass_sums", _cell(EXPECTATION, VARIANCE)),

    right("expectation", "fsum_loops", """
        import math

        def _pairs(values, probs):
            if np.ndim(values) != 1 or np.ndim(probs) != 1 or len(values) != len(probs):
                raise ValueError("values and probs must be 1-d of equal length")
            xs = [float(v) for v in values]
            ps = [float(v) for v in probs]
            if any(p < 0 for p in ps) or abs(math.fsum(ps) - 1.0) > 1e-9:
                raise ValueError("probs is not a distribution")
            return xs, ps

        def expectation(values, probs):
            xs, ps = _pairs(values, probs)
            return math.fsum(p * x for p, x in zip(ps, xs))

        def variance(values, probs):
            xs, ps = _pairs(values, probs)
            mu = math.fsum(p * x for p, x in zip(ps, xs))
            return math.fsum(p * (x - mu) ** 2 for p, x in zip(ps, xs))
    """),

    right("expectation", "shifted_shortcut_and_np_average", """
        def _check(values, probs):
            x = np.asarray(values, dtype=np.float64)
            p = np.asarray(probs, dtype=np.float64)
            if x.ndim != 1 or p.ndim != 1 or len(x) != len(p):
                raise ValueError(f"shapes {x.shape} and {p.shape} do not match")
            if (p < 0).any() or not abs(p.sum() - 1.0) <= 1e-9:
                raise ValueError("probs must be non-negative and sum to 1")
            return x, p

        def expectation(values, probs):
            x, p = _check(values, probs)
            return float(np.average(x, weights=p))

        def variance(values, probs):
            x, p = _check(values, probs)
            shift = x[np.argmax(p)]            # any value of X: the shortcut is safe on small numbers
            y = x - shift
            m = np.dot(p, y)
            return float(max(np.dot(p, y * y) - m * m, 0.0))
    """),

    # ------------------------------------------------------------------ bayes
    right("bayes", "scipy_logsumexp", _cell(BAYES, LOG_BAYES)),

    right("bayes", "python_loops_and_math", """
        import math

        def bayes_posterior(prior, likelihood):
            prior = [float(v) for v in np.ravel(prior)]
            likelihood = [float(v) for v in np.ravel(likelihood)]
            if any(v < 0 for v in prior) or abs(math.fsum(prior) - 1.0) > 1e-9:
                raise ValueError("the prior is not a distribution")
            if any(v < 0 for v in likelihood):
                raise ValueError("a likelihood is negative")
            joint = [a * b for a, b in zip(prior, likelihood)]
            evidence = math.fsum(joint)
            if evidence <= 0:
                raise ValueError("zero evidence")
            return np.array([j / evidence for j in joint])

        def log_bayes_posterior(log_prior, log_likelihood):
            lp = [float(v) for v in np.ravel(log_prior)]
            ll = [float(v) for v in np.ravel(log_likelihood)]
            if any(math.isnan(v) or v == math.inf for v in lp):
                raise ValueError("log_prior must be real or -inf")
            top = max(lp)
            if top == -math.inf or abs(top + math.log(math.fsum(math.exp(v - top) for v in lp))) > 1e-9:
                raise ValueError("log_prior is not normalised")
            joint = [a + b for a, b in zip(lp, ll)]
            m = max(joint)
            if m == -math.inf:
                raise ValueError("zero evidence")
            log_evidence = m + math.log(math.fsum(math.exp(v - m) for v in joint))
            return np.array([v - log_evidence for v in joint])
    """),

    right("bayes", "logaddexp_reduce", """
        def bayes_posterior(prior, likelihood):
            prior = np.array(prior, dtype=np.float64)
            likelihood = np.array(likelihood, dtype=np.float64)
            if (prior < 0).any() or not np.isclose(prior.sum(), 1.0, rtol=0.0, atol=1e-9):
                raise ValueError(f"prior sums to {prior.sum()}, expected 1")
            if (likelihood < 0).any():
                raise ValueError("negative likelihood")
            posterior = prior * likelihood
            evidence = posterior.sum()
            if evidence == 0:
                raise ValueError("evidence is 0")
            posterior /= evidence                  # our own copy
            return posterior

        def log_bayes_posterior(log_prior, log_likelihood):
            log_prior = np.array(log_prior, dtype=np.float64)
            log_likelihood = np.array(log_likelihood, dtype=np.float64)
            if not np.all(np.isfinite(log_prior) | np.isneginf(log_prior)):
                raise ValueError("log_prior holds NaN or +inf")
            if not np.isclose(np.logaddexp.reduce(log_prior), 0.0, rtol=0.0, atol=1e-9):
                raise ValueError("exp(log_prior) does not sum to 1")
            log_joint = log_prior + log_likelihood
            log_evidence = np.logaddexp.reduce(log_joint)
            if np.isneginf(log_evidence):
                raise ValueError("evidence is 0")
            return log_joint - log_evidence
    """),

    # ------------------------------------------------------------------ pmfs
    right("pmfs", "xlogy_with_gammaln", _cell(BINOMIAL, POISSON)),

    right("pmfs", "math_lgamma_vectorised", """
        import math

        def _binomial_one(k, n, p):
            if k < 0 or k > n or k != math.floor(k):
                return 0.0
            k = int(k)
            if p == 0.0:
                return 1.0 if k == 0 else 0.0
            if p == 1.0:
                return 1.0 if k == n else 0.0
            log_pmf = (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                       + k * math.log(p) + (n - k) * math.log1p(-p))
            return math.exp(log_pmf)

        def _poisson_one(k, lam):
            if k < 0 or k != math.floor(k):
                return 0.0
            if lam == 0:
                return 1.0 if k == 0 else 0.0
            return math.exp(k * math.log(lam) - lam - math.lgamma(k + 1))

        def binomial_pmf(k, n, p):
            return np.vectorize(_binomial_one, otypes=[float])(k, n, p)

        def poisson_pmf(k, lam):
            return np.vectorize(_poisson_one, otypes=[float])(k, lam)
    """),

    right("pmfs", "beta_function_identity", """
        from scipy.special import betaln, gammaln

        def binomial_pmf(k, n, p):
            k = np.asarray(k, dtype=np.float64)
            inside = (k >= 0) & (k <= n) & (np.mod(k, 1) == 0)
            k = np.where(inside, k, 0.0)
            log_choose = -np.log(n + 1.0) - betaln(n - k + 1, k + 1)      # C(n, k) = 1 / ((n+1) B(n-k+1, k+1))
            with np.errstate(divide="ignore", invalid="ignore"):
                log_p = np.where(k > 0, k * np.log(p) if p > 0 else -np.inf, 0.0)
                log_q = np.where(n - k > 0, (n - k) * np.log1p(-p) if p < 1 else -np.inf, 0.0)
            return np.where(inside, np.exp(log_choose + log_p + log_q), 0.0)

        def poisson_pmf(k, lam):
            k = np.asarray(k, dtype=np.float64)
            inside = (k >= 0) & (np.mod(k, 1) == 0)
            k = np.where(inside, k, 0.0)
            if lam == 0:
                return np.where(inside & (k == 0), 1.0, 0.0)
            return np.where(inside, np.exp(k * np.log(lam) - lam - gammaln(k + 1)), 0.0)
    """),

    # ------------------------------------------------------------------ gaussian
    right("gaussian", "cholesky_with_np_solve", _cell(NORMAL, MVN)),

    right("gaussian", "slogdet_after_a_cholesky_check", """
        import math

        def normal_logpdf(x, mu, sigma):
            if not sigma > 0:
                raise ValueError(f"sigma must be > 0, got {sigma}")
            z = (np.asarray(x, dtype=np.float64) - mu) / sigma
            return -0.5 * z * z - math.log(sigma * math.sqrt(2 * math.pi))

        def mvn_logpdf(X, mean, cov):
            X = np.asarray(X, dtype=np.float64)
            cov = np.asarray(cov, dtype=np.float64)
            if np.abs(cov - cov.T).max() > 1e-8 * np.abs(cov).max():
                raise ValueError("cov is not symmetric")
            try:
                np.linalg.cholesky(cov)
            except np.linalg.LinAlgError as error:
                raise ValueError(f"cov is not positive definite: {error}")
            sign, logdet = np.linalg.slogdet(cov)
            diff = X - np.asarray(mean, dtype=np.float64)
            if diff.ndim == 1:
                return float(-0.5 * (len(diff) * math.log(2 * math.pi) + logdet + diff @ np.linalg.solve(cov, diff)))
            quad = np.einsum("ij,ij->i", diff, np.linalg.solve(cov, diff.T).T)
            return -0.5 * (diff.shape[1] * math.log(2 * math.pi) + logdet + quad)
    """),

    right("gaussian", "eigendecomposition", """
        def normal_logpdf(x, mu, sigma):
            sigma = float(sigma)
            if sigma <= 0:
                raise ValueError("sigma must be positive")
            x = np.asarray(x, dtype=float)
            return -((x - mu) ** 2) / (2 * sigma ** 2) - np.log(sigma) - 0.5 * np.log(2 * np.pi)

        def mvn_logpdf(X, mean, cov):
            cov = np.asarray(cov, dtype=float)
            if not np.allclose(cov, cov.T, rtol=0, atol=1e-8 * np.abs(cov).max()):
                raise ValueError("covariance is not symmetric")
            w, V = np.linalg.eigh((cov + cov.T) / 2)
            if w.min() <= 1e-12 * abs(w).max():
                raise ValueError("covariance is not positive definite")
            diff = np.asarray(X, dtype=float) - mean
            proj = diff @ V                        # coordinates along the principal axes
            quad = np.sum(proj ** 2 / w, axis=-1)
            return -0.5 * (len(w) * np.log(2 * np.pi) + np.sum(np.log(w)) + quad)
    """),

    # ------------------------------------------------------------------ covariance
    right("covariance", "matmul_and_outer", _cell("""
        def covariance_matrix(X):
            X = np.asarray(X, dtype=float)
            if X.ndim == 1:
                X = X[:, None]
            if X.shape[0] < 2:
                raise ValueError("need at least two samples")
            Xc = X - X.mean(axis=0)
            return Xc.T @ Xc / (X.shape[0] - 1)
    """, CORRELATION)),

    right("covariance", "einsum_and_standardised_columns", """
        def covariance_matrix(X):
            X = np.asarray(X, dtype=np.float64)
            n = len(X)
            if n < 2:
                raise ValueError(f"got {n} sample(s); at least 2 are needed")
            centred = X - X.mean(axis=0, keepdims=True)
            return np.einsum("ni,nj->ij", centred, centred) / (n - 1)

        def correlation_matrix(X):
            X = np.asarray(X, dtype=np.float64)
            n = len(X)
            if n < 2:
                raise ValueError(f"got {n} sample(s); at least 2 are needed")
            with np.errstate(divide="ignore", invalid="ignore"):
                Z = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
                return np.clip(np.einsum("ni,nj->ij", Z, Z) / (n - 1), -1, 1)
    """),

    right("covariance", "loops_over_pairs", """
        def covariance_matrix(X):
            X = np.array(X, dtype=float)
            n, p = X.shape
            if n < 2:
                raise ValueError("a covariance needs two or more rows")
            means = [X[:, j].mean() for j in range(p)]
            C = np.empty((p, p))
            for i in range(p):
                for j in range(i, p):
                    C[i, j] = C[j, i] = np.sum((X[:, i] - means[i]) * (X[:, j] - means[j])) / (n - 1)
            return C

        def correlation_matrix(X):
            C = covariance_matrix(X)
            p = len(C)
            R = np.empty_like(C)
            for i in range(p):
                for j in range(p):
                    denominator = np.sqrt(C[i, i]) * np.sqrt(C[j, j])
                    R[i, j] = C[i, j] / denominator if denominator > 0 else np.nan
            return R
    """),

    # ------------------------------------------------------------------ mle
    right("mle", "numpy_mean_and_var", """
        def mle_bernoulli(data):
            data = np.asarray(data)
            if data.size == 0 or not np.isin(data, [0, 1]).all():
                raise ValueError("need a non-empty sequence of 0/1 outcomes")
            return float(np.mean(data))

        def mle_gaussian(data):
            data = np.asarray(data, dtype=np.float64)
            if data.size == 0:
                raise ValueError("need at least one observation")
            return float(np.mean(data)), float(np.var(data))
    """),

    right("mle", "welford_one_pass", """
        def mle_bernoulli(data):
            values = list(np.ravel(data))
            if not values or any(v not in (0, 1) for v in values):
                raise ValueError("data must be a non-empty list of 0s and 1s")
            return sum(values) / len(values)

        def mle_gaussian(data):
            values = [float(v) for v in np.ravel(data)]
            if not values:
                raise ValueError("no observations")
            mean, m2 = 0.0, 0.0
            for count, x in enumerate(values, start=1):
                delta = x - mean
                mean += delta / count
                m2 += delta * (x - mean)
            return mean, m2 / len(values)
    """),

    right("mle", "statistics_module", """
        import statistics

        def mle_bernoulli(data):
            values = np.ravel(np.asarray(data, dtype=float)).tolist()
            if len(values) == 0 or not set(values) <= {0.0, 1.0}:
                raise ValueError("Bernoulli data are 0s and 1s")
            return statistics.fmean(values)

        def mle_gaussian(data):
            values = np.ravel(np.asarray(data, dtype=float)).tolist()
            if len(values) == 0:
                raise ValueError("empty data")
            return statistics.fmean(values), statistics.pvariance(values)
    """),

    right("mle", "shifted_data", """
        def mle_bernoulli(data):
            data = np.asarray(data, dtype=float)
            if data.size == 0 or np.any((data != 0) & (data != 1)):
                raise ValueError("data must be 0/1 and non-empty")
            return data.sum() / data.size

        def mle_gaussian(data):
            data = np.asarray(data, dtype=float)
            if data.size == 0:
                raise ValueError("data must be non-empty")
            shifted = data - data[0]                  # any value near the mean removes the large offset
            n = data.size
            mean_shift = shifted.mean()
            return data[0] + mean_shift, np.mean((shifted - mean_shift) ** 2)
    """),

    # ------------------------------------------------------------------ cross_entropy
    right("cross_entropy", "clip_and_one_hot", _cell(BCE, CCE)),

    right("cross_entropy", "xlogy_and_argmax", """
        from scipy.special import xlogy

        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            y = np.asarray(y_true, dtype=np.float64)
            p = np.minimum(np.maximum(np.asarray(y_pred, dtype=np.float64), eps), 1.0 - eps)
            return float(-np.mean(xlogy(y, p) + xlogy(1.0 - y, 1.0 - p)))

        def categorical_cross_entropy(labels, probs, eps=1e-15):
            probs = np.minimum(np.maximum(np.asarray(probs, dtype=np.float64), eps), 1.0 - eps)
            labels = np.asarray(labels)
            if labels.ndim == 2:
                labels = labels.argmax(axis=1)          # one-hot -> class index
            return float(-np.log(probs[np.arange(len(labels)), labels]).mean())
    """),

    right("cross_entropy", "python_loops", """
        import math

        def binary_cross_entropy(y_true, y_pred, eps=1e-15):
            ys, ps = np.ravel(y_true).tolist(), np.ravel(y_pred).tolist()
            total = 0.0
            for y, p in zip(ys, ps):
                p = min(max(p, eps), 1 - eps)
                total -= y * math.log(p) + (1 - y) * math.log1p(-p)
            return total / len(ys)

        def categorical_cross_entropy(labels, probs, eps=1e-15):
            probs = np.asarray(probs, dtype=float)
            labels = np.asarray(labels)
            total = 0.0
            for i, row in enumerate(probs):
                weights = labels[i] if labels.ndim == 2 else np.eye(len(row))[int(labels[i])]
                for w, p in zip(weights, row):
                    if w:
                        total -= w * math.log(min(max(p, eps), 1 - eps))
            return total / len(probs)
    """),

    # ------------------------------------------------------------------ entropy
    right("entropy", "select_positive_entries", """
        def entropy(p, base=2):
            if base <= 0 or base == 1:
                raise ValueError("base must be positive and different from 1")
            p = np.asarray(p, dtype=float)
            if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
                raise ValueError("p is not a probability distribution")
            nz = p[p > 0]
            return -np.sum(nz * np.log(nz)) / np.log(base)
    """),

    right("entropy", "xlogy_in_bits_then_change_of_base", """
        from scipy.special import xlogy

        def entropy(p, base=2):
            if not (base > 0) or base == 1:
                raise ValueError(f"invalid logarithm base {base}")
            p = np.asarray(p, dtype=np.float64)
            if not np.all(p >= 0) or not np.isclose(p.sum(), 1.0, rtol=0, atol=1e-9):
                raise ValueError("p must be non-negative and sum to 1")
            bits = -np.sum(xlogy(p, p)) / np.log(2)
            return float(bits / np.log2(base))
    """),

    right("entropy", "math_loop", """
        import math

        def entropy(p, base=2):
            if base <= 0 or base == 1:
                raise ValueError("bad base")
            values = [float(v) for v in np.ravel(p)]
            if min(values) < 0 or abs(math.fsum(values) - 1) > 1e-9:
                raise ValueError("not a distribution")
            return -math.fsum(v * math.log(v, base) for v in values if v > 0)
    """),

    # ------------------------------------------------------------------ kl
    right("kl", "support_mask", _with_checks("def kl_divergence(p, q):", KL_CHECKS, """
            s = p > 0
            if np.any(q[s] == 0):
                return np.inf
            return np.sum(p[s] * np.log(p[s] / q[s]))
    """)),

    right("kl", "scipy_rel_entr", """
        from scipy.special import rel_entr

        def kl_divergence(p, q):
            p = np.asarray(p, dtype=np.float64)
            q = np.asarray(q, dtype=np.float64)
            if p.shape != q.shape:
                raise ValueError(f"shapes differ: {p.shape} vs {q.shape}")
            for name, d in (("p", p), ("q", q)):
                if (d < 0).any() or not np.isclose(d.sum(), 1, rtol=0, atol=1e-9):
                    raise ValueError(f"{name} is not a distribution")
            return float(np.sum(rel_entr(p, q)))
    """),

    right("kl", "scipy_stats_entropy_after_checks", "from scipy.stats import entropy as relative_entropy\n\n\n" + _with_checks("def kl_divergence(p, q):", KL_CHECKS, """
            return float(relative_entropy(p, q))
    """)),

    right("kl", "log_difference_loop", """
        import math

        def kl_divergence(p, q):
            p, q = [float(v) for v in np.ravel(p)], [float(v) for v in np.ravel(q)]
            if len(p) != len(q):
                raise ValueError("p and q differ in length")
            for d in (p, q):
                if min(d) < 0 or abs(math.fsum(d) - 1) > 1e-9:
                    raise ValueError("not a distribution")
            total = 0.0
            for pi, qi in zip(p, q):
                if pi == 0:
                    continue
                if qi == 0:
                    return math.inf
                total += pi * (math.log(pi) - math.log(qi))
            return total
    """),

    # ------------------------------------------------------------------ mutual_information
    right("mutual_information", "kl_from_the_product", _with_checks("def mutual_information(joint):", MI_CHECKS, """
            product = np.outer(P.sum(axis=1), P.sum(axis=0))
            s = P > 0
            return max(0.0, float(np.sum(P[s] * np.log(P[s] / product[s]))))
    """)),

    right("mutual_information", "three_entropies", """
        def _h(v):
            v = v[v > 0]
            return -np.sum(v * np.log(v))

        def mutual_information(joint):
            P = np.asarray(joint, dtype=np.float64)
            if P.ndim != 2 or (P < 0).any() or abs(P.sum() - 1) > 1e-9:
                raise ValueError("joint must be a 2-d pmf table")
            return _h(P.sum(axis=1)) + _h(P.sum(axis=0)) - _h(P.ravel())     # H(X) + H(Y) - H(X, Y)
    """),

    right("mutual_information", "scipy_rel_entr", """
        from scipy.special import rel_entr

        def mutual_information(joint):
            P = np.array(joint, dtype=float)
            if P.ndim != 2:
                raise ValueError("joint must be 2-d")
            if np.any(P < 0) or not np.isclose(P.sum(), 1.0, rtol=0, atol=1e-9):
                raise ValueError("joint is not a probability table")
            px = P.sum(axis=1)[:, None]
            py = P.sum(axis=0)[None, :]
            return float(rel_entr(P, px * py).sum())
    """),
]
