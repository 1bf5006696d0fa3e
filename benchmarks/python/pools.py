"""Python side of the multiprocessing4j pool comparison: Pool and ProcessPoolExecutor (stdlib only).

Run by org.multiprocessing4j.benchmarks.Compare (PoolBench) in the same run as the Java side;
it can also be run by hand:

    python3 benchmarks/python/pools.py --rounds 5 --warmup 2

Every pool has --workers workers (2). The scenarios are the Java side's, under the same ids:

    pool_map_chunk1         map of a no-op over --items ints with chunksize 1:
                            Pool.map(f, items, 1); ProcessPoolExecutor.map(f, items) (its
                            default chunksize is 1)
    pool_map_default        the same with Pool's default chunking (Pool.map(f, items):
                            ceil(n / (4 * workers))); ProcessPoolExecutor.map(f, items,
                            chunksize=<that same number>)
    pool_apply_rt           Pool.apply_async(f, (k,)).get() and executor.submit(f, k).result(),
                            one at a time: one round trip per sample
    pool_first_result_cold  from creating a pool to the first result of a trivial task:
                            Pool(workers) and ProcessPoolExecutor(workers) under "spawn" and "fork"
    pool_first_result_warm  the same under "fork" and "forkserver" (its server already running:
                            the warm-up rounds start it)

The throughput and round-trip scenarios use the "fork" context (Linux's default), one pool per
implementation, created once: all of Pool's rounds, then all of ProcessPoolExecutor's (a fork
while another pool's threads run is avoided). Rounds take turns across the scenarios (round r of
each before round r+1 of any); warm-up rounds first. A map round is timed from the call until the
result list is complete (ProcessPoolExecutor.map's iterator drained into a list); then the list
is checked (item i is i), so nothing is lost or reordered silently. Each round trip is checked
too. The first-result rounds take turns across (implementation, start method); each pool is
closed and joined (unmeasured) before the next one is made.

Everything is timed here with time.perf_counter_ns(). It prints ONE JSON object on standard
output:

    {"python": {"version": ..., "implementation": ..., "executable": ...},
     "context": "fork", "warmup": W, "rounds": R, "items": N, "default_chunksize": C,
     "results": {"<scenario>": {"<implementation>":
         {"items": N, "rounds_ns": [...]}      (map scenarios)
         {"samples_ns": [...]}                 (round trips; first results, one per round)}}}

Compare computes the statistics, so both sides are summarised the same way. Module-level imports
are kept small: a spawn or forkserver worker imports this file again before it runs a task.
"""

import multiprocessing
import sys
import time


def noop(x):
    """The task: returns its argument."""
    return x


# ----------------------------------------------------------------------------- scenarios (parent)

def default_chunksize(n, workers):
    """Pool.map's default: divmod(n, 4 * workers), rounded up."""
    chunksize, extra = divmod(n, workers * 4)
    return chunksize + 1 if extra else chunksize


def check(scenario, name, got, n):
    if len(got) != n:
        raise RuntimeError("%s %s: %d results for %d items" % (scenario, name, len(got), n))
    for i, v in enumerate(got):
        if v != i:
            raise RuntimeError("%s %s: result %d is %r" % (scenario, name, i, v))


class PoolSide:
    """multiprocessing.Pool."""

    def __init__(self, ctx, workers, items):
        self.pool = ctx.Pool(workers)
        self.items = items

    def map_round(self, chunksize):
        began = time.perf_counter_ns()
        got = self.pool.map(noop, self.items, chunksize)
        elapsed = time.perf_counter_ns() - began
        return elapsed, got

    def round_trips(self, n):
        samples = [0] * n
        clock = time.perf_counter_ns
        apply_async = self.pool.apply_async
        for k in range(n):
            began = clock()
            v = apply_async(noop, (k,)).get()
            samples[k] = clock() - began
            if v != k:
                raise RuntimeError("pool_apply_rt Pool: task %d returned %r" % (k, v))
        return samples

    def close(self):
        self.pool.close()
        self.pool.join()


