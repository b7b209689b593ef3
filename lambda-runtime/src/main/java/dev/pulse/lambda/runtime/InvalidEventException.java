package dev.pulse.lambda.runtime;

/** The invocation's event is not one the handler understands: reported as {@code Runtime.InvalidEvent}. */
public final class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }
}
