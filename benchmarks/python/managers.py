"""Python side of the multiprocessing4j manager comparison: Manager().dict() and a remote BaseManager (stdlib only).

Run by org.multiprocessing4j.benchmarks.Compare (ManagerBench) in the same run as the Java side;
it can also be run by hand:

    python3 benchmarks/python/managers.py --rounds 7 --warmup 4 --round-ms 250

Processes ("fork" context): this one, which only sends commands and collects the figures; the
server process of a local manager (ctx.Manager(), which forks it); a child that uses the
manager's dict through the proxy it was given; a process that serves a remote manager
(BaseManager.get_server().serve_forever() on 127.0.0.1, port 0, a random authkey); and a child
that reaches it knowing only the address and the authkey (connect()). Each child takes commands
on a duplex Pipe() and times its own loop with time.perf_counter_ns(). The scenarios are the
Java side's, under the same ids:

    manager_dict_ops    the child does n times d[k] = i; d.get(k) (checked) on a
                        Manager().dict(): 2n calls, one thread
    manager_call_rt     the child times each of n single calls d.get(k): one sample each
    manager_remote_ops  the remote client does what manager_dict_ops does, on the served dict
                        (registered with callable=lambda: shared_dict, proxytype=DictProxy, so
                        that d[k] = v works as on Manager().dict())

Each scenario first runs warm-up rounds, which size the round (it only grows) so that a round
takes at least --round-ms (while one still took under 80 % of it, another warm-up round follows,
at most EXTRA_WARMUP more); then the measured rounds. Rounds take turns across the scenarios
(round r of each before round r+1 of any).

It prints ONE JSON object on standard output:

    {"python": {"version": ..., "implementation": ..., "executable": ...},
     "context": "fork", "warmup": W, "rounds": R, "round_ms": T,
     "results": {"<scenario>": {"<implementation>":
         {"ops": N, "rounds_ns": [...]}      (throughput scenarios)
         {"samples_ns": [...]}               (manager_call_rt)}}}

Compare computes the statistics, so both sides are summarised the same way. Every process
started here is joined (the remote server is terminated by pid) before the JSON is printed.
"""

import multiprocessing
import secrets
import sys
import time
import traceback
from multiprocessing.managers import BaseManager, DictProxy

SCENARIOS = ["manager_dict_ops", "manager_call_rt", "manager_remote_ops"]
IMPLEMENTATIONS = {
    "manager_dict_ops": "Manager().dict(): d[k] = i; d.get(k)",
    "manager_call_rt": "Manager().dict(): d.get(k)",
    "manager_remote_ops": "BaseManager over TCP: d[k] = i; d.get(k)",
}
# The first round's size (put+get pairs, or single calls); warm-up rounds grow it.
FIRST_GUESS = {"manager_dict_ops": 500, "manager_call_rt": 1000, "manager_remote_ops": 500}
MAX_ITEMS = 50_000_000
EXTRA_WARMUP = 6
JOIN_TIMEOUT_S = 60.0
# Keys cycle through this many ints, so the dict stays small and every get finds its key.
KEYS = 1024


# ----------------------------------------------------------------------------- the children

def put_get_loop(d, n):
    """n times d[k] = i; d.get(k) == i; returns the nanoseconds of the loop."""
    began = time.perf_counter_ns()
    for i in range(n):
        k = i % KEYS
        d[k] = i
        if d.get(k) != i:
            raise RuntimeError("d.get(%d) did not return %d" % (k, i))
    return time.perf_counter_ns() - began


def timed_gets(d, n):
    """n single d.get(k) calls, each timed: a list of nanoseconds."""
    d[0] = 0
    clock = time.perf_counter_ns
    samples = [0] * n
    for i in range(n):
        began = clock()
        d.get(0)
        samples[i] = clock() - began
    return samples


def serve_commands(control, d):
    """Carries out the commands (kind, n) received on `control` with the dict proxy d; None ends it."""
    while True:
        command = control.recv()
        if command is None:
            return
        kind, n = command
        if kind == "ops":
            control.send(put_get_loop(d, n))
        elif kind == "rt":
            control.send(timed_gets(d, n))
        elif kind == "ready":
            control.send("ready")
        else:
            raise ValueError("unknown command %r" % (command,))


def local_peer(control, d):
    """The child of manager_dict_ops and manager_call_rt: uses the proxy it was given."""
    try:
        serve_commands(control, d)
    except BaseException:
        traceback.print_exc()
        sys.exit(1)


class RemoteDictServer(BaseManager):
    """The serving side of the remote manager; get_dict is registered in the server process."""


