package org.multiprocessing4j.spi;

/**
 * Where a {@link org.multiprocessing4j.SharedLong}, {@link org.multiprocessing4j.SharedInt} or
 * {@link org.multiprocessing4j.SharedDouble} keeps its 64 bits (an int uses the low 32, a double
 * its raw long bits). Every method is atomic.
 */
public interface ValueStore {
    long getLong();

    void setLong(long value);

    long getAndSetLong(long value);

    boolean compareAndSetLong(long expected, long value);

    long getAndAddLong(long delta);

    int getInt();

    void setInt(int value);

    int getAndSetInt(int value);

    boolean compareAndSetInt(int expected, int value);

    int getAndAddInt(int delta);

    /** The reentrant lock that goes with the value ({@code getLock()}), as Python's {@code Value}. */
    LockStore lock();

    /** The serial form of this store. */
    StoreHandle<ValueStore> handle();
}
