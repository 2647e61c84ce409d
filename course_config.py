"""The one configuration of the course: ids, exercises, points, limits, gradebook.

Everything that needs to know an assignment, a point value, a tolerance or a
sandbox limit reads it from here (through ``mlmath.course.load_course``);
``nbgrader_config.py`` only loads this file.  The exercises and points are
those of the public catalog, ``CURRICULUM.md``.
"""

from mlmath.course import Assignment, Course, Exercise as E, Limits, Question as Q, Tolerances

# Each "from scratch" list names the catalog's shortcuts and their twins: the same routine
# under another name (np.linalg.matmul, np.ma.cov), the C routine underneath
# (numpy.linalg._umath_linalg.det), or a library's equivalent (sklearn's softmax). They are
# read in the code and, while the exercise runs, replaced by tripwires (mlmath.sandbox.tripwires).
_NO_SOFTMAX_SHORTCUTS = ("scipy.special.softmax", "scipy.special.logsumexp", "torch",
                         "sklearn.utils.extmath.softmax")
# questions=(Q("id"), ...) are an exercise's questions to think through, each answered in words in
# the markdown cell question_<exercise>_<id>; Q("id", points=2) makes it worth points graded by hand
# in the formgrader (default 0: the autograded totals of the catalog stay as they are).

