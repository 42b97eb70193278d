#!/usr/bin/env python3
"""Seconds per gradient step of ELBO and IWAE (K = 5) in Pyro and NumPyro, on the
normal–normal model of SPEC §7 and on the digits VAE of BENCHMARKS.md W4 (batch 100,
Adam lr 1e-3), one thread each. Prints: SYSTEM WORKLOAD OBJECTIVE SECONDS_PER_STEP TEST_ELBO
(TEST_ELBO per image after the timed epochs, nan for the small model). bench/vi.py drives it.
"""
import os
import pathlib
import sys
import time

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data" / "digits.csv"
EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 6
SMALL_STEPS = 2000


def digits():
    raw = np.loadtxt(DATA, delimiter=",", skiprows=1)[:, :64]
    x = (raw / 16.0 > 0.5).astype(np.float32)
    return x[:1500], x[1500:]


def pyro_runs():
    import torch
    import torch.nn as nn
    import pyro
    import pyro.distributions as dist
    from pyro.infer import SVI, Trace_ELBO, RenyiELBO
    from pyro.optim import Adam
    torch.set_num_threads(1)

    def small(objective):
        pyro.clear_param_store()

        def model():
            x = pyro.sample("x", dist.Normal(0.0, 1.0))
            pyro.sample("y", dist.Normal(x, 0.5), obs=torch.tensor(1.5))

        def guide():
            mu = pyro.param("mu", torch.tensor(0.0))
            ls = pyro.param("ls", torch.tensor(0.0))
            pyro.sample("x", dist.Normal(mu, ls.exp()))

        svi = SVI(model, guide, Adam({"lr": 0.01}), objective)
        for _ in range(100):
            svi.step()
        start = time.perf_counter()
        for _ in range(SMALL_STEPS):
            svi.step()
        return (time.perf_counter() - start) / SMALL_STEPS

    print("pyro small elbo", small(Trace_ELBO()), "nan", flush=True)
    print("pyro small iwae5", small(RenyiELBO(alpha=0, num_particles=5)), "nan", flush=True)
    print("pyro vae elbo", *pyro_vae("elbo", EPOCHS), flush=True)
    print("pyro vae iwae5", *pyro_vae("iwae5", EPOCHS), flush=True)


def pyro_vae(objective_name, epochs):
    """Pyro SVI on the digits VAE: seconds per step after the first epoch, test ELBO."""
    import torch
    import torch.nn as nn
    import pyro
    import pyro.distributions as dist
    from pyro.infer import SVI, Trace_ELBO, RenyiELBO
    from pyro.optim import Adam
    torch.set_num_threads(1)
    objective = Trace_ELBO() if objective_name == "elbo" else RenyiELBO(alpha=0, num_particles=5)
    pyro.clear_param_store()
    torch.manual_seed(0)
    enc1, enc_mu, enc_ls = nn.Linear(64, 128), nn.Linear(128, 8), nn.Linear(128, 8)
    dec1, dec2 = nn.Linear(8, 128), nn.Linear(128, 64)
    encoder = nn.ModuleList([enc1, enc_mu, enc_ls])
    decoder = nn.ModuleList([dec1, dec2])

    def model(x):
        pyro.module("decoder", decoder)
        with pyro.plate("data", x.shape[0]):
            z = pyro.sample("z", dist.Normal(torch.zeros(8), 1.0).to_event(1))
            pyro.sample("x", dist.Bernoulli(logits=dec2(torch.relu(dec1(z)))).to_event(1), obs=x)

    def guide(x):
        pyro.module("encoder", encoder)
        with pyro.plate("data", x.shape[0]):
            h = torch.relu(enc1(x))
            pyro.sample("z", dist.Normal(enc_mu(h), enc_ls(h).exp()).to_event(1))

    train, test = (torch.tensor(a) for a in digits())
    svi = SVI(model, guide, Adam({"lr": 1e-3}), objective)
    elapsed = 0.0
    for epoch in range(epochs):
        start = time.perf_counter()
        for b in range(15):
            svi.step(train[100 * b:100 * b + 100])
        if epoch > 0:
            elapsed += time.perf_counter() - start
    test_elbo = -np.mean([Trace_ELBO().loss(model, guide, test) for _ in range(10)]) / len(test)
    return elapsed / ((epochs - 1) * 15), test_elbo


