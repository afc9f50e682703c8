"""Load on `redline serve`: N uploads of the example policies at once, over loopback only.

    .venv/bin/python bench/bench_serve.py [--uploads 50] [--concurrency 50]

Starts the real server (`redline serve --port 0 --no-browser`, its temporary folders in a
fresh TMPDIR), sends the uploads from a bounded thread pool, checks every scorecard against
`redline analyze --format json` of the same file (the seven verdicts, in order), checks that
the server left nothing in its temporary folder, stops the server and prints the figures.
Nothing is asserted about time: the figures are printed, to be read.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "policies"
EXAMPLES = ("chicopee-413.docx", "bedford.pdf", "chicopee-413.md", "tewksbury-bias-free.txt")


def expected_verdicts() -> dict[str, list[str]]:
    out = {}
    for name in EXAMPLES:
        got = subprocess.run([sys.executable, "-m", "policy_redline", "analyze", name, "--format", "json"],
                             cwd=POLICIES, capture_output=True, check=True)
        out[name] = [q["verdict"] for q in json.loads(got.stdout)["questions"]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--uploads", type=int, default=50)
    ap.add_argument("--concurrency", type=int, default=50)
    args = ap.parse_args()
    import httpx2

    expected = expected_verdicts()
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    env = dict(os.environ, CI="true", PYTHONUNBUFFERED="1", TMPDIR=str(tmp))
    server = subprocess.Popen([sys.executable, "-m", "policy_redline", "serve", "--port", "0", "--no-browser"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if not m:
            sys.exit(f"the server did not start: {line!r} {server.stderr.read()[:500]!r}")
        url = m.group(1)
        files = {name: (POLICIES / name).read_bytes() for name in EXAMPLES}

        def one(i: int):
            name = EXAMPLES[i % len(EXAMPLES)]
            start = time.perf_counter()
            r = httpx2.post(url + "analyze", files={"policy": (name, files[name])}, timeout=600)
            took = time.perf_counter() - start
            verdicts = re.findall(r'data-verdict="(\w+)"', r.text)
            return name, r.status_code, verdicts == expected[name], took

        start = time.perf_counter()
        with ThreadPoolExecutor(max(1, min(args.concurrency, 100))) as pool:
            results = list(pool.map(one, range(args.uploads)))
        wall = time.perf_counter() - start
        left = sorted(os.listdir(tmp))
    finally:
        server.terminate()
        server.wait(timeout=30)
    times = sorted(r[3] for r in results)
    ok = sum(1 for r in results if r[1] == 200 and r[2])
    print(f"{args.uploads} uploads, {args.concurrency} at once, on {os.cpu_count()} cores")
    print(f"  answered correctly (200, the seven verdicts of `analyze --format json`): {ok} of {len(results)}")
    for name in EXAMPLES:
        mine = [r for r in results if r[0] == name]
        print(f"    {name}: {sum(1 for r in mine if r[1] == 200 and r[2])} of {len(mine)}")
    print(f"  wall time {wall:.1f} s; {len(results) / wall:.2f} uploads/s")
    print(f"  per upload: median {statistics.median(times):.1f} s, 95th percentile {times[int(0.95 * (len(times) - 1))]:.1f} s, "
          f"slowest {times[-1]:.1f} s")
    print(f"  left in the server's temporary folder: {len(left)} entries" + (f" ({', '.join(left[:5])})" if left else ""))


if __name__ == "__main__":
    main()
