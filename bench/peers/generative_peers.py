#!/usr/bin/env python3
"""Reference systems for BENCHMARKS.md W4–W6, one thread each: a hand-written PyTorch
VAE and Pyro's SVI on the same VAE (seconds per epoch, test ELBO), normflows' RealNVP on two moons (seconds per step,
train and test NLL) and torchgfn's trajectory balance on the hypergrid (seconds per
iteration, exact L1 of the learned sampler, learned log Z). Prints one line per system:
SYSTEM KEY=VALUE … (bench/generative.py drives it).
"""
import os
import pathlib
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import torch

torch.set_num_threads(1)
DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data"


def vae(epochs=50):
    raw = np.loadtxt(DATA / "digits.csv", delimiter=",", skiprows=1)[:, :64]
    x = torch.tensor((raw / 16.0 > 0.5).astype(np.float32))
    train, test = x[:1500], x[1500:]
    torch.manual_seed(0)
    enc = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 16))
    dec = torch.nn.Sequential(torch.nn.Linear(8, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64))
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)

    def elbo(batch):
        mu, log_sd = enc(batch).chunk(2, dim=1)
        z = mu + log_sd.exp() * torch.randn_like(mu)
        log_lik = -torch.nn.functional.binary_cross_entropy_with_logits(dec(z), batch, reduction="none").sum(1)
        kl = 0.5 * (mu ** 2 + (2 * log_sd).exp() - 1 - 2 * log_sd).sum(1)
        return (log_lik - kl).mean()

    elapsed = 0.0
    for epoch in range(epochs):
        start = time.perf_counter()
        for b in range(15):
            opt.zero_grad()
            (-elbo(train[100 * b:100 * b + 100])).backward()
            opt.step()
        if epoch > 0:
            elapsed += time.perf_counter() - start
    with torch.no_grad():
        test_elbo = float(np.mean([elbo(test).item() for _ in range(10)]))
    print(f"pytorch_vae seconds_per_epoch={elapsed / (epochs - 1)} test_elbo={test_elbo}", flush=True)
    from vi_peers import pyro_vae
    seconds, pyro_elbo = pyro_vae("elbo", epochs)
    print(f"pyro_vae seconds_per_epoch={15 * seconds} test_elbo={pyro_elbo}", flush=True)


def realnvp(steps=2000):
    import normflows as nf
    train = np.loadtxt(DATA / "moons_train.csv", delimiter=",", skiprows=1)
    test = np.loadtxt(DATA / "moons_test.csv", delimiter=",", skiprows=1)
    center, spread = train.mean(0), train.std(0)
    train = torch.tensor((train - center) / spread, dtype=torch.float32)
    test = torch.tensor((test - center) / spread, dtype=torch.float32)
    torch.manual_seed(0)
    flows = []
    for _ in range(8):
        net = nf.nets.MLP([1, 64, 64, 2], init_zeros=True)
        flows += [nf.flows.AffineCouplingBlock(net), nf.flows.Permute(2, mode="swap")]
    model = nf.NormalizingFlow(nf.distributions.DiagGaussian(2, trainable=False), flows)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(1)
    start = time.perf_counter()
    for step in range(steps):
        batch = train[torch.randint(0, len(train), (256,), generator=gen)]
        opt.zero_grad()
        loss = model.forward_kld(batch)
        loss.backward()
        opt.step()
    seconds = (time.perf_counter() - start) / steps
    with torch.no_grad():
        nll_train = -model.log_prob(train).mean().item()
        nll_test = -model.log_prob(test).mean().item()
    print(f"normflows_realnvp seconds_per_step={seconds} train_nll={nll_train} test_nll={nll_test}", flush=True)


def gflownet(iterations=1000, height=8):
    from gfn.gym import HyperGrid
    from gfn.gflownet import TBGFlowNet
    from gfn.estimators import DiscretePolicyEstimator
    from gfn.preprocessors import KHotPreprocessor
    from gfn.utils.modules import MLP
    torch.manual_seed(0)
    env = HyperGrid(ndim=2, height=height, reward_fn_kwargs={"R0": 0.1, "R1": 0.5, "R2": 2.0}, calculate_partition=True,
                    store_all_states=True)
    pre = KHotPreprocessor(height=height, ndim=2)
    module_pf = MLP(input_dim=pre.output_dim, output_dim=env.n_actions)
    module_pb = MLP(input_dim=pre.output_dim, output_dim=env.n_actions - 1, trunk=module_pf.trunk)
    pf = DiscretePolicyEstimator(module_pf, env.n_actions, preprocessor=pre, is_backward=False)
    pb = DiscretePolicyEstimator(module_pb, env.n_actions, preprocessor=pre, is_backward=True)
    gfn = TBGFlowNet(pf=pf, pb=pb, init_logZ=0.0)
    opt = torch.optim.Adam(gfn.pf_pb_parameters(), lr=1e-3)
    opt.add_param_group({"params": gfn.logz_parameters(), "lr": 1e-1})
    start = time.perf_counter()
    for _ in range(iterations):
        trajectories = gfn.sample_trajectories(env, n=16, save_logprobs=True)
        opt.zero_grad()
        loss = gfn.loss(env, trajectories, recalculate_all_logprobs=False)
        loss.backward()
        opt.step()
    seconds = (time.perf_counter() - start) / iterations
    # L1 between the sampler's distribution over final states (10^5 samples) and R/Z.
    with torch.no_grad():
        counts = torch.zeros(height ** 2)
        for _ in range(100):
            final = gfn.sample_trajectories(env, n=1000).terminating_states.tensor
            counts += torch.bincount(final[:, 0] * height + final[:, 1], minlength=height ** 2).float()
        axis = torch.arange(height)
        grid = torch.stack(torch.meshgrid(axis, axis, indexing="ij"), -1).reshape(-1, 2)
        ax = (grid / (height - 1) - 0.5).abs()
        reward = 0.1 + 0.5 * (ax > 0.25).all(1) + 2.0 * ((ax > 0.3) & (ax < 0.4)).all(1)
        l1 = (counts / counts.sum() - reward / reward.sum()).abs().sum().item()
    print(f"torchgfn_tb seconds_per_iteration={seconds} l1={l1} log_z={gfn.logZ.item()} true_log_z={reward.sum().log().item()}",
          flush=True)


if __name__ == "__main__":
    which = sys.argv[1:] or ["vae", "realnvp", "gflownet"]
    for name in which:
        {"vae": vae, "realnvp": realnvp, "gflownet": gflownet}[name]()
