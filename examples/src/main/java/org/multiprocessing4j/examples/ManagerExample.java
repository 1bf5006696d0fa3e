package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessManager;
import org.multiprocessing4j.SerializableBiFunction;

/**
 * Sharing a map and a list through a server process: a {@link ProcessManager}. The example of
 * Python's documentation, "Sharing state between processes", "Server process":
 *
 * <pre>
 * def f(d, l):
 *     d[1] = '1'
 *     d['2'] = 2
 *     d[0.25] = None
 *     l.reverse()
 *
 * with Manager() as manager:
 *     d = manager.dict()
 *     l = manager.list(range(10))
 *     p = Process(target=f, args=(d, l))
 *     ...
 * </pre>
 *
 * <p>The child changes the map and the list through proxies it captured; every call runs in
 * the manager's server, so the parent sees the changes. Then four children each add 1 to one
 * entry of a map 250 times with {@code merge}, which is atomic in the server. Prints
 * {@code {0.25: None, 1: '1', '2': 2}} (in Python's notation, keys sorted),
 * {@code [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]} and {@code 1000 hits counted by 4 processes}.
 */
public final class ManagerExample {
    private static final int PROCESSES = 4;
    private static final int HITS_EACH = 250;
    /** Travels to the server with each merge, so it must be serializable. */
    private static final SerializableBiFunction<Integer, Integer, Integer> SUM = Integer::sum;
    /** Numbers first, by value, then the rest by their text: a stable order to print keys in. */
    private static final Comparator<Object> KEY_ORDER = Comparator
            .comparingInt((Object k) -> k instanceof Number ? 0 : 1)
            .thenComparingDouble(k -> k instanceof Number n ? n.doubleValue() : 0)
            .thenComparing(String::valueOf);

    private ManagerExample() {
    }

    /**
     * Python's {@code None} as a value: a {@code ConcurrentMap}, like the server's map, holds no
     * nulls.
     */
    enum PythonNone {
        NONE;

        @Override
        public String toString() {
            return "None";
        }
    }

    static void f(ConcurrentMap<Object, Object> d, List<Integer> l) {
        d.put(1, "1");
        d.put("2", 2);
        d.put(0.25, PythonNone.NONE);
        // Swaps by index, each get and set a call in the server. Not Collections.reverse(l):
        // from 18 elements on it walks the list with listIterator()s, and a proxy's iterators
        // are copies, which cannot change the list in the server.
        for (int i = 0, j = l.size() - 1; i < j; i++, j--) {
            l.set(i, l.set(j, l.get(i)));
        }
    }

    static void hit(ConcurrentMap<String, Integer> counts) {
        for (int i = 0; i < HITS_EACH; i++) {
            counts.merge("hits", 1, SUM);
        }
    }

    /** {@code d} as Python prints a dict, keys in {@link #KEY_ORDER}. */
    static String format(Map<Object, Object> d) {
        Map<Object, Object> sorted = new TreeMap<>(KEY_ORDER);
        for (Map.Entry<Object, Object> e : d.entrySet()) { // one call: the server sends a copy
            sorted.put(e.getKey(), e.getValue());
        }
        return sorted.entrySet().stream()
                .map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String repr(Object o) {
        return o instanceof String s ? "'" + s + "'" : String.valueOf(o);
    }

    public static void main(String[] args) throws InterruptedException {
        try (ProcessManager manager = Multiprocessing.getContext().manager()) {
            ConcurrentMap<Object, Object> d = manager.dict();
            List<Integer> l = manager.list();
            l.addAll(IntStream.range(0, 10).boxed().collect(Collectors.toList()));

            JvmProcess p = new JvmProcess(() -> f(d, l));
            p.start();
            p.join();

            System.out.println(format(d));
            System.out.println(l); // toString() runs in the server too

            ConcurrentMap<String, Integer> counts = manager.dict();
            List<JvmProcess> hitters = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                JvmProcess h = new JvmProcess(() -> hit(counts));
                h.start();
                hitters.add(h);
            }
            for (JvmProcess h : hitters) {
                h.join();
            }
            System.out.println(counts.get("hits") + " hits counted by " + PROCESSES + " processes");
        }
    }
}
