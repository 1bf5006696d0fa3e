package org.multiprocessing4j.examples;

import java.util.Arrays;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.SharedDouble;
import org.multiprocessing4j.SharedIntArray;

/**
 * Sharing state between processes: a {@link SharedDouble} and a {@link SharedIntArray} in
 * shared memory, changed by a child and read by the parent. The example of Python's
 * documentation, "Sharing state between processes" ({@code Value('d')}, {@code Array('i')}).
 *
 * <p>Prints {@code 3.1415927} and {@code [0, -1, -2, -3, -4, -5, -6, -7, -8, -9]}.
 */
public final class SharedStateExample {
    private SharedStateExample() {
    }

    static void f(SharedDouble n, SharedIntArray a) {
        n.set(3.1415927);
        for (int i = 0; i < a.length(); i++) {
            a.set(i, -a.get(i));
        }
    }

    public static void main(String[] args) throws InterruptedException {
        SharedDouble num = SharedDouble.create(0.0);
        SharedIntArray arr = SharedIntArray.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        JvmProcess p = new JvmProcess(() -> f(num, arr));
        p.start();
        p.join();

        System.out.println(num.get());
        System.out.println(Arrays.toString(arr.toArray()));
    }
}
