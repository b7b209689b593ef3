package dev.pulse.sse;

import dev.pulse.lambda.http.FunctionUrlEvent;

import java.util.Map;

/** The invocation payloads these tests send: Function URL events (payload format 2.0) as JSON text. */
final class Events {

    private Events() {
    }

    static String request(String method, String rawPath, String rawQuery, Map<String, String> headers) {
        FunctionUrlEvent event = FunctionUrlEvent.request(method, rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery);
        headers.forEach(event::header);
        return event.toJson();
    }

    static String get(String rawPath, String rawQuery) {
        return request("GET", rawPath, rawQuery, Map.of());
    }
}
