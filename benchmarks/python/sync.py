"""Python side of the multiprocessing4j sync comparison: Value, Lock, RLock, Event (stdlib only).

Run by org.multiprocessing4j.benchmarks.Compare (SyncBench) in the same run as the Java side;
it can also be run by hand:

    python3 benchmarks/python/sync.py --rounds 7 --warmup 4 --round-ms 250

Two processes: this one and one child (forked once, "fork" context), which takes commands on a
duplex Pipe(). The scenarios are the Java side's, under the same ids:

    sync_locked_increment   this process and the child each do n times
                            `with v.get_lock(): v.value += 1` on Value('q', 0); then the value
                            must be exactly 2n
    sync_uncontended_lock   this process alone: n lock.acquire(); lock.release() on a Lock
    sync_uncontended_rlock  the same on an RLock
    sync_atomic_increment   Python has no lock-free shared increment: its rows are the locked
                            += above (the same rounds, shown again: the issue's goal compares
                            with it) and `v.value += 1` on Value('q', 0, lock=False) from both
                            processes, which is not atomic: the increments lost are reported
    sync_event_pingpong     two Events: this process sets ping, waits for pong and clears it;
                            the child waits for ping, clears it and sets pong; each round trip
                            is a sample; the child counts the pings it served (checked)

A 2-process round is timed here with time.perf_counter_ns(), from sending the command to the
child until both have done their n and the child has said so. Each scenario first runs warm-up
rounds, which size the round (it only grows) so that a round takes at least --round-ms (while
one still took under 80 % of it, another warm-up round follows, at most EXTRA_WARMUP more);
then the measured rounds. Rounds take turns across the scenarios (round r of each before round
r+1 of any). Last, --idle-samples times: the child waits in Event.wait() and this process reads
the CPU ticks (utime + stime) of its waiting thread and of the whole child from /proc, 300 ms
after the child says it waits and again --idle-ms later.

It prints ONE JSON object on standard output:

    {"python": {"version": ..., "implementation": ..., "executable": ...},
     "context": "fork", "warmup": W, "rounds": R, "round_ms": T, "clk_tck": 100,
     "results": {"<scenario>": {"<implementation>":
         {"ops": N, "rounds_ns": [...]}      (throughput scenarios; N for all processes)
         {"samples_ns": [...]}               (sync_event_pingpong)}},
     "unlocked_ops": N, "lost": [increments lost by Value(lock=False), per measured round],
     "overlap": {"<2-process scenario>": [share of each measured round during which both loops ran]},
     "idle": [{"thread_ticks": t, "process_ticks": p, "ns": elapsed}, ...]}

Compare computes the statistics, so both sides are summarised the same way.
"""

import multiprocessing
import os
import sys
import threading
import time
import traceback

LOCKED = "Value('q'), with get_lock(): value += 1"
SCENARIOS = ["sync_locked_increment", "sync_uncontended_lock", "sync_uncontended_rlock", "sync_atomic_increment",
             "sync_event_pingpong"]
# (scenario, implementation) in the order the rounds take turns.
PAIRS = [
    ("sync_locked_increment", LOCKED),
    ("sync_uncontended_lock", "Lock acquire(); release()"),
    ("sync_uncontended_rlock", "RLock acquire(); release()"),
    ("sync_atomic_increment", "Value('q', lock=False): value += 1, not atomic"),
    ("sync_event_pingpong", "Event set(); wait(); clear()"),
]
# The first round's size (per process); warm-up rounds grow it until a round takes --round-ms.
FIRST_GUESS = {"sync_locked_increment": 20000, "sync_uncontended_lock": 100000, "sync_uncontended_rlock": 100000,
               "sync_atomic_increment": 100000, "sync_event_pingpong": 1000}
MAX_ITEMS = 50_000_000
EXTRA_WARMUP = 6
JOIN_TIMEOUT_S = 60.0
IDLE_SETTLE_S = 0.3


def cpu_ticks(path):
    """utime + stime of a /proc stat file, or -1."""
    try:
        with open(path) as f:
            stat = f.read()
        fields = stat[stat.rindex(")") + 2:].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return -1


# ----------------------------------------------------------------------------- the child

def peer(control, value, raw, ping, pong, wake):
    """Carries out the commands (kind, n) received on `control`; None ends it."""
    try:
        while True:
            command = control.recv()
            if command is None:
                return
            kind, n = command
            if kind == "locked":
                lock = value.get_lock()
                began = time.perf_counter_ns()
                for _ in range(n):
                    with lock:
                        value.value += 1
                control.send((began, time.perf_counter_ns()))
            elif kind == "unlocked":
                began = time.perf_counter_ns()
                for _ in range(n):
                    raw.value += 1
                control.send((began, time.perf_counter_ns()))
            elif kind == "pingpong":
                control.send("go")
                served = 0
                for _ in range(n):
                    ping.wait()
                    ping.clear()
                    served += 1
                    pong.set()
                control.send(served)
            elif kind == "idle":
                control.send(threading.get_native_id())
                wake.wait()
                control.send("woke")
            else:
                raise ValueError("unknown command %r" % (command,))
    except BaseException:
        traceback.print_exc()
        sys.exit(1)