class RemoteDictClient(BaseManager):
    """The connecting side: knows the typeid, not the callable."""


RemoteDictClient.register("get_dict", proxytype=DictProxy)


def remote_server(control, authkey):
    """Serves one dict on 127.0.0.1 (port 0), says its address on `control`, serves until terminated."""
    try:
        shared_dict = {}
        RemoteDictServer.register("get_dict", callable=lambda: shared_dict, proxytype=DictProxy)
        manager = RemoteDictServer(address=("127.0.0.1", 0), authkey=authkey)
        server = manager.get_server()
        control.send(server.address)
        control.close()
        server.serve_forever()
    except BaseException:
        traceback.print_exc()
        sys.exit(1)


def remote_peer(control, address, authkey):
    """The client of manager_remote_ops: gets only the address and the authkey."""
    try:
        manager = RemoteDictClient(address=address, authkey=authkey)
        manager.connect()
        serve_commands(control, manager.get_dict())
    except BaseException:
        traceback.print_exc()
        sys.exit(1)


# ----------------------------------------------------------------------------- this process

class Peer:
    """A child with its control pipe."""

    def __init__(self, ctx, target, args):
        self.control, child_control = ctx.Pipe()
        self.process = ctx.Process(target=target, args=(child_control,) + args)
        self.process.start()
        # Only the child holds this end now: its death shows here as EOFError, not a hang.
        child_control.close()
        self.control.send(("ready", 0))
        if self.control.recv() != "ready":
            raise RuntimeError("%s did not say it is ready" % target.__name__)

    def ask(self, kind, n):
        self.control.send((kind, n))
        return self.control.recv()

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


# ----------------------------------------------------------------------------- driver

def main(argv):
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="measured rounds per scenario")
    parser.add_argument("--warmup", type=int, default=4, help="unmeasured rounds first (they size the rounds)")
    parser.add_argument("--round-ms", type=int, default=250, help="the least time a round should take")
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
    for s in scenarios:
        results[s] = {IMPLEMENTATIONS[s]: {"samples_ns": []} if s == "manager_call_rt"
                      else {"ops": 0, "rounds_ns": []}}

    manager = local = server = remote = None
    codes = {}
    try:
        if "manager_dict_ops" in scenarios or "manager_call_rt" in scenarios:
            manager = ctx.Manager()
            local = Peer(ctx, local_peer, (manager.dict(),))
        if "manager_remote_ops" in scenarios:
            authkey = secrets.token_bytes(32)
            receive, send = ctx.Pipe(duplex=False)
            server = ctx.Process(target=remote_server, args=(send, authkey))
            server.start()
            send.close()
            if not receive.poll(JOIN_TIMEOUT_S):
                raise RuntimeError("the remote server did not say its address within %ss" % JOIN_TIMEOUT_S)
            address = receive.recv()
            receive.close()
            remote = Peer(ctx, remote_peer, (address, authkey))

        warmup, r = args.warmup, 0
        while r < warmup + args.rounds:
            measured = r >= warmup
            too_short = False
            times = []
            for s in scenarios:
                n = sizes[s]
                result = results[s][IMPLEMENTATIONS[s]]
                began = time.perf_counter_ns()
                if s == "manager_call_rt":
                    samples = local.ask("rt", n)
                    if len(samples) != n:
                        raise RuntimeError("%s: %d samples, not %d" % (s, len(samples), n))
                    if measured:
                        result["samples_ns"].extend(samples)
                else:
                    child_ns = (local if s == "manager_dict_ops" else remote).ask("ops", n)
                    if measured:
                        result["ops"] = 2 * n
                        result["rounds_ns"].append(child_ns)
                elapsed = time.perf_counter_ns() - began
                times.append("%s %d in %.0f ms" % (s, n, elapsed / 1e6))
                if not measured:
                    sizes[s] = grown(n, elapsed, target_ns)
                    too_short = too_short or elapsed < target_ns * 0.8
            print("managers.py: %s round %d: %s" % ("measured" if measured else "warm-up", r + 1, ", ".join(times)),
                  file=sys.stderr)
            if r == warmup - 1 and too_short and warmup < args.warmup + EXTRA_WARMUP:
                warmup += 1
            r += 1
    finally:
        if local is not None:
            codes["local client"] = local.stop()
        if remote is not None:
            codes["remote client"] = remote.stop()
        if server is not None:
            end(server)
        if manager is not None:
            manager.shutdown()
    failed = {who: code for who, code in codes.items() if code != 0}
    if failed:
        raise RuntimeError("children exited with codes %s" % failed)

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
