package dev.pulse.sse.runtime;

/**
 * The error types this runtime reports to the Runtime API by a fixed name. Anything else that fails an
 * invocation is reported under its exception's class name, as the managed runtimes do.
 */
public enum ErrorType {
    /** The invocation payload is not an event the handler understands. */
    INVALID_EVENT("Runtime.InvalidEvent");

    private final String wireName;

    ErrorType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
