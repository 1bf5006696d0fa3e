package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The handler behind every proxy: sends each call of the interface to the server as an index in
 * the interface's {@link MethodTable}. Serializable, so a proxy travels to any process of the
 * family as this small handle (manager, typeid, object id, interface) and reaches the server
 * from there through that process's own {@link ManagerClient}.
 *
 * <p>{@code toString()} runs in the server. {@code equals} and {@code hashCode} run there too if
 * the interface declares them (as {@code Map} and {@code List} do, comparing by value);
 * otherwise they compare identity: two proxies are equal when they stand for the same object of
 * the same manager.
 */
final class ProxyHandler implements InvocationHandler, Serializable {
    private static final long serialVersionUID = 1L;

    private final ManagerRef manager;
    private final String typeid;
    private final int id;
    private final Class<?> iface;
    private transient volatile ManagerClient client;
    private transient volatile MethodTable table;

    ProxyHandler(ManagerRef manager, String typeid, int id, Class<?> iface) {
        this.manager = manager;
        this.typeid = typeid;
        this.id = id;
        this.iface = iface;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        MethodTable t = table();
        if (method.getDeclaringClass() == Object.class && !t.comparesByValue()) {
            if (method.getName().equals("equals")) {
                return args[0] != null && Proxy.isProxyClass(args[0].getClass())
                        && Proxy.getInvocationHandler(args[0]) instanceof ProxyHandler other
                        && other.id == id && other.manager.key.equals(manager.key);
            }
            if (method.getName().equals("hashCode")) {
                return manager.key.hashCode() * 31 + id;
            }
        }
        int index = t.indexOf(method);
        if (index < 0) {
            throw new UnsupportedOperationException(method + " is not a method of " + iface.getName());
        }
        Object result = client().call(id, index, args, () -> iface.getSimpleName() + "." + method.getName() + " on "
                + typeid + " " + id + " of " + manager.describe());
        if (result instanceof ReturnedProxy returned) {
            // The object stayed in the server (a custom type's result of a registered interface).
            return ManagerClient.proxy(new ProxyHandler(manager, returned.typeid(), returned.id(), method.getReturnType()),
                    method.getReturnType());
        }
        return Snapshots.restore(result, method.getReturnType());
    }

    private MethodTable table() {
        MethodTable t = table;
        if (t == null) {
            t = MethodTable.of(iface);
            table = t;
        }
        return t;
    }

    private ManagerClient client() {
        ManagerClient c = client;
        if (c == null) {
            c = ManagerClient.of(manager);
            client = c;
        }
        return c;
    }
}
