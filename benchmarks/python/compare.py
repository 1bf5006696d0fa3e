"""Python side of the multiprocessing4j comparison benchmark (stdlib only).

Run by org.multiprocessing4j.benchmarks.Compare in the same run as the Java side; it can also
be run by hand:

    python3 benchmarks/python/compare.py --rounds 20 --warmup 3

It times the same scenarios as the Java side, inside this script (the interpreter's own start-up
is not measured), for each start method given, and prints ONE JSON object on standard output:

    {"python": {"version": ..., "executable": ..., "implementation": ...},
     "methods": ["spawn", ...],
     "skipped": {"method": "why", ...},
     "results": {"<scenario id>": {"<method>": [nanoseconds, ...]}}}

Samples are raw nanoseconds; Compare computes the statistics, so both sides are summarised the
same way. Progress and errors go to standard error.

Scenario ids must match Compare's. To add a row (queues, pools...), add a function that takes
(ctx, workdir, index) and returns one sample in nanoseconds, and list it in SCENARIOS.

Module-level imports are kept to what the targets need: a spawn or forkserver child imports this
file again (as __mp_main__) before it runs a target, and that import is part of Python's cost.
"""

import multiprocessing
import os
import sys
import time

JOIN_TIMEOUT_S = 60.0


# ----------------------------------------------------------------------------- targets (child)

def stamp_target(path):
    """First action: read CLOCK_MONOTONIC; then hand the value to the parent through a file."""
    now = time.monotonic_ns()
    with open(path, "w") as f:
        f.write(str(now))


def noop_target():
    pass


# ----------------------------------------------------------------------------- scenarios (parent)

def _run(process):
    process.join(JOIN_TIMEOUT_S)
    if process.exitcode is None:
        process.kill()
        process.join()
        raise RuntimeError("child did not end within %ss" % JOIN_TIMEOUT_S)
    if process.exitcode != 0:
        raise RuntimeError("child exited with code %s" % process.exitcode)


def start_to_running(ctx, workdir, index):
    """start() -> first line of the target, in the child (CLOCK_MONOTONIC on both sides)."""
    path = os.path.join(workdir, "stamp-%d" % index)
    p = ctx.Process(target=stamp_target, args=(path,))
    before = time.monotonic_ns()
    p.start()
    _run(p)
    p.close()
    with open(path) as f:
        child = int(f.read())
    os.remove(path)
    return child - before


def start_join(ctx, workdir, index):
    """Wall time of start() through join() for a no-op target."""
    p = ctx.Process(target=noop_target)
    before = time.monotonic_ns()
    p.start()
    p.join(JOIN_TIMEOUT_S)
    after = time.monotonic_ns()
    if p.exitcode is None:
        _run(p)  # kills and raises
    if p.exitcode != 0:
        raise RuntimeError("child exited with code %s" % p.exitcode)
    p.close()
    return after - before


# Measured rounds, interleaved round by round so that drifting machine load hits all alike.
SCENARIOS = {
    "start_to_running": start_to_running,
    "start_join": start_join,
}

# The very first start+join of each method in this (fresh) program: includes whatever the start
# method sets up on first use (the forkserver process, the resource tracker). Measured once per
# method, before anything else uses that method; reported, but not part of the medians.
COLD_SCENARIO = "first_start_join"


def _stop_helper_processes():
    """Stops the forkserver and the resource tracker and waits for them, so that no process of
    ours is left when this script exits (on their own they end a moment after it, re-parented).
    Private CPython APIs, used only if present; harmless if the helpers never started."""
    try:
        from multiprocessing import forkserver
        getattr(forkserver, "_forkserver")._stop()
    except Exception as e:
        print("compare.py: could not stop the forkserver: %r" % (e,), file=sys.stderr)
    try:
        from multiprocessing import resource_tracker
        getattr(resource_tracker, "_resource_tracker")._stop()
    except Exception as e:
        print("compare.py: could not stop the resource tracker: %r" % (e,), file=sys.stderr)


# ----------------------------------------------------------------------------- driver

def main(argv):
    import argparse
    import json
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="measured rounds per scenario and method")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured rounds first")
    parser.add_argument("--methods", default="spawn,forkserver,fork",
                        help="comma-separated start methods (those the platform lacks are skipped)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated scenario ids, from: " + ", ".join(SCENARIOS))
    args = parser.parse_args(argv)

    available = multiprocessing.get_all_start_methods()
    methods, skipped = [], {}
    for m in [m.strip() for m in args.methods.split(",") if m.strip()]:
        if m in available:
            methods.append(m)
        else:
            skipped[m] = "not available on this platform"
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    for s in scenarios:
        if s not in SCENARIOS:
            parser.error("unknown scenario %r" % s)

    results = {COLD_SCENARIO: {}}
    for s in scenarios:
        results[s] = {}
    workdir = tempfile.mkdtemp(prefix="mp4j-bench-py-")
    contexts = {}
    counter = 0
    try:
        for m in list(methods):
            try:
                ctx = multiprocessing.get_context(m)
                results[COLD_SCENARIO][m] = [start_join(ctx, workdir, counter)]
                contexts[m] = ctx
            except Exception as e:  # a broken method must not hide the others
                print("compare.py: start method %s failed: %r" % (m, e), file=sys.stderr)
                skipped[m] = repr(e)
                methods.remove(m)
            counter += 1
        for s in scenarios:
            for m in methods:
                results[s][m] = []
        total = args.warmup + args.rounds
        for r in range(total):
            measured = r >= args.warmup
            for m in methods:
                for s in scenarios:
                    sample = SCENARIOS[s](contexts[m], workdir, counter)
                    counter += 1
                    if measured:
                        results[s][m].append(sample)
        print("compare.py: done, %d processes started" % counter, file=sys.stderr)
    finally:
        # Nothing of ours may outlive this script: children were joined above; the forkserver
        # and resource tracker end when this interpreter does (they watch a pipe to it).
        _stop_helper_processes()
        shutil.rmtree(workdir, ignore_errors=True)

    json.dump({
        "python": {
            "version": sys.version.split()[0],
            "implementation": sys.implementation.name,
            "executable": sys.executable,
        },
        "methods": methods,
        "skipped": skipped,
        "rounds": args.rounds,
        "warmup": args.warmup,
        "results": results,
    }, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
