package org.multiprocessing4j.cluster.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * A library message on Hazelcast: bytes written by {@link Protocol} and their HMAC-SHA256
 * signature ({@link Signer}), which the receiver checks before it reads the bytes.
 */
abstract class SignedMessage implements IdentifiedDataSerializable {
    byte[] body;
    byte[] signature;

    SignedMessage() {
    }

    SignedMessage(byte[] body, byte[] signature) {
        this.body = body;
        this.signature = signature;
    }

    @Override
    public final void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(body);
        out.writeByteArray(signature);
    }

    @Override
    public final void readData(ObjectDataInput in) throws IOException {
        body = in.readByteArray();
        signature = in.readByteArray();
    }

    @Override
    public final int getFactoryId() {
        return Ids.FACTORY;
    }
}
