package org.multiprocessing4j.cluster.internal.shared;

/**
 * How the shared objects of a cluster are named in Hazelcast. An object's id is
 * {@code p.<program>.<n>} if it is private to the program that made it (the program is the
 * driver's client id, so that everything of a driver that is gone can be found and destroyed)
 * or {@code n.<name>} if it is named. Its state is the entry of that id in {@link #SYNC_MAP}
 * (and ids with a suffix: {@code .lock}, {@code .unfinished}); its items are in a Hazelcast
 * structure named by a prefix and the id.
 */
public final class Names {
    /** The map of every lock, semaphore, event, barrier, value and counter (see {@link SyncEntry}). */
    public static final String SYNC_MAP = "mp4j.sync";
    /** The prefix of the unbounded queues' names. */
    public static final String QUEUE_PREFIX = "mp4j.q.";
    /**
     * The prefix of the bounded queues' names, before the bound: apart from {@link #QUEUE_PREFIX},
     * whose static configuration would hide the dynamic one that sets the bound (Hazelcast looks
     * at the static configurations first).
     */
    static final String BOUNDED_QUEUE_PREFIX = "mp4j.qb";
    /** The prefix of the dicts' names. */
    public static final String DICT_PREFIX = "mp4j.d.";
    /** The prefix of the lists' names. */
    public static final String LIST_PREFIX = "mp4j.l.";
    /** Every structure of the library has a name that starts with this. */
    public static final String ALL = "mp4j.";

    private Names() {
    }

    /** The id prefix of every private object of {@code program}. */
    public static String programPrefix(String program) {
        return "p." + program + ".";
    }

    /** The id of the named object {@code name}. */
    public static String named(String name) {
        return "n." + name;
    }

    /** The queue that holds the items of {@code id}, bounded by {@code maxsize} (0: none). */
    static String queue(String id, int maxsize) {
        return maxsize == 0 ? QUEUE_PREFIX + id : BOUNDED_QUEUE_PREFIX + maxsize + "." + id;
    }

    /** The configuration pattern of the queues bounded by {@code maxsize}. */
    static String boundedQueuePattern(int maxsize) {
        return BOUNDED_QUEUE_PREFIX + maxsize + ".*";
    }

    /** The id of the object whose items the Hazelcast structure {@code structure} holds (one of the library's). */
    static String idOf(String structure) {
        return structure.substring(structure.indexOf('.', ALL.length()) + 1);
    }

    /** Whether the Hazelcast structure {@code structure} holds items of an object whose id starts with {@code idPrefix}. */
    static boolean holds(String structure, String idPrefix) {
        return structure.startsWith(ALL) && structure.indexOf('.', ALL.length()) > 0
                && idOf(structure).startsWith(idPrefix);
    }
}
