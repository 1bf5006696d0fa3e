package org.multiprocessing4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

@Name("org.multiprocessing4j.ProcessEnd")
@Label("Process End")
@Category("multiprocessing4j")
@Description("A child JVM of this JVM has ended; recorded when its end is seen")
@StackTrace(false)
final class ProcessEndEvent extends jdk.jfr.Event {
    @Label("Process")
    String processName;

    @Label("PID")
    long pid;

    @Label("Exit Code")
    @Description("As JvmProcess.exitCode(): -N if signal N ended it")
    int exitCode;

    @Label("Signal")
    @Description("The signal that ended it (SIGTERM...), or null")
    String signal;

    @Label("Run Time")
    @Description("From start() to the end being seen")
    @Timespan(Timespan.NANOSECONDS)
    long runTime;
}
