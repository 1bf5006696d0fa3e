"""Python side of the multiprocessing4j cluster shared-object comparison: a remote BaseManager's queue, lock and counter (stdlib only).

Run by org.multiprocessing4j.benchmarks.Compare (ClusterBench, --only cluster) after the Java
side, once the cluster nodes are stopped; it can also be run by hand:

    python3 benchmarks/python/cluster_shared.py --rounds 5 --warmup 2 --round-ms 1000

What a Python program uses to share objects between processes on different machines: a
BaseManager subclass serving them over TCP. Processes ("fork" context): this one, which sends
commands, checks the shared objects between rounds through its own connection, and collects the
figures; a server process running get_server().serve_forever() on 127.0.0.1, port 0, with a
random 32-byte authkey, whose manager registers

    get_int_queue    a queue.Queue()            (AutoProxy: put(item), get())
    get_bytes_queue  another queue.Queue()      (AutoProxy)
    get_lock         a threading.Lock()         (AcquirerProxy: acquire(), release())
    get_counter      a Counter                  (AutoProxy: increment() does `value += 1`
                                                 under the server's own threading.Lock and
                                                 returns the new value: one call per increment)

and two client processes, A and B, which know only the address and the authkey, connect(),
take commands on a duplex Pipe() and time their own loops with time.perf_counter_ns()
(CLOCK_MONOTONIC on Linux: one clock for every process of the machine). The scenarios are the
Java side's, under the same ids:

    cluster_queue_int  A put()s n ints 0..n-1 on the int queue, B get()s them (checked, in order);
                       time = B's clock after its last get() - A's clock before its first put()
    cluster_queue_1k   the same with 1 KiB bytes items (PAYLOADS prebuilt ones; item i is number
                       i % PAYLOADS, which starts and ends with byte i % PAYLOADS: checked)
    cluster_lock       A and B each do n times lock.acquire(); lock.release() on the served lock;
                       time = the later end - the earlier beginning of the two loops; ops = 2n
    cluster_long       A and B each do n times counter.increment(); then the counter must be
                       exactly 2n; time as cluster_lock; ops = 2n

Each scenario first runs warm-up rounds, which size the round (it only grows) so that a round
takes at least --round-ms (while one still took under 80 % of it, another warm-up round follows,
at most EXTRA_WARMUP more); then the measured rounds. Rounds take turns across the scenarios
(round r of each before round r+1 of any).

It prints ONE JSON object on standard output:

    {"python": {"version": ..., "implementation": ..., "executable": ...},
     "context": "fork", "warmup": W, "rounds": R, "round_ms": T,
     "results": {"<scenario>": {"<implementation>":
         {"items": N, "item_bytes": B, "rounds_ns": [...]}   (queues)
         {"ops": N, "rounds_ns": [...]}                      (lock, counter; N for both clients)}},
     "overlap": {"<scenario>": [share of each measured round during which both loops ran]}}

Compare computes the statistics, so both sides are summarised the same way. Every process
started here is joined (the server is terminated by pid) before the JSON is printed.
"""

import multiprocessing
import secrets
import sys
import threading
import time
import traceback
import queue
from multiprocessing.managers import AcquirerProxy, BaseManager

SCENARIOS = ["cluster_queue_int", "cluster_queue_1k", "cluster_lock", "cluster_long"]
IMPLEMENTATIONS = {
    "cluster_queue_int": "BaseManager over TCP: queue.Queue proxy, put(i) on A, get() on B",
    "cluster_queue_1k": "BaseManager over TCP: queue.Queue proxy, put(1 KiB bytes) on A, get() on B",
    "cluster_lock": "BaseManager over TCP: threading.Lock proxy, acquire(); release() on A and B",
    "cluster_long": "BaseManager over TCP: counter proxy, increment() on A and B"
                    " (one call: += 1 under the server's threading.Lock)",
}
# The first round's size (items, or loops per client); warm-up rounds grow it.
FIRST_GUESS = {"cluster_queue_int": 2000, "cluster_queue_1k": 2000, "cluster_lock": 1000, "cluster_long": 1000}
MAX_ITEMS = 50_000_000
EXTRA_WARMUP = 1
JOIN_TIMEOUT_S = 60.0
PAYLOADS = 16  # distinct prebuilt payloads, so the consumer can tell one item from the next
ITEM_BYTES = 1024


def payloads(size):
    """PAYLOADS byte strings of `size` bytes; number k starts and ends with byte k."""
    body = b"\x5a" * (size - 2)
    return [bytes([k]) + body + bytes([k]) for k in range(PAYLOADS)]


# ----------------------------------------------------------------------------- the server

