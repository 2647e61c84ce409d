"""Copied work: pairs of submissions whose answers to an exercise are unusually alike.

``answers`` reads each exercise's code from a notebook (the cells grading would
run, minus the course's set-up); ``normalise`` turns it into tokens where
names, numbers, strings, comments, layout and the order of functions no longer
matter; ``fingerprint`` winnows them (copydetect), without the release
notebook's code; ``ranking`` scores every pair of an exercise against the rest
of the class; ``compare`` does this for a whole class; ``regions`` finds the
matching code of a pair for the report; ``summary`` and ``progress`` are what
``mlmath similarity`` prints.
"""

#: the score from which a pair is reported (1: identical where the class differs, 0: a typical pair)
THRESHOLD = 0.6