COURSE = Course(
    id="mlmath",
    gradebook_url="sqlite:///gradebook.db",
    limits=Limits(
        call_seconds=10.0,
        cell_seconds=20.0,
        submission_seconds=180.0,
        memory_mb=2048,
        processes=32,
        tmp_mb=64,
        reply_mb=64,
        reply_items=2_000_000,
        startup_seconds=30.0,
    ),
    tolerances=Tolerances(rtol=1e-7, atol=1e-10, rtol_float32=1e-5),
    assignments=(
        Assignment("ch01_linear_algebra", "linear_algebra.ipynb", (
            E("norms", 3, ("vector_norm",),
              ("numpy.linalg.norm", "scipy.linalg.norm", "math.hypot", "math.dist",
               "numpy.linalg.vector_norm", "numpy.linalg.matrix_norm"), questions=(Q("scale_first"), Q("l1_sparsity"))),
            E("cosine", 2, ("cosine_similarity",), questions=(Q("why_clip"), Q("length_blind"))),
            E("matmul", 2, ("matmul",),
              ("@", "numpy.dot", "numpy.matmul", "numpy.einsum", "numpy.tensordot",
               "numpy.inner", "numpy.outer", "operator.matmul", "numpy.vdot", "numpy.vecdot",
               "numpy.matvec", "numpy.vecmat", "numpy.linalg.matmul", "numpy.linalg.multi_dot",
               "numpy.linalg.tensordot", "numpy.linalg.outer", "numpy.linalg.vecdot"), questions=(Q("order_matters"), Q("cost"))),
            E("determinant", 3, ("determinant",),
              ("numpy.linalg.det", "numpy.linalg.slogdet", "scipy.linalg.det",
               "scipy.linalg.lu", "scipy.linalg.lu_factor", "scipy.linalg.lu_solve",
               "numpy.linalg.eig", "numpy.linalg.eigh", "numpy.linalg.eigvals",
               "numpy.linalg.eigvalsh", "numpy.linalg.svd", "numpy.linalg.solve",
               "numpy.linalg.inv", "numpy.linalg._umath_linalg.det",
               "numpy.linalg._umath_linalg.slogdet", "scipy.linalg.eig", "scipy.linalg.eigh",
               "scipy.linalg.eigvals", "scipy.linalg.eigvalsh", "scipy.linalg.svd",
               "scipy.linalg.solve", "scipy.linalg.inv"), questions=(Q("why_pivot"), Q("small_det"))),
            E("inverse", 3, ("matrix_inverse",),
              ("numpy.linalg.inv", "numpy.linalg.pinv", "numpy.linalg.solve", "numpy.linalg.lstsq",
               "numpy.linalg.det", "numpy.linalg.tensorinv", "numpy.linalg.tensorsolve",
               "scipy.linalg.inv", "scipy.linalg.solve", "scipy.linalg.solve_triangular",
               "scipy.linalg.solve_banded", "scipy.linalg.solveh_banded", "scipy.linalg.solve_circulant",
               "scipy.linalg.solve_toeplitz", "scipy.linalg.solve_sylvester", "scipy.linalg.solve_lyapunov",
               "scipy.linalg.solve_continuous_lyapunov", "scipy.linalg.solve_discrete_lyapunov",
               "scipy.linalg.solve_continuous_are", "scipy.linalg.solve_discrete_are",
               "scipy.linalg.lu", "scipy.linalg.lu_factor", "scipy.linalg.lu_solve", "scipy.linalg.pinv",
               "scipy.linalg.pinvh", "numpy.linalg._umath_linalg.inv", "numpy.linalg._umath_linalg.solve",
               "numpy.linalg._umath_linalg.solve1", "numpy.linalg._umath_linalg.lstsq",
               "numpy.linalg._umath_linalg.det"), questions=(Q("no_inverse"), Q("solve_not_invert"))),
            E("rank", 2, ("matrix_rank",), ("numpy.linalg.matrix_rank",), questions=(Q("relative_tolerance"), Q("noisy_rank"))),
            E("eigen", 3, ("power_iteration",),
              ("numpy.linalg.eig", "numpy.linalg.eigh", "numpy.linalg.eigvals", "numpy.linalg.eigvalsh",
               "numpy.linalg.svd", "scipy.linalg.eig", "scipy.linalg.eigh", "scipy.linalg.eigvals",
               "scipy.linalg.eigvalsh", "scipy.linalg.eig_banded", "scipy.linalg.eigvals_banded",
               "scipy.linalg.eigh_tridiagonal", "scipy.linalg.eigvalsh_tridiagonal", "scipy.linalg.svd",
               "scipy.linalg.lapack", "scipy.sparse.linalg.eigs", "scipy.sparse.linalg.eigsh",
               "scipy.linalg.svdvals", "numpy.linalg._umath_linalg.eig", "numpy.linalg._umath_linalg.eigvals",
               "numpy.linalg._umath_linalg.eigh_lo", "numpy.linalg._umath_linalg.eigh_up",
               "numpy.linalg._umath_linalg.eigvalsh_lo", "numpy.linalg._umath_linalg.eigvalsh_up",
               "numpy.linalg._umath_linalg.svd", "numpy.linalg._umath_linalg.svd_f",
               "numpy.linalg._umath_linalg.svd_s"), questions=(Q("up_to_sign"), Q("convergence"))),
            E("svd_approx", 3, ("low_rank_approx",), questions=(Q("what_is_kept"), Q("storage"))),
            E("pca", 4, ("pca",), questions=(Q("centre_first"), Q("eig_traps"))),
            E("dense_layer", 2, ("dense_forward",), questions=(Q("collapse"), Q("shapes"))),
        )),
        Assignment("ch02_calculus", "calculus.ipynb", (
            E("numerical_gradient", 3, ("numerical_gradient",),
              questions=(Q("best_step"), Q("why_not_train"))),
            E("jacobian", 2, ("numerical_jacobian",), questions=(Q("which_order"),)),
            E("activations", 3, ("sigmoid", "sigmoid_grad", "tanh_grad", "relu_grad"),
              questions=(Q("stable_sigmoid"), Q("vanishing"))),
            E("gradient_check", 2, ("gradient_check",),
              questions=(Q("relative_per_entry"), Q("where_to_check"))),
            E("backprop", 5, ("two_layer_forward", "two_layer_backward"),
              questions=(Q("batch_sum"), Q("dead_relu"))),
            E("gradient_descent", 2, ("gradient_descent",), questions=(Q("stability_limit"),)),
            E("sgd", 3, ("minibatch_sgd",), questions=(Q("noisy_but_unbiased"), Q("one_generator"))),
            E("momentum", 2, ("sgd_momentum",), questions=(Q("why_faster"), Q("which_convention"))),
            E("adam", 5, ("adam_step", "adam"), questions=(Q("bias_correction"), Q("loss_scale"))),
            E("hessian", 3, ("numerical_hessian", "classify_critical_point"),
              questions=(Q("diagonal_is_not_enough"), Q("saddles"))),
        )),
        Assignment("ch03_probability", "probability.ipynb", (
            E("conditional", 2, ("marginal", "conditional")),
            E("bayes", 3, ("bayes_posterior", "log_bayes_posterior")),
            E("pmfs", 3, ("binomial_pmf", "poisson_pmf"), ("scipy.stats",)),
            E("gaussian", 4, ("normal_logpdf", "mvn_logpdf"), ("scipy.stats",)),
            E("expectation", 3, ("expectation", "variance")),
            E("covariance", 2, ("covariance_matrix", "correlation_matrix"),
              ("numpy.cov", "numpy.corrcoef", "numpy.ma.cov", "numpy.ma.corrcoef")),
            E("mle", 3, ("mle_bernoulli", "mle_gaussian")),
            E("cross_entropy", 3, ("binary_cross_entropy", "categorical_cross_entropy")),
            E("entropy", 2, ("entropy",)),
            E("kl", 3, ("kl_divergence",)),
            E("mutual_information", 2, ("mutual_information",)),
        )),
        Assignment("ch04_numerics", "numerics.ipynb", (
            E("float_bits", 2, ("float32_parts",), questions=(Q("hidden_bit"),)),
            E("bfloat16", 3, ("to_bfloat16",), ("ml_dtypes", "torch"),
              questions=(Q("range_or_precision"), Q("ties_to_even"))),
            E("softmax", 4, ("softmax",), _NO_SOFTMAX_SHORTCUTS,
              questions=(Q("overflow_threshold"), Q("which_shift"))),
            E("log_softmax", 4, ("logsumexp", "log_softmax"),
              _NO_SOFTMAX_SHORTCUTS + ("scipy.special.log_softmax",),
              questions=(Q("log_of_zero"), Q("smooth_max"))),
            E("bce_logits", 3, ("bce_with_logits",), questions=(Q("why_from_logits"),)),
            E("grad_unscale", 2, ("unscale_grads",), questions=(Q("skip_the_step"),)),
        )),
        Assignment("ch05_regression", "regression.ipynb", (
            E("ols", 3, ("ols_fit",), ("sklearn",),
              questions=(Q("min_norm_split"), Q("normal_equations"))),
            E("ridge", 3, ("ridge_fit",), ("sklearn",),
              questions=(Q("always_unique"), Q("free_intercept"))),
            E("lasso", 5, ("soft_threshold", "lasso_fit"), ("sklearn",),
              questions=(Q("exact_zeros"), Q("slow_sweeps"))),
            E("metrics", 2, ("mse", "r2_score"),
              questions=(Q("negative_r2"), Q("constant_targets"))),
            E("gd_regression", 3, ("linear_regression_gd",),
              questions=(Q("stability_limit"), Q("standardise"))),
        )),
        Assignment("ch06_deep_learning", "deep_learning.ipynb", (
            E("softmax_ce", 3, ("softmax_cross_entropy",)),
            E("init", 2, ("mlp_init",)),
            E("mlp_backprop", 5, ("mlp_forward", "mlp_backward")),
            E("training", 4, ("train_mlp",), call_seconds=20.0),
            E("attention", 5, ("causal_mask", "scaled_dot_product_attention")),
            E("multi_head", 4, ("multi_head_attention",)),
        )),
    ),
)
