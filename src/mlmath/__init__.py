"""mlmath: the course's grading engine and its command."""

import sys

# jsonschema, which nbformat and nbgrader import, loads the optional IRI format checker
# rfc3987_syntax when it is installed (JupyterLab's dependencies bring it); that module
# builds a parser at import, 1-3 s in every process.  Nothing here validates IRI formats.
sys.modules.setdefault("rfc3987_syntax", None)
