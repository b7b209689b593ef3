package dev.pulse.dashboard;

import dev.pulse.core.http.HttpResponse;

/** A client error with its finished answer; thrown by request parsing, caught by the router. */
final class ApiError extends RuntimeException {

    private final transient HttpResponse response;

    ApiError(HttpResponse response) {
        super(response.bodyText(), null, false, false);   // control flow: no stack trace needed
        this.response = response;
    }

    static ApiError of(int status, String code, String message) {
        return new ApiError(HttpResponse.error(status, code, message));
    }

    HttpResponse response() {
        return response;
    }
}
