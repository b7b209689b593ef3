package dev.pulse.local.lambda;

/**
 * The error types the emulator reports, as Lambda names them: in the function's log, in a Function URL's
 * {@code x-amzn-ErrorType} header, and to a test that asks what went wrong.
 */
public enum LambdaErrorType {
    /** The function's init did not finish in time. */
    INIT_TIMEOUT("Runtime.InitTimeout"),
    /** The function reported {@code /init/error}. */
    INIT_ERROR("Runtime.InitError"),
    /** SnapStart: the function reported {@code /restore/error} (the Invoke API's error when an after-restore hook failed). */
    SNAP_START("SnapStartException"),
    /** The execution environment's process ended during an invocation. */
    EXIT_ERROR("Runtime.ExitError"),
    /** No execution environment could be started. */
    START_FAILED("Runtime.StartFailed"),
    /** The invocation ran past the function's timeout. */
    TIMED_OUT("Sandbox.Timedout"),
    /** A buffered response over 6 MB. */
    RESPONSE_SIZE_TOO_LARGE("Function.ResponseSizeTooLarge"),
    /** A response the Function URL cannot turn into HTTP (no prelude delimiter, bad JSON, ...). */
    MALFORMED_RESPONSE("Function.MalformedResponse"),
    /** The runtime's buffered response broke off. */
    RESPONSE_INTERRUPTED("Runtime.ResponseInterrupted"),
    /** The runtime's streamed response broke off. */
    STREAM_INTERRUPTED("Runtime.StreamInterrupted");

    private final String wireName;

    LambdaErrorType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
