#!/usr/bin/env python3
"""Interpreter throughput: the same three programs in PPL, CPython and Lua 5.4.

Runs each program several times as a whole process (start-up included) and reports
the best wall time. Needs a release build (`swift build -c release`) and `lua5.4`
(`apt-get install lua5.4`). Usage: python3 bench/interpreter.py [--repeat N]
"""
import argparse
import pathlib
import platform
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "bench" / "programs"
PPL = ROOT / ".build" / "release" / "ppl"

# name, description, substitutions that scale the program
WORKLOADS = [
    ("fib", "fib(27), recursive calls", {}),
    ("fib", "fib(32), recursive calls", {"27": "32"}),
    ("loop", "numeric loop, 10^6 iterations", {}),
    ("loop", "numeric loop, 10^7 iterations", {"1000000": "10000000"}),
    ("lists", "list building, 10^6 appends", {}),
]


def command(lang, path):
    return {"ppl": [str(PPL), "run", str(path)], "python": [sys.executable, str(path)], "lua": ["lua5.4", str(path)]}[lang]


def best_time(cmd, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(cmd, capture_output=True, text=True, check=True)
        best = min(best, time.perf_counter() - start)
        out = result.stdout.strip()
    return best, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not PPL.exists():
        sys.exit("build first: swift build -c release")
    if not shutil.which("lua5.4"):
        sys.exit("install Lua 5.4: apt-get install lua5.4")
    tmp = ROOT / ".build" / "bench-programs"
    tmp.mkdir(parents=True, exist_ok=True)
    print(f"Python {platform.python_version()}, {subprocess.run(['lua5.4', '-v'], capture_output=True, text=True).stdout.strip()}")
    print(f"best of {args.repeat} runs, whole process, seconds\n")
    print("| workload | PPL | CPython | Lua 5.4 | PPL / CPython | PPL / Lua |")
    print("|---|---|---|---|---|---|")
    for name, description, subs in WORKLOADS:
        times, outputs = {}, {}
        for lang, ext in [("ppl", "ppl"), ("python", "py"), ("lua", "lua")]:
            text = (PROGRAMS / f"{name}.{ext}").read_text()
            for old, new in subs.items():
                text = text.replace(old, new)
            path = tmp / f"{name}{'_'.join(subs.values())}.{ext}"
            path.write_text(text)
            times[lang], outputs[lang] = best_time(command(lang, path), args.repeat)
        if len({float(v) for v in outputs.values()}) != 1:
            sys.exit(f"{description}: outputs differ: {outputs}")
        p, c, l = times["ppl"], times["python"], times["lua"]
        print(f"| {description} | {p:.3f} | {c:.3f} | {l:.3f} | {p / c:.2f} | {p / l:.2f} |")


if __name__ == "__main__":
    main()
