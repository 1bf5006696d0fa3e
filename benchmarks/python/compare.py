"""Python side of the multiprocessing4j comparison benchmark (stdlib only).

Run by org.multiprocessing4j.benchmarks.Compare in the same run as the Java side; it can also
be run by hand:

    python3 benchmarks/python/compare.py --rounds 20 --warmup 3

It times the same scenarios as the Java side, inside this script (the interpreter's own start-up
is not measured), for each start method given, and prints ONE JSON object on standard output:

    {"python": {"version": ..., "executable": ..., "implementation": ...},
     "methods": ["spawn", ...],
     "skipped": {"method": "why", ...},
     "results": {"<scenario id>": {"<method>": [nanoseconds, ...]}},
     "memory": {"<memory id>": {"<method>": [{"rss_kb": ..., "pss_kb": ..., "private_kb": ...,
                                              "stable": true}, ...]}}}

Samples are raw nanoseconds (memory: KiB, -1 if unknown); Compare computes the statistics, so
both sides are summarised the same way. Progress and errors go to standard error.

After the interleaved rounds come the memory readings (a child blocked in its target, per
method; the forkserver's server process) and the bursts (--burst processes started back to
back, then all joined: "burst_total" gets one sample per burst, "burst_start_to_running" one
per process).

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
BURST_TIMEOUT_S = 300.0


# ----------------------------------------------------------------------------- targets (child)

def stamp_target(path):
    """First action: read CLOCK_MONOTONIC; then hand the value to the parent through a file."""
    now = time.monotonic_ns()
    with open(path, "w") as f:
        f.write(str(now))


FILE_CONTENT = "written by the child\n"


def file_target(path, stamp):
    """Real work for issue 17's start-up rows: writes a small file, then reads CLOCK_MONOTONIC
    and hands it to the parent in a second file (Java: java.nio.file.Files.write)."""
    with open(path, "w") as f:
        f.write(FILE_CONTENT)
    now = time.monotonic_ns()
    with open(stamp, "w") as f:
        f.write(str(now))


def noop_target():
    pass


def blocked_target(ready, go):
    """Says it runs, then waits (idle) until the parent has read its memory."""
    ready.set()
    go.wait(JOIN_TIMEOUT_S)


# ----------------------------------------------------------------------------- scenarios (parent)

def _run(process):
    process.join(JOIN_TIMEOUT_S)
    if process.exitcode is None:
        process.kill()
        process.join()
        raise RuntimeError("child did not end within %ss" % JOIN_TIMEOUT_S)
    if process.exitcode != 0:
        raise RuntimeError("child exited with code %s" % process.exitcode)


def _start_to_stamp(ctx, target, args, stamp):
    """start() -> the CLOCK_MONOTONIC reading the target wrote to the file `stamp`."""
    p = ctx.Process(target=target, args=args)
    before = time.monotonic_ns()
    p.start()
    _run(p)
    p.close()
    with open(stamp) as f:
        child = int(f.read())
    os.remove(stamp)
    return child - before


def start_to_running(ctx, workdir, index):
    """start() -> first line of the target, in the child (CLOCK_MONOTONIC on both sides)."""
    path = os.path.join(workdir, "stamp-%d" % index)
    return _start_to_stamp(ctx, stamp_target, (path,), path)


def start_to_file(ctx, workdir, index):
    """start() -> the target has written a file (CLOCK_MONOTONIC, read in the child after the write)."""
    path = os.path.join(workdir, "file-%d" % index)
    stamp = os.path.join(workdir, "file-stamp-%d" % index)
    sample = _start_to_stamp(ctx, file_target, (path, stamp), stamp)
    with open(path) as f:
        if f.read() != FILE_CONTENT:
            raise RuntimeError("%s does not hold what the target wrote" % path)
    os.remove(path)
    return sample


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


def burst(ctx, workdir, index, count):
    """count processes started back to back (start() in a loop), then all joined. Returns the
    time from the first start() until all have joined, and each one's start() -> running."""
    paths = [os.path.join(workdir, "burst-%d-%d" % (index, i)) for i in range(count)]
    started, before = [], []
    try:
        for i in range(count):
            p = ctx.Process(target=stamp_target, args=(paths[i],))
            before.append(time.monotonic_ns())
            p.start()
            started.append(p)
        deadline = time.monotonic() + BURST_TIMEOUT_S
        for p in started:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.exitcode is None:
                raise RuntimeError("a burst of %d did not end within %ss" % (count, BURST_TIMEOUT_S))
        end = time.monotonic_ns()
        each = []
        for i, p in enumerate(started):
            if p.exitcode != 0:
                raise RuntimeError("child exited with code %s" % p.exitcode)
            with open(paths[i]) as f:
                each.append(int(f.read()) - before[i])
        return end - before[0], each
    finally:
        for p in started:
            if p.exitcode is None:
                p.kill()
                p.join(JOIN_TIMEOUT_S)
            p.close()
        for path in paths:
            if os.path.exists(path):
                os.remove(path)


