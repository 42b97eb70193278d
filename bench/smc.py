#!/usr/bin/env python3
"""Bootstrap particle filter (BENCHMARKS.md W3, T = 100): PPL's smc against a
hand-vectorized NumPy filter and Pyro's SMCFilter, N = 1000, 10^4 and 10^5, in one run.

  python3 bench/smc.py     # needs a release build; NumPy and Pyro from bench/peers/.venv
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PPL = ROOT / ".build" / "release" / "ppl"
VENV = ROOT / "bench" / "peers" / ".venv" / "bin" / "python"
EXACT = -161.6066310564409
SIZES = (1000, 10000, 100000)


def main():
    python = str(VENV) if VENV.exists() else sys.executable
    peers, pyro = {}, {}
    for line in subprocess.run([python, str(ROOT / "bench" / "peers" / "smc_peers.py")], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        system, n, seconds, log_z = line.split()
        if system == "numpy":
            peers[int(n)] = (float(seconds), float(log_z))
        else:
            pyro[int(n)] = float(seconds)
    print("| particles | PPL s (smc run only) | NumPy s (hand-vectorized) | Pyro SMCFilter s | PPL / NumPy | PPL / Pyro "
          "| PPL log Z error | NumPy log Z error |")
    print("|---|---|---|---|---|---|---|---|")
    for n in SIZES:
        seconds = float("inf")
        for _ in range(5):  # best of 5, as the NumPy filter is timed
            out = subprocess.run([str(PPL), "run", "bench/smc_lgssm.ppl", "--seed", "1", "--", str(n)], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
            seconds = min(seconds, float(re.search(r"seconds: ([0-9.e-]+)", out).group(1)))
            error = float(re.search(r"error (-?[0-9.e-]+)", out).group(1))
        q, log_z = peers[n]
        p = pyro.get(n, float("nan"))
        print(f"| {n} | {seconds:.3f} | {q:.4f} | {p:.3f} | {seconds / q:.1f} | {seconds / p:.1f} | {error:+.2f} "
              f"| {log_z - EXACT:+.2f} |")


if __name__ == "__main__":
    main()
