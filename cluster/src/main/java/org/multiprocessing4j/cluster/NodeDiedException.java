package org.multiprocessing4j.cluster;

/**
 * Why a process on a cluster node ended without reporting its own end: its node left the
 * cluster (the node's JVM died or was cut off from the driver). {@code JvmProcess.exception()}
 * returns it, and {@code exitCode()} is -9, as if the process had been killed: a node's
 * processes end with their node, so the process is not running any more (on a node cut off by
 * the network, its agent ends it the moment it loses the driver).
 */
public final class NodeDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String node;

    /**
     * Made by the library when a node leaves; public for tests and adapters.
     *
     * @param process the name of the process that ran there
     * @param node the name of the node that left
     */
    public NodeDiedException(String process, String node) {
        this(process, node, "which left the cluster (it died or was cut off); the process ended with its node");
    }

    /**
     * Made by the library when a process is lost with its node for another reason than the
     * node leaving (the driver lost the cluster); public for tests and adapters.
     *
     * @param process the name of the process that ran there
     * @param node the name of its node
     * @param why what happened, after "process 'p' ran on node 'n', "
     */
    public NodeDiedException(String process, String node, String why) {
        super("process '" + process + "' ran on node '" + node + "', " + why);
        this.node = node;
    }

    /**
     * The name of the node that left.
     *
     * @return the node's name
     */
    public String node() {
        return node;
    }
}
