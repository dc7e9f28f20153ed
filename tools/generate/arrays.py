"""Small numpy helpers: day numbers, months, categorical and uniform draws."""

from __future__ import annotations

import datetime as dt

import numpy as np

from tools.generate.reference import EPOCH


# --- small numpy helpers -------------------------------------------------------------------------
def _days(d: dt.date) -> int:
    return (d - EPOCH).days


def _date(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


def _month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _month_start(mi: np.ndarray) -> np.ndarray:
    return mi.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = days.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    y = m.astype("datetime64[Y]").astype(np.int64) + 1970
    return y, m.astype(np.int64) % 12 + 1, (d - m.astype("datetime64[D]")).astype(np.int64) + 1


def _pick(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Categorical draw per element: probs[rows[i]] is the distribution of element i."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(rows))
    out = np.empty(len(rows), dtype=np.int8)
    for r in np.unique(rows):  # one distribution at a time: memory stays O(n)
        m = rows == r
        out[m] = np.minimum(np.searchsorted(cum[r], u[m], side="left"), probs.shape[1] - 1)
    return out


def _uniform_int(
    rng: np.random.Generator, base: np.ndarray | int, count: np.ndarray | int, n: int
) -> np.ndarray:
    return (np.asarray(base) + np.floor(rng.random(n) * np.asarray(count))).astype(np.int64)
