package org.multiprocessing4j.benchmarks.jmh;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.ItemCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The codecs on a small object: the default codec (JDK serialization) on a record, and the
 * queue's item codec on a String (its own form) and on the record (serialized).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    /** A small object as applications send them. */
    public record Point(int x, int y, String name) implements Serializable {
    }

    private final Codec codec = Codec.defaultCodec();
    private final Point point = new Point(3, 4, "p");
    private byte[] encoded;
    private byte[] encodedItem;

    @Setup
    public void encodeOnce() {
        encoded = codec.encode(point, "a point");
        ItemCodec.Encoded e = ItemCodec.encode(point, "a point");
        encodedItem = Arrays.copyOf(e.bytes, e.length);
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(point, "a point");
    }

    @Benchmark
    public Object decode() throws IOException, ClassNotFoundException {
        return codec.decode(encoded);
    }

    @Benchmark
    public Object itemRoundTripString() {
        ItemCodec.Encoded e = ItemCodec.encode("hello world", "a string");
        return ItemCodec.decode(e.length == e.bytes.length ? e.bytes : Arrays.copyOf(e.bytes, e.length),
                e.raw);
    }

    @Benchmark
    public Object itemDecodeRecord() {
        return ItemCodec.decode(encodedItem, false);
    }
}
