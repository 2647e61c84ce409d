"""Grading a whole class: discover submissions, grade them in parallel, record them once."""
