package dev.pulse.sse.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Json;

import java.nio.charset.StandardCharsets;

/**
 * What the Runtime API is told about a failure: an error type and a message, sent as the
 * {@code Lambda-Runtime-Function-Error-Type} header (or trailer) and the {@code {"errorMessage","errorType"}} body.
 */
record ErrorReport(String type, String message) {

    ErrorReport {
        type = type.replaceAll("[\\r\\n]+", " ");   // a header value must not split the HTTP head
        message = message == null ? type : message;
    }

    static ErrorReport of(Throwable error) {
        String type = error instanceof InvalidEventException ? ErrorType.INVALID_EVENT.wireName()
                : error.getClass().getSimpleName();
        return new ErrorReport(type, error.getMessage());
    }

    /** An init failure is reported as {@code Runtime.<ExceptionName>}, as the managed runtimes do. */
    static ErrorReport ofInit(Throwable error) {
        return new ErrorReport("Runtime." + error.getClass().getSimpleName(), error.getMessage());
    }

    ObjectNode json() {
        ObjectNode body = Json.object().put("errorMessage", message).put("errorType", type);
        body.putArray("stackTrace");
        return body;
    }

    byte[] jsonBytes() {
        return Json.write(json()).getBytes(StandardCharsets.UTF_8);
    }
}
