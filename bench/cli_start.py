"""How long the command line takes to answer `--help` (and a command's `--help`): what a town's IT person
waits for at every look at the options. Each run is a fresh process, as from a shell; prints the median and
the spread with the machine's load, for docs/BENCHMARKS.md.

    python bench/cli_start.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

COMMANDS = (["--help"], ["plan", "--help"], ["run", "--help"])


def seconds(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", *args], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=15)
    runs = options.parse_args().runs
    print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; {runs} runs each")
    for args in COMMANDS:
        times = sorted(seconds(args) for _ in range(runs))
        median = statistics.median(times)
        print(f"{' '.join(args):14} median {median:.3f} s, min {times[0]:.3f} s, max {times[-1]:.3f} s")


if __name__ == "__main__":
    main()