class ExecutorSide:
    """concurrent.futures.ProcessPoolExecutor."""

    def __init__(self, ctx, workers, items):
        from concurrent.futures import ProcessPoolExecutor
        self.executor = ProcessPoolExecutor(workers, mp_context=ctx)
        self.items = items

    def map_round(self, chunksize):
        began = time.perf_counter_ns()
        if chunksize is None:
            got = list(self.executor.map(noop, self.items))  # its default: chunksize=1
        else:
            got = list(self.executor.map(noop, self.items, chunksize=chunksize))
        elapsed = time.perf_counter_ns() - began
        return elapsed, got

    def round_trips(self, n):
        samples = [0] * n
        clock = time.perf_counter_ns
        submit = self.executor.submit
        for k in range(n):
            began = clock()
            v = submit(noop, k).result()
            samples[k] = clock() - began
            if v != k:
                raise RuntimeError("pool_apply_rt ProcessPoolExecutor: task %d returned %r" % (k, v))
        return samples

    def close(self):
        self.executor.shutdown(wait=True)


def first_result(kind, ctx, workers):
    """Nanoseconds from creating a pool to the first result of a trivial task; then it is closed and joined."""
    if kind == "Pool":
        began = time.perf_counter_ns()
        pool = ctx.Pool(workers)
        try:
            v = pool.apply_async(noop, (7,)).get()
            elapsed = time.perf_counter_ns() - began
        finally:
            pool.close()
            pool.join()
    else:
        from concurrent.futures import ProcessPoolExecutor
        began = time.perf_counter_ns()
        executor = ProcessPoolExecutor(workers, mp_context=ctx)
        try:
            v = executor.submit(noop, 7).result()
            elapsed = time.perf_counter_ns() - began
        finally:
            executor.shutdown(wait=True)
    if v != 7:
        raise RuntimeError("first result: the task returned %r" % (v,))
    return elapsed


# ----------------------------------------------------------------------------- driver

THROUGHPUT = ["pool_map_chunk1", "pool_map_default", "pool_apply_rt"]
FIRST = {"pool_first_result_cold": ["spawn", "fork"], "pool_first_result_warm": ["fork", "forkserver"]}
ALL = THROUGHPUT + list(FIRST)


