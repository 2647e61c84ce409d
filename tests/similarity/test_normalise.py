"""What normalising leaves of a disguise: nothing; and what it keeps of the code: where it came from."""

from mlmath.similarity.answers import Answer

ORIGINAL = '''
import numpy as np

def helper(values):
    """Shift by the maximum."""
    return values - np.max(values, axis=-1, keepdims=True)   # stable

def softmax(x, axis=-1):
    e = np.exp(helper(x))
    return e / e.sum(axis=axis, keepdims=True)
'''

DISGUISED = '''
# my softmax, written from scratch
def softmax(logits, axis=-1):

    exps = numeric.exp(shift(logits))
    return exps / exps.sum(axis=axis, keepdims=True)


def shift(v):
    return v - numeric.max(v, axis=-2, keepdims=True)
import numpy as numeric
'''


def texts(source: str) -> list[str]:
    return [token.text for token in Answer((source,)).tokens()]


def test_names_literals_comments_docstrings_blank_lines_and_order_do_not_matter():
    assert texts(ORIGINAL) == texts(DISGUISED)


def test_what_a_copier_cannot_rename_is_kept():
    kept = set(texts(ORIGINAL))
    assert {"exp", "max", "sum", "axis", "keepdims", "numpy", "def", "return"} <= kept
    assert not {"helper", "values", "softmax", "x", "e", "np"} & kept


def test_each_token_points_back_at_its_text_in_every_cell():
    answer = Answer(("x = 1\n", "def f(a):\n    return a.T  # c\n"))
    spans = {answer.text[t.start:t.end] for t in answer.tokens()}
    assert {"x", "1", "def", "f", "a", "T", "return"} <= spans


def test_a_cell_that_does_not_parse_is_read_up_to_where_it_breaks():
    assert texts("def f(x):\n    return np.exp(x\n")[:8] == ["def", "V", "(", "V", ")", ":", ";", "{"]
