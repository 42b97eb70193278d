#!/usr/bin/env python3
"""Seconds per FIVO gradient step, PPL (stdlib vi's fivo over smc with a proposal) against
a hand-written, particle-vectorized PyTorch FIVO step, on the same nonlinear state-space
model and data, one thread each, in one run.

  python3 bench/fivo.py [STEPS]   # needs a release build; PyTorch from bench/peers/.venv
"""
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PPL = ROOT / ".build" / "release" / "ppl"
VENV = ROOT / "bench" / "peers" / ".venv" / "bin" / "python"


def ppl(n, T, steps):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([str(PPL), "run", "bench/fivo/fivo.ppl", "--seed", "1", "--", str(n), str(T), str(steps)], cwd=ROOT,
                         env=env, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"seconds/step ([0-9.e-]+)", out).group(1))


def torch(n, T, steps):
    python = str(VENV) if VENV.exists() else sys.executable
    out = subprocess.run([python, str(ROOT / "bench" / "peers" / "fivo_peers.py"), str(n), str(T), str(steps)],
                         capture_output=True, text=True, check=True).stdout
    return float(out.split()[2])


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print("| N | T | PPL ms/step | PyTorch ms/step | PPL / PyTorch |")
    print("|---|---|---|---|---|")
    for n, T in ((10, 30), (100, 30), (1000, 30)):
        ours, theirs = ppl(n, T, steps), torch(n, T, steps)
        print(f"| {n} | {T} | {1000 * ours:.2f} | {1000 * theirs:.2f} | {ours / theirs:.1f} |")


if __name__ == "__main__":
    main()
