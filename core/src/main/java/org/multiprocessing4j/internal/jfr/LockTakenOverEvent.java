package org.multiprocessing4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("org.multiprocessing4j.LockTakenOver")
@Label("Lock Taken Over")
@Category("multiprocessing4j")
@Description("A thread took a lock over from a process that died holding it: what the lock guarded"
        + " may be half updated")
final class LockTakenOverEvent extends jdk.jfr.Event {
    @Label("Lock")
    String lock;

    @Label("Dead Holder PID")
    long deadHolderPid;
}
