package org.multiprocessing4j.internal.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.codec.ItemCodec;

/** The pool's wire format: every message kind survives a round trip; a broken message is refused clearly. */
class PoolMessageTest {
    private static final String WHAT = "map(test)";

    @Test
    void everyFixedMessageKindSurvivesARoundTrip() {
        byte[] code = {9, 8, 7};
        PoolMessage.Define define = read(new PoolMessage.Define(42, code).toBytes(), PoolMessage.Define.class);
        assertEquals(42, define.functionId());
        assertArrayEquals(code, define.code());
        assertEquals(42, read(new PoolMessage.Forget(42).toBytes(), PoolMessage.Forget.class).functionId());
        PoolMessage.Run run = read(new PoolMessage.Run(Long.MAX_VALUE, code).toBytes(), PoolMessage.Run.class);
        assertEquals(Long.MAX_VALUE, run.taskId());
        assertArrayEquals(code, run.callable());
        read(new PoolMessage.Stop().toBytes(), PoolMessage.Stop.class);
        assertEquals(7, read(new PoolMessage.Ready(7).toBytes(), PoolMessage.Ready.class).worker());
        PoolMessage.Started started = read(new PoolMessage.Started(7, 123L).toBytes(), PoolMessage.Started.class);
        assertEquals(7, started.worker());
        assertEquals(123L, started.taskId());
        PoolMessage.Died died = read(new PoolMessage.Died(7, -9).toBytes(), PoolMessage.Died.class);
        assertEquals(7, died.worker());
        assertEquals(-9, died.exitCode());
    }

    @Test
    void aCallOfOneArgumentCarriesEachItem() {
        List<Object> items = List.of(1, -2L, "three", 4.5, new byte[] {5}, Integer.MIN_VALUE, Long.MAX_VALUE);
        CallBuilder b = new CallBuilder(11, 3, 1, 2);
        for (Object item : items) {
            b.add(item, WHAT);
        }
        assertEquals(items.size(), b.items());
        PoolMessage.Call call = read(b.build(), PoolMessage.Call.class);
        assertEquals(11, call.taskId());
        assertEquals(3, call.functionId());
        assertEquals(1, call.arity());
        assertEquals(items.size(), call.items());
        for (int k = 0; k < items.size(); k++) {
            assertItem(items.get(k), call.arguments(), k);
        }
    }

    @Test
    void aCallOfPairsCarriesBothArgumentsOfEachItem() {
        CallBuilder b = new CallBuilder(12, 4, 2, 1);
        b.addPair(1, "one", WHAT);
        b.addPair(2L, null, WHAT);
        PoolMessage.Call call = read(b.build(), PoolMessage.Call.class);
        assertEquals(2, call.arity());
        assertEquals(2, call.items());
        assertItem(1, call.arguments(), 0);
        assertItem("one", call.arguments(), 1);
        assertItem(2L, call.arguments(), 2);
        assertItem(null, call.arguments(), 3);
    }

    @Test
    void aPairWithAnArgumentThatCannotBeEncodedAddsNeither() {
        CallBuilder b = new CallBuilder(13, 4, 2, 1);
        b.addPair(1, 2, WHAT);
        Object notSerializable = new Object();
        assertThrows(IllegalArgumentException.class, () -> b.addPair("kept out", notSerializable, WHAT));
        b.addPair(3, 4, WHAT);
        PoolMessage.Call call = read(b.build(), PoolMessage.Call.class);
        assertEquals(2, call.items());
        assertItem(3, call.arguments(), 2);
        assertItem(4, call.arguments(), 3);
    }

    @Test
    void aCallRefusesItemsOfTheWrongArity() {
        assertThrows(IllegalStateException.class, () -> new CallBuilder(1, 1, 2, 1).add(1, WHAT));
        assertThrows(IllegalStateException.class, () -> new CallBuilder(1, 1, 1, 1).addPair(1, 2, WHAT));
        assertThrows(IllegalArgumentException.class, () -> new CallBuilder(1, 1, 3, 1));
    }

    @Test
    void aDoneCarriesResultsAndFailuresInOrder() {
        byte[] throwable = {1, 2, 3, 4};
        byte[] message = new DoneBuilder(5, 77, 4).ok(10).threw(throwable).ok("ten").ok(10L).build();
        PoolMessage.Done done = read(message, PoolMessage.Done.class);
        assertEquals(5, done.worker());
        assertEquals(77, done.taskId());
        PoolMessage.Fields outcomes = done.outcomes();
        assertEquals(4, outcomes.size());
        assertEquals(Wire.OK, outcomes.status(0));
        assertItem(10, outcomes, 0);
        assertEquals(Wire.THREW, outcomes.status(1));
        assertArrayEquals(throwable, outcomes.copy(1));
        assertItem("ten", outcomes, 2);
        assertItem(10L, outcomes, 3);
    }

    @Test
    void aResultWrittenInPlaceIsTheSameAsAnEncodedOne() {
        for (Object result : new Object[] {0, -1, Integer.MAX_VALUE, 0L, Long.MIN_VALUE}) {
            PoolMessage.Fields inPlace = read(new DoneBuilder(1, 1, 1).ok(result).build(), PoolMessage.Done.class)
                    .outcomes();
            assertArrayEquals(ItemCodec.encodeEmbedded(result, WHAT), inPlace.copy(0), String.valueOf(result));
        }
    }

