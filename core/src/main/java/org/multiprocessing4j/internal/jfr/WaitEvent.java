package org.multiprocessing4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

@Name("org.multiprocessing4j.Wait")
@Label("Wait")
@Category("multiprocessing4j")
@Description("A wait of the application's on a queue, pipe, lock or other shared object of the library,"
        + " longer than the threshold (20 ms unless the recording's settings say otherwise); the"
        + " library's own threads (pool workers waiting for work) are left out")
@Threshold("20 ms")
final class WaitEvent extends jdk.jfr.Event {
    @Label("Operation")
    @Description("The library method that waited, e.g. ProcessQueue.take")
    String operation;
}
