"""Learner implementations for ch04_numerics: float bits, bfloat16, softmax, log-softmax,
BCE from logits and loss-scale unscaling.

Each ``source`` is the whole answer cell of its exercise; the notebook's set-up cell
has already run ``import numpy as np``.
"""

from tests.implementations import right, wrong

WRONG = [
    # ------------------------------------------------------------------ float_bits
    wrong("float_bits", "numpy_ints", """
        def float32_parts(x):
            bits = np.float32(x).view(np.uint32)
            return bits >> 31, (bits >> 23) & 0xFF, bits & 0x7FFFFF
    """, fails=("returns_python_ints",)),

    wrong("float_bits", "sign_by_comparison", """
        def float32_parts(x):
            bits = int(np.array(x, dtype=np.float32).view(np.uint32))
            sign = 1 if x < 0 else 0
            return sign, (bits >> 23) & 0xFF, bits & 0x7FFFFF
    """, fails=("signed_zeros",)),

    wrong("float_bits", "exponent_from_log2", """
        def float32_parts(x):
            x = np.float32(x)
            sign = int(np.signbit(x))
            if x == 0:
                return sign, 0, 0
            if np.isinf(x):
                return sign, 255, 0
            if np.isnan(x):
                return sign, 255, 1 << 22
            magnitude = abs(float(x))
            e = int(np.floor(np.log2(magnitude)))
            mantissa = int(round((magnitude / 2.0 ** e - 1.0) * 2 ** 23))
            return sign, e + 127, mantissa
    """, fails=("subnormals",)),

    wrong("float_bits", "big_endian_read_of_native_bytes", """
        def float32_parts(x):
            bits = int.from_bytes(np.float32(x).tobytes(), "big")
            return bits >> 31, (bits >> 23) & 0xFF, bits & 0x7FFFFF
    """, fails=("fields_of_normal_numbers",)),

    wrong("float_bits", "unbiased_exponent", """
        def float32_parts(x):
            bits = int(np.array(x, dtype=np.float32).view(np.uint32))
            sign = bits >> 31
            exponent = ((bits >> 23) & 0xFF) - 127
            mantissa = bits & 0x7FFFFF
            return sign, exponent, mantissa
    """, fails=("fields_of_normal_numbers",)),

    wrong("float_bits", "hidden_bit_added", """
        def float32_parts(x):
            bits = int(np.array(x, dtype=np.float32).view(np.uint32))
            mantissa = (bits & 0x7FFFFF) | (1 << 23)     # the implicit leading 1
            return bits >> 31, (bits >> 23) & 0xFF, mantissa
    """, fails=("fields_of_normal_numbers",)),

    wrong("float_bits", "float64_fields_truncated", """
        def float32_parts(x):
            bits = int(np.array(x, dtype=np.float64).view(np.uint64))
            sign = bits >> 63
            exponent = ((bits >> 52) & 0x7FF) - 1023 + 127
            mantissa = (bits & ((1 << 52) - 1)) >> 29   # keep the top 23 of 52 bits
            return sign, exponent, mantissa
    """, fails=("rounds_python_floats_to_float32", "subnormals")),

    # ------------------------------------------------------------------ bfloat16
    wrong("bfloat16", "truncates", """
        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            bits = x.view(np.uint32) & np.uint32(0xFFFF0000)
            return bits.view(np.float32)
    """, fails=("rounds_to_nearest",)),

    wrong("bfloat16", "ties_half_up", """
        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            bits = x.view(np.uint32).astype(np.uint64)
            rounded = ((bits + 0x8000) & 0xFFFF0000).astype(np.uint32)
            result = rounded.view(np.float32)
            return np.where(np.isnan(x), np.float32(np.nan), result).astype(np.float32)
    """, fails=("ties_go_to_even",)),

    wrong("bfloat16", "nan_payload_rounds_to_inf", """
        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            bits = x.view(np.uint32).astype(np.uint64)
            lsb = (bits >> 16) & 1
            rounded = ((bits + 0x7FFF + lsb) & 0xFFFF0000).astype(np.uint32)
            return rounded.view(np.float32)
    """, fails=("nan_and_inf_survive",)),

    wrong("bfloat16", "float16_instead_of_bfloat16", """
        def to_bfloat16(x):
            return np.asarray(x, dtype=np.float32).astype(np.float16).astype(np.float32)
    """, fails=("bfloat16_values_come_back_unchanged", "rounds_to_nearest")),

    wrong("bfloat16", "returns_the_16_bit_pattern", """
        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            bits = x.view(np.uint32).astype(np.uint64)
            lsb = (bits >> 16) & 1
            high = ((bits + 0x7FFF + lsb) >> 16).astype(np.uint16)
            return np.where(np.isnan(x), np.uint16(0x7FC0), high)
    """, fails=("keeps_shape_and_float32", "rounds_to_nearest")),

    wrong("bfloat16", "flattens_the_input", """
        import struct

        def _round_one(value):
            (bits,) = struct.unpack("<I", struct.pack("<f", value))
            if (bits & 0x7FFFFFFF) > 0x7F800000:          # NaN
                return float("nan")
            bits += 0x7FFF + ((bits >> 16) & 1)
            (out,) = struct.unpack("<f", struct.pack("<I", (bits & 0xFFFF0000) & 0xFFFFFFFF))
            return out

        def to_bfloat16(x):
            values = np.asarray(x, dtype=np.float32).ravel()
            return np.array([_round_one(v) for v in values], dtype=np.float32)
    """, fails=("keeps_shape_and_float32",)),

    wrong("bfloat16", "rounds_in_place", """
        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            nan = np.isnan(x)
            bits = x.view(np.uint32)                     # a view: shares x's memory
            bits += np.uint32(0x7FFF) + ((bits >> 16) & 1)
            bits &= np.uint32(0xFFFF0000)
            x[nan] = np.nan
            return x
    """, fails=("leaves_input_unchanged",)),

    wrong("bfloat16", "saturates_instead_of_inf", """
        BF16_MAX = np.array(0x7F7F0000, dtype=np.uint32).view(np.float32)[()]

        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            bits = x.view(np.uint32).astype(np.uint64)
            lsb = (bits >> 16) & 1
            result = ((bits + 0x7FFF + lsb) & 0xFFFF0000).astype(np.uint32).view(np.float32)
            # a finite number must stay finite: clamp to the largest bfloat16
            result = np.where(np.isinf(result) & np.isfinite(x), np.copysign(BF16_MAX, x), result)
            return np.where(np.isnan(x), np.float32(np.nan), result).astype(np.float32)
    """, fails=("overflow_rounds_to_inf",)),

    wrong("bfloat16", "keeps_8_significant_bits_with_frexp", """
        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            m, e = np.frexp(x.astype(np.float64))
            m = np.round(m * 256) / 256            # 8 significant bits; np.round is half-to-even
            with np.errstate(over="ignore"):
                return np.ldexp(m, e).astype(np.float32)
    """, fails=("subnormals",)),

    wrong("bfloat16", "flushes_subnormals_to_zero", """
        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            bits = x.view(np.uint32).astype(np.uint64)
            lsb = (bits >> 16) & 1
            rounded = ((bits + 0x7FFF + lsb) & 0xFFFF0000).astype(np.uint32)
            exponent = (bits >> 23) & 0xFF
            rounded = np.where(exponent == 0, rounded & np.uint32(0x80000000), rounded)  # no subnormals
            result = rounded.view(np.float32)
            return np.where(np.isnan(x), np.float32(np.nan), result).astype(np.float32)
    """, fails=("subnormals",)),

    # ------------------------------------------------------------------ softmax
    wrong("softmax", "no_shift", """
        def softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            e = np.exp(x)
            return e / np.sum(e, axis=axis, keepdims=True)
    """, fails=("stable_for_large_inputs",)),

    wrong("softmax", "global_max", """
        def softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            e = np.exp(x - np.max(x))
            return e / np.sum(e, axis=axis, keepdims=True)
    """, fails=("each_slice_uses_its_own_maximum",)),

    wrong("softmax", "ignores_axis", """
        def softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            e = np.exp(x - np.max(x, axis=-1, keepdims=True))
            return e / np.sum(e, axis=-1, keepdims=True)
    """, fails=("normalises_along_any_axis",)),

    wrong("softmax", "no_keepdims", """
        def softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            e = np.exp(x - np.max(x, axis=axis))
            return e / np.sum(e, axis=axis)
    """, fails=("matches_definition",)),

    wrong("softmax", "clips_exponent_range", """
        def softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            z = x - np.max(x, axis=axis, keepdims=True)
            e = np.exp(np.clip(z, -500.0, 0.0))        # keep exp in a safe range
            return e / np.sum(e, axis=axis, keepdims=True)
    """, fails=("minus_infinity_gets_zero_probability",)),

    wrong("softmax", "always_float64", """
        def softmax(x, axis=-1):
            x = np.asarray(x, dtype=float)
            e = np.exp(x - np.max(x, axis=axis, keepdims=True))
            return e / np.sum(e, axis=axis, keepdims=True)
    """, fails=("dtype_rule",)),

    wrong("softmax", "shifts_callers_array", """
        def softmax(x, axis=-1):
            x = np.asarray(x)
            x -= np.max(x, axis=axis, keepdims=True)
            e = np.exp(x)
            return e / np.sum(e, axis=axis, keepdims=True)
    """, fails=("leaves_input_unchanged",)),

    wrong("softmax", "scipy_softmax_alias", """
        from scipy.special import softmax as _scipy_softmax

        def softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return _scipy_softmax(x, axis=axis)
    """, fails=("from_scratch",)),

    wrong("softmax", "scipy_logsumexp_module_alias", """
        import scipy.special as sp

        def softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return np.exp(x - sp.logsumexp(x, axis=axis, keepdims=True))
    """, fails=("from_scratch",)),

    wrong("softmax", "exp_minus_float32_logsumexp", """
        def softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(x.dtype if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isneginf(m), 0.0, m).astype(x.dtype)
            lse = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.exp(x - lse)
    """, fails=("float32_accurate_for_large_inputs",)),

    # ------------------------------------------------------------------ log_softmax
    wrong("log_softmax", "log_of_softmax", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            with np.errstate(divide="ignore"):
                out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.squeeze(out, axis=axis)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            e = np.exp(x - np.max(x, axis=axis, keepdims=True))
            return np.log(e / np.sum(e, axis=axis, keepdims=True))
    """, fails=("log_softmax_stable",)),

    wrong("log_softmax", "keepdims_left_in_logsumexp", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            with np.errstate(divide="ignore"):
                return m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return x - logsumexp(x, axis=axis)
    """, fails=("logsumexp_shape", "logsumexp_matches_definition")),

    wrong("log_softmax", "naive_logsumexp", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return np.log(np.sum(np.exp(x), axis=axis))

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return x - np.expand_dims(logsumexp(x, axis=axis), axis)
    """, fails=("logsumexp_stable", "log_softmax_stable")),

    wrong("log_softmax", "shift_by_minus_infinity", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.squeeze(out, axis=axis)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return x - np.expand_dims(logsumexp(x, axis=axis), axis)
    """, fails=("logsumexp_of_all_minus_infinity",)),

    wrong("log_softmax", "global_max", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x)
            if not np.isfinite(m):
                m = 0.0
            with np.errstate(divide="ignore"):
                return m + np.log(np.sum(np.exp(x - m), axis=axis))

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return x - np.expand_dims(logsumexp(x, axis=axis), axis)
    """, fails=("log_softmax_stable",)),

    wrong("log_softmax", "always_float64", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x, dtype=np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            with np.errstate(divide="ignore"):
                out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.squeeze(out, axis=axis)

        def log_softmax(x, axis=-1):
            x = np.asarray(x, dtype=np.float64)
            return x - np.expand_dims(logsumexp(x, axis=axis), axis)
    """, fails=("dtype_rule",)),

    wrong("log_softmax", "shifts_callers_array", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            with np.errstate(divide="ignore"):
                out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.squeeze(out, axis=axis)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x -= np.max(x, axis=axis, keepdims=True)
            return x - np.log(np.sum(np.exp(x), axis=axis, keepdims=True))
    """, fails=("leaves_input_unchanged",)),

    wrong("log_softmax", "squeeze_without_axis", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            with np.errstate(divide="ignore"):
                out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.squeeze(out)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            return x - m - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    """, fails=("logsumexp_matches_definition",)),

    wrong("log_softmax", "last_axis_hardcoded_in_log_softmax", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            with np.errstate(divide="ignore"):
                out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.squeeze(out, axis=axis)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return x - logsumexp(x, axis=axis)[..., None]
    """, fails=("log_softmax_matches_definition",)),

    wrong("log_softmax", "scipy_logsumexp_alias", """
        from scipy.special import logsumexp as lse

        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return lse(x, axis=axis)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return x - np.expand_dims(logsumexp(x, axis=axis), axis)
    """, fails=("from_scratch",)),

    wrong("log_softmax", "scipy_log_softmax_module", """
        import scipy.special

        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            with np.errstate(divide="ignore"):
                out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.squeeze(out, axis=axis)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return scipy.special.log_softmax(x, axis=axis)
    """, fails=("from_scratch",)),

    wrong("log_softmax", "log1p_of_the_rest_in_float32", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0).astype(x.dtype)
            # the maximum itself contributes exp(0) = 1; log1p handles the rest
            rest = np.sum(np.exp(x - m), axis=axis, keepdims=True) - 1
            with np.errstate(divide="ignore"):
                out = m + np.log1p(rest)
            return np.squeeze(out, axis=axis)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            rest = np.sum(np.exp(x - m), axis=axis, keepdims=True) - 1
            return (x - m) - np.log1p(rest)
    """, fails=("float32_log_softmax_keeps_tiny_log_probabilities",)),

    wrong("log_softmax", "logaddexp_reduce_in_float32", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return np.logaddexp.reduce(x, axis=axis)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return x - np.logaddexp.reduce(x, axis=axis, keepdims=True)
    """, fails=("float32_log_softmax_keeps_tiny_log_probabilities",)),

    wrong("log_softmax", "rows_in_float32", """
        def _lse_row(v):
            m = v.max()
            if m == -np.inf:
                return m
            return m + np.log(np.exp(v - m).sum())

        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            moved = np.moveaxis(x.astype(dtype), axis, -1)
            rows = moved.reshape(-1, moved.shape[-1])
            out = np.array([_lse_row(r) for r in rows], dtype=dtype)
            return np.asarray(out.reshape(moved.shape[:-1]))      # 0-d array for 1-d input

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)
            return x - np.expand_dims(logsumexp(x, axis=axis), axis)
    """, fails=("float32_log_softmax_keeps_tiny_log_probabilities",)),

    wrong("log_softmax", "logsumexp_shifts_by_the_global_maximum", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            x = x.astype(np.float64)
            m = np.max(x) if np.isfinite(np.max(x)) else 0.0      # one shift for the whole array
            with np.errstate(divide="ignore"):
                return (m + np.log(np.sum(np.exp(x - m), axis=axis))).astype(dtype)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            x = x.astype(np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            return (x - m - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))).astype(dtype)
    """, fails=("logsumexp_stable",)),

    wrong("log_softmax", "logsumexp_max_without_axis", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            x = x.astype(np.float64)
            m = np.max(x, keepdims=True)                          # axis dropped
            m = np.where(np.isfinite(m), m, 0.0)
            with np.errstate(divide="ignore"):
                out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.squeeze(out, axis=axis).astype(dtype)[()]

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            x = x.astype(np.float64)
            return (x - np.expand_dims(logsumexp(x, axis=axis), axis)).astype(dtype)
    """, fails=("logsumexp_stable", "log_softmax_stable")),

    wrong("log_softmax", "python_float_for_a_1d_input", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            x = x.astype(np.float64)
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0.0)
            with np.errstate(divide="ignore"):
                out = np.squeeze(m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)), axis=axis)
            return float(out) if out.ndim == 0 else out.astype(dtype)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            x = x.astype(np.float64)
            return (x - np.expand_dims(logsumexp(x, axis=axis), axis)).astype(dtype)
    """, fails=("dtype_rule",)),

    # ------------------------------------------------------------------ bce_logits
    wrong("bce_logits", "sigmoid_then_log", """
        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64)
            y = np.asarray(targets, dtype=np.float64)
            p = 1.0 / (1.0 + np.exp(-z))
            return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    """, fails=("stable_for_large_logits",)),

    wrong("bce_logits", "clipped_probabilities", """
        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64)
            y = np.asarray(targets, dtype=np.float64)
            p = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
            eps = 1e-7
            p = np.clip(p, eps, 1 - eps)
            return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    """, fails=("stable_for_large_logits",)),

    wrong("bce_logits", "naive_softplus", """
        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64)
            y = np.asarray(targets, dtype=np.float64)
            return float(np.mean(np.log(1 + np.exp(z)) - y * z))
    """, fails=("stable_for_large_logits",)),

    wrong("bce_logits", "sum_instead_of_mean", """
        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64)
            y = np.asarray(targets, dtype=np.float64)
            losses = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
            return float(np.sum(losses))
    """, fails=("is_a_mean", "matches_definition")),

    wrong("bce_logits", "divides_by_batch_length", """
        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64)
            y = np.asarray(targets, dtype=np.float64)
            losses = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
            return float(np.sum(losses) / len(z))
    """, fails=("is_a_mean",)),

    wrong("bce_logits", "branches_on_label", """
        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64)
            y = np.asarray(targets, dtype=np.float64)
            softplus = lambda t: np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))
            losses = np.where(y == 1, softplus(-z), softplus(z))
            return float(np.mean(losses))
    """, fails=("soft_targets",)),

    wrong("bce_logits", "per_element_losses", """
        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64)
            y = np.asarray(targets, dtype=np.float64)
            return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    """, fails=("returns_a_single_number",)),

    wrong("bce_logits", "flips_signs_in_place", """
        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64)
            y = np.asarray(targets, dtype=np.float64)
            # loss(z, y) == loss(-z, 1 - y): make every logit non-negative
            negative = z < 0
            z[negative] = -z[negative]
            y[negative] = 1 - y[negative]
            return float(np.mean(z * (1 - y) + np.log1p(np.exp(-z))))
    """, fails=("leaves_input_unchanged",)),

    # ------------------------------------------------------------------ grad_unscale
    wrong("grad_unscale", "divides_in_float16", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            unscaled = [g / scale for g in grads]
            found_inf = any(not np.all(np.isfinite(g)) for g in unscaled)
            return unscaled, found_inf
    """, fails=("returns_float32",)),

    wrong("grad_unscale", "casts_after_dividing", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            unscaled = [(g / scale).astype(np.float32) for g in grads]
            found_inf = any(not np.all(np.isfinite(g)) for g in unscaled)
            return unscaled, found_inf
    """, fails=("unscales_in_float32",)),

    wrong("grad_unscale", "multiplies_by_scale", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            unscaled = [g.astype(np.float32) * scale for g in grads]
            found_inf = any(not np.all(np.isfinite(g)) for g in unscaled)
            return unscaled, found_inf
    """, fails=("unscales_in_float32",)),

    wrong("grad_unscale", "checks_only_first_gradient", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            unscaled = [g.astype(np.float32) / np.float32(scale) for g in grads]
            found_inf = bool(not np.all(np.isfinite(unscaled[0])))
            return unscaled, found_inf
    """, fails=("detects_inf_and_nan",)),

    wrong("grad_unscale", "checks_only_inf", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            unscaled = [g.astype(np.float32) / np.float32(scale) for g in grads]
            found_inf = any(bool(np.isinf(g).any()) for g in unscaled)
            return unscaled, found_inf
    """, fails=("detects_inf_and_nan",)),

    wrong("grad_unscale", "flag_as_float_like_torch", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            unscaled = [g.astype(np.float32) / np.float32(scale) for g in grads]
            found_inf = 0.0
            for g in unscaled:
                if not np.isfinite(g).all():
                    found_inf = 1.0
            return unscaled, found_inf
    """, fails=("detects_inf_and_nan", "finite_grads_are_not_flagged")),

    wrong("grad_unscale", "float16_max_counts_as_overflow", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            limit = np.finfo(np.float16).max
            found_inf = any(bool(np.any(~(np.abs(g) < limit))) for g in grads)
            unscaled = [g.astype(np.float32) / np.float32(scale) for g in grads]
            return unscaled, found_inf
    """, fails=("finite_grads_are_not_flagged",)),

    wrong("grad_unscale", "found_inf_from_the_float16_inputs", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            found_inf = any(not np.all(np.isfinite(g)) for g in grads)     # before unscaling
            unscaled = [g.astype(np.float32) / np.float32(scale) for g in grads]
            return unscaled, found_inf
    """, fails=("detects_overflow_in_unscaling",)),

    wrong("grad_unscale", "found_inf_from_inf_in_float16_then_nan_after", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            inverse = np.float32(1.0 / scale)
            unscaled = [np.asarray(g).astype(np.float32) * inverse for g in grads]
            found_inf = any(bool(np.isinf(g).any()) for g in grads) or any(bool(np.isnan(u).any()) for u in unscaled)
            return unscaled, found_inf
    """, fails=("detects_overflow_in_unscaling",)),

    wrong("grad_unscale", "only_rejects_zero_scale", """
        def unscale_grads(grads, scale):
            if scale == 0:
                raise ValueError("cannot divide by a zero scale")
            unscaled = [g.astype(np.float32) / np.float32(scale) for g in grads]
            found_inf = any(not np.all(np.isfinite(g)) for g in unscaled)
            return unscaled, found_inf
    """, fails=("rejects_non_positive_scale",)),

    wrong("grad_unscale", "no_scale_check", """
        def unscale_grads(grads, scale):
            unscaled = [g.astype(np.float32) / scale for g in grads]
            found_inf = any(not np.all(np.isfinite(g)) for g in unscaled)
            return unscaled, found_inf
    """, fails=("rejects_non_positive_scale",)),

    wrong("grad_unscale", "unscales_the_list_in_place", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale must be positive")
            found_inf = False
            for i, g in enumerate(grads):
                grads[i] = g.astype(np.float32) / np.float32(scale)
                if not np.isfinite(grads[i]).all():
                    found_inf = True
            return grads, found_inf
    """, fails=("leaves_input_unchanged",)),
]