def _kb(path, keys):
    """The sum of the "Key: N kB" lines named in keys, or -1."""
    try:
        total, found = 0, 0
        with open(path) as f:
            for line in f:
                for key in keys:
                    if line.startswith(key):
                        total += int(line[len(key):].split()[0])
                        found += 1
        return total if found == len(keys) else -1
    except (OSError, ValueError):
        return -1


def memory(pid):
    rollup = "/proc/%d/smaps_rollup" % pid
    return {"rss_kb": _kb("/proc/%d/status" % pid, ["VmRSS:"]),
            "pss_kb": _kb(rollup, ["Pss:"]),
            "private_kb": _kb(rollup, ["Private_Clean:", "Private_Dirty:"]),
            "stable": False}


def stable_memory(pid, timeout=10.0):
    """memory(pid) once VmRSS stayed the same for three readings 50 ms apart (as Compare does)."""
    deadline = time.monotonic() + timeout
    last, same = memory(pid), 1
    while last["rss_kb"] >= 0 and time.monotonic() < deadline:
        time.sleep(0.05)
        now = memory(pid)
        same = same + 1 if now["rss_kb"] == last["rss_kb"] else 1
        last = now
        if same >= 3:
            last["stable"] = True
            return last
    return last


def blocked_child_memory(ctx):
    """The memory of a child blocked in its target (Event.wait()), read from its /proc."""
    ready, go = ctx.Event(), ctx.Event()
    p = ctx.Process(target=blocked_target, args=(ready, go))
    p.start()
    try:
        if not ready.wait(JOIN_TIMEOUT_S):
            raise RuntimeError("child did not reach its target")
        return stable_memory(p.pid)
    finally:
        go.set()
        _run(p)
        p.close()


def forkserver_server_pid():
    """The pid of this program's forkserver server process, if it runs (a private CPython API)."""
    try:
        from multiprocessing import forkserver
        return getattr(forkserver, "_forkserver")._forkserver_pid
    except Exception:
        return None


# Measured rounds, interleaved round by round so that drifting machine load hits all alike.
SCENARIOS = {
    "start_to_running": start_to_running,
    "start_join": start_join,
    "start_to_file": start_to_file,
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
    parser.add_argument("--burst", type=int, default=100,
                        help="processes per burst (0: no bursts)")
    parser.add_argument("--burst-reps", type=int, default=3, help="bursts per start method")
    parser.add_argument("--memory-samples", type=int, default=3,
                        help="blocked children whose memory is read, per start method (0: none)")
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
    memory_results = {}
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
        if args.memory_samples > 0:
            print("compare.py: memory of %d blocked children per start method..." % args.memory_samples,
                  file=sys.stderr)
            memory_results["child_blocked"] = {}
            for m in methods:
                memory_results["child_blocked"][m] = [blocked_child_memory(contexts[m])
                                                      for _ in range(args.memory_samples)]
                counter += args.memory_samples
            server = forkserver_server_pid()
            if "forkserver" in methods and server:
                memory_results["idle_prestarted"] = {"forkserver": [stable_memory(server)]}
        if args.burst > 0:
            print("compare.py: %d bursts of %d processes per start method..." % (args.burst_reps, args.burst),
                  file=sys.stderr)
            results["burst_total"] = {m: [] for m in methods}
            results["burst_start_to_running"] = {m: [] for m in methods}
            for r in range(args.burst_reps):
                for m in methods:
                    total, each = burst(contexts[m], workdir, counter, args.burst)
                    counter += args.burst
                    results["burst_total"][m].append(total)
                    results["burst_start_to_running"][m].extend(each)
                    print("compare.py: burst %d: %s %.1f s" % (r + 1, m, total / 1e9), file=sys.stderr)
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
        "memory": memory_results,
    }, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
