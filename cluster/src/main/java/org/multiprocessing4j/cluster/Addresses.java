package org.multiprocessing4j.cluster;

/** Checks {@code host:port} strings at the public boundary. */
final class Addresses {
    private Addresses() {
    }

    /** The port of {@code address}; throws naming {@code what} if it is not {@code host:port}. */
    static int check(String address, String what) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("the " + what + " '" + address + "' is not host:port");
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the " + what + " '" + address + "' has port " + port
                        + ", outside 1..65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the " + what + " '" + address + "' has no numeric port", e);
        }
    }

    static String host(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }
}
