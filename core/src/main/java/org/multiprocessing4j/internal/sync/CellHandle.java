package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import org.multiprocessing4j.spi.StoreHandle;

// A plain class, not a record: a fresh JVM deserializes a record through method handles (see
// SegmentId), and every child attaches the handles its target captured as it starts.

/**
 * The serial form of a cell: its segment and the type of what the segment holds, attached in
 * the receiving process as the same cell. For the lock beside a value or an array, the value's
 * or array's segment, marked {@code lockBeside}.
 *
 * @param <S> the store the cell is
 */
final class CellHandle<S> implements StoreHandle<S> {
    private static final long serialVersionUID = 1L;
    private final Serializable segment;
    private final int type;
    private final boolean lockBeside;

    CellHandle(Serializable segment, int type, boolean lockBeside) {
        this.segment = segment;
        this.type = type;
        this.lockBeside = lockBeside;
    }

    @Override
    @SuppressWarnings("unchecked")
    public S attach() {
        return (S) attachCell();
    }

    private Object attachCell() {
        switch (type) {
            case SyncLayout.TYPE_LOCK:
                return LockCell.attach(segment, false);
            case SyncLayout.TYPE_REENTRANT_LOCK:
                return LockCell.attach(segment, true);
            case SyncLayout.TYPE_SEMAPHORE:
                return SemaphoreCell.attach(segment);
            case SyncLayout.TYPE_EVENT:
                return EventCell.attach(segment);
            case SyncLayout.TYPE_BARRIER:
                return BarrierCell.attach(segment);
            case SyncLayout.TYPE_VALUE:
                ValueCell value = ValueCell.attach(segment);
                return lockBeside ? value.lock() : value;
            case SyncLayout.TYPE_ARRAY:
                ArrayCell array = ArrayCell.attach(segment);
                return lockBeside ? array.lock() : array;
            default:
                throw new IllegalStateException("a handle to a shared object of unknown type " + type);
        }
    }
}
