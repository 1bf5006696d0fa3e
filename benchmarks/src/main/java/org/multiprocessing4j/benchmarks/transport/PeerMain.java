package org.multiprocessing4j.benchmarks.transport;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/** Entry point of the probe's second JVM: {@code PeerMain ROLE ARGS...}. */
public final class PeerMain {
    private PeerMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; EOF means it closed us or died
                }
            } catch (IOException ignored) {
                // same as EOF
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "uds-echo" -> UdsProbe.echo(rest);
                case "uds-sink" -> UdsProbe.sink(rest);
                case "ring-echo" -> RingProbe.echo(rest);
                case "ring-sink" -> RingProbe.sink(rest);
                case "ring-mp-producer" -> MpscProbe.producer(rest);
                default -> throw new IllegalArgumentException("unknown role " + args[0]);
            }
        } catch (EOFException e) {
            // the parent closed the doorbell or socket: the probe is over
        }
        System.exit(0);
    }
}