class Counter:
    """A counter whose increment() is one call: `value += 1` under the server's own lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._value = 0

    def increment(self):
        with self._lock:
            self._value += 1
            return self._value

    def get(self):
        with self._lock:
            return self._value

    def set(self, value):
        with self._lock:
            self._value = value


class SharedServer(BaseManager):
    """The serving side; the typeids are registered in the server process, with its objects."""


class SharedClient(BaseManager):
    """The connecting side: knows the typeids, not the callables."""


SharedClient.register("get_int_queue")
SharedClient.register("get_bytes_queue")
SharedClient.register("get_lock", proxytype=AcquirerProxy)
SharedClient.register("get_counter")


def server(control, authkey):
    """Serves the objects on 127.0.0.1 (port 0), says its address on `control`, serves until terminated."""
    try:
        int_queue = queue.Queue()
        bytes_queue = queue.Queue()
        lock = threading.Lock()
        counter = Counter()
        SharedServer.register("get_int_queue", callable=lambda: int_queue)
        SharedServer.register("get_bytes_queue", callable=lambda: bytes_queue)
        SharedServer.register("get_lock", callable=lambda: lock, proxytype=AcquirerProxy)
        SharedServer.register("get_counter", callable=lambda: counter)
        manager = SharedServer(address=("127.0.0.1", 0), authkey=authkey)
        s = manager.get_server()
        control.send(s.address)
        control.close()
        s.serve_forever()
    except BaseException:
        traceback.print_exc()
        sys.exit(1)


class Objects:
    """A client's connection and its proxies."""

    def __init__(self, address, authkey):
        self.manager = SharedClient(address=address, authkey=authkey)
        self.manager.connect()
        self.ints = self.manager.get_int_queue()
        self.bytes = self.manager.get_bytes_queue()
        self.lock = self.manager.get_lock()
        self.counter = self.manager.get_counter()


# ----------------------------------------------------------------------------- the clients

def client(control, address, authkey):
    """Client A or B: carries out the commands (kind, n) received on `control`; None ends it.
    Answers (began, ended) of its loop, perf_counter_ns."""
    try:
        o = Objects(address, authkey)
        pool = payloads(ITEM_BYTES)
        clock = time.perf_counter_ns
        while True:
            command = control.recv()
            if command is None:
                return
            kind, n = command
            if kind == "ready":
                control.send("ready")
                continue
            if kind == "produce_int":
                put = o.ints.put
                began = clock()
                for i in range(n):
                    put(i)
            elif kind == "consume_int":
                get = o.ints.get
                began = clock()
                for i in range(n):
                    if get() != i:
                        raise RuntimeError("consume_int: item %d is wrong" % i)
            elif kind == "produce_1k":
                put = o.bytes.put
                began = clock()
                for i in range(n):
                    put(pool[i & (PAYLOADS - 1)])
            elif kind == "consume_1k":
                get = o.bytes.get
                began = clock()
                for i in range(n):
                    b = get()
                    k = i & (PAYLOADS - 1)
                    if len(b) != ITEM_BYTES or b[0] != k or b[-1] != k:
                        raise RuntimeError("consume_1k: item %d is wrong" % i)
            elif kind == "lock":
                acquire, release = o.lock.acquire, o.lock.release
                began = clock()
                for _ in range(n):
                    acquire()
                    release()
            elif kind == "incr":
                increment = o.counter.increment
                began = clock()
                for _ in range(n):
                    increment()
            else:
                raise ValueError("unknown command %r" % (command,))
            control.send((began, clock()))
    except BaseException:
        traceback.print_exc()
        sys.exit(1)


# ----------------------------------------------------------------------------- this process

class Peer:
    """A client process with its control pipe."""

    def __init__(self, ctx, name, address, authkey):
        self.name = name
        self.control, child_control = ctx.Pipe()
        self.process = ctx.Process(target=client, args=(child_control, address, authkey), name=name)
        self.process.start()
        # Only the child holds this end now: its death shows here as EOFError, not a hang.
        child_control.close()
        self.control.send(("ready", 0))
        if self.control.recv() != "ready":
            raise RuntimeError("%s did not say it is ready" % name)

    def send(self, kind, n):
        self.control.send((kind, n))

    def answer(self):
        began, ended = self.control.recv()
        return began, ended

    def stop(self):
        try:
            self.control.send(None)
        except OSError:
            pass
        self.process.join(JOIN_TIMEOUT_S)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.control.close()
        return self.process.exitcode


def end(process):
    """Terminates (SIGTERM, by pid) a process that serves until told, and waits for it."""
    if process.exitcode is None:
        process.terminate()
        process.join(JOIN_TIMEOUT_S)
    if process.exitcode is None:
        process.kill()
        process.join()


def grown(n, elapsed_ns, target_ns):
    """The next warm-up size: n scaled to take target_ns (plus 20 %), never smaller than n."""
    if elapsed_ns >= target_ns:
        return n
    return min(MAX_ITEMS, max(n, int(n * target_ns * 1.2 / max(elapsed_ns, 1)) + 1))


