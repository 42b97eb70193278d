#!/usr/bin/env python3
"""NUTS workloads W1 (eight schools, non-centered) and W2 (breast-cancer logistic
regression) of BENCHMARKS.md in NumPyro and Pyro: 1 chain, 1000 warmup + 1000 draws.
Prints: SYSTEM WORKLOAD FIRST_RUN_SECONDS STEADY_SECONDS MIN_BULK_ESS.
Run inside bench/peers/.venv (numpyro, pyro-ppl, arviz); bench/nuts.py drives it.
"""
import csv
import pathlib
import sys
import time

import arviz
import numpy as np

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data"


def eight_schools_data():
    rows = list(csv.DictReader(open(DATA / "eight_schools.csv")))
    return np.array([float(r["y"]) for r in rows]), np.array([float(r["sigma"]) for r in rows])


def cancer_data():
    d = np.loadtxt(DATA / "breast_cancer.csv", delimiter=",", skiprows=1)
    x, y = d[:, :30], d[:, 30]
    return (x - x.mean(0)) / x.std(0), y


def min_ess(samples):
    """The smallest bulk ESS over every scalar of every variable (one chain)."""
    values = []
    for v in samples.values():
        a = np.asarray(v).reshape(len(v), -1)
        values += [float(arviz.ess(a[None, :, j], method="bulk")) for j in range(a.shape[1])]
    return min(values)


def numpyro_runs():
    import jax
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist
    from numpyro.infer import MCMC, NUTS
    jax.config.update("jax_enable_x64", True)
    y, sigma = eight_schools_data()

    def schools(y, sigma):
        mu = numpyro.sample("mu", dist.Normal(0, 5))
        tau = numpyro.sample("tau", dist.HalfCauchy(5))
        eta = numpyro.sample("eta", dist.Normal(jnp.zeros(8), 1))
        numpyro.sample("y", dist.Normal(mu + tau * eta, sigma), obs=y)

    x, labels = cancer_data()

    def logistic(x, labels):
        w = numpyro.sample("w", dist.Normal(jnp.zeros(30), 1))
        b = numpyro.sample("b", dist.Normal(0, 5))
        numpyro.sample("y", dist.Bernoulli(logits=x @ w + b), obs=labels)

    for name, model, args in [("eight_schools", schools, (y, sigma)), ("logistic", logistic, (x, labels))]:
        times = []
        for seed in range(2):  # the first run includes compilation
            mcmc = MCMC(NUTS(model), num_warmup=1000, num_samples=1000, progress_bar=False)
            start = time.perf_counter()
            mcmc.run(jax.random.PRNGKey(seed), *args)
            jax.block_until_ready(mcmc.get_samples())
            times.append(time.perf_counter() - start)
        print("numpyro", name, times[0], times[1], min_ess(mcmc.get_samples()))


def pyro_runs():
    import pyro
    import pyro.distributions as dist
    import torch
    from pyro.infer import MCMC, NUTS
    torch.set_default_dtype(torch.float64)
    y, sigma = map(torch.tensor, eight_schools_data())

    def schools(y, sigma):
        mu = pyro.sample("mu", dist.Normal(0.0, 5.0))
        tau = pyro.sample("tau", dist.HalfCauchy(5.0))
        eta = pyro.sample("eta", dist.Normal(torch.zeros(8), 1.0).to_event(1))
        pyro.sample("y", dist.Normal(mu + tau * eta, sigma).to_event(1), obs=y)

    x, labels = map(torch.tensor, cancer_data())

    def logistic(x, labels):
        w = pyro.sample("w", dist.Normal(torch.zeros(30), 1.0).to_event(1))
        b = pyro.sample("b", dist.Normal(0.0, 5.0))
        pyro.sample("y", dist.Bernoulli(logits=x @ w + b).to_event(1), obs=labels)

    for name, model, args in [("eight_schools", schools, (y, sigma)), ("logistic", logistic, (x, labels))]:
        pyro.set_rng_seed(0)
        mcmc = MCMC(NUTS(model, jit_compile=True, ignore_jit_warnings=True), num_samples=1000, warmup_steps=1000, disable_progbar=True)
        start = time.perf_counter()
        mcmc.run(*args)
        s = time.perf_counter() - start
        print("pyro", name, s, s, min_ess({k: v.numpy() for k, v in mcmc.get_samples().items()}))


if __name__ == "__main__":
    which = sys.argv[1:] or ["numpyro", "pyro"]
    if "numpyro" in which:
        numpyro_runs()
    if "pyro" in which:
        pyro_runs()
