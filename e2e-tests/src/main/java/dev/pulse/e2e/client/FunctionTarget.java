package dev.pulse.e2e.client;

/** The two base URLs a request can go to. */
public enum FunctionTarget {
    /** The dashboard function's Function URL (invoke mode BUFFERED). */
    DASHBOARD,
    /** The SSE function's Function URL (invoke mode RESPONSE_STREAM). */
    SSE
}
