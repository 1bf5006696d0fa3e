package org.multiprocessing4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name("org.multiprocessing4j.WorkerDeath")
@Label("Pool Worker Death")
@Category("multiprocessing4j")
@Description("A worker JVM of a ProcessPool ended while the pool still needed it")
@StackTrace(false)
final class WorkerDeathEvent extends jdk.jfr.Event {
    @Label("Worker PID")
    long workerPid;

    @Label("Exit Code")
    int exitCode;

    @Label("Task")
    @Description("The task it was running, which fails with a typed error, or null")
    String task;

    @Label("Timed Out")
    @Description("Whether the pool ended it because its task ran past its time limit")
    boolean timedOut;
}
