package org.multiprocessing4j.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.util.concurrent.Callable;

/**
 * A signed request from a driver to the agent of one node, run there by Hazelcast's executor:
 * it only hands its bytes to the agent, which checks the signature before it reads them. The
 * result is the agent's reply ({@link Protocol#reply}).
 */
final class AgentCall extends SignedMessage implements Callable<byte[]>, HazelcastInstanceAware {
    private transient HazelcastInstance member;

    AgentCall() {
    }

    AgentCall(byte[] body, byte[] signature) {
        super(body, signature);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    public byte[] call() {
        Object agent = member == null ? null : member.getUserContext().get(Agent.USER_CONTEXT_KEY);
        if (!(agent instanceof Agent)) {
            return Protocol.refusal(Protocol.FAILED, "this member runs no multiprocessing4j agent");
        }
        return ((Agent) agent).handle(body, signature);
    }

    @Override
    public int getClassId() {
        return Ids.AGENT_CALL;
    }
}
