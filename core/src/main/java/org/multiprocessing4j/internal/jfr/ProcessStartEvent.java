package org.multiprocessing4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name("org.multiprocessing4j.ProcessStart")
@Label("Process Start")
@Category("multiprocessing4j")
@Description("JvmProcess.start(): from the call until the child JVM has been started (SPAWN) or handed"
        + " over (FORKSERVER) and sent its process")
@StackTrace(false)
final class ProcessStartEvent extends jdk.jfr.Event {
    @Label("Process")
    String processName;

    @Label("PID")
    long pid;

    @Label("Start Method")
    String startMethod;
}