def main(argv):
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="measured map and round-trip rounds")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured rounds first")
    parser.add_argument("--items", type=int, default=100_000, help="items per map round")
    parser.add_argument("--rt-samples", type=int, default=2500, help="measured round trips, at least")
    parser.add_argument("--rt-warmup", type=int, default=20_000, help="unmeasured round trips before the rounds")
    parser.add_argument("--first-rounds", type=int, default=7, help="measured pools per first-result row")
    parser.add_argument("--first-warmup", type=int, default=2, help="unmeasured pools first, per row")
    parser.add_argument("--workers", type=int, default=2, help="workers per pool")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario ids (default: all)")
    parser.add_argument("--implementations", default="Pool,ProcessPoolExecutor",
                        help="comma-separated, of Pool and ProcessPoolExecutor (default: both)")
    parser.add_argument("--boot-items", type=int, default=-1,
                        help="items of the unmeasured map that gets the workers up before the map and"
                             " round-trip rounds (default -1: all --items; issue 17's 'after one warm-up"
                             " map' passes 4, as the Java side maps 4)")
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.scenarios.split(",") if s.strip()] or ALL
    kinds = [k.strip() for k in args.implementations.split(",") if k.strip()]
    for k in kinds:
        if k not in ("Pool", "ProcessPoolExecutor"):
            parser.error("unknown implementation %r" % k)
    for s in wanted:
        if s not in ALL:
            parser.error("unknown scenario %r" % s)
    log = sys.stderr
    methods = multiprocessing.get_all_start_methods()
    context = "fork" if "fork" in methods else multiprocessing.get_start_method()
    n = args.items
    chunk = default_chunksize(n, args.workers)
    per_round = -(-args.rt_samples // args.rounds)
    results = {}

    throughput = [s for s in THROUGHPUT if s in wanted]
    if throughput:
        items = list(range(n))
        sides = [(k, m) for k, m in [("Pool", PoolSide), ("ProcessPoolExecutor", ExecutorSide)] if k in kinds]
        names = {
            ("pool_map_chunk1", "Pool"): "Pool",
            ("pool_map_chunk1", "ProcessPoolExecutor"): "ProcessPoolExecutor (chunksize=1, its default)",
            ("pool_map_default", "Pool"): "Pool (chunksize %d, its default)" % chunk,
            ("pool_map_default", "ProcessPoolExecutor"): "ProcessPoolExecutor (chunksize=%d, as Pool)" % chunk,
            ("pool_apply_rt", "Pool"): "Pool apply_async(f, (k,)).get()",
            ("pool_apply_rt", "ProcessPoolExecutor"): "ProcessPoolExecutor submit(f, k).result()",
        }
        for kind, make in sides:
            side = make(multiprocessing.get_context(context), args.workers, items)
            try:
                if args.boot_items < 0:
                    side.map_round(1 if kind == "Pool" else None)  # workers up before any round
                else:
                    boot = side.items
                    side.items = list(range(args.boot_items))
                    side.map_round(1 if kind == "Pool" else None)
                    side.items = boot
                if "pool_apply_rt" in throughput and args.rt_warmup > 0:
                    side.round_trips(args.rt_warmup)
                for r in range(args.warmup + args.rounds):
                    measured = r >= args.warmup
                    times = []
                    for scenario in throughput:
                        name = names[(scenario, kind)]
                        if scenario == "pool_apply_rt":
                            began = time.perf_counter_ns()
                            samples = side.round_trips(per_round)
                            times.append("%s %d in %.0f ms" % (scenario, per_round,
                                                               (time.perf_counter_ns() - began) / 1e6))
                            if measured:
                                results.setdefault(scenario, {}).setdefault(name, {"samples_ns": []})[
                                    "samples_ns"].extend(samples)
                            continue
                        if scenario == "pool_map_chunk1":
                            chunksize = 1 if kind == "Pool" else None
                        else:
                            chunksize = None if kind == "Pool" else chunk
                        elapsed, got = side.map_round(chunksize)
                        check(scenario, kind, got, n)
                        times.append("%s %.0f ms" % (scenario, elapsed / 1e6))
                        if measured:
                            results.setdefault(scenario, {}).setdefault(name, {"items": n, "rounds_ns": []})[
                                "rounds_ns"].append(elapsed)
                    print("pools.py: %s %s round %d: %s" % (kind, "measured" if measured else "warm-up", r + 1,
                                                            ", ".join(times)), file=log)
            finally:
                side.close()

    pairs = [(scenario, kind, method) for scenario in FIRST if scenario in wanted
             for method in FIRST[scenario] if method in methods
             for kind in ("Pool", "ProcessPoolExecutor") if kind in kinds]
    for r in range(args.first_warmup + args.first_rounds):
        measured = r >= args.first_warmup
        times = []
        for scenario, kind, method in pairs:
            t = first_result(kind, multiprocessing.get_context(method), args.workers)
            times.append("%s %s %.1f ms" % (kind, method, t / 1e6))
            if measured:
                name = kind + " " + method + (" (server running)" if method == "forkserver" else "")
                results.setdefault(scenario, {}).setdefault(name, {"samples_ns": []})["samples_ns"].append(t)
        if pairs:
            print("pools.py: first result %s %d: %s" % ("measured" if measured else "warm-up", r + 1,
                                                        ", ".join(times)), file=log)

    json.dump({
        "python": {
            "version": sys.version.split()[0],
            "implementation": sys.implementation.name,
            "executable": sys.executable,
        },
        "context": context,
        "warmup": args.warmup,
        "rounds": args.rounds,
        "items": n,
        "default_chunksize": chunk,
        "results": results,
    }, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
