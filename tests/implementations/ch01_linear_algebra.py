"""Learner implementations for ch01_linear_algebra: norms, cosine similarity, the matrix
product, the determinant, the inverse, the rank, power iteration, low-rank approximation,
PCA and a dense layer.

Each ``source`` is the whole answer cell of its exercise; the notebook's set-up cell
has already run ``import numpy as np``.
"""

from tests.implementations import right, wrong

WRONG = [
    # ------------------------------------------------------------------ norms
    wrong("norms", "naive_sqrt_of_sum_of_squares", """
        def vector_norm(v, ord=2):
            v = np.asarray(v, dtype=float)
            if ord not in (1, 2, np.inf):
                raise ValueError("ord must be 1, 2 or inf")
            if ord == 1:
                return float(np.sum(np.abs(v)))
            if ord == np.inf:
                return float(np.max(np.abs(v))) if v.size else 0.0
            return float(np.sqrt(np.sum(v ** 2)))
    """, fails=("l2_stable_for_huge_entries", "l2_stable_for_tiny_entries")),

    wrong("norms", "guards_overflow_only", """
        def vector_norm(v, ord=2):
            v = np.asarray(v, dtype=float)
            if ord not in (1, 2, np.inf):
                raise ValueError("ord must be 1, 2 or inf")
            if v.size == 0:
                return 0.0
            if ord == 1:
                return float(np.sum(np.abs(v)))
            m = np.max(np.abs(v))
            if ord == np.inf:
                return float(m)
            if m > 1e150:                       # only huge vectors need care
                return float(m * np.sqrt(np.sum((v / m) ** 2)))
            return float(np.sqrt(np.sum(v * v)))
    """, fails=("l2_stable_for_tiny_entries",)),

    wrong("norms", "l1_without_abs", """
        def vector_norm(v, ord=2):
            v = np.asarray(v, dtype=float)
            if ord not in (1, 2, np.inf):
                raise ValueError("ord must be 1, 2 or inf")
            if v.size == 0:
                return 0.0
            if ord == 1:
                return float(np.sum(v))
            m = np.max(np.abs(v))
            if ord == np.inf:
                return float(m)
            if m == 0:
                return 0.0
            return float(m * np.sqrt(np.sum((v / m) ** 2)))
    """, fails=("l1_norm",)),

    wrong("norms", "max_without_abs", """
        def vector_norm(v, ord=2):
            v = np.asarray(v, dtype=float)
            if ord not in (1, 2, np.inf):
                raise ValueError("ord must be 1, 2 or inf")
            if v.size == 0:
                return 0.0
            if ord == 1:
                return float(np.abs(v).sum())
            if ord == np.inf:
                return float(v.max())
            m = np.abs(v).max()
            if m == 0:
                return 0.0
            return float(m * np.sqrt(((v / m) ** 2).sum()))
    """, fails=("max_norm",)),

    wrong("norms", "max_of_empty_raises", """
        def vector_norm(v, ord=2):
            v = np.asarray(v, dtype=float)
            if ord not in (1, 2, np.inf):
                raise ValueError("ord must be 1, 2 or inf")
            if ord == 1:
                return float(np.sum(np.abs(v)))
            m = np.max(np.abs(v))
            if ord == np.inf:
                return float(m)
            if m == 0:
                return 0.0
            return float(m * np.sqrt(np.sum((v / m) ** 2)))
    """, fails=("empty_vector",)),

    wrong("norms", "zero_vector_divides_by_zero", """
        def vector_norm(v, ord=2):
            v = np.asarray(v, dtype=float)
            if ord not in (1, 2, np.inf):
                raise ValueError("ord must be 1, 2 or inf")
            if len(v) == 0:
                return 0.0
            if ord == 1:
                return float(np.sum(np.abs(v)))
            m = np.max(np.abs(v))
            if ord == np.inf:
                return float(m)
            return float(m * np.sqrt(np.sum((v / m) ** 2)))
    """, fails=("zero_vector",)),

    wrong("norms", "any_other_ord_is_l2", """
        def vector_norm(v, ord=2):
            v = np.asarray(v, dtype=float)
            if v.size == 0:
                return 0.0
            if ord == 1:
                return float(np.sum(np.abs(v)))
            m = np.max(np.abs(v))
            if ord == np.inf:
                return float(m)
            if m == 0:
                return 0.0
            return float(m * np.sqrt(np.sum((v / m) ** 2)))
    """, fails=("rejects_unknown_ord",)),

    wrong("norms", "scales_the_callers_array", """
        def vector_norm(v, ord=2):
            if ord not in (1, 2, np.inf):
                raise ValueError("ord must be 1, 2 or inf")
            v = np.asarray(v, dtype=float)
            if v.size == 0:
                return 0.0
            if ord == 1:
                return float(np.sum(np.abs(v)))
            m = np.max(np.abs(v))
            if ord == np.inf or m == 0:
                return float(m)
            v /= m                               # scale in place
            return float(m * np.sqrt(np.sum(v * v)))
    """, fails=("leaves_input_unchanged",)),

    wrong("norms", "numpy_norm_alias", """
        from numpy.linalg import norm as length

        def vector_norm(v, ord=2):
            if ord not in (1, 2, np.inf):
                raise ValueError("ord must be 1, 2 or inf")
            v = np.asarray(v, dtype=float)
            return float(length(v, ord)) if v.size else 0.0
    """, fails=("from_scratch",)),

    wrong("norms", "math_hypot_module_alias", """
        import math as m

        def vector_norm(v, ord=2):
            if ord not in (1, 2, np.inf):
                raise ValueError("ord must be 1, 2 or inf")
            v = [float(x) for x in v]
            if ord == 1:
                return float(sum(abs(x) for x in v))
            if ord == np.inf:
                return max((abs(x) for x in v), default=0.0)
            return m.hypot(*v)
    """, fails=("from_scratch",)),

    # ------------------------------------------------------------------ cosine
    wrong("cosine", "not_clipped", """
        def cosine_similarity(a, b):
            a = np.asarray(a, dtype=float)
            b = np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of the same length")
            if not a.any() or not b.any():
                raise ValueError("zero vector")
            a = a / np.max(np.abs(a))
            b = b / np.max(np.abs(b))
            return float(np.dot(a, b) / (np.sqrt(np.dot(a, a)) * np.sqrt(np.dot(b, b))))
    """, fails=("stays_within_minus_one_and_one",)),

    wrong("cosine", "clips_only_the_top", """
        def cosine_similarity(a, b):
            a = np.asarray(a, dtype=float)
            b = np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of the same length")
            if not a.any() or not b.any():
                raise ValueError("zero vector")
            a = a / np.max(np.abs(a))
            b = b / np.max(np.abs(b))
            cos = np.dot(a, b) / (np.sqrt(np.dot(a, a)) * np.sqrt(np.dot(b, b)))
            return float(min(cos, 1.0))
    """, fails=("stays_within_minus_one_and_one",)),

    wrong("cosine", "numpy_norm_overflows", """
        def cosine_similarity(a, b):
            a = np.asarray(a, dtype=float)
            b = np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of the same length")
            na, nb = np.linalg.norm(a), np.linalg.norm(b)
            if na == 0 or nb == 0:
                raise ValueError("zero vector")
            return float(np.clip(np.dot(a, b) / (na * nb), -1.0, 1.0))
    """, fails=("stable_for_huge_entries",)),

    wrong("cosine", "broadcasts_mismatched_lengths", """
        def cosine_similarity(a, b):
            a = np.asarray(a, dtype=float).ravel()
            b = np.asarray(b, dtype=float).ravel()
            sa, sb = np.max(np.abs(a)), np.max(np.abs(b))
            if sa == 0 or sb == 0:
                raise ValueError("zero vector")
            a, b = a / sa, b / sb
            cos = np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)))
            return float(np.clip(cos, -1, 1))
    """, fails=("rejects_mismatched_shapes",)),

    wrong("cosine", "zero_vector_gives_zero", """
        def cosine_similarity(a, b):
            a = np.asarray(a, dtype=float)
            b = np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of the same length")
            sa, sb = np.max(np.abs(a)), np.max(np.abs(b))
            if sa == 0 or sb == 0:
                return 0.0                        # nothing in common
            a, b = a / sa, b / sb
            cos = np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)))
            return float(np.clip(cos, -1, 1))
    """, fails=("rejects_zero_vector",)),

    wrong("cosine", "returns_the_angle", """
        def cosine_similarity(a, b):
            a = np.asarray(a, dtype=float)
            b = np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of the same length")
            sa, sb = np.max(np.abs(a)), np.max(np.abs(b))
            if sa == 0 or sb == 0:
                raise ValueError("zero vector")
            a, b = a / sa, b / sb
            cos = np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)))
            return float(np.arccos(np.clip(cos, -1, 1)))
    """, fails=("matches_definition",)),

    wrong("cosine", "normalises_in_place", """
        def cosine_similarity(a, b):
            a = np.asarray(a, dtype=float)
            b = np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of the same length")
            sa, sb = np.max(np.abs(a)), np.max(np.abs(b))
            if sa == 0 or sb == 0:
                raise ValueError("zero vector")
            a /= sa
            b /= sb
            cos = np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)))
            return float(np.clip(cos, -1, 1))
    """, fails=("leaves_input_unchanged",)),

    # ------------------------------------------------------------------ matmul
    wrong("matmul", "elementwise_product", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.shape[1] != B.shape[0]:
                raise ValueError(f"cannot multiply {A.shape} and {B.shape}")
            return A * B
    """, fails=("matches_definition",)),

    wrong("matmul", "indexes_b_by_row", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.shape[1] != B.shape[0]:
                raise ValueError(f"cannot multiply {A.shape} and {B.shape}")
            m, k = A.shape
            n = B.shape[1]
            C = np.zeros((m, n))
            for i in range(m):
                for j in range(n):
                    for p in range(k):
                        C[i, j] += A[i, p] * B[j, p]
            return C
    """, fails=("matches_definition",)),

    wrong("matmul", "result_shaped_like_a", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.shape[1] != B.shape[0]:
                raise ValueError(f"cannot multiply {A.shape} and {B.shape}")
            C = np.zeros_like(A)
            for i in range(C.shape[0]):
                for j in range(min(C.shape[1], B.shape[1])):
                    C[i, j] = np.sum(A[i, :] * B[:, j])
            return C
    """, fails=("matches_definition", "shape_rule")),

    wrong("matmul", "keeps_integer_dtype", """
        def matmul(A, B):
            A = np.asarray(A)
            B = np.asarray(B)
            if A.shape[1] != B.shape[0]:
                raise ValueError(f"cannot multiply {A.shape} and {B.shape}")
            C = np.zeros((A.shape[0], B.shape[1]), dtype=np.result_type(A, B))
            for p in range(A.shape[1]):
                C += A[:, p:p + 1] * B[p:p + 1, :]
            return C
    """, fails=("returns_float64",)),

    wrong("matmul", "message_without_shapes", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.shape[1] != B.shape[0]:
                raise ValueError("the inner dimensions do not match")
            return (A[:, :, None] * B[None, :, :]).sum(axis=1)
    """, fails=("rejects_mismatched_inner_dimensions",)),

    wrong("matmul", "no_shape_check", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            m, k = A.shape
            n = B.shape[1]
            C = np.zeros((m, n))
            for i in range(m):
                for j in range(n):
                    for p in range(k):
                        C[i, j] += A[i, p] * B[p, j]
            return C
    """, fails=("rejects_mismatched_inner_dimensions",)),

    wrong("matmul", "broadcasting_is_the_only_shape_check", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            # NumPy raises "could not be broadcast together with shapes ..." when they do not fit
            return (A[:, :, None] * B[None, :, :]).sum(axis=1)
    """, fails=("rejects_mismatched_inner_dimensions",)),

    wrong("matmul", "rows_against_transposed_columns_broadcast", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError(f"need 2-D arrays, got {A.shape} and {B.shape}")
            try:
                return np.sum(A[:, None, :] * B.T[None, :, :], axis=2)
            except ValueError:
                raise ValueError(f"cannot multiply {A.shape} and {B.shape}") from None
    """, fails=("rejects_mismatched_inner_dimensions",)),

    wrong("matmul", "tolerates_an_inner_dimension_of_one", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.shape[1] != B.shape[0] and 1 not in (A.shape[1], B.shape[0]):
                raise ValueError(f"cannot multiply {A.shape} and {B.shape}")
            return (A[:, :, None] * B[None, :, :]).sum(axis=1)
    """, fails=("rejects_mismatched_inner_dimensions",)),

    wrong("matmul", "dot_method", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.shape[1] != B.shape[0]:
                raise ValueError(f"cannot multiply {A.shape} and {B.shape}")
            return A.dot(B)
    """, fails=("from_scratch",)),

    wrong("matmul", "einsum_alias", """
        from numpy import einsum as contract

        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.shape[1] != B.shape[0]:
                raise ValueError(f"cannot multiply {A.shape} and {B.shape}")
            return contract("ik,kj->ij", A, B)
    """, fails=("from_scratch",)),

    wrong("matmul", "at_operator_in_helper", """
        def _product(X, Y):
            return X @ Y

        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.shape[1] != B.shape[0]:
                raise ValueError(f"cannot multiply {A.shape} and {B.shape}")
            return _product(A, B)
    """, fails=("from_scratch",)),

    # ------------------------------------------------------------------ determinant
    wrong("determinant", "no_pivoting", """
        def determinant(A):
            U = np.array(A, dtype=float)
            if U.ndim != 2 or U.shape[0] != U.shape[1]:
                raise ValueError("A must be square")
            n = len(U)
            for j in range(n):
                for i in range(j + 1, n):
                    U[i, j:] -= U[i, j] / U[j, j] * U[j, j:]
            return float(np.prod(np.diag(U)))
    """, fails=("zero_pivot_needs_a_row_swap", "tiny_pivot_is_swapped_away")),

    wrong("determinant", "swaps_only_on_exact_zero", """
        def determinant(A):
            U = np.array(A, dtype=float)
            if U.ndim != 2 or U.shape[0] != U.shape[1]:
                raise ValueError("A must be square")
            n = len(U)
            det = 1.0
            for j in range(n):
                if U[j, j] == 0:
                    below = np.nonzero(U[j:, j])[0]
                    if len(below) == 0:
                        return 0.0
                    p = j + below[0]
                    U[[j, p]] = U[[p, j]]
                    det = -det
                det *= U[j, j]
                for i in range(j + 1, n):
                    U[i, j:] -= U[i, j] / U[j, j] * U[j, j:]
            return float(det)
    """, fails=("tiny_pivot_is_swapped_away",)),

    wrong("determinant", "forgets_the_sign_of_swaps", """
        def determinant(A):
            U = np.array(A, dtype=float)
            if U.ndim != 2 or U.shape[0] != U.shape[1]:
                raise ValueError("A must be square")
            n = len(U)
            det = 1.0
            for j in range(n):
                p = j + np.argmax(np.abs(U[j:, j]))
                if U[p, j] == 0:
                    return 0.0
                U[[j, p]] = U[[p, j]]
                det *= U[j, j]
                U[j + 1:, j:] -= np.outer(U[j + 1:, j] / U[j, j], U[j, j:])
            return float(det)
    """, fails=("zero_pivot_needs_a_row_swap",)),

    wrong("determinant", "singular_raises", """
        def determinant(A):
            U = np.array(A, dtype=float)
            if U.ndim != 2 or U.shape[0] != U.shape[1]:
                raise ValueError("A must be square")
            n = len(U)
            det = 1.0
            for j in range(n):
                p = j + np.argmax(np.abs(U[j:, j]))
                if abs(U[p, j]) < 1e-12:
                    raise ZeroDivisionError("the matrix is singular")
                if p != j:
                    U[[j, p]] = U[[p, j]]
                    det = -det
                det *= U[j, j]
                U[j + 1:, j:] -= np.outer(U[j + 1:, j] / U[j, j], U[j, j:])
            return float(det)
    """, fails=("singular_matrices_give_zero",)),

    wrong("determinant", "eliminates_in_the_callers_array", """
        def determinant(A):
            U = np.asarray(A, dtype=float)           # no copy for a float array!
            if U.ndim != 2 or U.shape[0] != U.shape[1]:
                raise ValueError("A must be square")
            n = len(U)
            det = 1.0
            for j in range(n):
                p = j + np.argmax(np.abs(U[j:, j]))
                if U[p, j] == 0:
                    return 0.0
                if p != j:
                    U[[j, p]] = U[[p, j]]
                    det = -det
                det *= U[j, j]
                U[j + 1:, j:] -= np.outer(U[j + 1:, j] / U[j, j], U[j, j:])
            return float(det)
    """, fails=("leaves_input_unchanged",)),

    wrong("determinant", "integer_copy_truncates", """
        def determinant(A):
            U = np.array(A)
            if U.ndim != 2 or U.shape[0] != U.shape[1]:
                raise ValueError("A must be square")
            n = len(U)
            det = 1.0
            for j in range(n):
                p = j + np.argmax(np.abs(U[j:, j]))
                if U[p, j] == 0:
                    return 0.0
                if p != j:
                    U[[j, p]] = U[[p, j]]
                    det = -det
                det *= U[j, j]
                for i in range(j + 1, n):
                    U[i, j:] = U[i, j:] - U[i, j] / U[j, j] * U[j, j:]
            return float(det)
    """, fails=("integer_matrices",)),

    wrong("determinant", "cofactor_expansion", """
        def determinant(A):
            A = np.asarray(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            if n == 1:
                return float(A[0, 0])
            if n == 2:
                return float(A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0])
            total = 0.0
            for j in range(n):
                minor = np.delete(A[1:], j, axis=1)
                total += (-1) ** j * A[0, j] * determinant(minor)
            return total
    """, fails=("scales_to_large_matrices",)),

    wrong("determinant", "no_square_check", """
        def determinant(A):
            U = np.array(A, dtype=float)
            n = len(U)
            det = 1.0
            for j in range(min(U.shape[0], U.shape[-1])):
                p = j + np.argmax(np.abs(U[j:, j]))
                if U[p, j] == 0:
                    return 0.0
                if p != j:
                    U[[j, p]] = U[[p, j]]
                    det = -det
                det *= U[j, j]
                U[j + 1:, j:] -= np.outer(U[j + 1:, j] / U[j, j], U[j, j:])
            return float(det)
    """, fails=("rejects_non_square",)),

    wrong("determinant", "linalg_det_alias", """
        import numpy.linalg as la

        def determinant(A):
            A = np.asarray(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            return float(la.det(A))
    """, fails=("from_scratch",)),

    wrong("determinant", "scipy_lu_factor", """
        from scipy.linalg import lu_factor

        def determinant(A):
            A = np.asarray(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            lu, piv = lu_factor(A)
            swaps = np.sum(piv != np.arange(len(A)))
            return float((-1) ** swaps * np.prod(np.diag(lu)))
    """, fails=("from_scratch",)),

    # ------------------------------------------------------------------ inverse
    wrong("inverse", "no_pivoting", """
        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            M = np.hstack([A, np.eye(n)])
            for j in range(n):
                if M[j, j] == 0:
                    raise ValueError("singular matrix")
                M[j] = M[j] / M[j, j]
                for i in range(n):
                    if i != j:
                        M[i] = M[i] - M[i, j] * M[j]
            return M[:, n:]
    """, fails=("zero_pivot_needs_a_row_swap", "tiny_pivot_is_swapped_away")),

    wrong("inverse", "first_nonzero_pivot", """
        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            tol = n * np.finfo(float).eps * np.abs(A).max()
            M = np.hstack([A, np.eye(n)])
            for j in range(n):
                candidates = np.flatnonzero(M[j:, j] != 0)
                if len(candidates) == 0:
                    raise ValueError("the matrix is singular")
                p = j + candidates[0]                 # the first usable row, not the largest
                M[[j, p]] = M[[p, j]]
                if abs(M[j, j]) <= tol and np.max(np.abs(M[j:, j])) <= tol:
                    raise ValueError("the matrix is singular")
                M[j] = M[j] / M[j, j]
                for i in range(n):
                    if i != j:
                        M[i] = M[i] - M[i, j] * M[j]
            return M[:, n:]
    """, fails=("tiny_pivot_is_swapped_away",)),

    wrong("inverse", "swaps_only_the_left_half", """
        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            tol = n * np.finfo(float).eps * np.abs(A).max()
            L, R = A, np.eye(n)
            for j in range(n):
                p = j + np.argmax(np.abs(L[j:, j]))
                if abs(L[p, j]) <= tol:
                    raise ValueError("the matrix is singular")
                L[[j, p]] = L[[p, j]]                 # R's rows are not swapped along
                pivot = L[j, j]
                L[j] = L[j] / pivot
                R[j] = R[j] / pivot
                for i in range(n):
                    if i != j:
                        f = L[i, j]
                        L[i] = L[i] - f * L[j]
                        R[i] = R[i] - f * R[j]
            return R
    """, fails=("zero_pivot_needs_a_row_swap",)),

    wrong("inverse", "exact_zero_singularity_test", """
        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            M = np.hstack([A, np.eye(n)])
            for j in range(n):
                p = j + np.argmax(np.abs(M[j:, j]))
                if M[p, j] == 0:
                    raise ValueError("the matrix is singular")
                M[[j, p]] = M[[p, j]]
                M[j] = M[j] / M[j, j]
                for i in range(n):
                    if i != j:
                        M[i] = M[i] - M[i, j] * M[j]
            return M[:, n:]
    """, fails=("singular_matrices_raise",)),

    wrong("inverse", "absolute_singularity_threshold", """
        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            M = np.hstack([A, np.eye(n)])
            for j in range(n):
                p = j + np.argmax(np.abs(M[j:, j]))
                if abs(M[p, j]) < 1e-10:              # a fixed cut-off, blind to the matrix's scale
                    raise ValueError("the matrix is singular")
                M[[j, p]] = M[[p, j]]
                M[j] = M[j] / M[j, j]
                for i in range(n):
                    if i != j:
                        M[i] = M[i] - M[i, j] * M[j]
            return M[:, n:]
    """, fails=("accurate_up_to_condition_number_1e6",)),

    wrong("inverse", "clears_below_the_pivot_only", """
        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            tol = n * np.finfo(float).eps * np.abs(A).max()
            M = np.hstack([A, np.eye(n)])
            for j in range(n):
                p = j + np.argmax(np.abs(M[j:, j]))
                if abs(M[p, j]) <= tol:
                    raise ValueError("the matrix is singular")
                M[[j, p]] = M[[p, j]]
                M[j] = M[j] / M[j, j]
                for i in range(j + 1, n):             # forgets the rows above the pivot
                    M[i] = M[i] - M[i, j] * M[j]
            return M[:, n:]
    """, fails=("inverts_regular_matrices",)),

    wrong("inverse", "singular_message_says_nothing", """
        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            tol = n * np.finfo(float).eps * np.abs(A).max()
            M = np.hstack([A, np.eye(n)])
            for j in range(n):
                p = j + np.argmax(np.abs(M[j:, j]))
                if abs(M[p, j]) <= tol:
                    raise ValueError(f"bad pivot in column {j}")
                M[[j, p]] = M[[p, j]]
                M[j] = M[j] / M[j, j]
                for i in range(n):
                    if i != j:
                        M[i] = M[i] - M[i, j] * M[j]
            return M[:, n:]
    """, fails=("singular_message_says_why",)),

    wrong("inverse", "eliminates_in_the_callers_array", """
        def matrix_inverse(A):
            A = np.asarray(A, dtype=float)            # no copy for a float array
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            tol = n * np.finfo(float).eps * np.abs(A).max()
            X = np.eye(n)
            for j in range(n):
                p = j + np.argmax(np.abs(A[j:, j]))
                if abs(A[p, j]) <= tol:
                    raise ValueError("the matrix is singular")
                A[[j, p]] = A[[p, j]]
                X[[j, p]] = X[[p, j]]
                pivot = A[j, j]
                A[j] /= pivot
                X[j] /= pivot
                for i in range(n):
                    if i != j:
                        f = A[i, j]
                        A[i] -= f * A[j]
                        X[i] -= f * X[j]
            return X
    """, fails=("leaves_input_unchanged",)),

    wrong("inverse", "integer_augmented_matrix", """
        def matrix_inverse(A):
            A = np.array(A)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            tol = n * np.finfo(float).eps * np.abs(A).max()
            M = np.hstack([A, np.eye(n, dtype=A.dtype)])   # keeps an integer dtype: divisions truncate
            for j in range(n):
                p = j + np.argmax(np.abs(M[j:, j]))
                if abs(M[p, j]) <= tol:
                    raise ValueError("the matrix is singular")
                M[[j, p]] = M[[p, j]]
                M[j] = M[j] / M[j, j]
                for i in range(n):
                    if i != j:
                        M[i] = M[i] - M[i, j] * M[j]
            return M[:, n:]
    """, fails=("integer_matrices_give_float64",)),

    wrong("inverse", "adjugate_of_cofactors", """
        def _det(M):
            if len(M) == 1:
                return M[0, 0]
            return sum((-1) ** j * M[0, j] * _det(np.delete(M[1:], j, axis=1)) for j in range(len(M)))

        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            n = len(A)
            d = _det(A)
            if abs(d) <= n * np.finfo(float).eps * np.abs(A).max() ** n:
                raise ValueError("the matrix is singular")
            if n == 1:
                return np.array([[1.0 / d]])
            C = np.empty((n, n))
            for i in range(n):
                for j in range(n):
                    minor = np.delete(np.delete(A, i, axis=0), j, axis=1)
                    C[i, j] = (-1) ** (i + j) * _det(minor)
            return C.T / d
    """, fails=("scales_to_large_matrices",)),

    wrong("inverse", "no_square_check", """
        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            A = np.atleast_2d(A)
            n = A.shape[0]
            tol = n * np.finfo(float).eps * np.abs(A).max()
            M = np.hstack([A, np.eye(n)])
            for j in range(min(A.shape)):
                p = j + np.argmax(np.abs(M[j:, j]))
                if abs(M[p, j]) <= tol:
                    raise ValueError("the matrix is singular")
                M[[j, p]] = M[[p, j]]
                M[j] = M[j] / M[j, j]
                for i in range(n):
                    if i != j:
                        M[i] = M[i] - M[i, j] * M[j]
            return M[:, A.shape[1]:]
    """, fails=("rejects_non_square",)),

    wrong("inverse", "linalg_inv", """
        def matrix_inverse(A):
            A = np.asarray(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            if abs(np.linalg.det(A)) < 1e-12:
                raise ValueError("singular matrix")
            return np.linalg.inv(A)
    """, fails=("from_scratch",)),

    wrong("inverse", "solve_against_identity", """
        from scipy import linalg

        def matrix_inverse(A):
            A = np.asarray(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            return linalg.solve(A, np.eye(len(A)))
    """, fails=("from_scratch",)),

    # ------------------------------------------------------------------ rank
    wrong("rank", "counts_nonzero_singular_values", """
        def matrix_rank(A, tol=None):
            s = np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)
            if tol is None:
                tol = 0.0
            return int(np.sum(s > tol))
    """, fails=("rank_deficient_matrices",)),

    wrong("rank", "fixed_absolute_tolerance", """
        def matrix_rank(A, tol=None):
            s = np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)
            if tol is None:
                tol = 1e-10
            return int(np.sum(s > tol))
    """, fails=("default_tolerance_is_relative",)),

    wrong("rank", "smaller_dimension_in_tolerance", """
        def matrix_rank(A, tol=None):
            A = np.asarray(A, dtype=float)
            s = np.linalg.svd(A, compute_uv=False)
            if tol is None:
                tol = s.max() * min(A.shape) * np.finfo(float).eps
            return int(np.sum(s > tol))
    """, fails=("default_tolerance_uses_the_larger_dimension",)),

    wrong("rank", "float32_epsilon", """
        def matrix_rank(A, tol=None):
            A = np.asarray(A, dtype=float)
            s = np.linalg.svd(A, compute_uv=False)
            if tol is None:
                tol = s.max() * max(A.shape) * np.finfo(np.float32).eps
            return int(np.sum(s > tol))
    """, fails=("default_tolerance_uses_the_larger_dimension",)),

    wrong("rank", "at_least_tol", """
        def matrix_rank(A, tol=None):
            A = np.asarray(A, dtype=float)
            s = np.linalg.svd(A, compute_uv=False)
            if tol is None:
                tol = s[0] * max(A.shape) * np.finfo(float).eps
            return int(np.sum(s >= tol))
    """, fails=("zero_matrix",)),

    wrong("rank", "eigenvalues_of_gram_matrix", """
        def matrix_rank(A, tol=None):
            A = np.asarray(A, dtype=float)
            s = np.sqrt(np.abs(np.linalg.eigvalsh(A.T @ A)))     # singular values of A
            if tol is None:
                tol = s.max() * max(A.shape) * np.finfo(float).eps
            return int(np.sum(s > tol))
    """, fails=("rank_deficient_matrices",)),

    wrong("rank", "ignores_given_tol", """
        def matrix_rank(A, tol=None):
            A = np.asarray(A, dtype=float)
            s = np.linalg.svd(A, compute_uv=False)
            tol = s[0] * max(A.shape) * np.finfo(float).eps
            return int(np.sum(s > tol))
    """, fails=("explicit_tolerance",)),

    wrong("rank", "counts_elimination_pivots", """
        def matrix_rank(A, tol=None):
            U = np.array(A, dtype=float)
            if tol is None:
                tol = 1e-9
            rank, row = 0, 0
            for col in range(U.shape[1]):
                if row == U.shape[0]:
                    break
                p = row + np.argmax(np.abs(U[row:, col]))
                if abs(U[p, col]) <= tol:
                    continue
                U[[row, p]] = U[[p, row]]
                U[row + 1:] -= np.outer(U[row + 1:, col] / U[row, col], U[row])
                rank += 1
                row += 1
            return rank
    """, fails=("default_tolerance_is_relative",)),

    wrong("rank", "numpy_matrix_rank_alias", """
        from numpy import linalg

        def matrix_rank(A, tol=None):
            return int(linalg.matrix_rank(np.asarray(A, dtype=float), tol=tol))
    """, fails=("from_scratch",)),

    # ------------------------------------------------------------------ eigen
    wrong("eigen", "eigenvalue_as_the_norm", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.any(A):
                raise ValueError("A must be a non-zero square matrix")
            if np.max(np.abs(A - A.T)) > 1e-10 * np.max(np.abs(A)):
                raise ValueError("A must be symmetric")
            v = np.random.default_rng(1).normal(size=len(A))
            v /= np.sqrt(v @ v)
            lam = 0.0
            for _ in range(max_iter):
                w = A @ v
                lam = np.sqrt(w @ w)                  # |A v|: the size, but never the sign
                w /= lam
                done = min(np.sqrt((w - v) @ (w - v)), np.sqrt((w + v) @ (w + v))) <= tol
                v = w
                if done:
                    break
            return float(lam), v
    """, fails=("negative_dominant_eigenvalue",)),

    wrong("eigen", "starts_from_all_ones", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.any(A):
                raise ValueError("A must be a non-zero square matrix")
            if np.max(np.abs(A - A.T)) > 1e-10 * np.max(np.abs(A)):
                raise ValueError("A must be symmetric")
            v = np.ones(len(A)) / np.sqrt(len(A))
            for _ in range(max_iter):
                w = A @ v
                w /= np.sqrt(w @ w)
                done = min(np.sqrt((w - v) @ (w - v)), np.sqrt((w + v) @ (w + v))) <= tol
                v = w
                if done:
                    break
            return float(v @ A @ v), v
    """, fails=("start_vector_reaches_the_dominant_direction",)),

    wrong("eigen", "starts_from_e1", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.any(A):
                raise ValueError("A must be a non-zero square matrix")
            if np.max(np.abs(A - A.T)) > 1e-10 * np.max(np.abs(A)):
                raise ValueError("A must be symmetric")
            v = np.zeros(len(A))
            v[0] = 1.0
            for _ in range(max_iter):
                w = A @ v
                w /= np.sqrt(w @ w)
                done = min(np.sqrt((w - v) @ (w - v)), np.sqrt((w + v) @ (w + v))) <= tol
                v = w
                if done:
                    break
            return float(v @ A @ v), v
    """, fails=("start_vector_reaches_the_dominant_direction",)),

    wrong("eigen", "normalises_only_at_the_end", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.any(A):
                raise ValueError("A must be a non-zero square matrix")
            if np.max(np.abs(A - A.T)) > 1e-10 * np.max(np.abs(A)):
                raise ValueError("A must be symmetric")
            x = np.random.default_rng(0).normal(size=len(A))
            for _ in range(max_iter):
                x_new = A @ x                          # |x| grows like |lambda_1|^k
                a, b = x / np.linalg.norm(x), x_new / np.linalg.norm(x_new)
                x = x_new
                if min(np.linalg.norm(a - b), np.linalg.norm(a + b)) <= tol:
                    break
            v = x / np.linalg.norm(x)
            return float(v @ A @ v), v
    """, fails=("any_scale",)),

    wrong("eigen", "symmetry_checked_with_allclose", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.any(A):
                raise ValueError("A must be a non-zero square matrix")
            if not np.allclose(A, A.T):                # rtol 1e-5: misses small asymmetries
                raise ValueError("A must be symmetric")
            v = np.random.default_rng(0).normal(size=len(A))
            v /= np.sqrt(v @ v)
            for _ in range(max_iter):
                w = A @ v
                w /= np.sqrt(w @ w)
                done = min(np.sqrt((w - v) @ (w - v)), np.sqrt((w + v) @ (w + v))) <= tol
                v = w
                if done:
                    break
            return float(v @ A @ v), v
    """, fails=("rejects_non_symmetric",)),

    wrong("eigen", "symmetry_checked_exactly", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.any(A):
                raise ValueError("A must be a non-zero square matrix")
            if not np.array_equal(A, A.T):
                raise ValueError("A must be symmetric")
            v = np.random.default_rng(0).normal(size=len(A))
            v /= np.sqrt(v @ v)
            for _ in range(max_iter):
                w = A @ v
                w /= np.sqrt(w @ w)
                done = min(np.sqrt((w - v) @ (w - v)), np.sqrt((w + v) @ (w + v))) <= tol
                v = w
                if done:
                    break
            return float(v @ A @ v), v
    """, fails=("accepts_rounding_level_asymmetry",)),

    wrong("eigen", "zero_matrix_not_refused", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            if np.max(np.abs(A - A.T)) > 1e-10 * np.max(np.abs(A)):
                raise ValueError("A must be symmetric")
            v = np.random.default_rng(0).normal(size=len(A))
            v /= np.sqrt(v @ v)
            for _ in range(max_iter):
                w = A @ v
                norm = np.sqrt(w @ w)
                if norm == 0:
                    return 0.0, v
                w /= norm
                done = min(np.sqrt((w - v) @ (w - v)), np.sqrt((w + v) @ (w + v))) <= tol
                v = w
                if done:
                    break
            return float(v @ A @ v), v
    """, fails=("rejects_zero_matrix",)),

    wrong("eigen", "ignores_max_iter", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.any(A):
                raise ValueError("A must be a non-zero square matrix")
            if np.max(np.abs(A - A.T)) > 1e-10 * np.max(np.abs(A)):
                raise ValueError("A must be symmetric")
            v = np.random.default_rng(0).normal(size=len(A))
            v /= np.sqrt(v @ v)
            change = np.inf
            while change > tol:                         # max_iter is never looked at
                w = A @ v
                w /= np.sqrt(w @ w)
                change = min(np.sqrt((w - v) @ (w - v)), np.sqrt((w + v) @ (w + v)))
                v = w
            return float(v @ A @ v), v
    """, fails=("stops_after_max_iter",)),

    wrong("eigen", "symmetrises_in_place", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.asarray(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.any(A):
                raise ValueError("A must be a non-zero square matrix")
            if np.max(np.abs(A - A.T)) > 1e-10 * np.max(np.abs(A)):
                raise ValueError("A must be symmetric")
            A += A.T                                   # exact symmetry, written into the caller's array
            A /= 2
            v = np.random.default_rng(0).normal(size=len(A))
            v /= np.sqrt(v @ v)
            for _ in range(max_iter):
                w = A @ v
                w /= np.sqrt(w @ w)
                done = min(np.sqrt((w - v) @ (w - v)), np.sqrt((w + v) @ (w + v))) <= tol
                v = w
                if done:
                    break
            return float(v @ A @ v), v
    """, fails=("leaves_input_unchanged",)),

    wrong("eigen", "linalg_eigh", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.asarray(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.any(A):
                raise ValueError("A must be a non-zero square matrix")
            if np.max(np.abs(A - A.T)) > 1e-10 * np.max(np.abs(A)):
                raise ValueError("A must be symmetric")
            values, vectors = np.linalg.eigh(A)
            i = np.argmax(np.abs(values))
            return float(values[i]), vectors[:, i]
    """, fails=("from_scratch",)),

    # ------------------------------------------------------------------ svd_approx
    wrong("svd_approx", "keeps_the_smallest_singular_values", """
        def low_rank_approx(M, k):
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
                raise ValueError("k must be a non-negative integer")
            M = np.asarray(M, dtype=float)
            if k >= min(M.shape):
                return M.copy()
            U, s, Vt = np.linalg.svd(M, full_matrices=False)
            r = len(s)
            return U[:, r - k:] @ np.diag(s[r - k:]) @ Vt[r - k:]
    """, fails=("best_rank_k_approximation",)),

    wrong("svd_approx", "columns_of_vt", """
        def low_rank_approx(M, k):
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
                raise ValueError("k must be a non-negative integer")
            M = np.asarray(M, dtype=float)
            if k >= min(M.shape):
                return M.copy()
            U, s, Vt = np.linalg.svd(M)
            return U[:, :k] @ np.diag(s[:k]) @ Vt[:, :k].T
    """, fails=("best_rank_k_approximation",)),

    wrong("svd_approx", "full_matrices_breaks_large_k", """
        def low_rank_approx(M, k):
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
                raise ValueError("k must be a non-negative integer")
            M = np.asarray(M, dtype=float)
            U, s, Vt = np.linalg.svd(M)          # full_matrices=True: U is m x m, Vt is n x n
            return U[:, :k] @ np.diag(s[:k]) @ Vt[:k, :]
    """, fails=("k_at_least_min_dimension_returns_m",)),

    wrong("svd_approx", "k_zero_is_an_error", """
        def low_rank_approx(M, k):
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
                raise ValueError("the rank k must be a positive integer")
            M = np.asarray(M, dtype=float)
            U, s, Vt = np.linalg.svd(M, full_matrices=False)
            return (U[:, :k] * s[:k]) @ Vt[:k]
    """, fails=("k_zero_gives_zeros",)),

    wrong("svd_approx", "no_validation_of_k", """
        def low_rank_approx(M, k):
            M = np.asarray(M, dtype=float)
            U, s, Vt = np.linalg.svd(M, full_matrices=False)
            return (U[:, :k] * s[:k]) @ Vt[:k]
    """, fails=("rejects_bad_k",)),

    wrong("svd_approx", "python_int_only", """
        def low_rank_approx(M, k):
            if type(k) is not int or k < 0:
                raise ValueError("k must be a non-negative int")
            M = np.asarray(M, dtype=float)
            U, s, Vt = np.linalg.svd(M, full_matrices=False)
            return (U[:, :k] * s[:k]) @ Vt[:k]
    """, fails=("best_rank_k_approximation",)),

    wrong("svd_approx", "integer_zeros_for_k_zero", """
        def low_rank_approx(M, k):
            if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or k < 0:
                raise ValueError("k must be a non-negative integer")
            M = np.asarray(M)
            if k == 0:
                return np.zeros_like(M)
            U, s, Vt = np.linalg.svd(M, full_matrices=False)
            return (U[:, :k] * s[:k]) @ Vt[:k]
    """, fails=("integer_matrix_gives_float64",)),

    wrong("svd_approx", "subtracts_the_tail_in_place", """
        def low_rank_approx(M, k):
            if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or k < 0:
                raise ValueError("k must be a non-negative integer")
            M = np.asarray(M, dtype=float)
            U, s, Vt = np.linalg.svd(M, full_matrices=False)
            M -= (U[:, k:] * s[k:]) @ Vt[k:]     # remove the discarded layers
            return M
    """, fails=("leaves_input_unchanged",)),

    # ------------------------------------------------------------------ pca
    wrong("pca", "eigh_order_not_reversed", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2 or isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d or np.all(X == X[0]):
                raise ValueError("bad input")
            Xc = X - X.mean(axis=0)
            values, vectors = np.linalg.eigh(Xc.T @ Xc / (n - 1))
            return vectors[:, :n_components].T, values[:n_components] / values.sum()
    """, fails=("components_match", "sorted_by_decreasing_variance")),

    wrong("pca", "eig_unsorted", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2 or isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d or np.all(X == X[0]):
                raise ValueError("bad input")
            C = np.cov(X, rowvar=False)
            values, vectors = np.linalg.eig(C)
            return vectors[:, :n_components].T.real, (values[:n_components] / values.sum()).real
    """, fails=("sorted_by_decreasing_variance",)),

    wrong("pca", "not_centred", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2 or isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d or np.all(X == X[0]):
                raise ValueError("bad input")
            _, s, Vt = np.linalg.svd(X, full_matrices=False)
            return Vt[:n_components], s[:n_components] ** 2 / np.sum(s ** 2)
    """, fails=("centres_the_data",)),

    wrong("pca", "components_as_columns", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2 or isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d or np.all(X == X[0]):
                raise ValueError("bad input")
            values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
            order = np.argsort(values)[::-1][:n_components]
            return vectors[:, order], values[order] / values.sum()
    """, fails=("components_match",)),

    wrong("pca", "ratio_over_kept_components", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2 or isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d or np.all(X == X[0]):
                raise ValueError("bad input")
            _, s, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
            kept = s[:n_components] ** 2
            return Vt[:n_components], kept / kept.sum()
    """, fails=("explained_variance_ratio",)),

    wrong("pca", "scipy_eig_is_complex", """
        import scipy.linalg

        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2 or isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d or np.all(X == X[0]):
                raise ValueError("bad input")
            values, vectors = scipy.linalg.eig(np.cov(X, rowvar=False))
            order = np.argsort(-values.real)[:n_components]
            return vectors[:, order].T, values[order] / values.sum()
    """, fails=("returns_real_arrays",)),

    wrong("pca", "slices_any_n_components", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            if len(X) < 2 or np.all(X == X[0]):
                raise ValueError("need at least 2 different samples")
            _, s, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
            return Vt[:n_components], s[:n_components] ** 2 / np.sum(s ** 2)
    """, fails=("rejects_bad_n_components",)),

    wrong("pca", "single_sample_not_rejected", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d:
                raise ValueError("n_components must be an integer in 1..n_features")
            Xc = X - X.mean(axis=0)
            if n > 1 and not Xc.any():
                raise ValueError("zero variance")
            _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
            total = np.sum(s ** 2)
            if len(s) < n_components:
                s = np.concatenate([s, np.zeros(n_components - len(s))])
                Vt = np.vstack([Vt, np.zeros((n_components - len(Vt), d))])
            with np.errstate(all="ignore"):
                return Vt[:n_components], s[:n_components] ** 2 / total
    """, fails=("rejects_fewer_than_two_samples",)),

    wrong("pca", "zero_variance_not_rejected", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2:
                raise ValueError("need at least 2 samples")
            if isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d:
                raise ValueError("n_components must be an integer in 1..n_features")
            _, s, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
            with np.errstate(all="ignore"):
                return Vt[:n_components], s[:n_components] ** 2 / np.sum(s ** 2)
    """, fails=("rejects_zero_total_variance",)),

    wrong("pca", "thin_svd_with_sklearn_sign_convention", """
        def pca(X, n_components):
            X = np.array(X, dtype=np.float64)
            if X.ndim != 2 or X.shape[0] < 2:
                raise ValueError("X must have at least 2 rows")
            if type(n_components) is bool or not isinstance(n_components, (int, np.integer)) \\
                    or not 0 < n_components <= X.shape[1]:
                raise ValueError(f"invalid n_components={n_components!r}")
            X -= X.mean(axis=0)                   # our own copy
            _, s, Vt = np.linalg.svd(X, full_matrices=False)
            total = np.sum(s ** 2)
            if total == 0:
                raise ValueError("all samples are identical")
            biggest = np.argmax(np.abs(Vt), axis=1)
            Vt *= np.sign(Vt[np.arange(len(Vt)), biggest])[:, None]
            return Vt[:n_components], (s ** 2 / total)[:n_components]
    """, fails=("more_components_than_samples",)),

    wrong("pca", "scikit_learn_refuses_more_components_than_samples", """
        from sklearn.decomposition import PCA

        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            if X.shape[0] < 2:
                raise ValueError("need at least 2 samples")
            if isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= X.shape[1]:
                raise ValueError("n_components must be an integer in 1..n_features")
            if np.all(X == X[0]):
                raise ValueError("zero total variance")
            model = PCA(n_components=int(n_components), svd_solver="full").fit(X)
            return model.components_, model.explained_variance_ratio_
    """, fails=("more_components_than_samples",)),

    wrong("pca", "pads_with_zero_rows", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2 or isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d or np.all(X == X[0]):
                raise ValueError("bad input")
            _, s, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
            missing = n_components - len(s)
            if missing > 0:                       # fewer samples than components: pad
                Vt = np.vstack([Vt, np.zeros((missing, d))])
                s = np.concatenate([s, np.zeros(missing)])
            return Vt[:n_components], s[:n_components] ** 2 / np.sum(s ** 2)
    """, fails=("more_components_than_samples",)),

    wrong("pca", "pads_with_unit_vectors", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2 or isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d or np.all(X == X[0]):
                raise ValueError("bad input")
            _, s, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
            missing = n_components - len(s)
            if missing > 0:                       # fewer samples than components: pad with axes
                Vt = np.vstack([Vt, np.eye(d)[:missing]])
                s = np.concatenate([s, np.zeros(missing)])
            return Vt[:n_components], s[:n_components] ** 2 / np.sum(s ** 2)
    """, fails=("more_components_than_samples",)),

    wrong("pca", "centres_in_place", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n, d = X.shape
            if n < 2 or isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= d or np.all(X == X[0]):
                raise ValueError("bad input")
            X -= X.mean(axis=0)
            _, s, Vt = np.linalg.svd(X, full_matrices=False)
            return Vt[:n_components], s[:n_components] ** 2 / np.sum(s ** 2)
    """, fails=("leaves_input_unchanged",)),

    # ------------------------------------------------------------------ dense_layer
    wrong("dense_layer", "no_transpose", """
        def dense_forward(X, W, b):
            X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
            if b.shape != (W.shape[0],):
                raise ValueError("b must have one entry per row of W")
            return X @ W + b
    """, fails=("batch_forward",)),

    wrong("dense_layer", "weights_times_batch", """
        def dense_forward(X, W, b):
            X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
            if b.shape != (W.shape[0],) or X.shape[-1] != W.shape[1]:
                raise ValueError("shapes do not match")
            return W @ X + b
    """, fails=("batch_forward",)),

    wrong("dense_layer", "always_returns_a_batch", """
        def dense_forward(X, W, b):
            X = np.atleast_2d(np.asarray(X, dtype=float))
            W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
            if b.shape != (W.shape[0],) or X.shape[1] != W.shape[1]:
                raise ValueError("shapes do not match")
            return X @ W.T + b
    """, fails=("single_sample",)),

    wrong("dense_layer", "bias_broadcast_unchecked", """
        def dense_forward(X, W, b):
            X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
            return X @ W.T + b                    # NumPy complains when shapes don't fit
    """, fails=("rejects_mismatched_shapes",)),

    wrong("dense_layer", "forgets_the_bias", """
        def dense_forward(X, W, b):
            X, W, b = (np.asarray(a, dtype=float) for a in (X, W, b))
            if b.shape != (W.shape[0],) or X.shape[-1] != W.shape[1]:
                raise ValueError("shapes do not match")
            return X @ W.T
    """, fails=("batch_forward", "single_sample")),

    wrong("dense_layer", "integer_output", """
        def dense_forward(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if b.shape != (W.shape[0],) or X.shape[-1] != W.shape[1]:
                raise ValueError("shapes do not match")
            return np.dot(X, W.T) + b
    """, fails=("returns_float64",)),

    wrong("dense_layer", "reshapes_the_callers_array", """
        def dense_forward(X, W, b):
            X = np.asarray(X, dtype=float)
            W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
            if b.shape != (W.shape[0],) or X.shape[-1] != W.shape[1]:
                raise ValueError("shapes do not match")
            single = X.ndim == 1
            if single:
                X.shape = (1, X.size)             # treat one sample as a batch of one
            Y = X @ W.T + b
            return Y[0] if single else Y
    """, fails=("leaves_input_unchanged",)),
]

RIGHT = [
    # ------------------------------------------------------------------ norms
    right("norms", "lapack_running_scale", """
        def vector_norm(v, ord=2):
            if ord == 1:
                return float(sum(abs(float(x)) for x in v))
            if ord == np.inf:
                return max((abs(float(x)) for x in v), default=0.0)
            if ord != 2 or isinstance(ord, str):
                raise ValueError(f"unsupported ord {ord!r}: use 1, 2 or np.inf")
            # LAPACK's dnrm2: keep a running scale and a sum of squares relative to it
            scale, ssq = 0.0, 1.0
            for x in v:
                x = abs(float(x))
                if x == 0:
                    continue
                if scale < x:
                    ssq = 1.0 + ssq * (scale / x) ** 2
                    scale = x
                else:
                    ssq += (x / scale) ** 2
            return scale * ssq ** 0.5
    """),

    right("norms", "power_of_two_scaling", """
        def vector_norm(v, ord=2):
            allowed = {1: "l1", 2: "l2", np.inf: "max"}
            if isinstance(ord, str) or ord not in allowed:
                raise ValueError("ord must be one of 1, 2, np.inf")
            a = np.abs(np.asarray(v, dtype=np.float64))
            if a.size == 0:
                return np.float64(0.0)
            kind = allowed[ord]
            if kind == "l1":
                return a.sum()
            top = a.max()
            if kind == "max" or top == 0:
                return top
            _, e = np.frexp(top)                  # top = f * 2**e with f in [0.5, 1)
            scaled = np.ldexp(a, -e)              # exact: multiplying by a power of two
            return np.ldexp(np.sqrt(np.sum(scaled ** 2)), e)
    """),

    right("norms", "divide_by_max_with_fsum", """
        import math

        def vector_norm(v, ord=2):
            v = np.array(v, dtype=float)
            if ord is True or not (ord == 1 or ord == 2 or ord == np.inf):
                raise ValueError(f"ord={ord!r} is not supported")
            if len(v) == 0:
                return 0.0
            if ord == 1:
                return math.fsum(np.abs(v))
            biggest = float(np.max(np.abs(v)))
            if ord == np.inf:
                return biggest
            if biggest == 0.0:
                return 0.0
            return biggest * math.sqrt(math.fsum((x / biggest) ** 2 for x in v))
    """),

    # ------------------------------------------------------------------ cosine
    right("cosine", "reuses_vector_norm", """
        def cosine_similarity(a, b):
            a = np.asarray(a, dtype=float)
            b = np.asarray(b, dtype=float)
            if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
                raise ValueError(f"shapes {a.shape} and {b.shape} are not two 1-D vectors of equal length")
            na, nb = vector_norm(a), vector_norm(b)
            if na == 0 or nb == 0:
                raise ValueError("a zero vector has no direction")
            cos = np.sum((a / na) * (b / nb))       # unit vectors: no overflow
            return float(np.clip(cos, -1.0, 1.0))
    """),

    right("cosine", "math_hypot_is_fine_here", """
        import math

        def cosine_similarity(a, b):
            a = [float(x) for x in np.asarray(a, dtype=float).reshape(-1)] if np.ndim(a) == 1 else None
            b = [float(x) for x in np.asarray(b, dtype=float).reshape(-1)] if np.ndim(b) == 1 else None
            if a is None or b is None or len(a) != len(b):
                raise ValueError("cosine_similarity needs two 1-D vectors of the same length")
            na, nb = math.hypot(*a), math.hypot(*b)
            if na == 0.0 or nb == 0.0:
                raise ValueError("zero vector")
            cos = math.fsum((x / na) * (y / nb) for x, y in zip(a, b))
            return max(-1.0, min(1.0, cos))
    """),

    right("cosine", "unit_vectors_after_scaling", """
        def _unit(v):
            s = np.abs(v).max()
            if s == 0:
                raise ValueError("cannot take the direction of a zero vector")
            v = v / s
            return v / np.sqrt(v @ v)

        def cosine_similarity(a, b):
            a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError(f"expected two 1-D vectors of equal length, got {a.shape} and {b.shape}")
            if a.size == 0:
                raise ValueError("empty vectors have no direction")
            return np.float64(np.clip(_unit(a) @ _unit(b), -1, 1))
    """),

    # ------------------------------------------------------------------ matmul
    right("matmul", "triple_loop_on_lists", """
        def matmul(A, B):
            A = np.asarray(A, dtype=float)
            B = np.asarray(B, dtype=float)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError(f"shapes {A.shape} and {B.shape} are not aligned")
            a, b = A.tolist(), B.tolist()
            m, k, n = len(a), len(b), B.shape[1]
            C = [[sum(a[i][p] * b[p][j] for p in range(k)) for j in range(n)] for i in range(m)]
            return np.array(C, dtype=float).reshape(m, n)
    """),

    right("matmul", "broadcast_and_sum", """
        def matmul(A, B):
            A = np.asarray(A, dtype=np.float64)
            B = np.asarray(B, dtype=np.float64)
            if A.shape[-1] != B.shape[0]:
                raise ValueError("matmul: A is %dx%d but B is %dx%d" % (A.shape + B.shape))
            return (A[:, :, np.newaxis] * B[np.newaxis, :, :]).sum(axis=1)
    """),

    right("matmul", "column_by_column", """
        def matmul(A, B):
            A = np.array(A, dtype=float)
            B = np.array(B, dtype=float)
            if A.shape[1] != B.shape[0]:
                raise ValueError(f"inner dimensions differ: {A.shape[0]}x{A.shape[1]} times {B.shape[0]}x{B.shape[1]}")
            C = np.empty((A.shape[0], B.shape[1]))
            for j in range(B.shape[1]):
                C[:, j] = np.sum(A * B[:, j], axis=1)    # A applied to column j of B
            return C
    """),

    # ------------------------------------------------------------------ determinant
    right("determinant", "pure_python_lists", """
        def determinant(A):
            A = np.asarray(A)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("determinant of a non-square matrix")
            rows = [[float(x) for x in row] for row in A]
            n, sign, det = len(rows), 1.0, 1.0
            for j in range(n):
                p = max(range(j, n), key=lambda i: abs(rows[i][j]))
                if rows[p][j] == 0.0:
                    return 0.0
                if p != j:
                    rows[j], rows[p] = rows[p], rows[j]
                    sign = -sign
                det *= rows[j][j]
                for i in range(j + 1, n):
                    f = rows[i][j] / rows[j][j]
                    for c in range(j, n):
                        rows[i][c] -= f * rows[j][c]
            return sign * det
    """),

    right("determinant", "log_domain_accumulation", """
        def determinant(A):
            U = np.array(A, dtype=np.float64, copy=True)
            if U.ndim != 2 or U.shape[0] != U.shape[1]:
                raise ValueError(f"need a square matrix, got {U.shape}")
            sign, log_abs = 1.0, 0.0
            for j in range(U.shape[0]):
                p = j + np.argmax(np.abs(U[j:, j]))
                pivot = U[p, j]
                if pivot == 0:
                    return 0.0
                if p != j:
                    U[[j, p], :] = U[[p, j], :]
                    sign = -sign
                sign *= np.sign(pivot)
                log_abs += np.log(np.abs(pivot))
                U[j + 1:] -= np.outer(U[j + 1:, j] / pivot, U[j])
            return sign * np.exp(log_abs)
    """),

    right("determinant", "lu_with_permutation_vector", """
        def determinant(A):
            A = np.asarray(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be a square 2-D matrix")
            n = A.shape[0]
            LU = A.copy()
            perm = list(range(n))
            for j in range(n):
                p = j + int(np.argmax(np.abs(LU[j:, j])))
                if LU[p, j] == 0:
                    return 0.0
                LU[[j, p]] = LU[[p, j]]
                perm[j], perm[p] = perm[p], perm[j]
                LU[j + 1:, j] /= LU[j, j]                              # the multipliers (L)
                LU[j + 1:, j + 1:] -= LU[j + 1:, j:j + 1] * LU[j:j + 1, j + 1:]
            # the sign of the permutation from its cycles
            seen, sign = [False] * n, 1
            for start in range(n):
                length = 0
                while not seen[start]:
                    seen[start] = True
                    start = perm[start]
                    length += 1
                if length and length % 2 == 0:
                    sign = -sign
            return float(sign * np.prod(np.diag(LU)))
    """),

    right("determinant", "eliminates_the_transpose", """
        def determinant(A):
            # det(A) = det(A^T): eliminate the columns of A instead of its rows
            T = np.array(A, dtype=float).T.copy()
            if T.ndim != 2 or T.shape[0] != T.shape[1]:
                raise ValueError("not a square matrix")
            det = 1.0
            for j in range(len(T)):
                k = j + np.abs(T[j:, j]).argmax()
                if T[k, j] == 0.0:
                    return 0.0
                if k != j:
                    T[[j, k]] = T[[k, j]]
                    det = -det
                det = det * T[j, j]
                T[j + 1:, j:] = T[j + 1:, j:] - (T[j + 1:, j] / T[j, j])[:, None] * T[j, j:]
            return det
    """),

    # ------------------------------------------------------------------ inverse
    right("inverse", "elimination_then_back_substitution", """
        def matrix_inverse(A):
            A = np.array(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or A.size == 0:
                raise ValueError(f"need a square matrix, got shape {A.shape}")
            n = len(A)
            tol = n * np.finfo(float).eps * np.max(np.abs(A))
            U, B = A.copy(), np.eye(n)
            for j in range(n):                          # Gauss: zeros below the diagonal only
                p = j + int(np.argmax(np.abs(U[j:, j])))
                if abs(U[p, j]) <= tol:
                    raise ValueError("singular matrix")
                U[[j, p]] = U[[p, j]]
                B[[j, p]] = B[[p, j]]
                for i in range(j + 1, n):
                    f = U[i, j] / U[j, j]
                    U[i, j:] -= f * U[j, j:]
                    B[i] -= f * B[j]
            X = np.zeros((n, n))
            for i in range(n - 1, -1, -1):              # then back substitution, all columns at once
                X[i] = (B[i] - U[i, i + 1:] @ X[i + 1:]) / U[i, i]
            return X
    """),

    right("inverse", "pure_python_lists", """
        def matrix_inverse(A):
            rows = [[float(x) for x in row] for row in np.asarray(A).tolist()] if np.ndim(A) == 2 else None
            if rows is None or len(rows) == 0 or any(len(r) != len(rows) for r in rows):
                raise ValueError("matrix_inverse needs a non-empty square matrix")
            n = len(rows)
            tol = n * 2.0 ** -52 * max(abs(x) for r in rows for x in r)
            M = [r + [1.0 if i == j else 0.0 for j in range(n)] for i, r in enumerate(rows)]
            for j in range(n):
                p = max(range(j, n), key=lambda i: abs(M[i][j]))
                if abs(M[p][j]) <= tol:
                    raise ValueError("A is not invertible")
                M[j], M[p] = M[p], M[j]
                pivot = M[j][j]
                M[j] = [x / pivot for x in M[j]]
                for i in range(n):
                    if i != j and M[i][j] != 0.0:
                        f = M[i][j]
                        M[i] = [a - f * b for a, b in zip(M[i], M[j])]
            return np.array([r[n:] for r in M], dtype=np.float64)
    """),

    right("inverse", "row_permutation_vector", """
        def matrix_inverse(A):
            M = np.array(A, dtype=np.float64)
            if M.ndim != 2 or M.shape[0] != M.shape[1]:
                raise ValueError("not a square matrix")
            n = M.shape[0]
            tol = n * np.finfo(np.float64).eps * np.abs(M).max()
            R = np.eye(n)
            order = np.arange(n)                        # rows are swapped by index, not moved
            for j in range(n):
                candidates = order[j:]
                k = j + int(np.argmax(np.abs(M[candidates, j])))
                order[[j, k]] = order[[k, j]]
                r = order[j]
                if abs(M[r, j]) <= tol:
                    raise ValueError("the matrix is singular (no inverse)")
                pivot = M[r, j]
                M[r] /= pivot
                R[r] /= pivot
                f = M[:, j].copy()
                f[r] = 0.0
                M -= np.outer(f, M[r])
                R -= np.outer(f, R[r])
            return R[order]
    """),

    # ------------------------------------------------------------------ rank
    right("rank", "full_svd_and_a_loop", """
        def matrix_rank(A, tol=None):
            A = np.asarray(A, dtype=float)
            _, s, _ = np.linalg.svd(A)
            if tol is None:
                tol = (s[0] if len(s) else 0.0) * max(A.shape) * np.finfo(np.float64).eps
            count = 0
            for sigma in s:
                if sigma > tol:
                    count += 1
            return count
    """),

    right("rank", "scipy_svdvals", """
        from scipy.linalg import svdvals

        def matrix_rank(A, tol=None):
            A = np.asarray(A, dtype=np.float64)
            s = svdvals(A)
            threshold = s.max() * max(A.shape) * np.finfo(np.float64).eps if tol is None else tol
            return int((s > threshold).sum())
    """),

    right("rank", "jordan_wielandt_eigenvalues", """
        def matrix_rank(A, tol=None):
            A = np.asarray(A, dtype=float)
            m, n = A.shape
            # the symmetric matrix [[0, A], [A^T, 0]] has eigenvalues +-sigma_i (and zeros)
            J = np.zeros((m + n, m + n))
            J[:m, m:] = A
            J[m:, :m] = A.T
            eigenvalues = np.linalg.eigvalsh(J)
            sigma_max = max(eigenvalues.max(), 0.0)
            if tol is None:
                tol = sigma_max * max(m, n) * np.finfo(float).eps
            return int(np.sum(eigenvalues > tol))
    """),

    # ------------------------------------------------------------------ eigen
    right("eigen", "residual_stopping_rule", """
        def power_iteration(A, max_iter=1000, tol=1e-10):
            A = np.array(A, dtype=np.float64)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be a square matrix")
            scale = np.abs(A).max()
            if scale == 0:
                raise ValueError("A is the zero matrix")
            if np.abs(A - A.T).max() > 1e-10 * scale:
                raise ValueError("A is not symmetric")
            v = np.random.default_rng(2024).standard_normal(len(A))
            v = v / np.linalg.norm(v)
            for _ in range(max_iter):
                w = A @ v
                v_next = w / np.linalg.norm(w)
                lam = v_next @ A @ v_next
                settled = np.linalg.norm(A @ v_next - lam * v_next) <= 1e-3 * tol * scale
                sign = 1.0 if v_next @ v >= 0 else -1.0
                settled = settled or np.linalg.norm(sign * v_next - v) <= tol
                v = v_next
                if settled:
                    break
            return float(v @ A @ v), v
    """),

    right("eigen", "sign_fixed_iterates_pure_python", """
        import math
        import random

        def power_iteration(A, max_iter=1000, tol=1e-10):
            if np.ndim(A) != 2:
                raise ValueError("A must be 2-D")
            rows = [[float(x) for x in row] for row in np.asarray(A).tolist()]
            n = len(rows)
            if n == 0 or any(len(r) != n for r in rows):
                raise ValueError("A must be square")
            biggest = max(abs(x) for r in rows for x in r)
            if biggest == 0.0:
                raise ValueError("A is all zeros")
            if max(abs(rows[i][j] - rows[j][i]) for i in range(n) for j in range(n)) > 1e-10 * biggest:
                raise ValueError("A must be symmetric")
            generator = random.Random(7)
            v = [generator.gauss(0.0, 1.0) for _ in range(n)]
            length = math.sqrt(sum(x * x for x in v))
            v = [x / length for x in v]
            for _ in range(max_iter):
                w = [sum(a * x for a, x in zip(row, v)) for row in rows]
                length = math.sqrt(sum(x * x for x in w))
                if length == 0.0:
                    break
                w = [x / length for x in w]
                big = max(range(n), key=lambda i: abs(w[i]))     # fix the sign: largest entry positive
                if w[big] < 0:
                    w = [-x for x in w]
                change = math.sqrt(sum((a - b) ** 2 for a, b in zip(w, v)))
                v = w
                if change <= tol:
                    break
            Av = [sum(a * x for a, x in zip(row, v)) for row in rows]
            return sum(a * b for a, b in zip(v, Av)), np.array(v)
    """),

    # ------------------------------------------------------------------ svd_approx
    right("svd_approx", "projection_onto_top_eigenvectors", """
        import operator

        def low_rank_approx(M, k):
            if isinstance(k, (bool, np.bool_)):
                raise ValueError("k must be an integer, not a bool")
            try:
                k = operator.index(k)
            except TypeError:
                raise ValueError(f"k must be an integer, got {k!r}") from None
            if k < 0:
                raise ValueError("k must be >= 0")
            M = np.asarray(M, dtype=float)
            if k >= min(M.shape):
                return M.copy()
            values, vectors = np.linalg.eigh(M.T @ M)     # right singular vectors, ascending
            V = vectors[:, ::-1][:, :k]
            return M @ V @ V.T
    """),

    right("svd_approx", "sum_of_rank_one_layers", """
        def low_rank_approx(M, k):
            if not isinstance(k, (int, np.integer)) or isinstance(k, (bool, np.bool_)) or k < 0:
                raise ValueError("k must be a non-negative integer")
            M = np.asarray(M, dtype=np.float64)
            U, s, Vt = np.linalg.svd(M, full_matrices=False)
            approx = np.zeros(M.shape)
            for i in range(min(k, len(s))):
                approx += s[i] * np.outer(U[:, i], Vt[i])
            return approx
    """),

    right("svd_approx", "zero_the_tail_with_scipy", """
        import scipy.linalg

        def low_rank_approx(M, k):
            if type(k) is bool or not isinstance(k, (int, np.integer)):
                raise ValueError(f"k must be an integer, got {type(k).__name__}")
            if k < 0:
                raise ValueError("k must not be negative")
            M = np.array(M, dtype=float)
            U, s, Vt = scipy.linalg.svd(M, full_matrices=False)
            s[k:] = 0.0                             # s is our own array
            return U @ np.diag(s) @ Vt
    """),

    # ------------------------------------------------------------------ pca
    right("pca", "eigh_of_covariance_reversed", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            n_samples, n_features = X.shape
            if n_samples < 2:
                raise ValueError("need at least two samples")
            if isinstance(n_components, (bool, np.bool_)) or not isinstance(n_components, (int, np.integer)):
                raise ValueError("n_components must be an integer")
            if not 1 <= n_components <= n_features:
                raise ValueError("n_components out of range")
            C = np.cov(X, rowvar=False).reshape(n_features, n_features)
            if np.trace(C) == 0:
                raise ValueError("zero total variance")
            values, vectors = np.linalg.eigh(C)
            values, vectors = values[::-1], vectors[:, ::-1]
            values = np.clip(values, 0.0, None)
            return vectors[:, :n_components].T, values[:n_components] / values.sum()
    """),

    right("pca", "full_svd_with_sklearn_sign_convention", """
        def pca(X, n_components):
            X = np.array(X, dtype=np.float64)
            if X.ndim != 2 or X.shape[0] < 2:
                raise ValueError("X must have at least 2 rows")
            if type(n_components) is bool or not isinstance(n_components, (int, np.integer)) \\
                    or not 0 < n_components <= X.shape[1]:
                raise ValueError(f"invalid n_components={n_components!r}")
            X -= X.mean(axis=0)                   # our own copy
            _, s, Vt = np.linalg.svd(X)           # full: all n_features directions, even for few samples
            total = np.sum(s ** 2)
            if total == 0:
                raise ValueError("all samples are identical")
            variances = np.zeros(X.shape[1])
            variances[:len(s)] = s ** 2
            # make the largest entry of every component positive (as scikit-learn does)
            biggest = np.argmax(np.abs(Vt), axis=1)
            Vt *= np.sign(Vt[np.arange(len(Vt)), biggest])[:, None]
            return Vt[:n_components], (variances / total)[:n_components]
    """),

    right("pca", "svd_of_the_covariance", """
        def pca(X, n_components):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or len(X) < 2:
                raise ValueError("X must be (n_samples >= 2, n_features)")
            if isinstance(n_components, (bool, np.bool_)) or not isinstance(n_components, (int, np.integer)) \\
                    or not 1 <= n_components <= X.shape[1]:
                raise ValueError("n_components must be an integer in 1..n_features")
            centred = X - X.mean(axis=0)
            C = centred.T @ centred / (len(X) - 1)
            if np.trace(C) == 0:
                raise ValueError("zero total variance")
            U, values, _ = np.linalg.svd(C)       # C is symmetric PSD: its SVD is its eigendecomposition
            return U[:, :n_components].T, values[:n_components] / values.sum()
    """),

    # ------------------------------------------------------------------ dense_layer
    right("dense_layer", "einsum_with_checks", """
        def dense_forward(X, W, b):
            X = np.asarray(X, dtype=float)
            W = np.asarray(W, dtype=float)
            b = np.asarray(b, dtype=float)
            out_features, in_features = W.shape
            if b.ndim != 1 or b.shape[0] != out_features:
                raise ValueError(f"bias of shape {b.shape} does not fit W of shape {W.shape}")
            if X.shape[-1] != in_features:
                raise ValueError(f"input of shape {X.shape} does not fit W of shape {W.shape}")
            return np.einsum("...n,mn->...m", X, W) + b
    """),

    right("dense_layer", "one_neuron_at_a_time", """
        def dense_forward(X, W, b):
            W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
            X = np.asarray(X, dtype=float)
            if b.shape != W.shape[:1] or X.shape[-1:] != W.shape[1:]:
                raise ValueError("shapes of X, W and b do not match")
            batch = X.reshape(-1, W.shape[1])
            Y = np.empty((batch.shape[0], W.shape[0]))
            for j in range(W.shape[0]):
                Y[:, j] = batch @ W[j] + b[j]         # neuron j
            return Y.reshape(X.shape[:-1] + (W.shape[0],))
    """),

    right("dense_layer", "weights_on_the_left", """
        def dense_forward(X, W, b):
            X = np.array(X, dtype=np.float64)
            W = np.array(W, dtype=np.float64)
            b = np.array(b, dtype=np.float64)
            if W.ndim != 2 or b.shape != (len(W),):
                raise ValueError("b must have shape (m,) for W of shape (m, n)")
            if X.ndim == 1:
                if len(X) != W.shape[1]:
                    raise ValueError("x has the wrong length")
                return W.dot(X) + b
            if X.ndim != 2 or X.shape[1] != W.shape[1]:
                raise ValueError("X must be (batch, n)")
            return (W.dot(X.T)).T + b
    """),
]
