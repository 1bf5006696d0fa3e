"""Python side of issue 17's fresh-child row in the multiprocessing4j comparison (stdlib only).

Run by org.multiprocessing4j.benchmarks.Compare (group issue17) in the same run as the Java
side; it can also be run by hand:

    python3 benchmarks/python/issue17.py --rounds 5 --warmup 1 --items 200000

fresh_queue_int: a fresh "spawn" child (a new interpreter each sample) puts its
time.monotonic_ns(), read just before its first put, then the ints 0..N-1 into a
multiprocessing Queue; this process get()s and checks them all. A sample runs from the child's
clock to this process's after the last get (CLOCK_MONOTONIC on both sides, as the Java side's
System.nanoTime()), so the interpreter's start is not in it; every put of the fresh child is.

It prints ONE JSON object on standard output:

    {"python": {"version": ..., "implementation": ..., "executable": ...},
     "context": "spawn", "warmup": W, "rounds": R,
     "results": {"fresh_queue_int": {"Queue": {"items": N, "item_bytes": 0, "rounds_ns": [...]}}}}

Module-level imports are kept small: the spawn child imports this file again before it runs.
"""

import multiprocessing
import sys
import time

JOIN_TIMEOUT_S = 60.0


def put_ints(queue, n):
    """The fresh child: its clock first, then 0..n-1."""
    queue.put(time.monotonic_ns())
    put = queue.put
    for i in range(n):
        put(i)


def fresh_queue_round(ctx, n):
    queue = ctx.Queue()
    p = ctx.Process(target=put_ints, args=(queue, n))
    p.start()
    try:
        began = queue.get(True, JOIN_TIMEOUT_S)
        get = queue.get
        for i in range(n):
            v = get()
            if v != i:
                raise RuntimeError("fresh_queue_int: item %d is %r" % (i, v))
        end = time.monotonic_ns()
        p.join(JOIN_TIMEOUT_S)
        if p.exitcode != 0:
            raise RuntimeError("fresh_queue_int: the child exited with code %s" % p.exitcode)
        return end - began
    finally:
        if p.exitcode is None:
            p.kill()
            p.join()
        p.close()
        queue.close()
        queue.join_thread()


def main(argv):
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="measured fresh children")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured fresh children first")
    parser.add_argument("--items", type=int, default=200_000, help="ints each child puts")
    args = parser.parse_args(argv)
    ctx = multiprocessing.get_context("spawn")
    samples = []
    for r in range(args.warmup + args.rounds):
        t = fresh_queue_round(ctx, args.items)
        measured = r >= args.warmup
        if measured:
            samples.append(t)
        print("issue17.py: fresh child %s %d: %.0f ms, %.0f k ints/s"
              % ("sample" if measured else "warm-up", r + 1, t / 1e6, args.items / (t / 1e9) / 1e3),
              file=sys.stderr)
    json.dump({
        "python": {
            "version": sys.version.split()[0],
            "implementation": sys.implementation.name,
            "executable": sys.executable,
        },
        "context": "spawn",
        "warmup": args.warmup,
        "rounds": args.rounds,
        "results": {"fresh_queue_int": {"Queue": {"items": args.items, "item_bytes": 0, "rounds_ns": samples}}},
    }, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
