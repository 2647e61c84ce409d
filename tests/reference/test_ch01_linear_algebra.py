"""Are the reference solutions of ch01_linear_algebra right? Checked against trusted
implementations: NumPy's and SciPy's linear algebra (inv, solve and eigh among them), the math
module and scikit-learn."""

import math

import numpy as np
import pytest
import scipy.linalg
import scipy.spatial.distance
from hypothesis import assume, given, strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.decomposition import PCA

from mlmath.grading.grade import reference_solutions
from tests.support import course

ref = reference_solutions(course(), course().assignment("ch01_linear_algebra"))
moderate = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).filter(lambda x: x == 0 or abs(x) > 1e-100)
vectors = hnp.arrays(np.float64, st.integers(1, 30), elements=moderate)


def matrices(min_side=1, max_side=6):
    shape = st.tuples(st.integers(min_side, max_side), st.integers(min_side, max_side))
    return shape.flatmap(lambda s: st.builds(lambda seed: np.random.default_rng(seed).normal(size=s),
                                             st.integers(0, 2**32 - 1)))


# ------------------------------------------------------------------------------------ norms
@given(vectors)
def test_vector_norm_equals_numpy(v):
    for ord in (1, 2, np.inf):
        assert ref.vector_norm(v, ord=ord) == pytest.approx(np.linalg.norm(v, ord=ord), rel=1e-12, abs=1e-300)


@given(vectors, st.integers(-300, 300))
def test_l2_norm_equals_math_hypot_at_every_scale(v, exponent):
    v = v * 10.0 ** exponent
    with np.errstate(over="ignore"):
        expected = math.hypot(*v)
    if math.isfinite(expected):
        assert ref.vector_norm(v) == pytest.approx(expected, rel=1e-12, abs=0.0)


def test_vector_norm_named_cases():
    assert ref.vector_norm([1e200, 1e200]) == pytest.approx(math.sqrt(2) * 1e200, rel=1e-15)
    assert ref.vector_norm([3e-200, 4e-200]) == pytest.approx(5e-200, rel=1e-15)
    assert ref.vector_norm([3, -4, 1], ord=1) == 8.0 and ref.vector_norm([3, -4, 1], ord=np.inf) == 4.0
    for ord in (1, 2, np.inf):
        assert ref.vector_norm([], ord=ord) == 0.0 and ref.vector_norm(np.zeros(3), ord=ord) == 0.0
    for ord in (3, 0, -np.inf, "fro", None):
        with pytest.raises(ValueError):
            ref.vector_norm([1.0, 2.0], ord=ord)


# ------------------------------------------------------------------------------------ cosine
@given(st.integers(1, 20).flatmap(lambda n: st.tuples(
    hnp.arrays(np.float64, n, elements=moderate), hnp.arrays(np.float64, n, elements=moderate))))
def test_cosine_similarity_equals_scipy(pair):
    a, b = pair
    if not a.any() or not b.any():
        with pytest.raises(ValueError):
            ref.cosine_similarity(a, b)
        return
    expected = np.clip(1.0 - scipy.spatial.distance.cosine(a, b), -1.0, 1.0)
    got = ref.cosine_similarity(a, b)
    assert -1.0 <= got <= 1.0
    assert got == pytest.approx(expected, abs=1e-12)
    assert ref.cosine_similarity(a * 1e200, b * 1e-150) == pytest.approx(got, abs=1e-12)   # scale-free


def test_cosine_similarity_named_cases():
    assert ref.cosine_similarity([3, 4], [4, 3]) == pytest.approx(0.96)
    assert ref.cosine_similarity([0.1, 0.7], [0.1, 0.7]) <= 1.0
    assert ref.cosine_similarity([1e200, 1e200], [1e200, 0.0]) == pytest.approx(math.sqrt(0.5))
    for a, b in (([1, 2], [1, 2, 3]), ([[1, 2]], [[1, 2]]), ([0, 0], [1, 1])):
        with pytest.raises(ValueError):
            ref.cosine_similarity(a, b)


# ------------------------------------------------------------------------------------ matmul
@given(st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(1, 6)), st.integers(0, 2**32 - 1))
def test_matmul_equals_numpy(shape, seed):
    m, k, n = shape
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(m, k)), rng.normal(size=(k, n))
    got = ref.matmul(A, B)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, A @ B, rtol=1e-12, atol=1e-12)


def test_matmul_shape_error_shows_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 5\)"):
        ref.matmul(np.ones((2, 3)), np.ones((4, 5)))
    assert ref.matmul([[1, 2]], [[3], [4]]).tolist() == [[11.0]]


