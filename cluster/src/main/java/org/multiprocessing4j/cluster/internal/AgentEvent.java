package org.multiprocessing4j.cluster.internal;

/**
 * A signed notice from an agent to the driver that owns a process (a line of its output, its
 * end), published on that driver's topic. The driver checks the signature before it reads the
 * body: Hazelcast Community lets any member publish.
 */
final class AgentEvent extends SignedMessage {
    AgentEvent() {
    }

    AgentEvent(byte[] body, byte[] signature) {
        super(body, signature);
    }

    @Override
    public int getClassId() {
        return Ids.AGENT_EVENT;
    }
}