RIGHT = [
    # ------------------------------------------------------------------ float_bits
    right("float_bits", "struct_pack_big_endian", """
        import struct

        def float32_parts(x):
            (bits,) = struct.unpack(">I", struct.pack(">f", x))
            return bits >> 31, (bits >> 23) & 0xFF, bits & 0x7FFFFF
    """),

    right("float_bits", "struct_native_order", """
        import struct

        def float32_parts(x):
            (bits,) = struct.unpack("=I", np.float32(x).tobytes())
            sign = bits >> 31
            exponent = (bits >> 23) & 0xFF
            mantissa = bits & 0x7FFFFF
            return sign, exponent, mantissa
    """),

    right("float_bits", "signed_view_and_divmod", """
        def float32_parts(x):
            bits = int(np.float32(x).view(np.int32)) % 2 ** 32   # as an unsigned 32-bit number
            rest, mantissa = divmod(bits, 2 ** 23)
            sign, exponent = divmod(rest, 2 ** 8)
            return (sign, exponent, mantissa)
    """),

    right("float_bits", "binary_string", """
        def float32_parts(x):
            pattern = np.array([x], dtype=np.float32).view(np.uint32)[0]
            s = format(int(pattern), "032b")
            return int(s[0]), int(s[1:9], 2), int(s[9:], 2)
    """),

    right("float_bits", "unpackbits_big_endian", """
        def float32_parts(x):
            raw = np.array(x, dtype=np.float32).astype(">f4").reshape(1).view(np.uint8)
            bits = [int(b) for b in np.unpackbits(raw)]
            value = lambda bs: sum(b << k for k, b in enumerate(reversed(bs)))
            return value(bits[:1]), value(bits[1:9]), value(bits[9:])
    """),

    # ------------------------------------------------------------------ bfloat16
    right("bfloat16", "uint32_arithmetic", """
        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            bits = x.view(np.uint32)
            bias = np.uint32(0x7FFF) + ((bits >> 16) & np.uint32(1))
            rounded = ((bits + bias) >> 16) << 16      # wraps only for negative NaNs
            out = rounded.astype(np.uint32).view(np.float32)
            out = np.where(np.isnan(x), np.float32(np.nan), out)
            return out.astype(np.float32)
    """),

    right("bfloat16", "explicit_tie_test", """
        def to_bfloat16(x):
            x = np.array(x, dtype=np.float32)            # a private copy
            bits = x.view(np.uint32)
            high = (bits >> 16).astype(np.uint32)
            low = bits & 0xFFFF
            round_up = (low > 0x8000) | ((low == 0x8000) & ((high & 1) == 1))
            high = high + round_up.astype(np.uint32)
            high = np.where(np.isnan(x), (bits >> 16) | 0x0040, high)   # quiet NaN, same sign
            return (high.astype(np.uint32) << 16).view(np.float32)[()]
    """),

    right("bfloat16", "python_int_loop", """
        def to_bfloat16(x):
            x = np.asarray(x, dtype=np.float32)
            out = np.empty(x.shape, dtype=np.float32)
            words = out.view(np.uint32)
            for index, b in np.ndenumerate(x.view(np.uint32)):
                b = int(b)
                if (b & 0x7F800000) == 0x7F800000 and (b & 0x7FFFFF):
                    words[index] = (b >> 16 | 0x40) << 16        # quiet NaN, same sign
                    continue
                b += 0x7FFF + ((b >> 16) & 1)
                words[index] = b & 0xFFFF0000
            return out
    """),

    # ------------------------------------------------------------------ softmax
    right("softmax", "exp_minus_logsumexp_in_float64", """
        def softmax(x, axis=-1):
            x = np.asarray(x)
            dtype = x.dtype if x.dtype == np.float32 else np.float64
            x = x.astype(np.float64)             # a float32 logsumexp near 1e4 keeps only ~3 decimals
            m = np.max(x, axis=axis, keepdims=True)
            m = np.where(np.isneginf(m), 0.0, m)
            lse = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.exp(x - lse).astype(dtype)
    """),

    right("softmax", "moveaxis_and_row_loop", """
        def _softmax_row(row):
            e = np.exp(row - row.max())
            return e / e.sum()

        def softmax(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            moved = np.moveaxis(x.astype(dtype), axis, -1)
            rows = moved.reshape(-1, moved.shape[-1])
            out = np.empty_like(rows)
            for i in range(rows.shape[0]):
                out[i] = _softmax_row(rows[i])
            return np.moveaxis(out.reshape(moved.shape), -1, axis)
    """),

    right("softmax", "apply_along_axis", """
        def softmax(x, axis=-1):
            x = np.array(x, dtype=np.float32 if np.asarray(x).dtype == np.float32 else np.float64)

            def one_slice(v):
                shifted = v - np.max(v)
                e = np.exp(shifted)
                return e / np.sum(e)

            return np.apply_along_axis(one_slice, axis, x)
    """),

    right("softmax", "in_place_on_own_copy", """
        def softmax(x, axis=-1):
            a = np.asarray(x)
            out = a.astype(np.float32 if a.dtype == np.float32 else np.float64, copy=True)
            out -= out.max(axis=axis, keepdims=True)
            np.exp(out, out=out)
            out /= out.sum(axis=axis, keepdims=True)
            return out
    """),

    # ------------------------------------------------------------------ log_softmax
    right("log_softmax", "log1p_of_the_rest_in_float64", """
        def logsumexp(x, axis=-1):
            a = np.asarray(x)
            dtype = np.float32 if a.dtype == np.float32 else np.float64
            a = a.astype(np.float64)
            m = np.max(a, axis=axis, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            # the maximum itself contributes exp(0) = 1; log1p handles the rest
            rest = np.sum(np.exp(a - m), axis=axis, keepdims=True) - 1
            with np.errstate(divide="ignore"):
                out = m + np.log1p(rest)
            return np.squeeze(out, axis=axis).astype(dtype)

        def log_softmax(x, axis=-1):
            a = np.asarray(x)
            dtype = np.float32 if a.dtype == np.float32 else np.float64
            a = a.astype(np.float64)
            m = np.max(a, axis=axis, keepdims=True)
            rest = np.sum(np.exp(a - m), axis=axis, keepdims=True) - 1
            return ((a - m) - np.log1p(rest)).astype(dtype)
    """),

    right("log_softmax", "logaddexp_reduce_in_float64", """
        def logsumexp(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            return np.logaddexp.reduce(x.astype(np.float64), axis=axis).astype(dtype)

        def log_softmax(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            x = x.astype(np.float64)
            return (x - np.logaddexp.reduce(x, axis=axis, keepdims=True)).astype(dtype)
    """),

    right("log_softmax", "float64_inside_then_cast", """
        def logsumexp(x, axis=-1):
            a = np.asarray(x)
            dtype = np.float32 if a.dtype == np.float32 else np.float64
            a = a.astype(np.float64)
            m = np.max(a, axis=axis, keepdims=True)
            m[~np.isfinite(m)] = 0.0
            with np.errstate(divide="ignore"):
                out = np.log(np.exp(a - m).sum(axis=axis, keepdims=True)) + m
            return out.squeeze(axis).astype(dtype)

        def log_softmax(x, axis=-1):
            a = np.asarray(x)
            dtype = np.float32 if a.dtype == np.float32 else np.float64
            a = a.astype(np.float64)
            out = a - np.expand_dims(logsumexp(a, axis), axis)
            return out.astype(dtype)
    """),

    # ------------------------------------------------------------------ bce_logits
    right("bce_logits", "logaddexp_softplus", """
        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=float)
            y = np.asarray(targets, dtype=float)
            return np.mean(np.logaddexp(0.0, z) - z * y)
    """),

    right("bce_logits", "log_sigmoid_both_terms", """
        def _log_sigmoid(t):
            return -np.logaddexp(0.0, -t)

        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64)
            y = np.asarray(targets, dtype=np.float64)
            losses = -(y * _log_sigmoid(z) + (1.0 - y) * _log_sigmoid(-z))
            return np.asarray(losses.mean())          # a 0-d array
    """),

    right("bce_logits", "math_loop", """
        import math

        def bce_with_logits(logits, targets):
            z = np.asarray(logits, dtype=np.float64).ravel()
            y = np.asarray(targets, dtype=np.float64).ravel()
            total = 0.0
            for zi, yi in zip(z.tolist(), y.tolist()):
                total += max(zi, 0.0) - zi * yi + math.log(1.0 + math.exp(-abs(zi)))
            return total / len(z)
    """),

    # ------------------------------------------------------------------ grad_unscale
    right("grad_unscale", "divide_in_float32_concatenate", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError(f"scale must be positive, got {scale}")
            s = np.float32(scale)
            unscaled = tuple(np.asarray(g).astype(np.float32) / s for g in grads)
            flat = np.concatenate([u.ravel() for u in unscaled])
            found_inf = ~np.isfinite(flat).all()             # a numpy bool
            return unscaled, found_inf
    """),

    right("grad_unscale", "float64_divide_then_cast", """
        def unscale_grads(grads, scale):
            if not (scale > 0):
                raise ValueError("the loss scale must be > 0")
            unscaled = []
            found_inf = False
            for g in grads:
                u = (np.asarray(g, dtype=np.float64) / scale).astype(np.float32)
                unscaled.append(u)
                if np.isnan(u).any() or np.isinf(u).any():
                    found_inf = True
            return unscaled, found_inf
    """),

    right("grad_unscale", "divide_with_dtype_argument", """
        def unscale_grads(grads, scale):
            if scale <= 0:
                raise ValueError("scale <= 0")
            unscaled = [np.divide(g, scale, dtype=np.float32) for g in grads]
            found_inf = np.any([~np.isfinite(u).all() for u in unscaled])
            return list(unscaled), found_inf
    """),
]
