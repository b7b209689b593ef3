package dev.pulse.core.http;

/**
 * A request the client got wrong, with its finished 4xx answer: thrown where a request is read (its query, its
 * body, its fields), caught where the function answers, so that bad input is a JSON error and never a 500.
 */
public final class ClientError extends RuntimeException {

    private final transient HttpResponse response;

    public ClientError(HttpResponse response) {
        super(response.bodyText(), null, false, false);   // control flow: no stack trace needed
        this.response = response;
    }

    /** {@code {"error": code, "message": message}} with {@code status}. */
    public static ClientError of(int status, String code, String message) {
        return new ClientError(HttpResponse.error(status, code, message));
    }

    public HttpResponse response() {
        return response;
    }
}
