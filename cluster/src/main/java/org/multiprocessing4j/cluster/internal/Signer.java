package org.multiprocessing4j.cluster.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks messages between drivers and agents with HMAC-SHA256 under the cluster's
 * authkey. Hazelcast Community authenticates no one, so this is what makes an agent obey only
 * holders of the key, and a driver decode only what an agent holding it sent. Thread-safe.
 */
public final class Signer {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    /** @throws IllegalArgumentException if the key is empty */
    public Signer(byte[] authkey) {
        if (authkey.length == 0) {
            throw new IllegalArgumentException("the authkey is empty");
        }
        this.key = new SecretKeySpec(authkey.clone(), ALGORITHM);
    }

    /** The signature of {@code body}. */
    public byte[] sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /** Whether {@code signature} is {@code body}'s, compared in constant time. */
    public boolean verify(byte[] body, byte[] signature) {
        return body != null && signature != null && MessageDigest.isEqual(sign(body), signature);
    }

    @Override
    public String toString() {
        return "Signer[HmacSHA256]";
    }

    /** A copy of {@code bytes} that leaves the original for the caller to wipe. */
    static byte[] copy(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length);
    }
}
