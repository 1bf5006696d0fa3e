package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import org.multiprocessing4j.cluster.internal.Ids;

/**
 * One atomic step on a {@link SyncEntry}: runs where the entry lives (and again on its backup,
 * which is why every step is deterministic). Returns {@code long[]}: the first element is a
 * status ({@code >= 0} done, or one of the negative codes below), then values.
 *
 * <p>Fields of the entry by kind: a lock holds {@code holder} (a thread's id: process id, '#',
 * thread id; or a relay's lease, {@code <host>/lease}, see {@link LockLeases}), {@code flag} (the
 * last holder died holding it) and {@code b} (1: somebody waits for the lease holder); a semaphore {@code a} permits of
 * at most {@code b} (if {@code flag}: bounded); an event {@code a} (1 if set); a barrier {@code a}
 * parties, {@code b} the round, {@code c} arrived, {@code d} the last round that broke, {@code flag}
 * broken, {@code holder} the thread that runs this round's barrier action (every party has
 * arrived; set by an arrival with {@code z}, cleared by {@link #BAR_TRIP}), {@code waiters} and
 * the {@code hosts} that took part; a value or a joinable queue's count of unfinished items {@code a}; a
 * name {@code a} the kind of the object it names and {@code b} its parameter.
 */
public final class SyncOp implements EntryProcessor<String, SyncEntry, long[]>, IdentifiedDataSerializable {

    /** Not yet: wait for a change of the entry and try again. */
    public static final long RETRY = -1;
    /** The entry has another kind (a name used for another kind of object). */
    public static final long WRONG_KIND = -2;
    /** A lock that is not reentrant, taken again by its holder. */
    public static final long SELF = -3;
    /** A release by a thread that does not hold the lock. */
    public static final long NOT_HELD = -4;
    /** A bounded semaphore released above its bound. */
    public static final long OVER_BOUND = -5;
    /** The barrier's round is broken. */
    public static final long BROKEN = -6;
    /** A counter that would go below zero. */
    public static final long NOT_POSITIVE = -7;
    /** A named object that exists with another parameter (a barrier's parties). */
    public static final long MISMATCH = -8;
    /** The entry is gone: its object was destroyed. */
    public static final long GONE = -9;

    static final int CREATE = 1;
    static final int LOCK_ACQUIRE = 10;
    static final int LOCK_RELEASE = 11;
    static final int LOCK_INFO = 12;
    /** A relay takes a lock's lease ({@link LockLeases}): its processes' threads then take the lock from it. */
    static final int LEASE_TAKE = 13;
    /** A relay gives a lock's lease back (with {@code z}: its last holder died holding it). */
    static final int LEASE_GIVE = 14;
    /** Whether a lock is held; if a relay's lease holds it, asks for it (an idle lease is then given back). */
    static final int LOCK_PROBE = 15;
    /** A value's lease holder writes the value back ({@code x}), and gives the lease back if {@code z} (see {@link ValueLeases}). */
    static final int LEASE_PUT = 16;
    /** How the holder of a lock's lease ends: {@code <host>/lease}. */
    static final String LEASE_SUFFIX = "/lease";
    static final int SEM_ACQUIRE = 20;
    static final int SEM_RELEASE = 21;
    static final int SEM_INFO = 22;
    static final int SEM_DRAIN = 23;
    static final int EVENT_SET = 30;
    static final int EVENT_CLEAR = 31;
    static final int EVENT_GET = 32;
    static final int BAR_ARRIVE = 40;
    static final int BAR_CHECK = 41;
    static final int BAR_BREAK = 42;
    static final int BAR_RESET = 43;
    static final int BAR_INFO = 44;
    /** The runner of a round's barrier action trips the round once the action has run. */
    static final int BAR_TRIP = 45;
    static final int VAL_GET = 50;
    static final int VAL_SET = 51;
    static final int VAL_GET_SET = 52;
    static final int VAL_CAS = 53;
    static final int VAL_ADD = 54;
    static final int VAL_SET_INT = 55;
    static final int VAL_GET_SET_INT = 56;
    static final int VAL_CAS_INT = 57;
    static final int VAL_ADD_INT = 58;
    static final int COUNT_ADD = 60;
    static final int COUNT_DONE = 61;
    static final int COUNT_ZERO = 62;
    static final int SWEEP = 70;
    static final int COND_ENTER = 80;
    static final int COND_CHECK = 81;
    static final int COND_LEAVE = 82;
    static final int COND_SIGNAL = 83;
    static final int COND_SIGNAL_ALL = 84;
    static final int ARR_GET = 90;
    static final int ARR_SET = 91;
    static final int ARR_CAS = 92;
    static final int ARR_ADD = 93;
    static final int ARR_CAS_INT = 94;
    static final int ARR_ADD_INT = 95;
    static final int ARR_RANGE = 96;
    static final int ARR_SET_RANGE = 97;

