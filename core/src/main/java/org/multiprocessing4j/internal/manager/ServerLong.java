package org.multiprocessing4j.internal.manager;

import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.LongValue;

/** The object behind a manager's {@code sharedLong(v)}: an {@link AtomicLong} in the server. */
final class ServerLong implements LongValue {
    private final AtomicLong value = new AtomicLong();

    @Override
    public long get() {
        return value.get();
    }

    @Override
    public void set(long v) {
        value.set(v);
    }

    @Override
    public long getAndSet(long v) {
        return value.getAndSet(v);
    }

    @Override
    public boolean compareAndSet(long expected, long v) {
        return value.compareAndSet(expected, v);
    }

    @Override
    public long getAndAdd(long delta) {
        return value.getAndAdd(delta);
    }

    @Override
    public long addAndGet(long delta) {
        return value.addAndGet(delta);
    }

    @Override
    public long incrementAndGet() {
        return value.incrementAndGet();
    }

    @Override
    public long decrementAndGet() {
        return value.decrementAndGet();
    }

    @Override
    public long getAndIncrement() {
        return value.getAndIncrement();
    }

    @Override
    public long getAndDecrement() {
        return value.getAndDecrement();
    }

    @Override
    public String toString() {
        return Long.toString(value.get());
    }
}
