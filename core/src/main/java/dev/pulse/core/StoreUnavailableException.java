package dev.pulse.core;

/** The item store could not be reached or refused the request; callers answer 503 or retry. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
