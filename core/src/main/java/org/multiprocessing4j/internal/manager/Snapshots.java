package org.multiprocessing4j.internal.manager;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.stream.BaseStream;
import java.util.stream.Stream;

/**
 * Results that are views of the object in the server (a map's {@code keySet()}, a list's
 * {@code iterator()}, a {@code stream()}) travel as copies taken during the call: in the server
 * {@link #byValue} copies them into plain collections, and in the caller {@link #restore} gives
 * back the type the method declares, over the copy. The copies are unmodifiable, so that a
 * change that could not reach the server fails loudly rather than being lost.
 */
final class Snapshots {
    private Snapshots() {
    }

    /** In the server: a copy of {@code result} that can travel, if it is a view. */
    static Object byValue(Object result, Class<?> declared) {
        if (result == null) {
            return null;
        }
        if (result instanceof ListIterator<?> li) {
            // listIterator(index): the whole list and where the cursor stood, so that
            // nextIndex() and previous() answer as they would in the server.
            int position = li.nextIndex();
            while (li.hasPrevious()) {
                li.previous();
            }
            List<Object> copy = new ArrayList<>();
            li.forEachRemaining(e -> copy.add(entry(e)));
            return new PositionedList(copy, position);
        }
        if (result instanceof Iterator<?> it) {
            List<Object> copy = new ArrayList<>();
            it.forEachRemaining(e -> copy.add(entry(e)));
            return copy;
        }
        if (result instanceof Spliterator<?> s) {
            List<Object> copy = new ArrayList<>();
            s.forEachRemaining(e -> copy.add(entry(e)));
            return copy;
        }
        if (result instanceof BaseStream<?, ?> s) {
            List<Object> copy = new ArrayList<>();
            s.iterator().forEachRemaining(e -> copy.add(entry(e)));
            return copy;
        }
        if (result instanceof Map.Entry<?, ?> e) {
            return entry(e);
        }
        if (!isView(result)) {
            return result;
        }
        if (Set.class.isAssignableFrom(declared) && result instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            for (Object e : set) {
                copy.add(entry(e));
            }
            // Unmodifiable: a change to a copy of a view would be lost without a word.
            return Collections.unmodifiableSet(copy);
        }
        if (Collection.class.isAssignableFrom(declared) && result instanceof Collection<?> c) {
            List<Object> copy = new ArrayList<>(c.size());
            for (Object e : c) {
                copy.add(entry(e));
            }
            return Collections.unmodifiableList(copy);
        }
        return result;
    }

    /**
     * Whether a collection is (likely) a view of something larger: not serializable, or of a
     * nested class ({@code ConcurrentHashMap.KeySetView}, {@code ArrayList.SubList}, the
     * {@code Collections} wrappers). A plain {@code ArrayList} or {@code TreeSet} travels as it is.
     */
    private static boolean isView(Object result) {
        return !(result instanceof java.io.Serializable) || result.getClass().getEnclosingClass() != null;
    }

    private static Object entry(Object e) {
        return e instanceof Map.Entry<?, ?> entry && !(e instanceof AbstractMap.SimpleImmutableEntry)
                ? new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue()) : e;
    }

    /** In the caller: the declared type over a copy made by {@link #byValue}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object restore(Object result, Class<?> declared) {
        if (result instanceof PositionedList p) {
            return Collections.unmodifiableList(p.elements()).listIterator(p.position());
        }
        if (!(result instanceof List<?>) || List.class.isAssignableFrom(declared)) {
            return result;
        }
        List copy = Collections.unmodifiableList((List) result);
        if (declared == Iterator.class) {
            return copy.iterator();
        }
        if (declared == ListIterator.class) {
            return copy.listIterator();
        }
        if (declared == Spliterator.class) {
            return copy.spliterator();
        }
        if (declared == Stream.class) {
            return copy.stream();
        }
        return result;
    }

    /** A list iterator's copy: every element, and the index of the one {@code next()} returns. */
    record PositionedList(List<Object> elements, int position) implements java.io.Serializable {
    }
}