    static final int LOCK = 1;
    static final int SEMAPHORE = 2;
    static final int EVENT = 3;
    static final int BARRIER = 4;
    static final int VALUE = 5;
    static final int NAME = 7;
    static final int CONDITION = 8;
    static final int ARRAY = 9;

    private int op;
    private int kind;
    private long x;
    private long y;
    private boolean z;
    private String s;
    private String t;
    private long[] w;
    /** Whether this run asked a lease holder for the lock (a change even when the step must be retried). */
    private transient boolean wanted;

    /** For Hazelcast's deserialization. */
    public SyncOp() {
    }

    private SyncOp(int op, int kind, long x, long y, boolean z, String s, String t) {
        this.op = op;
        this.kind = kind;
        this.x = x;
        this.y = y;
        this.z = z;
        this.s = s;
        this.t = t;
    }

    static SyncOp of(int op, int kind) {
        return new SyncOp(op, kind, 0, 0, false, null, null);
    }

    static SyncOp of(int op, int kind, long x) {
        return new SyncOp(op, kind, x, 0, false, null, null);
    }

    static SyncOp of(int op, int kind, long x, long y) {
        return new SyncOp(op, kind, x, y, false, null, null);
    }

    static SyncOp of(int op, int kind, String s, String t) {
        return new SyncOp(op, kind, 0, 0, false, s, t);
    }

    /** A lease's return: {@code died} if the thread that last took the lock from it died holding it. */
    static SyncOp leaseGive(String lease, boolean died) {
        return new SyncOp(LEASE_GIVE, LOCK, 0, 0, died, lease, null);
    }

    /** A value's lease holder's write-back of {@code value}; with {@code give}, it gives the lease back too. */
    static SyncOp leasePut(String lease, long value, boolean give) {
        return new SyncOp(LEASE_PUT, VALUE, value, 0, give, lease, null);
    }

    int code() {
        return op;
    }

    int kind() {
        return kind;
    }

    long x() {
        return x;
    }

    long y() {
        return y;
    }

    /** The thread (or lease) a lock step is for. */
    String holder() {
        return s;
    }

    /**
     * Thread {@code party}, through {@code host}, arrives at a barrier; if it is the last and
     * {@code withAction}, it claims the round (it runs the action, then {@link #BAR_TRIP}s).
     */
    static SyncOp arrive(String party, String host, boolean withAction) {
        return new SyncOp(BAR_ARRIVE, BARRIER, 0, 0, withAction, party, host);
    }

    /**
     * Breaks round {@code round} of a barrier; a round whose action runs only {@code duringAction}
     * (its runner's action threw): a waiter that times out then waits for the action instead.
     */
    static SyncOp breakRound(long round, boolean duringAction) {
        return new SyncOp(BAR_BREAK, BARRIER, round, 0, duringAction, null, null);
    }

    /** Makes the entry if it is missing: {@code x}, {@code y} and {@code z} are its a, b and flag (an array: {@code x} elements). */
    static SyncOp create(int kind, long x, long y, boolean z) {
        return new SyncOp(CREATE, kind, x, y, z, null, null);
    }