# ----------------------------------------------------------------------------- this process

class Bench:
    def __init__(self, ctx):
        self.value = ctx.Value("q", 0)
        self.raw = ctx.Value("q", 0, lock=False)
        self.lock = ctx.Lock()
        self.rlock = ctx.RLock()
        self.ping, self.pong, self.wake = ctx.Event(), ctx.Event(), ctx.Event()
        self.control, child_control = ctx.Pipe()
        self.child = ctx.Process(target=peer, args=(child_control, self.value, self.raw, self.ping, self.pong,
                                                    self.wake))
        self.child.start()
        # Only the child holds this end now: its death shows here as EOFError, not a hang.
        child_control.close()
        self.last_overlap = None

    def child_loop(self, scenario, began, own_end):
        """Receives the child's (began, ended) and notes the overlap of the two loops."""
        got = self.control.recv()
        if not (isinstance(got, tuple) and len(got) == 2):
            raise RuntimeError("%s: the child answered %r" % (scenario, got))
        both = min(own_end, got[1]) - max(began, got[0])
        either = max(own_end, got[1]) - min(began, got[0])
        self.last_overlap = max(0, both) / either if either > 0 else None

    def expect(self, what, scenario):
        got = self.control.recv()
        if got != what:
            raise RuntimeError("%s: the child answered %r" % (scenario, got))

    def locked_round(self, n):
        value = self.value
        lock = value.get_lock()
        with lock:
            value.value = 0
        began = time.perf_counter_ns()
        self.control.send(("locked", n))
        for _ in range(n):
            with lock:
                value.value += 1
        self.child_loop("sync_locked_increment", began, time.perf_counter_ns())
        elapsed = time.perf_counter_ns() - began
        if value.value != 2 * n:
            raise RuntimeError("sync_locked_increment: 2 x %d increments made %d" % (n, value.value))
        return elapsed

    def unlocked_round(self, n):
        """Nanoseconds, and how many of the 2n increments were lost."""
        raw = self.raw
        raw.value = 0
        began = time.perf_counter_ns()
        self.control.send(("unlocked", n))
        for _ in range(n):
            raw.value += 1
        self.child_loop("sync_atomic_increment", began, time.perf_counter_ns())
        elapsed = time.perf_counter_ns() - began
        if not 0 < raw.value <= 2 * n:
            raise RuntimeError("sync_atomic_increment: 2 x %d unlocked increments made %d" % (n, raw.value))
        return elapsed, 2 * n - raw.value

    def uncontended_round(self, scenario, n):
        lock = self.lock if scenario == "sync_uncontended_lock" else self.rlock
        acquire, release = lock.acquire, lock.release
        began = time.perf_counter_ns()
        for _ in range(n):
            acquire()
            release()
        elapsed = time.perf_counter_ns() - began
        if not lock.acquire(False):
            raise RuntimeError("%s: the lock is still held after %d pairs" % (scenario, n))
        lock.release()
        return elapsed

    def pingpong_round(self, n):
        """n round trips, each timed on its own: a list of nanoseconds."""
        ping, pong = self.ping, self.pong
        ping.clear()
        pong.clear()
        self.control.send(("pingpong", n))
        self.expect("go", "sync_event_pingpong")
        samples = [0] * n
        clock = time.perf_counter_ns
        for i in range(n):
            began = clock()
            ping.set()
            pong.wait()
            pong.clear()
            samples[i] = clock() - began
        self.expect(n, "sync_event_pingpong")
        if ping.is_set() or pong.is_set():
            raise RuntimeError("sync_event_pingpong: an event is still set after the round")
        return samples

    def idle_sample(self, idle_s):
        self.wake.clear()
        self.control.send(("idle", 0))
        tid = self.control.recv()
        pid = self.child.pid
        thread = "/proc/%d/task/%d/stat" % (pid, tid)
        process = "/proc/%d/stat" % pid
        time.sleep(IDLE_SETTLE_S)
        t0, p0 = cpu_ticks(thread), cpu_ticks(process)
        began = time.perf_counter_ns()
        time.sleep(idle_s)
        t1, p1 = cpu_ticks(thread), cpu_ticks(process)
        elapsed = time.perf_counter_ns() - began
        self.wake.set()
        self.expect("woke", "idle")
        return {"thread_ticks": -1 if t0 < 0 or t1 < 0 else t1 - t0,
                "process_ticks": -1 if p0 < 0 or p1 < 0 else p1 - p0, "ns": elapsed}

    def stop(self):
        try:
            self.control.send(None)
        except OSError:
            pass
        self.child.join(JOIN_TIMEOUT_S)
        if self.child.exitcode is None:
            self.child.kill()
            self.child.join()
        self.control.close()
        return self.child.exitcode


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
    parser.add_argument("--idle-samples", type=int, default=2, help="idle waiters whose CPU is read")
    parser.add_argument("--idle-ms", type=int, default=2000, help="how long each idle waiter is watched")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario ids (default: all)")
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.scenarios.split(",") if s.strip()] or SCENARIOS
    for s in wanted:
        if s not in SCENARIOS:
            parser.error("unknown scenario %r" % s)
    pairs = [p for p in PAIRS if p[0] in wanted]
    # The locked += is what sync_atomic_increment is judged against: measured if either is wanted.
    if "sync_atomic_increment" in wanted and "sync_locked_increment" not in wanted:
        pairs.insert(0, PAIRS[0])

    methods = multiprocessing.get_all_start_methods()
    context = "fork" if "fork" in methods else multiprocessing.get_start_method()
    ctx = multiprocessing.get_context(context)
    target_ns = args.round_ms * 1_000_000
    sizes = {p: FIRST_GUESS[p[0]] for p in pairs}
    results = {}
    for scenario, implementation in pairs:
        results.setdefault(scenario, {})[implementation] = (
            {"samples_ns": []} if scenario == "sync_event_pingpong" else {"ops": 0, "rounds_ns": []})
    lost = []
    unlocked_ops = 0
    idle = []
    overlap = {}

    bench = Bench(ctx)
    try:
        warmup, r = args.warmup, 0
        while r < warmup + args.rounds:
            measured = r >= warmup
            too_short = False
            times = []
            for pair in pairs:
                scenario, implementation = pair
                n = sizes[pair]
                result = results[scenario][implementation]
                if scenario == "sync_event_pingpong":
                    began = time.perf_counter_ns()
                    samples = bench.pingpong_round(n)
                    elapsed = time.perf_counter_ns() - began
                    if measured:
                        result["samples_ns"].extend(samples)
                else:
                    bench.last_overlap = None
                    if scenario == "sync_locked_increment":
                        elapsed, ops = bench.locked_round(n), 2 * n
                    elif scenario == "sync_atomic_increment":
                        (elapsed, lost_now), ops = bench.unlocked_round(n), 2 * n
                        if measured:
                            lost.append(lost_now)
                            unlocked_ops = ops
                    else:
                        elapsed, ops = bench.uncontended_round(scenario, n), n
                    if measured:
                        result["ops"] = ops
                        result["rounds_ns"].append(elapsed)
                        if bench.last_overlap is not None:
                            overlap.setdefault(scenario, []).append(bench.last_overlap)
                times.append("%s %d in %.0f ms%s" % (scenario, n, elapsed / 1e6,
                                                     "" if scenario == "sync_event_pingpong"
                                                     or bench.last_overlap is None
                                                     else " (overlap %.0f %%)" % (bench.last_overlap * 100)))
                if not measured:
                    sizes[pair] = grown(n, elapsed, target_ns)
                    too_short = too_short or elapsed < target_ns * 0.8
            print("sync.py: %s round %d: %s" % ("measured" if measured else "warm-up", r + 1, ", ".join(times)),
                  file=sys.stderr)
            if r == warmup - 1 and too_short and warmup < args.warmup + EXTRA_WARMUP:
                warmup += 1
            r += 1
        for i in range(args.idle_samples):
            sample = bench.idle_sample(args.idle_ms / 1000)
            idle.append(sample)
            print("sync.py: idle sample %d: waiting thread %d ticks, process %d ticks"
                  % (i + 1, sample["thread_ticks"], sample["process_ticks"]), file=sys.stderr)
    finally:
        code = bench.stop()
    if code != 0:
        raise RuntimeError("the child exited with code %s" % code)

    if "sync_atomic_increment" in wanted:
        # The locked += rows again, under this scenario: Python's answer to a shared increment.
        results["sync_atomic_increment"] = dict(
            [(LOCKED + " (no lock-free increment; rounds above)", results["sync_locked_increment"][LOCKED])]
            + list(results["sync_atomic_increment"].items()))
        if "sync_locked_increment" not in wanted:
            del results["sync_locked_increment"]

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
        "clk_tck": os.sysconf("SC_CLK_TCK"),
        "results": results,
        "unlocked_ops": unlocked_ops,
        "lost": lost,
        "idle": idle,
        "overlap": overlap,
    }, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
