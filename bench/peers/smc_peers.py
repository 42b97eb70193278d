#!/usr/bin/env python3
"""Bootstrap particle filter on the linear-Gaussian model of BENCHMARKS.md W3: by hand
in vectorized NumPy (systematic resampling every step), and with Pyro's SMCFilter
(bootstrap guide, resampling at ESS/N < 0.5; Pyro reports no evidence, so LOGZ is nan).
Prints: SYSTEM N SECONDS LOGZ (best of 5 runs; Pyro best of 3). bench/smc.py drives it.
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


class PyroModel:
    """x0 ~ N(0, 1), x_t = 0.9 x_{t-1} + N(0, 1), y_t = x_t + N(0, 0.5²)."""

    def init(self, state):
        import pyro
        import pyro.distributions as dist
        self.t = 0
        state["x"] = pyro.sample("x_0", dist.Normal(0.0, 1.0))

    def step(self, state, y=None):
        import pyro
        import pyro.distributions as dist
        self.t += 1
        state["x"] = pyro.sample(f"x_{self.t}", dist.Normal(0.9 * state["x"], 1.0))
        pyro.sample(f"y_{self.t}", dist.Normal(state["x"], 0.5), obs=y)


class PyroGuide:
    """The bootstrap proposal: each state from its transition."""

    def __init__(self):
        self.t = 0

    def init(self, state):
        import pyro
        import pyro.distributions as dist
        self.t = 0
        pyro.sample("x_0", dist.Normal(0.0, 1.0))

    def step(self, state, y=None):
        import pyro
        import pyro.distributions as dist
        self.t += 1
        pyro.sample(f"x_{self.t}", dist.Normal(0.9 * state["x"], 1.0))


def pyro_filter(ys, n):
    import torch
    from pyro.infer import SMCFilter
    smc = SMCFilter(PyroModel(), PyroGuide(), num_particles=n, max_plate_nesting=0)
    smc.init()
    for y in ys:
        smc.step(torch.tensor(y))
    return smc.get_empirical()["x"].mean


def pyro_runs(ys):
    try:
        import torch
        torch.set_default_dtype(torch.float64)
    except ImportError:
        return
    for n in (1000, 10000):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            pyro_filter(ys, n)
            best = min(best, time.perf_counter() - start)
        print("pyro", n, best, "nan")


if __name__ == "__main__":
    ys = [float(r["y"]) for r in csv.DictReader(open(DATA))]
    rng = np.random.default_rng(0)
    for n in (1000, 10000, 100000):
        best, log_z = float("inf"), 0.0
        for _ in range(5):
            start = time.perf_counter()
            log_z = filter_(ys, n, rng)
            best = min(best, time.perf_counter() - start)
        print("numpy", n, best, log_z)
    pyro_runs(ys)