    /** Sets element {@code i} of an array to {@code value} if it is {@code expected} (compared as ints if {@code asInt}). */
    static SyncOp compareAndSet(int i, long expected, long value, boolean asInt) {
        SyncOp op = new SyncOp(asInt ? ARR_CAS_INT : ARR_CAS, ARRAY, i, expected, false, null, null);
        op.w = new long[] {value};
        return op;
    }

    /** Sets the elements of an array from {@code x} to the values {@code w}. */
    static SyncOp setRange(long x, long[] w) {
        SyncOp op = new SyncOp(ARR_SET_RANGE, ARRAY, x, 0, false, null, null);
        op.w = w;
        return op;
    }

    /** Releases what the threads whose ids start with {@code prefix} hold; breaks their barriers (and those of {@code host}). */
    static SyncOp sweep(String prefix, String host) {
        return new SyncOp(SWEEP, 0, 0, 0, false, prefix, host);
    }

    /**
     * Whether running this step twice is the same as once, as far as its caller can tell: reads,
     * idempotent writes, and a lock's acquisition and release (whose second run answers
     * {@link #SELF} or {@link #NOT_HELD}, which the caller then takes as done).
     */
    boolean repeatable() {
        switch (op) {
            case CREATE:
            case LOCK_ACQUIRE:
            case LOCK_RELEASE:
            case LOCK_INFO:
            case LEASE_TAKE:
            case LEASE_GIVE:
            case LEASE_PUT:
            case LOCK_PROBE:
            case SEM_INFO:
            case EVENT_SET:
            case EVENT_CLEAR:
            case EVENT_GET:
            case BAR_CHECK:
            case BAR_BREAK:
            case BAR_INFO:
            case BAR_TRIP:
            case VAL_GET:
            case VAL_SET:
            case VAL_SET_INT:
            case COUNT_ZERO:
            case SWEEP:
            case COND_ENTER:
            case COND_CHECK:
            case ARR_GET:
            case ARR_SET:
            case ARR_RANGE:
            case ARR_SET_RANGE:
                return true;
            default:
                return false;
        }
    }

    @Override
    public long[] process(Map.Entry<String, SyncEntry> entry) {
        SyncEntry e = entry.getValue();
        if (op == CREATE) {
            if (e == null) {
                e = new SyncEntry(kind);
                e.a = x;
                e.b = y;
                e.d = -1; // a barrier: no round broke yet
                if (kind == ARRAY) {
                    e.values = new long[(int) x];
                }
                e.flag = z;
                entry.setValue(e);
                return new long[] {1};
            }
            if (e.kind != kind) {
                return new long[] {WRONG_KIND, e.kind};
            }
            return new long[] {0, e.a, e.b};
        }
        if (op == SWEEP) {
            return e == null ? new long[] {0} : sweep(entry, e);
        }
        if (e == null) {
            return new long[] {GONE};
        }
        if (e.kind != kind) {
            return new long[] {WRONG_KIND, e.kind};
        }
        wanted = false;
        long[] r = step(e);
        if (wanted || (r[0] != RETRY && changes())) {
            entry.setValue(e);
        }
        return r;
    }

    /** Whether {@code holder} is a relay's lease rather than a thread. */
    static boolean isLease(String holder) {
        return holder != null && holder.endsWith(LEASE_SUFFIX);
    }

    /** Tells the relay whose lease holds {@code e} that somebody else wants the lock (its listener sees {@code b} set). */
    private void want(SyncEntry e) {
        if (isLease(e.holder) && e.b == 0) {
            e.b = 1;
            wanted = true;
        }
    }

    private boolean changes() {
        return op != LOCK_INFO && op != LOCK_PROBE && op != SEM_INFO && op != EVENT_GET && op != BAR_CHECK && op != BAR_INFO
                && op != VAL_GET && op != COUNT_ZERO && op != COND_CHECK && op != ARR_GET && op != ARR_RANGE;
    }

