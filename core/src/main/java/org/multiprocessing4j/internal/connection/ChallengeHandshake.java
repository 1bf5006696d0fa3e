package org.multiprocessing4j.internal.connection;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.multiprocessing4j.AuthenticationException;

/**
 * The mutual authentication every socket connection starts with, before either end reads an
 * object from the other. Fixed-size raw messages only, so that nothing a stranger sends is
 * parsed beyond a length it cannot choose:
 *
 * <ol>
 *   <li>listener: {@code MP4JAUTH}, a version byte, a mode byte (1: HMAC, 0: no key), and a
 *       32-byte random nonce {@code Ns};
 *   <li>client: {@code HMAC-SHA256(key, "client" | Ns)} and its own nonce {@code Nc};
 *   <li>listener: a verdict byte and, when it is a welcome,
 *       {@code HMAC-SHA256(key, "listener" | Nc | Ns)}.
 * </ol>
 *
 * Each side compares in constant time ({@link MessageDigest#isEqual}). The role labels keep a
 * proof made by one side from being replayed as the other's; the fresh nonces keep one from
 * being replayed on another connection. With mode 0 (a Unix domain socket in the user's private
 * directory, opened without a key) steps 2 and 3 are skipped; a client with a key refuses it.
 */
public final class ChallengeHandshake {
    private static final byte[] MAGIC = "MP4JAUTH".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final int NONCE = 32;
    private static final int DIGEST = 32;
    private static final byte WELCOME = 1;
    private static final byte FAILURE = 0;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChallengeHandshake() {
    }

    /** The listener's side; {@code key} null for no authentication. */
    public static void asListener(FrameChannel io, byte[] key, long deadline) throws IOException, InterruptedException {
        byte[] nonce = nonce();
        ByteBuffer hello = ByteBuffer.allocate(MAGIC.length + 2 + NONCE);
        hello.put(MAGIC).put(VERSION).put(key == null ? (byte) 0 : (byte) 1).put(nonce).flip();
        io.writeFully(hello);
        if (key == null) {
            return;
        }
        ByteBuffer answer = io.readExactly(DIGEST + NONCE, deadline, "the client's answer to the challenge");
        byte[] proof = new byte[DIGEST];
        byte[] clientNonce = new byte[NONCE];
        answer.get(proof).get(clientNonce);
        if (!MessageDigest.isEqual(proof, hmac(key, "client", nonce))) {
            io.writeFully(ByteBuffer.wrap(new byte[] {FAILURE}));
            throw new AuthenticationException("a client failed to authenticate: its answer to the challenge was"
                    + " not made with this listener's authkey");
        }
        ByteBuffer welcome = ByteBuffer.allocate(1 + DIGEST);
        welcome.put(WELCOME).put(hmac(key, "listener", clientNonce, nonce)).flip();
        io.writeFully(welcome);
    }

    /** The client's side; {@code key} null for no authentication. */
    public static void asClient(FrameChannel io, byte[] key, long deadline) throws IOException, InterruptedException {
        ByteBuffer hello = io.readExactly(MAGIC.length + 2 + NONCE, deadline, "the listener's challenge");
        byte[] magic = new byte[MAGIC.length];
        hello.get(magic);
        byte version = hello.get();
        byte mode = hello.get();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION || (mode != 0 && mode != 1)) {
            throw new AuthenticationException("the peer is not a multiprocessing4j listener of this version");
        }
        if (mode == 0) {
            if (key != null) {
                throw new AuthenticationException("the listener does not authenticate, and this client has an"
                        + " authkey: refusing to talk to a listener that could be anyone's");
            }
            return;
        }
        if (key == null) {
            throw new AuthenticationException("the listener requires an authkey, and none was given");
        }
        byte[] nonce = new byte[NONCE];
        hello.get(nonce);
        byte[] mine = nonce();
        ByteBuffer answer = ByteBuffer.allocate(DIGEST + NONCE);
        answer.put(hmac(key, "client", nonce)).put(mine).flip();
        io.writeFully(answer);
        ByteBuffer verdict;
        try {
            verdict = io.readExactly(1, deadline, "the listener's verdict");
        } catch (EOFException e) {
            throw new AuthenticationException("the listener closed the connection instead of answering: wrong authkey?");
        }
        if (verdict.get() != WELCOME) {
            throw new AuthenticationException("the listener refused this client's authkey");
        }
        byte[] proof = new byte[DIGEST];
        io.readExactly(DIGEST, deadline, "the listener's proof").get(proof);
        if (!MessageDigest.isEqual(proof, hmac(key, "listener", mine, nonce))) {
            throw new AuthenticationException("the listener failed to prove that it holds the authkey");
        }
    }

    private static byte[] nonce() {
        byte[] n = new byte[NONCE];
        RANDOM.nextBytes(n);
        return n;
    }

    static byte[] hmac(byte[] key, String role, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(role.getBytes(StandardCharsets.US_ASCII));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
