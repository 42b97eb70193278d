#!/usr/bin/env python3
"""The tensor benchmarks of bench/tensors.py in NumPy/SciPy and PyTorch.

Prints one line per measurement, in the format the PPL scripts use:
  matmul N SECONDS GFLOPS | mlp_grad SECONDS PER_SECOND LOSS | normal N DRAW LOGPDF
Run inside bench/peers/.venv (numpy, scipy, torch); bench/tensors.py drives it.
"""
import sys
import time

import numpy as np
import scipy.stats
import torch


def matmul(n, reps):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    c = a @ b
    s = float("inf")
    for _ in range(5):  # best of 5 batches, as the PPL script does
        start = time.perf_counter()
        for _ in range(reps):
            c = a @ b
        s = min(s, (time.perf_counter() - start) / reps)
    print("matmul", n, s, 2 * n**3 / s / 1e9)


def mlp_grad(reps, dtype):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(100, 64, generator=g, dtype=dtype)
    y = torch.randn(100, 64, generator=g, dtype=dtype)
    w1 = (torch.randn(64, 128, generator=g, dtype=dtype) * 0.1).requires_grad_()
    b1 = torch.zeros(128, dtype=dtype, requires_grad=True)
    w2 = (torch.randn(128, 64, generator=g, dtype=dtype) * 0.1).requires_grad_()
    b2 = torch.zeros(64, dtype=dtype, requires_grad=True)
    params = [w1, b1, w2, b2]

    def step():
        h = torch.tanh(x @ w1 + b1)
        loss = ((h @ w2 + b2 - y) ** 2).mean()
        return loss, torch.autograd.grad(loss, params)

    step()
    start = time.perf_counter()
    for _ in range(reps):
        loss, _ = step()
    s = (time.perf_counter() - start) / reps
    print("mlp_grad", s, 1 / s, float(loss), str(dtype).replace("torch.", ""))


def normal(n):
    rng = np.random.default_rng(1)
    start = time.perf_counter()
    xs = rng.standard_normal(n)
    draw = time.perf_counter() - start
    start = time.perf_counter()
    scipy.stats.norm.logpdf(xs).sum()
    logpdf = time.perf_counter() - start
    print("normal", n, draw, logpdf)


if __name__ == "__main__":
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    matmul(512, 50)
    matmul(1024, 10)
    mlp_grad(2000, torch.float64)
    mlp_grad(2000, torch.float32)
    normal(1_000_000)
