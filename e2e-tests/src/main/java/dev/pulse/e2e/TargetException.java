package dev.pulse.e2e;

/** The e2e targets cannot be determined; the message says why and what to set. */
public class TargetException extends RuntimeException {
    public TargetException(String message) {
        super(message);
    }

    public TargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
