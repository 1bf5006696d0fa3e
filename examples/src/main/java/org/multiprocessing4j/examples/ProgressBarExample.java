package org.multiprocessing4j.examples;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ResultIterator;
import org.multiprocessing4j.TaskFailedException;
import org.multiprocessing4j.TaskProgress;

/**
 * Watching a long {@code imapUnordered}: a live progress bar in the terminal, redrawn in place
 * with a carriage return, counting completed and failed items of the total.
 *
 * <p>Every 25th item fails on purpose, to show failures counted as they happen; iteration goes
 * on after each. Ends with a line such as
 * {@code [########################################] 100% 200/200, 8 failed}.
 */
public final class ProgressBarExample {
    private static final int WIDTH = 40;

    private ProgressBarExample() {
    }

    /** Some work that takes a few milliseconds, and fails now and then. */
    static int work(int item) {
        try {
            Thread.sleep(5 + item % 7);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (item % 25 == 24) {
            throw new IllegalArgumentException("item " + item + " is bad");
        }
        return item * item;
    }

    static String bar(TaskProgress p) {
        int filled = (int) Math.round(p.fraction() * WIDTH);
        return "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + String.format("%3d%% %d/%s, %d failed", Math.round(p.fraction() * 100), p.completed(),
                        p.total() < 0 ? "?" : String.valueOf(p.total()), p.failed());
    }

    public static void main(String[] args) {
        List<Integer> items = IntStream.range(0, 200).boxed().collect(Collectors.toList());
        long sum = 0;
        try (ProcessPool pool = ProcessPool.create(2)) {
            ResultIterator<Integer> results = pool.imapUnordered(ProgressBarExample::work, items);
            while (results.hasNext()) {
                try {
                    sum += results.next();
                } catch (TaskFailedException e) {
                    // Counted in the progress; a real program would log e.getCause().
                }
                System.out.print("\r" + bar(results.progress()));
                System.out.flush();
            }
            System.out.println("\r" + bar(results.progress()));
        }
        System.out.println("sum of squares of the good items: " + sum);
    }
}
