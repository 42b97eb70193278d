#!/usr/bin/env python3
"""Writes Tests/data/reference/arviz_diagnostics.json: fixed MCMC-like draws and the
bulk and tail ESS, MCSE of the mean, R-hat and E-BFMI (the draws read as energies) ArviZ computes for them (run once; the
test data is committed). ArviZ gives no R-hat for one chain; Stan splits it in two like
every other, and "rhat_split" is ArviZ's rank R-hat computed that way (its own steps
without the two-chain check), equal to "rhat" where there are two chains or more.

  bench/peers/.venv/bin/python bench/peers/arviz_reference.py
"""
import json
import pathlib

import arviz
import numpy as np
from arviz.stats.diagnostics import _rhat, _split_chains, _z_scale

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "data" / "reference" / "arviz_diagnostics.json"


def ar1(rng, chains, draws, phi, offsets):
    x = np.zeros((chains, draws))
    for c in range(chains):
        v = offsets[c]
        for i in range(draws):
            v = offsets[c] + phi * (v - offsets[c]) + rng.standard_normal()
            x[c, i] = v
    return x


def split_rhat(draws):
    split = _split_chains(draws)
    folded = abs(split - np.median(split))
    return max(_rhat(_z_scale(split)), _rhat(_z_scale(folded)))


def main():
    rng = np.random.default_rng(2026)
    cases = {
        "independent, 4 chains": rng.standard_normal((4, 500)),
        "autocorrelated 0.9, 2 chains": ar1(rng, 2, 1000, 0.9, [0.0, 0.0]),
        "not mixed, 3 chains": ar1(rng, 3, 400, 0.5, [0.0, 0.5, 3.0]),
        "one chain, odd length, heavy tails": rng.standard_cauchy((1, 301)),
        "ties (discrete draws)": rng.poisson(2.0, (2, 250)).astype(float),
        "anti-correlated -0.9, 2 chains": ar1(rng, 2, 600, -0.9, [0.0, 0.0]),
        "alternating (first autocorrelation pair negative)": np.array(
            [[(-1) ** i + 0.01 * rng.standard_normal() for i in range(200)] for _ in range(2)]),
    }
    out = []
    for name, draws in cases.items():
        out.append({
            "name": name,
            "draws": draws.tolist(),
            "ess_bulk": float(arviz.ess(draws, method="bulk")),
            "ess_tail": float(arviz.ess(draws, method="tail")),
            "mcse_mean": float(arviz.mcse(draws, method="mean")),
            "rhat": float(arviz.rhat(draws, method="rank")),
            "rhat_split": float(split_rhat(draws)),
            "bfmi": [float(b) for b in arviz.bfmi(draws)],
        })
    OUT.write_text(json.dumps({"arviz": arviz.__version__, "cases": out}))
    print(f"wrote {OUT} with ArviZ {arviz.__version__}")


if __name__ == "__main__":
    main()