    private long[] step(SyncEntry e) {
        if (kind == VALUE && (op == LEASE_TAKE || op == LEASE_PUT || (op >= VAL_GET && op <= VAL_ADD_INT))) {
            return leasedValue(e);
        }
        switch (op) {
            case LOCK_ACQUIRE:
            case LEASE_TAKE:
                if (e.holder == null) {
                    e.holder = s;
                    boolean died = e.flag;
                    e.flag = false;
                    e.b = 0;
                    return new long[] {died ? 2 : 1};
                }
                if (e.holder.equals(s)) {
                    return new long[] {SELF};
                }
                want(e);
                return new long[] {RETRY};
            case LEASE_GIVE:
                if (!s.equals(e.holder)) {
                    return new long[] {NOT_HELD};
                }
                e.holder = null;
                e.flag = z;
                e.b = 0;
                return new long[] {0};
            case LOCK_PROBE:
                if (isLease(e.holder)) {
                    want(e);
                    return new long[] {RETRY};
                }
                return new long[] {e.holder == null ? 0 : 1};
            case LOCK_RELEASE:
                if (!s.equals(e.holder)) {
                    return new long[] {NOT_HELD};
                }
                e.holder = null;
                return new long[] {0};
            case LOCK_INFO:
                return new long[] {e.holder == null ? 0 : 1};
            case SEM_ACQUIRE:
                if (e.a < x) {
                    return new long[] {RETRY};
                }
                e.a -= x;
                return new long[] {1};
            case SEM_RELEASE:
                if (e.a + x > (e.flag ? e.b : Integer.MAX_VALUE)) {
                    return new long[] {OVER_BOUND};
                }
                e.a += x;
                return new long[] {0};
            case SEM_INFO:
                return new long[] {0, e.a};
            case SEM_DRAIN:
                long all = e.a;
                e.a = 0;
                return new long[] {0, all};
            case EVENT_SET:
            case EVENT_CLEAR:
                e.a = op == EVENT_SET ? 1 : 0;
                return new long[] {0};
            case EVENT_GET:
                return new long[] {x == 1 && e.a == 0 ? RETRY : 0, e.a};
            default:
                return barrierOrValue(e);
        }
    }

    private long[] barrierOrValue(SyncEntry e) {
        switch (op) {
            case BAR_ARRIVE:
                if (e.flag) {
                    return new long[] {BROKEN};
                }
                if (e.holder != null) {
                    return new long[] {RETRY}; // this round's action runs: arrive in the next one
                }
                if (!e.hosts.contains(t)) {
                    e.hosts.add(t);
                }
                long round = e.b;
                long index = e.a - 1 - e.c;
                e.c++;
                if (e.c == e.a && z) {
                    e.holder = s; // every party is here; the round trips once its action has run
                } else if (e.c == e.a) {
                    e.b++;
                    e.c = 0;
                    e.waiters.clear();
                } else {
                    e.waiters.add(s);
                }
                return new long[] {0, index, round};
            case BAR_CHECK:
                if (e.b == x) {
                    return e.flag ? new long[] {BROKEN} : new long[] {RETRY, e.holder != null ? 1 : 0};
                }
                return new long[] {e.d == x ? BROKEN : 0};
            case BAR_TRIP:
                if (e.b == x) {
                    if (e.flag || e.holder == null) {
                        return new long[] {BROKEN};
                    }
                    e.b++;
                    e.c = 0;
                    e.holder = null;
                    e.waiters.clear();
                    return new long[] {0};
                }
                return new long[] {e.d == x ? BROKEN : 0}; // reset while the action ran; or tripped (a repeat)
            case BAR_BREAK:
                if (e.b == x && !e.flag && (e.holder == null || z)) {
                    e.flag = true;
                    e.holder = null;
                    e.waiters.clear();
                }
                return new long[] {0};
            case BAR_RESET:
                if (e.c > 0 || e.flag) {
                    e.d = e.b;
                    e.b++;
                }
                e.c = 0;
                e.flag = false;
                e.holder = null;
                e.waiters.clear();
                return new long[] {0};
            case BAR_INFO:
                return new long[] {0, e.a, e.flag ? 0 : e.c, e.flag ? 1 : 0, e.b};
            case COUNT_ADD:
                e.a += x;
                return new long[] {0, e.a};
            case COUNT_ZERO:
                return new long[] {e.a > 0 ? RETRY : 0, e.a};
            case COUNT_DONE:
                if (e.a <= 0) {
                    return new long[] {NOT_POSITIVE};
                }
                e.a--;
                return new long[] {0, e.a};
            default:
                if (op >= ARR_GET) {
                    return array(e);
                }
                if (op >= COND_ENTER) {
                    return condition(e);
                }
                throw new IllegalStateException("unknown sync operation " + op);
        }
    }

