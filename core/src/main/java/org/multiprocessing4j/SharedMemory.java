package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.multiprocessing4j.internal.sync.MemoryCell;

/**
 * A block of raw shared memory, as Python's {@code multiprocessing.shared_memory.SharedMemory}:
 * a {@link ByteBuffer} that every process attached to it reads and writes. Bring your own
 * synchronization (a {@link ProcessLock}, say): the buffer's plain reads and writes are not
 * ordered between processes.
 *
 * <p>Memory consistency effects: none of its own. The buffer is plain memory: no access through
 * it is ordered with any other, in this JVM or another, and no atomicity is promised beyond
 * what the processor gives. Writes to it become visible to another process through the
 * synchronizers of this package, whose release and acquire sides order all memory, this
 * block included: writes made before {@code unlock()} of a {@link ProcessLock} are visible after
 * a subsequent {@code lock()} in any process, and likewise before a {@link ProcessQueue} put and
 * after the take of that item, before {@link ProcessEvent#set()} and after an {@code await}
 * that saw it, before a write of a {@link SharedInt} and after a read that returns it. Do not
 * wait for a change by reading the buffer in a loop: the compiler may hoist a plain read out of
 * it, and the loop would never end; wait on one of those synchronizers instead. The block's
 * bytes start on a page boundary, so a {@code VarHandle} from
 * {@link java.lang.invoke.MethodHandles#byteBufferViewVarHandle} over {@link #buffer()} can give
 * volatile and compare-and-set access at offsets aligned to the element size.
 *
 * <ul>
 * <li>{@link #create(int)} makes an unnamed block: passed to children by capture, and gone once
 *     every process using it has ended, even after SIGKILL.
 * <li>{@link #create(String, int)} makes a named one, which any process of this user can
 *     {@link #attach(String)}; as in Python it lives until {@link #unlink()}, in the user's
 *     private directory.
 * </ul>
 *
 * <p>{@link #close()} ends this handle's use of the block (as Python's {@code close()}): later
 * calls to {@link #buffer()} throw {@link IllegalStateException}; the memory is released when
 * the views made earlier are garbage-collected.
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient MemoryCell cell;
    private transient volatile boolean closed;

    private SharedMemory(MemoryCell cell) {
        this.cell = cell;
    }

    /**
     * Makes an unnamed block of {@code size} zero bytes.
     *
     * @throws IllegalArgumentException if {@code size} is less than 1 or more than about 2 GiB
     * @throws java.io.UncheckedIOException if the memory cannot be made
     */
    public static SharedMemory create(int size) {
        return new SharedMemory(MemoryCell.create(checkSize(size)));
    }

    /**
     * Makes a named block of {@code size} zero bytes.
     *
     * @param name 1 to 200 of {@code A-Z a-z 0-9 . _ -}, other than {@code .} and {@code ..}
     * @throws IllegalArgumentException if the name or size is not valid
     * @throws IllegalStateException if a block of that name exists (of this user)
     * @throws java.io.UncheckedIOException if the memory cannot be made
     */
    public static SharedMemory create(String name, int size) {
        return new SharedMemory(MemoryCell.createNamed(name, checkSize(size)));
    }

    /**
     * Attaches to the named block {@code name}, made by this or another process of this user.
     *
     * @throws IllegalArgumentException if the name is not valid
     * @throws IllegalStateException if there is no such block
     */
    public static SharedMemory attach(String name) {
        return new SharedMemory(MemoryCell.attachNamed(name));
    }

    private static int checkSize(int size) {
        if (size < 1 || size > Integer.MAX_VALUE - 4096) {
            throw new IllegalArgumentException("size must be between 1 and " + (Integer.MAX_VALUE - 4096) + ", not " + size);
        }
        return size;
    }

    /**
     * A view of the block: a new {@code ByteBuffer} whose position is 0 and whose limit and
     * capacity are {@link #size()}.
     *
     * @throws IllegalStateException if this handle is closed
     */
    public ByteBuffer buffer() {
        if (closed) {
            throw new IllegalStateException("this SharedMemory handle is closed");
        }
        return cell.view();
    }

    /** The size in bytes. */
    public int size() {
        return cell.size;
    }

    /** The name, for a named block. */
    public Optional<String> name() {
        return Optional.ofNullable(cell.name);
    }

    /** Ends this handle's use of the block; idempotent. Other handles and processes are unaffected. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cell.closedHere();
        }
    }

    /**
     * Removes the name of a named block, as Python's {@code unlink()}: no process can attach to it
     * any more, and its memory goes when every process using it has let go. Does nothing for an
     * unnamed block (its memory goes with its last user anyway).
     *
     * @return whether a name was removed
     */
    public boolean unlink() {
        return cell.unlink();
    }

    @Override
    public String toString() {
        return "SharedMemory[" + (cell.name != null ? "name=" + cell.name + ", " : "") + "size=" + cell.size
                + (closed ? ", closed" : "") + "]";
    }

    Object writeReplace() throws ObjectStreamException {
        if (closed) {
            throw new IllegalStateException("a closed SharedMemory handle cannot be sent");
        }
        return new Handle(cell.handle(), cell.name);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a SharedMemory travels as its handle");
    }

    private static final class Handle implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Serializable cell;
        private final String name;

        Handle(Serializable cell, String name) {
            this.cell = cell;
            this.name = name;
        }

        private Object readResolve() {
            return new SharedMemory(MemoryCell.attach(cell, name));
        }
    }
}
