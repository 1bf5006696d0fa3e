package org.multiprocessing4j.internal.codec;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Finds where, in a graph that failed to serialize, the object that is not serializable hangs,
 * so that the error can say {@code target -> captured value #0 of a lambda in Main -> field 'x'}
 * rather than just a class name. Walks fields the way serialization does (non-static,
 * non-transient), looks inside lambdas through their {@link SerializedLambda}, and inside
 * collections and maps through their elements. Only called on the error path.
 */
final class SerializationProbe {
    private static final int MAX_DEPTH = 64;
    private static final int MAX_VISITS = 100_000;

    private SerializationProbe() {
    }

    static String explain(Object root, Exception failure) {
        Finding f = find(root);
        if (f == null) {
            return failure.toString();
        }
        String className = describeClass(f.offender.getClass());
        StringBuilder msg = new StringBuilder().append(className).append(" is not serializable");
        if (!f.path.isEmpty()) {
            msg.append(" (found at ").append(f.path).append(')');
        }
        if (isLambda(f.offender.getClass())) {
            msg.append("; a lambda is serializable only when its target type is: type it as"
                    + " SerializableRunnable (or another Serializable functional interface)");
        } else if (f.path.endsWith("this$0'")) {
            msg.append("; an inner or anonymous class captures its enclosing instance:"
                    + " make it a static nested or top-level class");
        } else {
            msg.append("; make it implement java.io.Serializable, mark the field transient,"
                    + " or capture only what the child needs");
        }
        return msg.toString();
    }

    private static final class Finding {
        final Object offender;
        final String path;

        Finding(Object offender, String path) {
            this.offender = offender;
            this.path = path;
        }
    }

    private static Finding find(Object root) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, "", 0});
        int visits = 0;
        while (!stack.isEmpty() && visits++ < MAX_VISITS) {
            Object[] top = stack.pop();
            Object obj = top[0];
            String path = (String) top[1];
            int depth = (Integer) top[2];
            if (obj == null || seen.put(obj, Boolean.TRUE) != null || depth > MAX_DEPTH) {
                continue;
            }
            Class<?> c = obj.getClass();
            if (c.isPrimitive() || obj instanceof String || obj instanceof Number
                    || obj instanceof Boolean || obj instanceof Character || obj instanceof Class
                    || obj instanceof Enum) {
                continue;
            }
            if (!(obj instanceof Serializable)) {
                return new Finding(obj, path);
            }
            for (Object[] child : children(obj, path, depth + 1)) {
                stack.push(child);
            }
        }
        return null;
    }

    private static Deque<Object[]> children(Object obj, String path, int depth) {
        Deque<Object[]> out = new ArrayDeque<>();
        Class<?> c = obj.getClass();
        if (isLambda(c)) {
            SerializedLambda lambda = serializedForm(obj);
            if (lambda != null) {
                String where = "a lambda in " + lambda.getCapturingClass().replace('/', '.');
                for (int i = lambda.getCapturedArgCount() - 1; i >= 0; i--) {
                    out.push(new Object[] {lambda.getCapturedArg(i),
                            join(path, "captured value #" + i + " of " + where), depth});
                }
            }
            return out;
        }
        if (c.isArray()) {
            if (!c.getComponentType().isPrimitive()) {
                for (int i = Array.getLength(obj) - 1; i >= 0; i--) {
                    out.push(new Object[] {Array.get(obj, i), path + "[" + i + "]", depth});
                }
            }
            return out;
        }
        if (obj instanceof Collection && c.getName().startsWith("java.")) {
            int i = 0;
            for (Object element : (Collection<?>) obj) {
                out.addLast(new Object[] {element, join(path, "element #" + i++), depth});
            }
            return out;
        }
        if (obj instanceof Map && c.getName().startsWith("java.")) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) obj).entrySet()) {
                out.addLast(new Object[] {e.getKey(), join(path, "key " + e.getKey()), depth});
                out.addLast(new Object[] {e.getValue(), join(path, "value of key " + e.getKey()), depth});
            }
            return out;
        }
        for (Class<?> k = c; k != null && Serializable.class.isAssignableFrom(k); k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.getType().isPrimitive()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    out.addLast(new Object[] {f.get(obj),
                            join(path, "field '" + f.getName() + "'"), depth});
                } catch (RuntimeException | IllegalAccessException inaccessible) {
                    // A JDK class we may not look into: its own serialization is its business.
                }
            }
        }
        return out;
    }

    private static SerializedLambda serializedForm(Object lambda) {
        try {
            Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object form = writeReplace.invoke(lambda);
            return form instanceof SerializedLambda ? (SerializedLambda) form : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isLambda(Class<?> c) {
        return c.isSynthetic() && c.getName().contains("$$Lambda");
    }

    private static String describeClass(Class<?> c) {
        if (isLambda(c)) {
            String name = c.getName();
            return "a lambda of type " + interfacesOf(c) + " created in "
                    + name.substring(0, name.indexOf("$$Lambda"));
        }
        return c.getName();
    }

    private static String interfacesOf(Class<?> c) {
        Class<?>[] interfaces = c.getInterfaces();
        return interfaces.length == 0 ? "?" : interfaces[0].getName();
    }

    private static String join(String path, String step) {
        return path.isEmpty() ? step : path + " -> " + step;
    }
}
