package dev.pulse.dashboard;

/**
 * What a request's handling found that its one log line reports besides the answer: why a 5xx happened (which the
 * client is never told) and how long the store took to ingest an item. One per request, on its thread.
 */
final class RequestNotes {

    private String cause;
    private long ingestNanos = -1;

    /** Why the answer is a 5xx: the SDK's text, which may name the account, role or endpoint (so: log only). */
    void cause(String cause) {
        this.cause = cause;
    }

    String cause() {
        return cause;
    }

    /** A new item was stored; {@code nanos}: the store call, conflicts and retries included. */
    void ingested(long nanos) {
        this.ingestNanos = nanos;
    }

    boolean ingested() {
        return ingestNanos >= 0;
    }

    double ingestMillis() {
        return Math.round(ingestNanos / 1e5) / 10.0;   // to 0.1 ms
    }
}
