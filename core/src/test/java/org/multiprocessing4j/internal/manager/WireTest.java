package org.multiprocessing4j.internal.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ProcessSerializationException;
import org.multiprocessing4j.RemoteThrowable;

/** The call messages, method tables and snapshots of managers, without processes. */
class WireTest {
    @Test
    void requestCarriesObjectMethodAndArguments() {
        byte[] r = Wire.request(7, 3, new Object[] {"k", 42, null, 2.5, List.of(1)}, () -> "test");
        assertEquals(7, Wire.objectId(r));
        assertEquals(3, Wire.method(r));
        assertArrayEquals(new Object[] {"k", 42, null, 2.5, List.of(1)}, Wire.arguments(r));
        assertArrayEquals(new Object[0], Wire.arguments(Wire.request(1, 0, null, () -> "test")));
    }

    @Test
    void malformedRequestsAreRefusedSayingWhatIsWrong() {
        Wire.checkRequest(Wire.request(7, 3, new Object[] {"k", 42}, () -> "test"));
        assertMalformed(new byte[3], "fewer than the 12 of a header");
        byte[] good = Wire.request(7, 3, new Object[] {"k", 42}, () -> "test");
        assertMalformed(java.util.Arrays.copyOf(good, good.length - 1), "more than the request holds");
        assertMalformed(java.util.Arrays.copyOf(good, good.length + 2), "2 bytes after its arguments");
        byte[] negative = good.clone();
        negative[8] = (byte) 0xff;
        assertMalformed(negative, "arguments");
        byte[] tooMany = good.clone();
        tooMany[11] = 3;
        assertMalformed(tooMany, "announces 3 arguments but ends after 2");
    }

    private static void assertMalformed(byte[] request, String says) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wire.checkRequest(request));
        assertTrue(e.getMessage().startsWith("malformed manager request") && e.getMessage().contains(says),
                e.getMessage());
    }

    @Test
    void nonSerializableArgumentIsRefusedNamingTheCall() {
        BiFunction<Integer, Integer, Integer> local = Integer::sum;
        ProcessSerializationException e = assertThrows(ProcessSerializationException.class,
                () -> Wire.request(1, 0, new Object[] {"k", 1, local}, () -> "Map.merge on dict 1"));
        assertTrue(e.getMessage().contains("argument 3 of Map.merge on dict 1"), e.getMessage());
    }

    @Test
    void replyCarriesResultOrThrowable() throws Throwable {
        assertEquals("v", Wire.result(Wire.ok("v", () -> "r")));
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Wire.result(Wire.threw(new IllegalArgumentException("bad"))));
        assertEquals("bad", thrown.getMessage());
        // An exception that cannot be serialized arrives as its stand-in.
        class Odd extends RuntimeException {
            private final Object field = new Object();
        }
        Throwable standIn = assertThrows(RemoteThrowable.class, () -> Wire.result(Wire.threw(new Odd())));
        assertTrue(standIn.toString().contains("Odd"), standIn.toString());
    }

    @Test
    void methodTableIsSortedAndStable() throws Exception {
        MethodTable t = MethodTable.of(ConcurrentMap.class);
        int get = t.indexOf(Map.class.getMethod("get", Object.class));
        assertEquals("get", t.method(get).getName());
        Method merge = ConcurrentMap.class.getMethod("merge", Object.class, Object.class, BiFunction.class);
        assertEquals(merge.getName(), t.method(t.indexOf(merge)).getName());
        assertTrue(t.indexOf(Object.class.getMethod("toString")) >= 0);
        assertTrue(t.comparesByValue());
        assertEquals(-1, t.indexOf(String.class.getMethod("length")));
        assertTrue(t.indexOf(Map.class.getMethod("clear")) < t.indexOf(Map.class.getMethod("size")));
    }

    @Test
    void viewsTravelAsCopies() {
        ConcurrentHashMap<String, Integer> m = new ConcurrentHashMap<>(Map.of("a", 1, "b", 2));
        Object keys = Snapshots.byValue(m.keySet(), Set.class);
        assertEquals(Set.of("a", "b"), keys);
        assertThrows(UnsupportedOperationException.class, () -> ((Set<?>) keys).remove("a"),
                "a change to a copy would be lost: refused");
        List<Integer> list = new java.util.ArrayList<>(List.of(1, 2, 3, 4));
        java.util.ListIterator<?> at2 = (java.util.ListIterator<?>) Snapshots.restore(
                Snapshots.byValue(list.listIterator(2), java.util.ListIterator.class), java.util.ListIterator.class);
        assertEquals(2, at2.nextIndex());
        assertEquals(2, at2.previous());
        assertEquals(2, at2.next());
        assertEquals(3, at2.next());
        Object sub = Snapshots.byValue(list.subList(1, 3), List.class);
        assertEquals(List.of(2, 3), sub);
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) sub).clear());
        Object entries = Snapshots.byValue(m.entrySet(), Set.class);
        assertEquals(m.entrySet(), entries);
        Object it = Snapshots.restore(Snapshots.byValue(m.values().iterator(), Iterator.class), Iterator.class);
        assertInstanceOf(Iterator.class, it);
        List<Integer> plain = new java.util.ArrayList<>(List.of(1));
        assertTrue(Snapshots.byValue(plain, List.class) == plain, "a plain list travels as it is");
    }
}