    private long[] condition(SyncEntry e) {
        switch (op) {
            case COND_ENTER:
                if (!e.waiters.contains(s)) {
                    e.waiters.add(s);
                }
                return new long[] {0};
            case COND_CHECK:
                return new long[] {e.waiters.contains(s) ? RETRY : 0};
            case COND_LEAVE:
                return new long[] {0, e.waiters.remove(s) ? 1 : 0};
            case COND_SIGNAL:
                if (e.waiters.isEmpty()) {
                    return new long[] {0, 0};
                }
                e.waiters.remove(0);
                return new long[] {0, 1};
            default:
                int n = e.waiters.size();
                e.waiters.clear();
                return new long[] {0, n};
        }
    }

    private long[] array(SyncEntry e) {
        long[] v = e.values;
        int i = (int) x;
        long prev = op == ARR_RANGE || op == ARR_SET_RANGE ? 0 : v[i];
        switch (op) {
            case ARR_GET:
                return new long[] {0, prev};
            case ARR_SET:
                v[i] = y;
                return new long[] {0, prev};
            case ARR_CAS:
            case ARR_CAS_INT:
                boolean same = op == ARR_CAS ? prev == y : (int) prev == (int) y;
                if (same) {
                    v[i] = op == ARR_CAS ? w[0] : (int) w[0];
                }
                return new long[] {0, same ? 1 : 0};
            case ARR_ADD:
                v[i] = prev + y;
                return new long[] {0, prev};
            case ARR_ADD_INT:
                v[i] = (int) (prev + y);
                return new long[] {0, (int) prev};
            case ARR_RANGE:
                long[] r = new long[(int) y + 1];
                System.arraycopy(v, i, r, 1, (int) y);
                return r;
            default:
                System.arraycopy(w, 0, v, i, w.length);
                return new long[] {0};
        }
    }

    /**
     * A value's steps, and its lease's: while a relay holds the lease ({@code holder}), the value
     * in the entry is the one it last wrote back, so a step of anybody else marks the lease wanted
     * ({@code b} = 1) and waits for it to come back.
     */
    private long[] leasedValue(SyncEntry e) {
        if (op == LEASE_TAKE) {
            if (e.holder == null) {
                e.holder = s;
                e.b = 0;
                return new long[] {1, e.a};
            }
            if (e.holder.equals(s)) {
                return new long[] {SELF, e.a};
            }
            want(e);
            return new long[] {RETRY};
        }
        if (op == LEASE_PUT) {
            if (!s.equals(e.holder)) {
                return new long[] {NOT_HELD};
            }
            e.a = x;
            if (z) {
                e.holder = null;
                e.b = 0;
            }
            return new long[] {0};
        }
        if (e.holder != null) {
            want(e);
            return new long[] {RETRY};
        }
        long[] r = applyValue(op, e.a, x, y);
        e.a = r[0];
        return new long[] {0, r[1]};
    }

