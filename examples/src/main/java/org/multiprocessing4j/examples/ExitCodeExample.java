package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.SerializableRunnable;

/**
 * Exit codes: 0 when {@code run()} returns, {@code n} after {@code System.exit(n)}, 1 after an
 * uncaught exception (reported on the child's standard error under {@code Process raises:}),
 * and {@code -N} after signal N. Port of {@code multiprocessing_exitcode.py}.
 *
 * <p>Prints {@code Starting process for <name>} five times, then
 * <pre>
 * exit_error.exitcode = 1
 * exit_ok.exitcode = 0
 * return_value.exitcode = 0
 * raises.exitcode = 1
 * terminated.exitcode = -15
 * </pre>
 */
public final class ExitCodeExample {
    private ExitCodeExample() {
    }

    static void exitError() {
        System.exit(1);
    }

    static void exitOk() {
    }

    static int returnValue() {
        return 1; // a plain process has no result: the value is ignored
    }

    static void raises() {
        throw new RuntimeException("There was an error!");
    }

    static void terminated() {
        try {
            Thread.sleep(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, SerializableRunnable> targets = new LinkedHashMap<>();
        targets.put("exit_error", ExitCodeExample::exitError);
        targets.put("exit_ok", ExitCodeExample::exitOk);
        targets.put("return_value", ExitCodeExample::returnValue);
        targets.put("raises", ExitCodeExample::raises);
        targets.put("terminated", ExitCodeExample::terminated);

        List<JvmProcess> jobs = new ArrayList<>();
        for (Map.Entry<String, SerializableRunnable> target : targets.entrySet()) {
            System.out.println("Starting process for " + target.getKey());
            JvmProcess j = new JvmProcess(target.getKey(), target.getValue());
            jobs.add(j);
            j.start();
        }

        jobs.get(jobs.size() - 1).terminate();

        for (JvmProcess j : jobs) {
            j.join();
            System.out.println(j.getName() + ".exitcode = " + j.exitCode().getAsInt());
        }
    }
}
