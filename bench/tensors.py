#!/usr/bin/env python3
"""Tensor benchmarks, PPL against NumPy/SciPy and PyTorch in one run.

  python3 bench/tensors.py            # needs a release build and bench/peers/.venv
  (python3 -m venv bench/peers/.venv && bench/peers/.venv/bin/pip install -r bench/peers/requirements.txt)

Matrix products use every core (OpenBLAS threads in both); the MLP gradient runs with
1 thread in both (OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)).
"""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PPL = ROOT / ".build" / "release" / "ppl"
VENV = ROOT / "bench" / "peers" / ".venv" / "bin" / "python"


def lines(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}).stdout
    return [line.split() for line in out.splitlines() if line.strip()]


def ppl(script, *args, env=None):
    return lines([str(PPL), "run", str(ROOT / "bench" / "tensors" / script), "--", *map(str, args)], env)[-1]


def main():
    if not PPL.exists() or not VENV.exists():
        sys.exit("needs .build/release/ppl (swift build -c release) and bench/peers/.venv (see the docstring)")
    one = {"OPENBLAS_NUM_THREADS": "1"}
    peers_all = lines([str(VENV), str(ROOT / "bench" / "peers" / "tensors_peers.py"), "2"])
    peers_one = lines([str(VENV), str(ROOT / "bench" / "peers" / "tensors_peers.py"), "1"], one)
    print("| workload | PPL | NumPy / PyTorch | PPL / peer |")
    print("|---|---|---|---|")
    for n, reps in [(512, 50), (1024, 10)]:
        p = float(ppl("matmul.ppl", n, reps)[2])
        q = float(next(l for l in peers_all if l[0] == "matmul" and l[1] == str(n))[2])
        print(f"| matmul {n}×{n}, s (GFLOP/s) | {p:.5f} ({2 * n**3 / p / 1e9:.0f}) | NumPy {q:.5f} ({2 * n**3 / q / 1e9:.0f}) | {p / q:.2f} |")
    p = float(ppl("mlp_grad.ppl", 2000, env=one)[2])
    for dtype in ["float64", "float32"]:
        q = float(next(l for l in peers_one if l[0] == "mlp_grad" and l[4] == dtype)[2])
        print(f"| MLP loss gradient, 1 thread, grads/s | {p:.0f} (float64) | PyTorch {dtype} {q:.0f} | {p / q:.2f} |")
    p = ppl("normal.ppl", 1_000_000, env=one)
    q = next(l for l in peers_one if l[0] == "normal")
    print(f"| 10^6 normal draws, s | vectorized {float(p[2]):.4f}, loop {float(p[4]):.3f} | NumPy {float(q[2]):.4f} | {float(p[2]) / float(q[2]):.2f} |")
    print(f"| 10^6 normal log-densities, s | vectorized {float(p[3]):.4f}, loop {float(p[5]):.3f} | SciPy {float(q[3]):.4f} | {float(p[3]) / float(q[3]):.2f} |")


if __name__ == "__main__":
    main()
