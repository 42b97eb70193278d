#!/usr/bin/env python3
"""NUTS workloads W1 (eight schools, non-centered) and W2 (breast-cancer logistic
regression) of BENCHMARKS.md in Stan (PyStan 3 / httpstan): 1 chain, 1000 warmup +
1000 draws, Stan's defaults otherwise. Prints, like nuts_peers.py:
  stan WORKLOAD FIRST_RUN_SECONDS STEADY_SECONDS MIN_BULK_ESS
where the first run includes compiling the model (httpstan caches compiled models:
the cache is cleared first so the figure is honest) and the steady one samples again.
Run inside bench/peers/.venv-stan (requirements-stan.txt); bench/nuts.py drives it.
"""
import csv
import os
import pathlib
import shutil
import tempfile
import time

import arviz
import httpstan.cache
import numpy as np
import stan

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data"

SCHOOLS = """
data { int<lower=0> J; vector[J] y; vector<lower=0>[J] sigma; }
parameters { real mu; real<lower=0> tau; vector[J] eta; }
model {
  mu ~ normal(0, 5);
  tau ~ cauchy(0, 5);
  eta ~ normal(0, 1);
  y ~ normal(mu + tau * eta, sigma);
}
"""

LOGISTIC = """
data { int<lower=0> N; int<lower=0> D; matrix[N, D] x; array[N] int<lower=0, upper=1> y; }
parameters { vector[D] w; real b; }
model {
  w ~ normal(0, 1);
  b ~ normal(0, 5);
  y ~ bernoulli_logit(x * w + b);
}
"""


def data():
    rows = list(csv.DictReader(open(DATA / "eight_schools.csv")))
    schools = {"J": len(rows), "y": [float(r["y"]) for r in rows], "sigma": [float(r["sigma"]) for r in rows]}
    d = np.loadtxt(DATA / "breast_cancer.csv", delimiter=",", skiprows=1)
    x = (d[:, :30] - d[:, :30].mean(0)) / d[:, :30].std(0)
    cancer = {"N": x.shape[0], "D": 30, "x": x.tolist(), "y": [int(v) for v in d[:, 30]]}
    return schools, cancer


def min_ess(fit, names):
    values = []
    for name in names:
        a = np.asarray(fit[name])  # shape: (dims..., draws)
        a = a.reshape(-1, a.shape[-1])
        values += [float(arviz.ess(row[None, :], method="bulk")) for row in a]
    return min(values)


def main():
    os.chdir(tempfile.mkdtemp())  # httpstan compiles into ./build
    shutil.rmtree(httpstan.cache.cache_directory(), ignore_errors=True)
    schools, cancer = data()
    for name, code, d, names in [("eight_schools", SCHOOLS, schools, ["mu", "tau", "eta"]),
                                 ("logistic", LOGISTIC, cancer, ["w", "b"])]:
        times = []
        for seed in (1, 2):
            start = time.perf_counter()
            model = stan.build(code, data=d, random_seed=seed)
            fit = model.sample(num_chains=1, num_warmup=1000, num_samples=1000)
            times.append(time.perf_counter() - start)
        print("stan", name, times[0], times[1], min_ess(fit, names))


if __name__ == "__main__":
    main()