def overlap(a, b):
    """The share of the union of two (began, ended) intervals during which both ran."""
    both = min(a[1], b[1]) - max(a[0], b[0])
    either = max(a[1], b[1]) - min(a[0], b[0])
    return max(0, both) / either if either > 0 else 0.0


def one_round(scenario, n, a, b, mine):
    """Runs one round of n; returns (inside_ns, overlap): the time measured by the clients."""
    if scenario.startswith("cluster_queue_"):
        kind = scenario[len("cluster_queue_"):]
        b.send("consume_" + kind, n)  # the consumer first: it waits in get()
        a.send("produce_" + kind, n)
        produced = a.answer()
        consumed = b.answer()
        left = (mine.ints if kind == "int" else mine.bytes).qsize()
        if left != 0:
            raise RuntimeError("%s: %d items left in the queue" % (scenario, left))
        return consumed[1] - produced[0], overlap(produced, consumed)
    if scenario == "cluster_long":
        mine.counter.set(0)
    command = "lock" if scenario == "cluster_lock" else "incr"
    a.send(command, n)
    b.send(command, n)
    first, second = a.answer(), b.answer()
    if scenario == "cluster_long":
        value = mine.counter.get()
        if value != 2 * n:
            raise RuntimeError("cluster_long: 2 x %d increments made %d" % (n, value))
    elif not mine.lock.acquire(False):
        raise RuntimeError("cluster_lock: the lock is still held after the round")
    else:
        mine.lock.release()
    return max(first[1], second[1]) - min(first[0], second[0]), overlap(first, second)


# ----------------------------------------------------------------------------- driver

def main(argv):
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per scenario")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured rounds first (they size the rounds)")
    parser.add_argument("--round-ms", type=int, default=1000, help="the least time a round should take")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario ids (default: all)")
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.scenarios.split(",") if s.strip()] or SCENARIOS
    for s in wanted:
        if s not in SCENARIOS:
            parser.error("unknown scenario %r" % s)
    scenarios = [s for s in SCENARIOS if s in wanted]

    methods = multiprocessing.get_all_start_methods()
    context = "fork" if "fork" in methods else multiprocessing.get_start_method()
    ctx = multiprocessing.get_context(context)
    target_ns = args.round_ms * 1_000_000
    sizes = {s: FIRST_GUESS[s] for s in scenarios}
    results = {}
    overlaps = {s: [] for s in scenarios}
    for s in scenarios:
        if s.startswith("cluster_queue_"):
            results[s] = {IMPLEMENTATIONS[s]: {"items": 0, "item_bytes": ITEM_BYTES if s.endswith("_1k") else 0,
                                               "rounds_ns": []}}
        else:
            results[s] = {IMPLEMENTATIONS[s]: {"ops": 0, "rounds_ns": []}}

    serving = a = b = None
    codes = {}
    try:
        authkey = secrets.token_bytes(32)
        receive, send = ctx.Pipe(duplex=False)
        serving = ctx.Process(target=server, args=(send, authkey), name="server")
        serving.start()
        send.close()
        if not receive.poll(JOIN_TIMEOUT_S):
            raise RuntimeError("the server did not say its address within %ss" % JOIN_TIMEOUT_S)
        address = receive.recv()
        receive.close()
        mine = Objects(address, authkey)
        a = Peer(ctx, "client-a", address, authkey)
        b = Peer(ctx, "client-b", address, authkey)

        warmup, r = args.warmup, 0
        while r < warmup + args.rounds:
            measured = r >= warmup
            too_short = False
            times = []
            for s in scenarios:
                n = sizes[s]
                result = results[s][IMPLEMENTATIONS[s]]
                began = time.perf_counter_ns()
                inside_ns, both = one_round(s, n, a, b, mine)
                elapsed = time.perf_counter_ns() - began
                if measured:
                    if "items" in result:
                        result["items"] = n
                    else:
                        result["ops"] = 2 * n
                    result["rounds_ns"].append(inside_ns)
                    overlaps[s].append(both)
                times.append("%s %d in %.0f ms (inside %.0f ms, overlap %.0f %%)"
                             % (s, n, elapsed / 1e6, inside_ns / 1e6, both * 100))
                if not measured:
                    sizes[s] = grown(n, elapsed, target_ns)
                    too_short = too_short or elapsed < target_ns * 0.8
            print("cluster_shared.py: %s round %d: %s" % ("measured" if measured else "warm-up", r + 1,
                                                          ", ".join(times)), file=sys.stderr)
            if r == warmup - 1 and too_short and warmup < args.warmup + EXTRA_WARMUP:
                warmup += 1
            r += 1
    finally:
        for peer in (a, b):
            if peer is not None:
                codes[peer.name] = peer.stop()
        if serving is not None:
            end(serving)
    failed = {who: code for who, code in codes.items() if code != 0}
    if failed:
        raise RuntimeError("clients exited with codes %s" % failed)

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
        "overlap": overlaps,
    }, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
