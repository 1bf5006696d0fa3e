package org.multiprocessing4j.spi;

/**
 * Where the elements of a shared array live ({@link org.multiprocessing4j.SharedLongArray},
 * {@link org.multiprocessing4j.SharedIntArray}, {@link org.multiprocessing4j.SharedDoubleArray},
 * {@link org.multiprocessing4j.SharedByteArray}). The facade checks indexes; every single-element
 * method is atomic.
 */
public interface ArrayStore {
    /** The number of elements. */
    int length();

    long getLong(int i);

    void setLong(int i, long v);

    boolean compareAndSetLong(int i, long expected, long v);

    long getAndAddLong(int i, long delta);

    int getInt(int i);

    void setInt(int i, int v);

    boolean compareAndSetInt(int i, int expected, int v);

    int getAndAddInt(int i, int delta);

    double getDouble(int i);

    void setDouble(int i, double v);

    boolean compareAndSetDouble(int i, double expected, double v);

    byte getByte(int i);

    void setByte(int i, byte v);

    /** Copies {@code count} bytes from index {@code from} into {@code dst} at {@code offset}. */
    void getBytes(int from, byte[] dst, int offset, int count);

    /** Copies {@code count} bytes of {@code src} from {@code offset} to index {@code to}. */
    void setBytes(int to, byte[] src, int offset, int count);

    /** The reentrant lock that goes with the array ({@code getLock()}). */
    LockStore lock();

    /** The serial form of this store. */
    StoreHandle<ArrayStore> handle();
}