def numpyro_runs():
    import jax
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist
    from numpyro.infer import SVI, Trace_ELBO, RenyiELBO
    from numpyro.optim import Adam

    def timed(svi, args, steps, batches=None):
        state = svi.init(jax.random.PRNGKey(0), *(args if batches is None else (batches[0],)))
        update = jax.jit(svi.update)
        for i in range(20):  # compile and warm up
            state, _ = update(state, *(args if batches is None else (batches[i % len(batches)],)))
        jax.block_until_ready(state)
        start = time.perf_counter()
        for i in range(steps):
            state, loss = update(state, *(args if batches is None else (batches[i % len(batches)],)))
        jax.block_until_ready(loss)
        return (time.perf_counter() - start) / steps, state

    def small(objective):
        def model():
            x = numpyro.sample("x", dist.Normal(0.0, 1.0))
            numpyro.sample("y", dist.Normal(x, 0.5), obs=1.5)

        def guide():
            mu = numpyro.param("mu", 0.0)
            ls = numpyro.param("ls", 0.0)
            numpyro.sample("x", dist.Normal(mu, jnp.exp(ls)))

        return timed(SVI(model, guide, Adam(0.01), objective), (), SMALL_STEPS)[0]

    def layer(key, n_in, n_out):
        return {"w": jax.random.normal(key, (n_in, n_out)) * jnp.sqrt(2.0 / n_in), "b": jnp.zeros(n_out)}

    def vae(objective):
        keys = jax.random.split(jax.random.PRNGKey(1), 5)
        init = {"e1": layer(keys[0], 64, 128), "mu": layer(keys[1], 128, 8), "ls": layer(keys[2], 128, 8),
                "d1": layer(keys[3], 8, 128), "d2": layer(keys[4], 128, 64)}

        def dense(p, x):
            return x @ p["w"] + p["b"]

        def model(x):
            dec = {k: numpyro.param("dec_" + k, init[k]) for k in ("d1", "d2")}
            with numpyro.plate("data", x.shape[0]):
                z = numpyro.sample("z", dist.Normal(jnp.zeros(8), 1.0).to_event(1))
                logits = dense(dec["d2"], jax.nn.relu(dense(dec["d1"], z)))
                numpyro.sample("x", dist.Bernoulli(logits=logits).to_event(1), obs=x)

        def guide(x):
            enc = {k: numpyro.param("enc_" + k, init[k]) for k in ("e1", "mu", "ls")}
            with numpyro.plate("data", x.shape[0]):
                h = jax.nn.relu(dense(enc["e1"], x))
                numpyro.sample("z", dist.Normal(dense(enc["mu"], h), jnp.exp(dense(enc["ls"], h))).to_event(1))

        train, test = (jnp.asarray(a) for a in digits())
        batches = [train[100 * b:100 * b + 100] for b in range(15)]
        svi = SVI(model, guide, Adam(1e-3), objective)
        seconds, state = timed(svi, None, (EPOCHS - 1) * 15, batches)
        params = svi.get_params(state)
        losses = [Trace_ELBO().loss(jax.random.PRNGKey(i), params, model, guide, test) for i in range(10)]
        return seconds, -float(np.mean(losses)) / len(test)

    print("numpyro small elbo", small(Trace_ELBO()), "nan", flush=True)
    print("numpyro small iwae5", small(RenyiELBO(alpha=0, num_particles=5)), "nan", flush=True)
    print("numpyro vae elbo", *vae(Trace_ELBO()), flush=True)
    print("numpyro vae iwae5", *vae(RenyiELBO(alpha=0, num_particles=5)), flush=True)


if __name__ == "__main__":
    pyro_runs()
    numpyro_runs()
