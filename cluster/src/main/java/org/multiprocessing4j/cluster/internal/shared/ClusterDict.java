package org.multiprocessing4j.cluster.internal.shared;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import org.multiprocessing4j.spi.SharedObjects;

/**
 * A {@code ConcurrentMap} whose entries live in a cluster (a Hazelcast {@code IMap} of encoded
 * keys and values). Every method is one atomic call where the entry lives; {@code compute},
 * {@code merge} and their kin are the {@code ConcurrentMap} defaults, built on
 * {@code putIfAbsent}, {@code replace(k, old, new)} and {@code remove(k, v)}, so they are atomic
 * too (the function may run more than once if another process changes the entry meanwhile). Keys
 * are compared by their encoded form, as Hazelcast compares keys: use keys whose equal values
 * encode alike (strings, numbers, records of those). {@code keySet()}, {@code values()} and
 * {@code entrySet()} are copies taken by one call, as Python's {@code keys()} of a manager's dict.
 *
 * @param <K> the keys
 * @param <V> the values
 */
public final class ClusterDict<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String cluster;
    private final String id;
    private final String map;
    private transient volatile Ops ops;

    ClusterDict(String cluster, String id) {
        this.cluster = cluster;
        this.id = id;
        this.map = Names.DICT_PREFIX + id;
    }

    private Object call(int code, Object key, Object value, Object other) {
        Ops o = ops;
        if (o == null) {
            o = Access.of(cluster);
            ops = o;
        }
        return o.call(new DictOp(code, map, encode(key, "a key of a dict"), encode(value, "a value of a dict"),
                encode(other, "a value of a dict")));
    }

    private static byte[] encode(Object o, String what) {
        return o == null ? null : SharedObjects.encodeItem(o, what);
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(Object bytes) {
        return bytes == null ? null : (T) SharedObjects.decodeItem((byte[]) bytes);
    }

    private static Object key(Object key) {
        return Objects.requireNonNull(key, "key");
    }

    @Override
    public V get(Object key) {
        return decode(call(DictOp.GET, key(key), null, null));
    }

    @Override
    public V put(K key, V value) {
        return decode(call(DictOp.PUT, key(key), Objects.requireNonNull(value, "value"), null));
    }

    @Override
    public V remove(Object key) {
        return decode(call(DictOp.REMOVE, key(key), null, null));
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return decode(call(DictOp.PUT_IF_ABSENT, key(key), Objects.requireNonNull(value, "value"), null));
    }

    @Override
    public V replace(K key, V value) {
        return decode(call(DictOp.REPLACE, key(key), Objects.requireNonNull(value, "value"), null));
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return (Boolean) call(DictOp.REPLACE_IF, key(key), Objects.requireNonNull(oldValue, "oldValue"),
                Objects.requireNonNull(newValue, "newValue"));
    }

    @Override
    public boolean remove(Object key, Object value) {
        return value != null && (Boolean) call(DictOp.REMOVE_IF, key(key), value, null);
    }

    @Override
    public int size() {
        return (Integer) call(DictOp.SIZE, null, null, null);
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return (Boolean) call(DictOp.CONTAINS_KEY, key(key), null, null);
    }

    @Override
    public boolean containsValue(Object value) {
        return (Boolean) call(DictOp.CONTAINS_VALUE, null, Objects.requireNonNull(value, "value"), null);
    }

    @Override
    public void clear() {
        call(DictOp.CLEAR, null, null, null);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            call(DictOp.SET, key(e.getKey()), Objects.requireNonNull(e.getValue(), "value"), null);
        }
    }

    /** A copy of the entries, taken by one call. */
    private Map<K, V> snapshot() {
        @SuppressWarnings("unchecked")
        List<byte[]> all = (List<byte[]>) call(DictOp.ENTRIES, null, null, null);
        Map<K, V> copy = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i += 2) {
            copy.put(decode(all.get(i)), decode(all.get(i + 1)));
        }
        return copy;
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return Collections.unmodifiableSet(snapshot().entrySet());
    }

    @Override
    public Set<K> keySet() {
        return Collections.unmodifiableSet(snapshot().keySet());
    }

    @Override
    public Collection<V> values() {
        return Collections.unmodifiableList(new ArrayList<>(snapshot().values()));
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
