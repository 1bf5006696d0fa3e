package org.multiprocessing4j;

/**
 * The next result of a {@link ResultIterator} did not come within the time given to
 * {@link ResultIterator#next(java.time.Duration)}, as Python's {@code multiprocessing.TimeoutError}
 * from {@code imap(...).next(timeout)} says. Nothing is lost: the item is still being worked on,
 * and a later {@code next} returns its result when it comes.
 *
 * <p>Unchecked, as the library's failures other than {@code InterruptedException} are; it does
 * not extend {@link TaskFailedException}, since no task failed, nor
 * {@code java.util.concurrent.TimeoutException}, which is checked.
 */
public final class ResultTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes one; for the library.
     *
     * @param message what did not come, and the timeout
     */
    ResultTimeoutException(String message) {
        super(message);
    }
}
