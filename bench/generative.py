#!/usr/bin/env python3
"""Deep generative models (BENCHMARKS.md W4–W6), PPL against the reference libraries in
one run, one thread each (OPENBLAS_NUM_THREADS=1 for PPL): the digits VAE against
hand-written PyTorch, RealNVP on two moons against normflows, trajectory balance on the
hypergrid against torchgfn; the VAE also against Pyro. PPL runs the examples themselves.

  python3 bench/generative.py   # needs a release build; the peers from bench/peers/.venv
"""
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PPL = ROOT / ".build" / "release" / "ppl"
VENV = ROOT / "bench" / "peers" / ".venv" / "bin" / "python"


def ppl(example):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    return subprocess.run([str(PPL), "run", f"examples/{example}", "--seed", "1"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True).stdout


def number(pattern, text):
    return float(re.search(pattern, text).group(1))


def main():
    python = str(VENV) if VENV.exists() else sys.executable
    peers = {}
    out = subprocess.run([python, str(ROOT / "bench" / "peers" / "generative_peers.py")], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        system, *pairs = line.split()
        peers[system] = {k: float(v) for k, v in (p.split("=") for p in pairs)}
    vae = ppl("vae_digits.ppl")
    flow = ppl("flow_moons.ppl")
    gfn = ppl("gflownet_hypergrid.ppl")
    num = r"(-?[0-9.e+-]+)"
    print("| workload | measure | PPL | reference | PPL / reference |")
    print("|---|---|---|---|---|")
    t, r = number(r"seconds per epoch: " + num, vae), peers["pytorch_vae"]["seconds_per_epoch"]
    print(f"| VAE (50 epochs) | s / epoch | {t:.4f} | PyTorch {r:.4f} | {t / r:.2f} |")
    r = peers["pyro_vae"]["seconds_per_epoch"]
    print(f"| VAE (50 epochs) | s / epoch | {t:.4f} | Pyro {r:.4f} | {t / r:.2f} |")
    print(f"| VAE | test ELBO | {number(r'test ELBO: ' + num, vae):.2f} | PyTorch {peers['pytorch_vae']['test_elbo']:.2f}, "
          f"Pyro {peers['pyro_vae']['test_elbo']:.2f} | |")
    iwae = number(r"IWAE\(K = 100\): " + num, vae)
    print(f"| VAE | test IWAE(100) | {iwae:.2f} | (BENCHMARKS.md: −18.88) | |")
    t, r = number(r"seconds per step: " + num, flow), peers["normflows_realnvp"]["seconds_per_step"]
    print(f"| RealNVP (2000 steps) | s / step | {t:.4f} | normflows {r:.4f} | {t / r:.2f} |")
    print(f"| RealNVP | train / test NLL | {number(r'train NLL: ' + num, flow):.3f} / {number(r'test NLL: ' + num, flow):.3f} "
          f"| normflows {peers['normflows_realnvp']['train_nll']:.3f} / {peers['normflows_realnvp']['test_nll']:.3f} | |")
    t, r = number(r"seconds per iteration: " + num, gfn), peers["torchgfn_tb"]["seconds_per_iteration"]
    print(f"| GFlowNet TB (1000 it.) | s / iteration | {t:.4f} | torchgfn {r:.4f} | {t / r:.2f} |")
    print(f"| GFlowNet | L1 to R/Z | {number(r'L1 to R/Z: ' + num, gfn):.4f} (exact) | torchgfn {peers['torchgfn_tb']['l1']:.4f} "
          "(10^5 samples; floor 0.016) | |")
    print(f"| GFlowNet | log Z (true {peers['torchgfn_tb']['true_log_z']:.4f}) | {number(r'learned log Z: ' + num, gfn):.4f} "
          f"| torchgfn {peers['torchgfn_tb']['log_z']:.4f} | |")


if __name__ == "__main__":
    main()
