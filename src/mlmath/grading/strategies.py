"""Hypothesis strategies shared by graders: randomised inputs that no hard-coded answer survives."""

import numpy as np
from hypothesis import strategies as st


@st.composite
def arrays_with_axis(draw, min_dims: int = 1, max_dims: int = 3, max_side: int = 4, scale: float = 3.0):
    """(x, axis): a float64 array of random shape and normal entries, and a valid axis of it
    (negative axes included)."""
    shape = draw(st.lists(st.integers(1, max_side), min_size=min_dims, max_size=max_dims))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    seed = draw(st.integers(0, 2**32 - 1))
    return np.random.default_rng(seed).normal(scale=scale, size=shape), axis