    @Test
    void aResultThatCannotBeEncodedLeavesTheDoneAsItWas() {
        DoneBuilder b = new DoneBuilder(1, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> b.ok(new Object()));
        PoolMessage.Done done = read(b.threw(new byte[] {1}).build(), PoolMessage.Done.class);
        assertEquals(Wire.THREW, done.outcomes().status(0));
    }

    @Test
    void aDoneWithMoreOrFewerOutcomesThanItsCountIsNotBuilt() {
        assertThrows(IllegalStateException.class, () -> new DoneBuilder(1, 2, 2).ok(1).build());
        assertThrows(IllegalStateException.class, () -> new DoneBuilder(1, 2, 0).ok(1).build());
    }

    @Test
    void theInitializersFailureIsADoneOfTheInitializerTask() {
        PoolMessage.Done done = read(DoneBuilder.initializerFailed(3, new byte[] {6}), PoolMessage.Done.class);
        assertEquals(Wire.INITIALIZER_TASK, done.taskId());
        assertEquals(Wire.THREW, done.outcomes().status(0));
        assertArrayEquals(new byte[] {6}, done.outcomes().copy(0));
    }

    @Test
    void everyMessageCutShortIsRefusedNamingWhatIsMissing() {
        for (byte[] whole : everyKind()) {
            for (int length = 1; length < whole.length; length++) {
                byte[] cut = Arrays.copyOf(whole, length);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PoolMessage.read(cut),
                        "op " + whole[0] + " cut to " + length + " bytes");
                assertTrue(e.getMessage().startsWith("malformed pool "), e.getMessage());
            }
        }
    }

    @Test
    void bytesAfterTheLastFieldAreRefused() {
        for (byte[] whole : everyKind()) {
            byte[] longer = Arrays.copyOf(whole, whole.length + 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PoolMessage.read(longer));
            assertTrue(e.getMessage().contains("1 bytes left over"), e.getMessage());
        }
    }

    @Test
    void garbageIsRefusedClearly() {
        assertMalformed(new byte[0], "empty");
        assertMalformed(new byte[] {99, 0, 0}, "unknown op 99");
        // A DEFINE whose code has a negative length.
        assertMalformed(new Wire.Writer(16).u8(Wire.DEFINE).i32(1).i32(-5).toBytes(), "negative length -5");
        // A CALL that claims far more items than its bytes could hold: refused before anything that size is made.
        assertMalformed(new Wire.Writer(32).u8(Wire.CALL).i64(1).i32(1).i32(1).i32(Integer.MAX_VALUE).toBytes(),
                "does not fit");
        assertMalformed(new Wire.Writer(32).u8(Wire.CALL).i64(1).i32(1).i32(7).i32(0).toBytes(), "arity 7");
        assertMalformed(new Wire.Writer(32).u8(Wire.DONE).i32(1).i64(1).i32(-1).toBytes(), "count -1");
        assertMalformed(new Wire.Writer(32).u8(Wire.DONE).i32(1).i64(1).i32(1).u8((byte) 5).bytes(new byte[0])
                .toBytes(), "status 0 is 5");
    }

    @Test
    void onlyCallAndRunCountAsTasksLeftInAnInbox() {
        for (byte[] m : everyKind()) {
            assertEquals(m[0] == Wire.CALL || m[0] == Wire.RUN, Wire.isTask(m), "op " + m[0]);
        }
        assertEquals(false, Wire.isTask(new byte[0]));
    }

    private static List<byte[]> everyKind() {
        List<byte[]> all = new ArrayList<>();
        all.add(new PoolMessage.Define(1, new byte[] {1, 2}).toBytes());
        all.add(new PoolMessage.Forget(1).toBytes());
        CallBuilder call = new CallBuilder(1, 1, 2, 1);
        call.addPair("a", 2, WHAT);
        all.add(call.build());
        all.add(new PoolMessage.Run(1, new byte[] {3}).toBytes());
        all.add(new PoolMessage.Stop().toBytes());
        all.add(new DoneBuilder(1, 1, 2).ok("x").threw(new byte[] {4}).build());
        all.add(new PoolMessage.Ready(1).toBytes());
        all.add(new PoolMessage.Started(1, 2).toBytes());
        all.add(new PoolMessage.Died(1, 2).toBytes());
        return all;
    }

    private static <T extends PoolMessage> T read(byte[] message, Class<T> kind) {
        return assertInstanceOf(kind, PoolMessage.read(message));
    }

    private static void assertItem(Object expected, PoolMessage.Fields fields, int k) {
        Object actual = ItemCodec.decodeEmbedded(fields.message(), fields.at(k), fields.length(k));
        if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual);
        } else {
            assertEquals(expected, actual);
        }
    }

    private static void assertMalformed(byte[] message, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PoolMessage.read(message));
        assertTrue(e.getMessage().startsWith("malformed pool ") && e.getMessage().contains(part), e.getMessage());
    }
}
