"""Python side of the multiprocessing4j channel comparison: queues and pipes (stdlib only).

Run by org.multiprocessing4j.benchmarks.Compare (ChannelBench) in the same run as the Java
side; it can also be run by hand:

    python3 benchmarks/python/channels.py --rounds 7 --warmup 4 --round-ms 250

One producer child (forked once, with the default "fork" context) sends on command; this
process consumes and times. The scenarios are the Java side's, under the same ids:

    queue_int, queue_1k, queue_1m   a child put()s N items (ints 0..N-1, or 1 KiB / 1 MiB
                                    bytes), this process get()s them: Queue and SimpleQueue
    pipe_int, pipe_1k, pipe_1m      the same through a one-way Pipe(duplex=False):
                                    send()/recv() for ints, send_bytes()/recv_bytes() for bytes
    pipe_pingpong                   this process sends an int on a duplex Pipe(), the child
                                    sends it back: one round trip per sample

A throughput round is timed here with time.perf_counter_ns(), from sending the command to the
child until the last item has been received and checked; every item is checked (ints: the value
is its sequence number; bytes: the length, and the first and last byte name which of 16 prebuilt
payloads it must be), so nothing is lost or reordered silently. Each (scenario, implementation)
first runs warm-up rounds, which size the round (it only grows) so that a round takes at least
--round-ms (while one still took under 80 % of it, another warm-up round follows, at most
EXTRA_WARMUP more); then the measured rounds. Rounds are interleaved: round r of every scenario before
round r+1 of any, so that drifting machine load hits them alike.

It prints ONE JSON object on standard output:

    {"python": {"version": ..., "implementation": ..., "executable": ...},
     "context": "fork", "warmup": W, "rounds": R, "round_ms": T,
     "results": {"<scenario>": {"<implementation>":
         {"items": N, "item_bytes": B, "rounds_ns": [...]}      (throughput scenarios)
         {"samples_ns": [...]}                                  (pipe_pingpong)}}}

Compare computes the statistics, so both sides are summarised the same way.
"""

import multiprocessing
import sys
import time
import traceback

PAYLOADS = 16  # distinct prebuilt payloads, so the consumer can tell one message from the next
SIZES = {"int": 0, "1k": 1024, "1m": 1 << 20}
# The first round's size; warm-up rounds grow it until a round takes --round-ms.
FIRST_GUESS = {"int": 20000, "1k": 5000, "1m": 50, "pingpong": 2000}
MAX_ITEMS = 50_000_000
EXTRA_WARMUP = 6  # warm-up rounds added, at most, while a round is still under 80 % of --round-ms
JOIN_TIMEOUT_S = 60.0

# (scenario, implementation) in the order the rounds take turns.
PAIRS = [
    ("queue_int", "Queue"), ("queue_int", "SimpleQueue"),
    ("queue_1k", "Queue"), ("queue_1k", "SimpleQueue"),
    ("queue_1m", "Queue"), ("queue_1m", "SimpleQueue"),
    ("pipe_int", "Pipe(duplex=False)"),
    ("pipe_1k", "Pipe(duplex=False)"),
    ("pipe_1m", "Pipe(duplex=False)"),
    ("pipe_pingpong", "Pipe()"),
]


def payloads(size):
    """PAYLOADS byte strings of `size` bytes; number k starts and ends with byte k."""
    body = b"\x5a" * (size - 2)
    return [bytes([k]) + body + bytes([k]) for k in range(PAYLOADS)]


# ----------------------------------------------------------------------------- producer (child)

def producer(control, queues, data):
    """Waits for commands (scenario, implementation, n) on `control` and carries them out;
    None ends it. queues: {"Queue": ..., "SimpleQueue": ...}; data: the sending end of the
    one-way pipe."""
    pools = {}
    try:
        while True:
            command = control.recv()
            if command is None:
                return
            scenario, implementation, n = command
            kind = scenario.split("_", 1)[1]
            if kind == "pingpong":
                for _ in range(n):
                    control.send(control.recv())
                continue
            if scenario.startswith("queue_"):
                send = queues[implementation].put
                send_bytes = send
            else:
                send = data.send
                send_bytes = data.send_bytes
            if kind == "int":
                for i in range(n):
                    send(i)
            else:
                pool = pools.get(kind)
                if pool is None:
                    pool = pools[kind] = payloads(SIZES[kind])
                for i in range(n):
                    send_bytes(pool[i & (PAYLOADS - 1)])
    except BaseException:
        traceback.print_exc()
        sys.exit(1)


# ----------------------------------------------------------------------------- consumer (parent)

