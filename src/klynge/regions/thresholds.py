"""The factsheet's node thresholds, apart from the NumPy code so that the CLI can show them cheaply.

A node is an activity with a location quotient above ``SPEC`` that holds at least ``RELEVANCE`` of
its region's employment.
"""

SPEC = 1.5
RELEVANCE = 0.01
