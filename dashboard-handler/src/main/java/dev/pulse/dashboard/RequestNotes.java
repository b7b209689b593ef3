package dev.pulse.dashboard;

/**
 * What a request's handling found that its one log line reports besides the answer: why a 5xx happened (which the
 * client is never told), and how many items the store ingested and how long it took. One per request, on its thread.
 */
final class RequestNotes {

    private String cause;
    private long ingestNanos = -1;
    private int ingestedItems;

    /** Why the answer is a 5xx: the SDK's text, which may name the account, role or endpoint (so: log only). */
    void cause(String cause) {
        this.cause = cause;
    }

    String cause() {
        return cause;
    }

    /** New items were stored (one, or a batch); {@code nanos}: the store call, conflicts and retries included. */
    void ingested(int items, long nanos) {
        this.ingestedItems = items;
        this.ingestNanos = nanos;
    }

    boolean ingested() {
        return ingestNanos >= 0;
    }

    int ingestedItems() {
        return ingestedItems;
    }

    double ingestMillis() {
        return Math.round(ingestNanos / 1e5) / 10.0;   // to 0.1 ms
    }
}