class Bench:
    def __init__(self, ctx):
        self.control, child_control = ctx.Pipe()  # duplex: commands, and the ping-pong
        receive, send = ctx.Pipe(duplex=False)
        self.data = receive
        self.queues = {"Queue": ctx.Queue(), "SimpleQueue": ctx.SimpleQueue()}
        self.child = ctx.Process(target=producer, args=(child_control, self.queues, send))
        self.child.start()
        # Only the child holds these ends now: its death shows here as EOFError, not a hang.
        child_control.close()
        send.close()

    def throughput_round(self, scenario, implementation, n):
        """Nanoseconds from the command until the n-th item has been received and checked."""
        kind = scenario.split("_", 1)[1]
        if scenario.startswith("queue_"):
            get = self.queues[implementation].get
            get_bytes = get
        else:
            get = self.data.recv
            get_bytes = self.data.recv_bytes
        size = SIZES[kind]
        began = time.perf_counter_ns()
        self.control.send((scenario, implementation, n))
        if kind == "int":
            for i in range(n):
                if get() != i:
                    raise RuntimeError("%s %s: item %d is wrong" % (scenario, implementation, i))
        else:
            for i in range(n):
                b = get_bytes()
                k = i & (PAYLOADS - 1)
                if len(b) != size or b[0] != k or b[-1] != k:
                    raise RuntimeError("%s %s: item %d is wrong" % (scenario, implementation, i))
        return time.perf_counter_ns() - began

    def pingpong_round(self, n):
        """n round trips, each timed on its own: a list of nanoseconds."""
        control = self.control
        control.send(("pipe_pingpong", "Pipe()", n))
        samples = [0] * n
        clock = time.perf_counter_ns
        for i in range(n):
            began = clock()
            control.send(i)
            v = control.recv()
            samples[i] = clock() - began
            if v != i:
                raise RuntimeError("pipe_pingpong: round trip %d came back as %r" % (i, v))
        return samples

    def stop(self):
        try:
            self.control.send(None)
        except OSError:
            pass
        self.child.join(JOIN_TIMEOUT_S)
        if self.child.exitcode is None:
            self.child.kill()
            self.child.join()
        code = self.child.exitcode
        for q in self.queues.values():
            q.close()
        self.control.close()
        self.data.close()
        return code


def grown(n, elapsed_ns, target_ns):
    """The next warm-up size: n scaled to take target_ns (plus 20 %), never smaller than n."""
    if elapsed_ns >= target_ns:
        return n
    return min(MAX_ITEMS, max(n, int(n * target_ns * 1.2 / max(elapsed_ns, 1)) + 1))


# ----------------------------------------------------------------------------- driver

def main(argv):
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="measured rounds per scenario and implementation")
    parser.add_argument("--warmup", type=int, default=4, help="unmeasured rounds first (they size the rounds)")
    parser.add_argument("--round-ms", type=int, default=250, help="the least time a round should take")
    parser.add_argument("--scenarios", default="",
                        help="comma-separated scenario ids (default: all)")
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    pairs = [p for p in PAIRS if not wanted or p[0] in wanted]
    for s in wanted:
        if s not in {p[0] for p in PAIRS}:
            parser.error("unknown scenario %r" % s)

    methods = multiprocessing.get_all_start_methods()
    context = "fork" if "fork" in methods else multiprocessing.get_start_method()
    ctx = multiprocessing.get_context(context)
    target_ns = args.round_ms * 1_000_000
    sizes = {p: FIRST_GUESS[p[0].split("_", 1)[1]] for p in pairs}
    results = {}
    for scenario, implementation in pairs:
        results.setdefault(scenario, {})[implementation] = (
            {"samples_ns": []} if scenario == "pipe_pingpong"
            else {"items": 0, "item_bytes": max(SIZES[scenario.split("_", 1)[1]], 0), "rounds_ns": []})

    bench = Bench(ctx)
    code = None
    try:
        warmup, r = args.warmup, 0
        while r < warmup + args.rounds:
            measured = r >= warmup
            too_short = False
            for pair in pairs:
                scenario, implementation = pair
                n = sizes[pair]
                result = results[scenario][implementation]
                if scenario == "pipe_pingpong":
                    began = time.perf_counter_ns()
                    samples = bench.pingpong_round(n)
                    elapsed = time.perf_counter_ns() - began
                    if measured:
                        result["samples_ns"].extend(samples)
                else:
                    elapsed = bench.throughput_round(scenario, implementation, n)
                    if measured:
                        result["items"] = n
                        result["rounds_ns"].append(elapsed)
                if not measured:
                    sizes[pair] = grown(n, elapsed, target_ns)
                    too_short = too_short or elapsed < target_ns * 0.8
            print("channels.py: %s round %d done" % ("measured" if measured else "warm-up", r + 1), file=sys.stderr)
            if r == warmup - 1 and too_short and warmup < args.warmup + EXTRA_WARMUP:
                warmup += 1
            r += 1
    finally:
        code = bench.stop()
    if code != 0:
        raise RuntimeError("the producer child exited with code %s" % code)

    json.dump({
        "python": {
            "version": sys.version.split()[0],
            "implementation": sys.implementation.name,
            "executable": sys.executable,
        },
        "context": context,
        "warmup": warmup,
        "rounds": args.rounds,
        "round_ms": args.round_ms,
        "results": results,
    }, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
