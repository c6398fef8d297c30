"""Hoover, Krugman and Herfindahl indices on hand-computed cases, and their bounds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from klynge.regions import indices, lq
from klynge.regions.cube import Cube


def _cube(x: np.ndarray) -> Cube:
    y, r, a = x.shape
    return Cube(
        tuple(range(2000, 2000 + y)),
        tuple(f"R{i}" for i in range(r)),
        tuple(f"A{i}" for i in range(a)),
        x,
        np.zeros(x.shape, bool),
    )


def test_hand_computed() -> None:
    # Two regions of 100; A0 all in R0; A1 split 20/80.
    x = np.array([[[80.0, 20.0], [0.0, 100.0]], [[50.0, 50.0], [50.0, 50.0]]])
    ind = indices.compute(_cube(x))
    # Hoover A0, year 0: 0.5 (|1 − 0.5| + |0 − 0.5|) = 0.5
    assert ind.hoover[0, 0] == pytest.approx(0.5)
    # Herfindahl R0: 0.8² + 0.2² = 0.68; R1: 1.
    assert ind.herfindahl[0].tolist() == pytest.approx([0.68, 1.0])
    # Krugman R0 vs the total structure (0.4, 0.6): |0.8 − 0.4| + |0.2 − 0.6| = 0.8
    assert ind.krugman[0, 0] == pytest.approx(0.8)
    # Year 1: identical regions, no localisation or specialisation.
    assert ind.hoover[1].tolist() == pytest.approx([0.0, 0.0])
    assert ind.krugman[1].tolist() == pytest.approx([0.0, 0.0])
    change = ind.change()
    row = change.filter((change["index"] == "herfindahl") & (change["subject"] == "R1")).row(
        0, named=True
    )
    assert row["first"] == pytest.approx(1.0) and row["change"] == pytest.approx(-0.5)
    frame = ind.frame()
    assert frame.height == 2 * (2 + 2 + 2)


def test_krugman_against_a_given_reference() -> None:
    x = np.array([[[30.0, 70.0]]])
    ref = lq.Reference("ref", np.array([[30.0, 70.0]]))
    assert indices.compute(_cube(x), ref).krugman[0, 0] == pytest.approx(0.0)


@settings(max_examples=50, deadline=None)
@given(
    x=arrays(
        np.float64,
        st.tuples(st.just(1), st.integers(2, 5), st.integers(2, 5)),
        elements=st.floats(1, 1e6, allow_nan=False),
    )
)
def test_bounds(x: np.ndarray) -> None:
    ind = indices.compute(_cube(x))
    a = x.shape[2]
    assert (ind.hoover >= -1e-12).all() and (ind.hoover <= 1 + 1e-12).all()
    assert (ind.krugman >= -1e-12).all() and (ind.krugman <= 2 + 1e-12).all()
    assert (ind.herfindahl >= 1 / a - 1e-12).all() and (ind.herfindahl <= 1 + 1e-12).all()
