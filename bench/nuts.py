#!/usr/bin/env python3
"""NUTS benchmarks W1 and W2 of BENCHMARKS.md: PPL against NumPyro, Pyro and Stan in one
run, 1 chain, 1000 warmup + 1000 draws, minimum bulk ESS per second.

  python3 bench/nuts.py                # needs a release build, bench/peers/.venv and .venv-stan
  python3 bench/nuts.py numpyro stan   # skip Pyro (slow)

PPL's figures count the whole process (parsing, compiling, warmup and sampling), as
"first run incl. compile" does for NumPyro.
"""
import pathlib
import re
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PPL = ROOT / ".build" / "release" / "ppl"
VENV = ROOT / "bench" / "peers" / ".venv" / "bin" / "python"
STAN_VENV = ROOT / "bench" / "peers" / ".venv-stan" / "bin" / "python"


def ppl(example):
    start = time.perf_counter()
    out = subprocess.run([str(PPL), "run", f"examples/{example}.ppl", "--seed", "1"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    seconds = time.perf_counter() - start
    ess = float(re.search(r"min bulk ESS: ([0-9.]+)", out).group(1))
    return seconds, ess


def main():
    peers = sys.argv[1:] or ["numpyro", "pyro", "stan"]
    rows = []
    for workload, example in [("eight_schools", "eight_schools"), ("logistic", "logistic_regression")]:
        s, e = ppl(example)
        rows.append((workload, "PPL (whole process)", s, s, e))
    python_peers = [p for p in peers if p != "stan"]
    out = subprocess.run([str(VENV), str(ROOT / "bench" / "peers" / "nuts_peers.py"), *python_peers],
                         capture_output=True, text=True, check=True).stdout if python_peers else ""
    if "stan" in peers:
        out += subprocess.run([str(STAN_VENV), str(ROOT / "bench" / "peers" / "nuts_stan.py")],
                              capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if len(line.split()) != 5:
            continue  # PyStan's progress lines ("Building...")
        system, workload, first, steady, ess = line.split()
        rows.append((workload, system, float(first), float(steady), float(ess)))
    print("| workload | system | first run s | steady s | min bulk ESS | ESS/s first run | ESS/s steady |")
    print("|---|---|---|---|---|---|---|")
    for w, system, first, steady, ess in sorted(rows, key=lambda r: r[0]):
        print(f"| {w} | {system} | {first:.2f} | {steady:.2f} | {ess:.0f} | {ess / first:.0f} | {ess / steady:.0f} |")


if __name__ == "__main__":
    main()
