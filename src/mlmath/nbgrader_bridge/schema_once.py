"""nbgrader's cell-metadata validation, with its JSON schema checked once per process.

nbgrader validates every nbgrader cell with ``jsonschema.validate(meta, schema)``,
which first checks the schema itself: about 35 ms per notebook pass, two passes
per autograded notebook — a quarter of what grading a typical submission costs
in a batch.  :func:`check_schema_once` makes nbgrader's validator use one
compiled validator per schema instead: the same schema, rules and errors.  The
metadata found valid is remembered too (a class's notebooks carry the same cells'
metadata, 140 validations per notebook): invalid metadata is validated, and
refused, every time.
"""

from __future__ import annotations

import json
from functools import lru_cache

import jsonschema
from nbgrader.nbgraderformat import common


@lru_cache(maxsize=None)
def _compiled(schema_text: str):
    schema = json.loads(schema_text)
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


#: the largest cell metadata (as JSON) remembered as valid; an nbgrader cell's is about 200 bytes
REMEMBERED_BYTES = 4096


class _JsonschemaCheckingOnce:
    """Stands in for the ``jsonschema`` module inside ``nbgrader.nbgraderformat.common``."""

    def __init__(self):
        self._last_schema: tuple[dict | None, str] = (None, "")   # and its JSON text

    def __getattr__(self, name):
        return getattr(jsonschema, name)

    def validate(self, instance, schema, *args, **kwargs):
        if args or kwargs:
            return jsonschema.validate(instance, schema, *args, **kwargs)
        schema_text, instance_text = self._schema_text(schema), json.dumps(instance, sort_keys=True)
        if len(instance_text) > REMEMBERED_BYTES:   # a learner's notebook is not kept in memory
            return _compiled(schema_text).validate(instance)
        _validated(schema_text, instance_text)

    def _schema_text(self, schema: dict) -> str:
        """The schema's JSON text, written once for all the cells of a notebook: nbgrader's
        validator checks each cell against the same schema dict, which nothing changes
        (writing it took most of the time of a validation)."""
        last, text = self._last_schema
        if schema is not last:
            text = json.dumps(schema, sort_keys=True)
            self._last_schema = (schema, text)
        return text


@lru_cache(maxsize=4096)
def _validated(schema_text: str, instance_text: str) -> None:
    """Validate (the JSON texts of) ``instance`` against ``schema``; raises if it is invalid, and
    an exception is never cached."""
    _compiled(schema_text).validate(json.loads(instance_text))


def check_schema_once() -> None:
    common.jsonschema = _JsonschemaCheckingOnce()
