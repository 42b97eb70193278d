#!/usr/bin/env python3
"""Seconds per gradient step of ELBO and IWAE (K = 5), PPL against Pyro and NumPyro, on
the normal–normal model of SPEC §7 and the digits VAE of BENCHMARKS.md W4, in one run,
one thread each (OPENBLAS_NUM_THREADS=1 for PPL).

  python3 bench/vi.py [EPOCHS]   # needs a release build; Pyro and NumPyro from bench/peers/.venv
"""
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PPL = ROOT / ".build" / "release" / "ppl"
VENV = ROOT / "bench" / "peers" / ".venv" / "bin" / "python"


def ppl(program, objective, count):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([str(PPL), "run", program, "--seed", "1", "--", objective, str(count)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    seconds = float(re.search(r"seconds/step ([0-9.e-]+)", out).group(1))
    test = re.search(r"test ELBO (-?[0-9.e-]+)", out)
    return seconds, float(test.group(1)) if test else float("nan")


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    python = str(VENV) if VENV.exists() else sys.executable
    peers = {}
    for line in subprocess.run([python, str(ROOT / "bench" / "peers" / "vi_peers.py"), str(epochs)], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        system, workload, objective, seconds, test = line.split()
        peers[(system, workload, objective)] = (float(seconds), float(test))
    print("| workload | objective | PPL ms/step | Pyro ms/step | NumPyro ms/step (jit per step) | PPL / Pyro | PPL / NumPyro "
          f"| test ELBO after {epochs} epochs: PPL, Pyro, NumPyro |")
    print("|---|---|---|---|---|---|---|---|")
    for workload, program, count in (("small", "bench/vi/small.ppl", 5000), ("vae", "bench/vi/vae.ppl", epochs)):
        for objective in ("elbo", "iwae5"):
            seconds, test = ppl(program, objective, count)
            pyro, pyro_test = peers[("pyro", workload, objective)]
            numpyro, numpyro_test = peers[("numpyro", workload, objective)]
            tests = "" if workload == "small" else f"{test:.2f}, {pyro_test:.2f}, {numpyro_test:.2f}"
            print(f"| {workload} | {objective} | {1000 * seconds:.3f} | {1000 * pyro:.3f} | {1000 * numpyro:.3f} "
                  f"| {seconds / pyro:.2f} | {seconds / numpyro:.2f} | {tests} |")


if __name__ == "__main__":
    main()
