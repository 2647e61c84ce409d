"""Answer code as a stream of normalised tokens, alike for code that differs only in disguise.

A copy is usually disguised by renaming, by moving functions around, by
editing comments and blank lines and by changing constants.  None of that
survives here, read with Python's own tokenizer (so a cell that does not parse
is still read, up to where it breaks):

* comments, blank lines, docstrings and line continuations are dropped;
* a name the learner chose (variable, parameter, function, import alias)
  becomes ``V``; what a copier cannot rename keeps its text: keywords,
  builtins, attributes (``np.exp`` -> ``V . exp``), keyword arguments of a
  call (``axis=``) and the modules of an import;
* every number becomes ``N`` and every string ``S``;
* the top-level statements are put in a canonical order (sorted by their
  normalised text), so the order of functions no longer matters.

Each token keeps where it came from in the original text, so the matches
found on the normalised stream can be shown on the learner's own code.
"""

from __future__ import annotations

import builtins
import io
import keyword
import tokenize
from dataclasses import dataclass

IDENTIFIER, NUMBER, STRING = "V", "N", "S"
#: layout that carries structure: the end of a statement, a block opening and closing
LAYOUT = {tokenize.NEWLINE: ";", tokenize.INDENT: "{", tokenize.DEDENT: "}"}
_DROPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
_BUILTINS = frozenset(dir(builtins))
# Python 3.12 splits an f-string into several tokens; before, it is one STRING
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


@dataclass(frozen=True)
class Token:
    text: str        # the normalised token
    start: int       # where it came from: character offsets in the original text
    end: int


def normalised_statements(source: str, offset: int = 0) -> list[list[Token]]:
    """The normalised tokens of ``source``, one list per top-level statement.

    ``offset`` is added to every position (for a cell that sits at ``offset`` in a
    longer text)."""
    return _statements(_read(source, offset))


def canonical_order(statements: list[list[Token]]) -> list[Token]:
    """The statements' tokens, the statements sorted by their normalised text."""
    return [token for statement in sorted(statements, key=lambda s: [t.text for t in s])
            for token in statement]


def _read(source: str, offset: int) -> list[tuple[tokenize.TokenInfo, int, int]]:
    """The raw tokens with character offsets; a cell that breaks the tokenizer keeps what came before."""
    lines = io.StringIO(source).readlines()      # split as the tokenizer splits: on "\n" only
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line))

    def position(row_col: tuple[int, int]) -> int:
        row, col = row_col
        return offset + (line_starts[row - 1] if row - 1 < len(line_starts) else line_starts[-1]) + col

    raw = []
    try:
        for tok in tokenize.generate_tokens(iter(lines).__next__):
            raw.append((tok, position(tok.start), position(tok.end)))
    except (tokenize.TokenError, SyntaxError):   # IndentationError is a SyntaxError
        pass
    return raw


def _statements(raw: list[tuple[tokenize.TokenInfo, int, int]]) -> list[list[Token]]:
    """The normalised tokens grouped by top-level statement."""
    statements: list[list[Token]] = []
    current: list[Token] = []
    depth = 0                      # indentation depth
    brackets: list[bool] = []      # open brackets: True for the parameter list of a ``def``
    line_kind = None               # the first name of the logical line ('import', 'from', 'def', ...)
    i = 0
    while i < len(raw):
        tok, start, end = raw[i]
        kind, text = tok.type, tok.string
        if kind in _DROPPED:
            i += 1
            continue
        if kind == tokenize.STRING and line_kind is None and (after := _after_lone_string(raw, i)):
            i = after
            continue
        if kind == _FSTRING_START:
            i = _skip_fstring(raw, i)
            current.append(Token(STRING, start, raw[i][2]))
            i += 1
            continue
        previous = current[-1].text if current else None
        if kind in LAYOUT:
            current.append(Token(LAYOUT[kind], start, end))
            depth += {tokenize.INDENT: 1, tokenize.DEDENT: -1}.get(kind, 0)
            if kind == tokenize.NEWLINE:
                line_kind = None
            if depth == 0 and kind in (tokenize.NEWLINE, tokenize.DEDENT) and not _block_follows(raw, i):
                statements.append(current)
                current = []
            i += 1
            continue
        if kind == tokenize.NAME:
            following = raw[i + 1][0].string if i + 1 < len(raw) else ""
            token_text = _name(text, previous, following, brackets, line_kind)
            line_kind = line_kind or text
        elif kind == tokenize.NUMBER:
            token_text = NUMBER
        elif kind == tokenize.STRING:
            token_text = STRING
        else:
            token_text = text
            if text in "([{":
                brackets.append(text == "(" and _opens_parameters(current))
            elif text in ")]}" and brackets:
                brackets.pop()
        current.append(Token(token_text, start, end))
        i += 1
    if current:
        statements.append(current)
    return statements


def _name(text: str, previous: str | None, following: str, brackets: list[bool],
          line_kind: str | None) -> str:
    """What a name becomes: its own text if a copier could not have renamed it, else ``V``."""
    if keyword.iskeyword(text) or text in _BUILTINS or previous == ".":
        return text
    if following == "=" and brackets and not brackets[-1]:
        return text                                   # a keyword argument of a call
    if line_kind in ("import", "from") and previous != "as":
        return text                                   # a module or a name imported from it
    return IDENTIFIER


def _opens_parameters(current: list[Token]) -> bool:
    """Whether a ``(`` that follows ``current`` opens a function's parameter list."""
    return len(current) >= 2 and current[-2].text == "def"


def _after_lone_string(raw, i: int) -> int | None:
    """If the string at ``i`` starts a statement of its own (a docstring, or a comment written
    as a string), the index just after that statement's end; else None."""
    j = i
    while j < len(raw) and raw[j][0].type in (tokenize.STRING, tokenize.NL, tokenize.COMMENT):
        j += 1
    if j == len(raw) or raw[j][0].type == tokenize.ENDMARKER:
        return j
    return j + 1 if raw[j][0].type == tokenize.NEWLINE else None


def _block_follows(raw, i: int) -> bool:
    """Whether the statement ending at ``i`` opens an indented block (a ``def``, ``if``, ...)."""
    j = i + 1
    while j < len(raw) and raw[j][0].type in (tokenize.NL, tokenize.COMMENT):
        j += 1
    return j < len(raw) and raw[j][0].type == tokenize.INDENT


def _skip_fstring(raw, i: int) -> int:
    """The index of the FSTRING_END that closes the f-string starting at ``i`` (Python 3.12+)."""
    nesting = 0
    while i < len(raw):
        if raw[i][0].type == _FSTRING_START:
            nesting += 1
        elif raw[i][0].type == _FSTRING_END:
            nesting -= 1
            if nesting == 0:
                return i
        i += 1
    return len(raw) - 1
