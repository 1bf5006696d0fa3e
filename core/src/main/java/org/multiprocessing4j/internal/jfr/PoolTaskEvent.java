package org.multiprocessing4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

@Name("org.multiprocessing4j.PoolTask")
@Label("Pool Task")
@Category("multiprocessing4j")
@Description("A task of a ProcessPool (one callable, or one chunk of a map) whose result came back;"
        + " recorded by the pool's JVM")
@StackTrace(false)
final class PoolTaskEvent extends jdk.jfr.Event {
    @Label("Task")
    String task;

    @Label("Items")
    int items;

    @Label("Failed Items")
    @Description("How many of its items threw")
    int failed;

    @Label("Outcome")
    String outcome;

    @Label("Worker PID")
    long workerPid;

    @Label("Queue Wait")
    @Description("From submission until the task was sent to a worker")
    @Timespan(Timespan.NANOSECONDS)
    long queueWait;

    @Label("Run Time")
    @Description("From being sent to a worker until its result came back (includes the time in the"
            + " worker's inbox, and the result's way back)")
    @Timespan(Timespan.NANOSECONDS)
    long runTime;
}
