package dev.pulse.sse.runtime;

/** The invocation payload is not an event the handler understands: reported as {@link ErrorType#INVALID_EVENT}. */
public final class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }
}
