package org.multiprocessing4j.internal.manager;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The methods of a proxied interface, numbered the same way in every JVM: its public non-static
 * methods (inherited ones included, one per name and descriptor) and {@code toString()}, sorted
 * by name then descriptor. A call travels as its index in this table, not as a name.
 */
final class MethodTable {
    private static final ClassValue<MethodTable> TABLES = new ClassValue<>() {
        @Override
        protected MethodTable computeValue(Class<?> type) {
            return new MethodTable(type);
        }
    };
    private static final String TO_STRING = "toString()Ljava/lang/String;";
    private static final String EQUALS = "equals(Ljava/lang/Object;)Z";
    private static final String HASH_CODE = "hashCode()I";

    private final Method[] methods;
    private final Map<String, Integer> byKey;
    /** Proxies hand over the same Method objects every time: a cheap cache of their index. */
    private final Map<Method, Integer> byMethod = new ConcurrentHashMap<>();

    private MethodTable(Class<?> iface) {
        Map<String, Method> unique = new LinkedHashMap<>();
        for (Method m : iface.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers())) {
                unique.putIfAbsent(key(m), m);
            }
        }
        try {
            unique.putIfAbsent(TO_STRING, Object.class.getMethod("toString"));
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        List<String> keys = new ArrayList<>(unique.keySet());
        keys.sort(Comparator.naturalOrder());
        methods = new Method[keys.size()];
        byKey = new LinkedHashMap<>();
        for (int i = 0; i < methods.length; i++) {
            methods[i] = unique.get(keys.get(i));
            byKey.put(keys.get(i), i);
            try {
                methods[i].setAccessible(true); // a public method of a non-public interface
            } catch (RuntimeException notOpen) {
                // Invocation will report it.
            }
        }
    }

    static MethodTable of(Class<?> iface) {
        return TABLES.get(iface);
    }

    private static String key(Method m) {
        return m.getName() + MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
    }

    /** The index of {@code m}, or -1 if the interface does not have it. */
    int indexOf(Method m) {
        Integer i = byMethod.get(m);
        if (i == null) {
            i = byKey.getOrDefault(key(m), -1);
            byMethod.put(m, i);
        }
        return i;
    }

    /** Whether the interface declares {@code equals} and {@code hashCode} (value semantics, as Map and List). */
    boolean comparesByValue() {
        return byKey.containsKey(EQUALS) && byKey.containsKey(HASH_CODE);
    }

    /** The method at {@code index}. */
    Method method(int index) {
        if (index < 0 || index >= methods.length) {
            throw new IllegalArgumentException("no method " + index + " in a table of " + methods.length);
        }
        return methods[index];
    }
}