# ------------------------------------------------------------------------------------ determinant
@given(matrices().filter(lambda A: A.shape[0] == A.shape[1]) | st.integers(1, 7).map(
    lambda n: np.random.default_rng(n).integers(-5, 6, size=(n, n))))
def test_determinant_equals_numpy_and_scipy(A):
    assert ref.determinant(A) == pytest.approx(np.linalg.det(A), rel=1e-9, abs=1e-9)
    assert ref.determinant(A) == pytest.approx(scipy.linalg.det(A), rel=1e-9, abs=1e-9)


def test_determinant_named_cases():
    assert ref.determinant([[0, 1], [1, 0]]) == -1.0
    assert ref.determinant([[1, 2, 1], [4, 4, 0], [2, 6, 5]]) == pytest.approx(-4.0)
    assert ref.determinant([[1e-20, 1, 1], [1, 1, 2], [1, 2, 1]]) == pytest.approx(2.0)
    singular = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype=float)
    assert abs(ref.determinant(singular)) <= 1e-9 * np.linalg.norm(singular) ** 3
    assert ref.determinant([[1, 1, 1], [1, 1, 2], [1, 1, 3]]) == 0.0
    big = np.random.default_rng(0).normal(size=(60, 60))
    assert ref.determinant(big) == pytest.approx(np.linalg.det(big), rel=1e-9)
    A = np.array([[0.0, 2.0], [3.0, 1.0]])
    ref.determinant(A)
    assert A.tolist() == [[0.0, 2.0], [3.0, 1.0]]
    for bad in (np.ones((2, 3)), np.ones(3), np.ones((2, 2, 2))):
        with pytest.raises(ValueError):
            ref.determinant(bad)


# ------------------------------------------------------------------------------------ inverse
@given(st.tuples(st.integers(1, 9), st.sampled_from([1.0, 1e3, 1e6]), st.sampled_from([1e-9, 1.0, 1e9]),
                 st.integers(0, 2**32 - 1)))
def test_matrix_inverse_equals_numpy_and_scipy(case):
    n, kappa, scale, seed = case
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.normal(size=(n, n)))
    V, _ = np.linalg.qr(rng.normal(size=(n, n)))
    A = (U * np.geomspace(1.0, 1.0 / kappa, n)) @ V.T * scale
    X = ref.matrix_inverse(A)
    for trusted in (np.linalg.inv(A), scipy.linalg.inv(A), np.linalg.solve(A, np.eye(n))):
        assert np.linalg.norm(X - trusted) <= 1e-8 * np.linalg.norm(trusted)
    assert X.dtype == np.float64 and X.shape == (n, n)


@given(st.integers(0, 2**32 - 1))
def test_matrix_inverse_refuses_exactly_singular_matrices(seed):
    rng = np.random.default_rng(seed)
    nine = np.arange(1.0, 10.0).reshape(3, 3)
    n = int(rng.integers(2, 7))
    zero_row, zero_column, equal_columns = (rng.normal(size=(n, n)) for _ in range(3))
    zero_row[rng.integers(n)] = 0.0
    zero_column[:, rng.integers(n)] = 0.0
    i, j = rng.choice(n, size=2, replace=False)
    equal_columns[:, j] = equal_columns[:, i]
    for A in (np.array([[1.0, 2.0], [2.0, 4.0]]) * int(rng.integers(1, 9)), nine[rng.permutation(3)][:, rng.permutation(3)],
              nine.T * 2.0 ** int(rng.integers(-3, 4)), zero_row, zero_column, equal_columns):
        assert np.linalg.matrix_rank(A) < len(A)
        with pytest.raises(ValueError, match="singular"):
            ref.matrix_inverse(A)


def test_matrix_inverse_named_cases():
    assert ref.matrix_inverse([[0, 1], [1, 0]]).tolist() == [[0.0, 1.0], [1.0, 0.0]]
    true = np.array([[1.0, -1.0], [-1.0, 1e-20]]) / (1e-20 - 1.0)
    assert np.allclose(ref.matrix_inverse([[1e-20, 1], [1, 1]]), true, rtol=0, atol=1e-12)
    assert np.allclose(ref.matrix_inverse([[3, 1], [2, 4]]), [[0.4, -0.1], [-0.2, 0.3]])
    assert ref.matrix_inverse([[3]]).tolist() == [[1 / 3]]
    big = np.random.default_rng(0).normal(size=(60, 60)) + 10 * np.eye(60)
    assert np.allclose(ref.matrix_inverse(big), np.linalg.inv(big))
    A = np.array([[0.0, 2.0], [3.0, 1.0]])
    ref.matrix_inverse(A)
    assert A.tolist() == [[0.0, 2.0], [3.0, 1.0]]
    with np.errstate(all="raise"):                  # never a division by zero on the way to the ValueError
        for singular in (np.zeros((3, 3)), [[1, 2, 3], [4, 5, 6], [7, 8, 9]]):
            with pytest.raises(ValueError):
                ref.matrix_inverse(singular)
    for bad in (np.ones((2, 3)), np.ones(3), np.ones((2, 2, 2))):
        with pytest.raises(ValueError):
            ref.matrix_inverse(bad)


