package dev.pulse.lambda.runtime;

import dev.pulse.lambda.wire.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Lambda is told about a failure: a type, sent as the {@code Lambda-Runtime-Function-Error-Type} header (or
 * trailer), and the body {@code {"errorMessage","errorType","stackTrace":[]}}. The stack goes to the log, not to
 * Lambda, which may show the body to a caller.
 */
record ErrorReport(String type, String message) {

    ErrorReport {
        type = type.replaceAll("[\\r\\n]+", " ");
        message = message == null ? type : message;
    }

    static ErrorReport of(Throwable error) {
        String type = error instanceof InvalidEventException ? ErrorType.INVALID_EVENT.wireName()
                : error.getClass().getSimpleName();
        return new ErrorReport(type, error.getMessage());
    }

    static ErrorReport of(ErrorType type, Throwable error) {
        return new ErrorReport(type.wireName(), error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    /** An init failure: {@code Runtime.<class name>}, as the managed runtimes report it. */
    static ErrorReport ofInit(Throwable error) {
        return new ErrorReport("Runtime." + error.getClass().getSimpleName(), error.getMessage());
    }

    byte[] jsonBytes() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorMessage", message);
        body.put("errorType", type);
        body.put("stackTrace", List.of());
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }
}
