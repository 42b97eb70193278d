#!/usr/bin/env python3
"""Bootstrap particle filter on the linear-Gaussian model of BENCHMARKS.md W3, by hand
in vectorized NumPy (systematic resampling every step). Prints: numpy N SECONDS LOGZ
(best of 5 runs). bench/smc.py drives it.
"""
import csv
import pathlib
import time

import numpy as np

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data" / "lgssm_T100.csv"


def log_norm(x, m, s):
    return -0.5 * ((x - m) / s) ** 2 - np.log(s) - 0.5 * np.log(2 * np.pi)


def filter_(ys, n, rng):
    x = rng.standard_normal(n)
    log_z = 0.0
    for y in ys:
        x = 0.9 * x + rng.standard_normal(n)
        lw = log_norm(y, x, 0.5)
        m = lw.max()
        w = np.exp(lw - m)
        log_z += m + np.log(w.mean())
        positions = (rng.uniform() + np.arange(n)) / n
        x = x[np.minimum(np.searchsorted(np.cumsum(w / w.sum()), positions), n - 1)]
    return log_z


if __name__ == "__main__":
    ys = [float(r["y"]) for r in csv.DictReader(open(DATA))]
    rng = np.random.default_rng(0)
    for n in (1000, 10000):
        best, log_z = float("inf"), 0.0
        for _ in range(5):
            start = time.perf_counter()
            log_z = filter_(ys, n, rng)
            best = min(best, time.perf_counter() - start)
        print("numpy", n, best, log_z)