# ------------------------------------------------------------------------------------ rank
@given(st.tuples(st.integers(1, 8), st.integers(1, 8), st.integers(0, 8), st.integers(0, 2**32 - 1),
                 st.sampled_from([1e-12, 1.0, 1e9])))
def test_matrix_rank_equals_numpy(case):
    m, n, r, seed, scale = case
    rng = np.random.default_rng(seed)
    A = scale * rng.normal(size=(m, r)) @ rng.normal(size=(r, n))
    assert ref.matrix_rank(A) == np.linalg.matrix_rank(A)
    s = np.linalg.svd(A, compute_uv=False)
    for tol in s:
        assert ref.matrix_rank(A, tol=tol) == np.linalg.matrix_rank(A, tol=tol)


def test_matrix_rank_named_cases():
    assert ref.matrix_rank([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == 2
    assert ref.matrix_rank(np.zeros((3, 4))) == 0
    assert ref.matrix_rank(np.diag([1.0, 1e-3, 1e-6]), tol=1e-4) == 2


# ------------------------------------------------------------------------------------ eigen
@given(st.tuples(st.integers(1, 8), st.floats(0.0, 0.9), st.sampled_from([1e-6, 1.0, 1e6]),
                 st.booleans(), st.integers(0, 2**32 - 1)))
def test_power_iteration_equals_eigh(case):
    n, ratio, scale, negative, seed = case
    rng = np.random.default_rng(seed)
    dominant = -scale if negative else scale
    others = rng.uniform(-ratio, ratio, size=n - 1) * scale
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    A = (Q * np.concatenate([[dominant], others])) @ Q.T
    A = (A + A.T) / 2
    values, vectors = np.linalg.eigh(A)
    top = int(np.argmax(np.abs(values)))
    for expected_value, expected_vector in ((values[top], vectors[:, top]),
                                            (scipy.linalg.eigh(A)[0][top], scipy.linalg.eigh(A)[1][:, top])):
        lam, v = ref.power_iteration(A)
        assert v.dtype == np.float64 and v.shape == (n,)
        assert abs(np.linalg.norm(v) - 1.0) <= 1e-12
        assert abs(lam - expected_value) <= 1e-8 * abs(expected_value)
        assert np.linalg.norm(A @ v - lam * v) <= 1e-6 * abs(expected_value)
        assert min(np.linalg.norm(v - expected_vector), np.linalg.norm(v + expected_vector)) <= 1e-6


def test_power_iteration_named_cases():
    lam, v = ref.power_iteration([[3]])
    assert lam == 3.0 and abs(v).tolist() == [1.0]
    lam, v = ref.power_iteration(np.diag([-5.0, 1.0]))
    assert lam == pytest.approx(-5.0, rel=1e-12) and np.allclose(abs(v), [1.0, 0.0])
    lam, v = ref.power_iteration([[1, -3], [-3, 1]])
    assert lam == pytest.approx(4.0, rel=1e-12) and np.allclose(abs(v), [np.sqrt(0.5)] * 2)
    lam, v = ref.power_iteration([[2.0, 1.0], [1.0, 2.0]])
    assert lam == pytest.approx(3.0, rel=1e-12)
    lam, v = ref.power_iteration(np.diag([2.0, -2.0, 1.0]), max_iter=7)      # never settles: stops at max_iter
    assert abs(np.linalg.norm(v) - 1.0) < 1e-12 and lam == pytest.approx(v @ np.diag([2.0, -2.0, 1.0]) @ v)
    A = np.array([[2.0, 1.0 + 1e-13], [1.0, 2.0]])                          # symmetric up to rounding
    assert ref.power_iteration(A)[0] == pytest.approx(3.0)
    assert A[0, 1] == 1.0 + 1e-13
    for bad in ([[1.0, 2.0], [0.0, 1.0]], np.zeros((3, 3)), np.ones((2, 3)), np.ones(3)):
        with pytest.raises(ValueError):
            ref.power_iteration(bad)


# ------------------------------------------------------------------------------------ svd_approx
@given(matrices(2, 7), st.data())
def test_low_rank_approx_is_the_eckart_young_optimum(M, data):
    k = data.draw(st.integers(0, min(M.shape) + 1))
    approx = ref.low_rank_approx(M, k)
    s = np.linalg.svd(M, compute_uv=False)
    assert approx.shape == M.shape and approx.dtype == np.float64
    assert np.linalg.matrix_rank(approx) == min(k, np.linalg.matrix_rank(M))
    assert np.linalg.norm(M - approx) == pytest.approx(np.sqrt(np.sum(s[k:] ** 2)), abs=1e-10)
    # no other rank-k matrix of a few random kinds does better
    rng = np.random.default_rng(k)
    for _ in range(5):
        other = ref.low_rank_approx(M + 0.1 * rng.normal(size=M.shape), k)
        assert np.linalg.norm(M - other) >= np.linalg.norm(M - approx) - 1e-12


def test_low_rank_approx_named_cases():
    M = np.array([[3.0, 2.0, 2.0], [2.0, 3.0, -2.0]])
    np.testing.assert_allclose(ref.low_rank_approx(M, 1), [[2.5, 2.5, 0.0], [2.5, 2.5, 0.0]], atol=1e-12)
    assert ref.low_rank_approx(M, np.int64(5)).tolist() == M.tolist()
    assert ref.low_rank_approx(np.ones((2, 2), dtype=int), 0).dtype == np.float64
    for k in (-1, 1.5, 2.0, True, "2"):
        with pytest.raises(ValueError):
            ref.low_rank_approx(M, k)


# ------------------------------------------------------------------------------------ pca
@given(st.tuples(st.integers(3, 40), st.integers(1, 6), st.integers(0, 2**32 - 1)), st.data())
def test_pca_equals_scikit_learn(case, data):
    n, d, seed = case
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * 2.0 ** -np.arange(d) @ np.linalg.qr(rng.normal(size=(d, d)))[0] + 10.0
    k = data.draw(st.integers(1, min(n - 1, d)))
    spectrum = PCA(svd_solver="full").fit(X).explained_variance_
    # a component is only defined (up to sign) when its variance is apart from its neighbours'
    assume(np.all(-np.diff(spectrum[:k + 1]) > 1e-6 * spectrum[0]))
    components, ratio = ref.pca(X, k)
    model = PCA(n_components=k, svd_solver="full").fit(X)
    assert components.dtype == np.float64 and ratio.dtype == np.float64
    signs = np.sign(np.sum(components * model.components_, axis=1))
    np.testing.assert_allclose(components * signs[:, None], model.components_, atol=1e-8)
    np.testing.assert_allclose(ratio, model.explained_variance_ratio_, rtol=1e-9)
    np.testing.assert_allclose(components @ components.T, np.eye(k), atol=1e-12)


def test_pca_more_features_than_samples():
    X = np.random.default_rng(1).normal(size=(3, 5))
    components, ratio = ref.pca(X, 5)
    assert components.shape == (5, 5) and ratio.shape == (5,)
    np.testing.assert_allclose(components @ components.T, np.eye(5), atol=1e-12)
    np.testing.assert_allclose(ratio[:2], PCA(n_components=2).fit(X).explained_variance_ratio_, rtol=1e-9)
    np.testing.assert_allclose(ratio[2:], 0.0, atol=1e-15)


def test_pca_named_cases():
    X = np.array([[3, 3], [1, 1], [-1, -1], [-3, -3], [1, -1], [-1, 1]], dtype=float)
    components, ratio = ref.pca(X, 2)
    np.testing.assert_allclose(np.abs(components), np.full((2, 2), np.sqrt(0.5)))
    np.testing.assert_allclose(ratio, [8 / 8.8, 0.8 / 8.8])
    for bad_X, k in ((X[:1], 1), (np.tile([1.0, 2.0], (4, 1)), 1), (X, 0), (X, 3), (X, 1.0), (X, True)):
        with pytest.raises(ValueError):
            ref.pca(bad_X, k)


# ------------------------------------------------------------------------------------ dense_layer
@given(st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1)))
def test_dense_forward_equals_a_loop_over_neurons(case):
    B, n, m, seed = case
    rng = np.random.default_rng(seed)
    X, W, b = rng.normal(size=(B, n)), rng.normal(size=(m, n)), rng.normal(size=m)
    expected = np.array([[sum(W[j, i] * X[s, i] for i in range(n)) + b[j] for j in range(m)] for s in range(B)])
    np.testing.assert_allclose(ref.dense_forward(X, W, b), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ref.dense_forward(X[0], W, b), expected[0], rtol=1e-12, atol=1e-12)


def test_dense_forward_rejects_mismatched_shapes():
    W, b = np.ones((3, 4)), np.ones(3)
    for args in ((np.ones((2, 3)), W, b), (np.ones(4), W, np.ones(1)), (np.ones(4), W, np.ones(4))):
        with pytest.raises(ValueError):
            ref.dense_forward(*args)
