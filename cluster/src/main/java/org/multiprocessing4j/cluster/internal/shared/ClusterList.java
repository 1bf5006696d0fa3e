package org.multiprocessing4j.cluster.internal.shared;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.multiprocessing4j.spi.SharedObjects;

/**
 * A {@code List} whose elements live in a cluster (a Hazelcast {@code IList} of encoded
 * elements, which lives in one partition with one backup). Every method is one atomic call;
 * iteration, {@code toArray} and {@code subList} work on a copy taken by one call, as Python's
 * manager list gives copies.
 *
 * @param <E> the elements
 */
public final class ClusterList<E> extends AbstractList<E> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String cluster;
    private final String list;
    private transient volatile Ops ops;

    ClusterList(String cluster, String id) {
        this.cluster = cluster;
        this.list = Names.LIST_PREFIX + id;
    }

    private Object call(int code, int index, Object element) {
        Ops o = ops;
        if (o == null) {
            o = Access.of(cluster);
            ops = o;
        }
        byte[] bytes = element == null ? null : SharedObjects.encodeItem(element, "an element of a list");
        try {
            return o.call(new ListOp(code, list, index, bytes));
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().contains("IndexOutOfBoundsException")) {
                throw new IndexOutOfBoundsException("index " + index + " is out of the list's bounds");
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(Object bytes) {
        return bytes == null ? null : (T) SharedObjects.decodeItem((byte[]) bytes);
    }

    @Override
    public E get(int index) {
        return decode(call(ListOp.GET, index, null));
    }

    @Override
    public E set(int index, E element) {
        return decode(call(ListOp.SET, index, Objects.requireNonNull(element, "element")));
    }

    @Override
    public boolean add(E element) {
        return (Boolean) call(ListOp.ADD, 0, Objects.requireNonNull(element, "element"));
    }

    @Override
    public void add(int index, E element) {
        call(ListOp.ADD_AT, index, Objects.requireNonNull(element, "element"));
    }

    @Override
    public E remove(int index) {
        return decode(call(ListOp.REMOVE_AT, index, null));
    }

    @Override
    public boolean remove(Object element) {
        return element != null && (Boolean) call(ListOp.REMOVE, 0, element);
    }

    @Override
    public int indexOf(Object element) {
        return element == null ? -1 : (Integer) call(ListOp.INDEX_OF, 0, element);
    }

    @Override
    public int lastIndexOf(Object element) {
        return element == null ? -1 : (Integer) call(ListOp.LAST_INDEX_OF, 0, element);
    }

    @Override
    public boolean contains(Object element) {
        return indexOf(element) >= 0;
    }

    @Override
    public int size() {
        return (Integer) call(ListOp.SIZE, 0, null);
    }

    @Override
    public void clear() {
        call(ListOp.CLEAR, 0, null);
    }

    /** A copy of the elements, taken by one call. */
    private List<E> snapshot() {
        @SuppressWarnings("unchecked")
        List<byte[]> all = (List<byte[]>) call(ListOp.ALL, 0, null);
        List<E> copy = new ArrayList<>(all.size());
        for (byte[] b : all) {
            copy.add(decode(b));
        }
        return copy;
    }

    @Override
    public Iterator<E> iterator() {
        return java.util.Collections.unmodifiableList(snapshot()).iterator();
    }

    @Override
    public Object[] toArray() {
        return snapshot().toArray();
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return snapshot().toArray(a);
    }

    @Override
    public List<E> subList(int from, int to) {
        return snapshot().subList(from, to);
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