    /**
     * What value step {@code code} does to a value {@code prev}, with arguments {@code x} and
     * {@code y}: {@code {the new value, the step's result}}. One function for the entry, and for a
     * relay and its processes while the relay holds the value's lease ({@link ValueSlots}).
     */
    static long[] applyValue(int code, long prev, long x, long y) {
        switch (code) {
            case VAL_GET:
                return new long[] {prev, prev};
            case VAL_SET:
            case VAL_GET_SET:
                return new long[] {x, prev};
            case VAL_CAS:
                return prev != x ? new long[] {prev, 0} : new long[] {y, 1};
            case VAL_ADD:
                return new long[] {prev + x, prev};
            case VAL_SET_INT:
            case VAL_GET_SET_INT:
                return new long[] {(int) x, (int) prev};
            case VAL_CAS_INT:
                return (int) prev != (int) x ? new long[] {prev, 0} : new long[] {(int) y, 1};
            case VAL_ADD_INT:
                return new long[] {(int) (prev + x), (int) prev};
            default:
                throw new IllegalStateException("unknown sync operation " + code);
        }
    }

    private long[] sweep(Map.Entry<String, SyncEntry> entry, SyncEntry e) {
        boolean changed = false;
        if (e.kind == LOCK && e.holder != null && e.holder.startsWith(s)) {
            e.holder = null;
            e.flag = true;
            changed = true;
        } else if (e.kind == VALUE && e.holder != null && e.holder.startsWith(s)) {
            // A value leased by a node that died: the value it last wrote back stands.
            e.holder = null;
            e.b = 0;
            changed = true;
        } else if (e.kind == CONDITION && e.waiters.removeIf(w -> w.startsWith(s))) {
            changed = true;
        } else if (e.kind == BARRIER && !e.flag && ((t != null && e.hosts.contains(t)) || (e.holder != null
                ? e.holder.startsWith(s) // every party is here: only the action's runner matters
                : e.waiters.stream().anyMatch(w -> w.startsWith(s))))) {
            e.flag = true;
            e.holder = null;
            e.waiters.clear();
            changed = true;
        }
        if (changed) {
            entry.setValue(e);
        }
        return new long[] {changed ? 1 : 0};
    }

    /** Writes this step for the relay ({@link Frames}). */
    void write(java.io.DataOutputStream out) throws IOException {
        out.writeInt(op);
        out.writeInt(kind);
        out.writeLong(x);
        out.writeLong(y);
        out.writeBoolean(z);
        Op.writeString(out, s);
        Op.writeString(out, t);
        out.writeBoolean(w != null);
        if (w != null) {
            out.writeInt(w.length);
            for (long v : w) {
                out.writeLong(v);
            }
        }
    }

    static SyncOp read(java.io.DataInputStream in) throws IOException {
        SyncOp op = new SyncOp(in.readInt(), in.readInt(), in.readLong(), in.readLong(), in.readBoolean(),
                Op.readString(in), Op.readString(in));
        if (in.readBoolean()) {
            int n = in.readInt();
            if (n < 0 || n > 1 << 26) {
                throw new IOException("a sync step with " + n + " values");
            }
            op.w = new long[n];
            for (int i = 0; i < n; i++) {
                op.w[i] = in.readLong();
            }
        }
        return op;
    }

    @Override
    public int getFactoryId() {
        return Ids.FACTORY;
    }

    @Override
    public int getClassId() {
        return Ids.SYNC_OP;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(op);
        out.writeInt(kind);
        out.writeLong(x);
        out.writeLong(y);
        out.writeBoolean(z);
        out.writeString(s);
        out.writeString(t);
        out.writeLongArray(w);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        op = in.readInt();
        kind = in.readInt();
        x = in.readLong();
        y = in.readLong();
        z = in.readBoolean();
        s = in.readString();
        t = in.readString();
        w = in.readLongArray();
    }

    @Override
    public String toString() {
        return "SyncOp[" + op + "]";
    }
}
