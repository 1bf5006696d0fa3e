package org.multiprocessing4j.cluster.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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

    /** What a signature is of: a request, an event, a reply. Each is signed apart from the others. */
    public static final byte REQUEST = 1;
    public static final byte EVENT = 2;
    public static final byte REPLY = 3;

    /** The signature of {@code body} as a message of kind {@code domain}. */
    public byte[] sign(byte domain, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(domain);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /** Whether {@code signature} is {@code body}'s as a message of kind {@code domain}, compared in constant time. */
    public boolean verify(byte domain, byte[] body, byte[] signature) {
        return body != null && signature != null && MessageDigest.isEqual(sign(domain, body), signature);
    }

    @Override
    public String toString() {
        return "Signer[HmacSHA256]";
    }
}
