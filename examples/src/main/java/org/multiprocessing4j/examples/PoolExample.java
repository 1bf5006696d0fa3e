package org.multiprocessing4j.examples;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;

/**
 * A pool of worker processes with an initializer, mapping a function over a list. Port of
 * {@code multiprocessing_pool.py}.
 *
 * <p>Prints the input, the result of an ordinary map, one {@code Starting PoolWorker-…} line per
 * worker (in any order; the pool has {@code cpuCount() * 2} workers), and the pool's result,
 * which is in the order of the input.
 */
public final class PoolExample {
    private PoolExample() {
    }

    static int doCalculation(int data) {
        return data * 2;
    }

    static void startProcess() {
        System.out.println("Starting " + Multiprocessing.currentProcess().getName());
    }

    public static void main(String[] args) throws InterruptedException {
        List<Integer> inputs = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        System.out.println("Input   : " + inputs);

        List<Integer> builtinOutputs = inputs.stream().map(PoolExample::doCalculation).collect(Collectors.toList());
        System.out.println("Built-in: " + builtinOutputs);

        int poolSize = Multiprocessing.cpuCount() * 2;
        ProcessPool pool = Multiprocessing.getContext().poolBuilder()
                .processes(poolSize)
                .initializer(PoolExample::startProcess)
                .build();
        List<Integer> poolOutputs = pool.map(PoolExample::doCalculation, inputs);
        pool.shutdown(); // no more tasks (Python's pool.close())
        pool.join(); // wrap up current tasks
        System.out.println("Pool    : " + poolOutputs);
    }
}
