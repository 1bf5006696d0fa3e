package org.multiprocessing4j.examples;

import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessManager;

/**
 * A manager that serves an object of the program's own class: {@link ProcessManager.Builder#register}.
 * The example of Python's documentation, "Customized managers":
 *
 * <pre>
 * class MathsClass:
 *     def add(self, x, y):
 *         return x + y
 *     def mul(self, x, y):
 *         return x * y
 *
 * MyManager.register('Maths', MathsClass)
 *
 * with MyManager() as manager:
 *     maths = manager.Maths()
 *     print(maths.add(4, 3))         # prints 7
 *     print(maths.mul(7, 8))         # prints 56
 * </pre>
 *
 * <p>A proxy implements an interface, so the class is registered under one. The parent calls
 * the object in the server, then a child calls the same object through the proxy its target
 * captured. Prints {@code 7}, {@code 56} and {@code Process-2: add(4, 3) = 7, mul(7, 8) = 56}
 * (the manager's server was the first process created, as in Python).
 */
public final class CustomManagerExample {
    private CustomManagerExample() {
    }

    /** What the proxies offer. */
    interface Maths {
        int add(int x, int y);

        int mul(int x, int y);
    }

    /** Made and called only in the manager's server. */
    static final class MathsImpl implements Maths {
        @Override
        public int add(int x, int y) {
            return x + y;
        }

        @Override
        public int mul(int x, int y) {
            return x * y;
        }
    }

    static void useFromChild(Maths maths) {
        System.out.println(Multiprocessing.currentProcess().getName() + ": add(4, 3) = " + maths.add(4, 3)
                + ", mul(7, 8) = " + maths.mul(7, 8));
    }

    public static void main(String[] args) throws InterruptedException {
        try (ProcessManager manager = ProcessManager.builder().register("maths", Maths.class, MathsImpl::new)
                .start()) {
            Maths maths = manager.create("maths", Maths.class);
            System.out.println(maths.add(4, 3)); // prints 7
            System.out.println(maths.mul(7, 8)); // prints 56

            JvmProcess p = new JvmProcess(() -> useFromChild(maths));
            p.start();
            p.join();
        }
    }
}
