package dev.pulse.lambda.runtime;

/**
 * The error types this runtime reports by a fixed name. A handler's other failures are reported under their
 * exception's simple class name, and an init failure as {@code Runtime.<class name>}, as the managed runtimes do.
 */
public enum ErrorType {
    /** The event is not one the handler understands ({@link InvalidEventException}). */
    INVALID_EVENT("Runtime.InvalidEvent"),
    /** A SnapStart before-checkpoint hook failed. */
    BEFORE_CHECKPOINT("Runtime.BeforeCheckpointError"),
    /** A SnapStart after-restore hook failed. */
    AFTER_RESTORE("Runtime.AfterRestoreError"),
    /** The handler returned no response. */
    NO_RESPONSE("Runtime.NoResponse");

    private final String wireName;

    ErrorType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
