package dev.pulse.dashboard;

/** A client error with its finished answer; thrown by request parsing, caught by the router. */
final class ApiError extends RuntimeException {

    private final transient Response response;

    ApiError(Response response) {
        super(response.body(), null, false, false);   // control flow: no stack trace needed
        this.response = response;
    }

    static ApiError of(int status, String code, String message) {
        return new ApiError(Response.error(status, code, message));
    }

    Response response() {
        return response;
    }
}
