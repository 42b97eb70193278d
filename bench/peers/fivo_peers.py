#!/usr/bin/env python3
"""One FIVO gradient step written by hand in PyTorch, on the model of bench/fivo/fivo.ppl:
N particles vectorized, the proposal N(a f + b y + c, exp(s)) reparameterized, systematic
resampling when ESS < N/2 with the ancestors held (FIVO), Adam on -log Z-hat.

  python fivo_peers.py N T STEPS   ->  "torch fivo SECONDS_PER_STEP B"
"""
import math
import sys
import time

import torch

torch.set_num_threads(1)


def drift(x):
    return 0.9 * x + 0.5 * torch.sin(x)


def log_normal(x, mean, sd):
    return -0.5 * ((x - mean) / sd) ** 2 - torch.log(sd) - 0.5 * math.log(2 * math.pi)


def fivo(theta, ys, n):
    a, b, c, s = theta
    x = torch.zeros(n)
    log_w = torch.zeros(n)
    log_z = torch.zeros(())
    sd_q = torch.exp(s)
    one, noise = torch.tensor(1.0), torch.tensor(0.3)
    for t, y in enumerate(ys):
        f = torch.zeros(n) if t == 0 else drift(x)
        z = a * f + b * y + c + sd_q * torch.randn(n)
        log_w = log_w + log_normal(z, f, one) + log_normal(y, z, noise) - log_normal(z, a * f + b * y + c, sd_q)
        x = z
        w = torch.softmax(log_w.detach(), 0)
        if 1.0 / (w * w).sum() < n / 2 and t < len(ys) - 1:
            log_z = log_z + torch.logsumexp(log_w, 0) - math.log(n)
            u = (torch.rand(()) + torch.arange(n)) / n
            ancestors = torch.searchsorted(torch.cumsum(w, 0), u).clamp(max=n - 1)
            x = x[ancestors]
            log_w = torch.zeros(n)
    return log_z + torch.logsumexp(log_w, 0) - math.log(n)


def main():
    n, T, steps = (int(v) for v in sys.argv[1:4])
    ys = [2.0 * math.sin(0.3 * t) + 0.5 * math.cos(1.7 * t) for t in range(T)]
    theta = [torch.tensor(v, requires_grad=True) for v in (1.0, 0.0, 0.0, 0.0)]
    optimizer = torch.optim.Adam(theta, lr=0.05)
    for _ in range(2):
        optimizer.zero_grad()
        (-fivo(theta, ys, n)).backward()
        optimizer.step()
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.zero_grad()
        (-fivo(theta, ys, n)).backward()
        optimizer.step()
    print("torch fivo", (time.perf_counter() - start) / steps, float(theta[1]))


if __name__ == "__main__":
    main()
