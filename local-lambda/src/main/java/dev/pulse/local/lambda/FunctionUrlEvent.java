package dev.pulse.local.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;

/**
 * HTTP request → the Function URL's invocation event, through the builder tests use too (testing's
 * {@link dev.pulse.testing.FunctionUrlEvent}), plus what Lambda's front end adds in front of every function:
 * a trace id when the client sent none, and the {@code x-forwarded-*} headers.
 */
final class FunctionUrlEvent {

    private FunctionUrlEvent() {
    }

    /**
     * @param apiId the URL id (the first label of a real Function URL host)
     * @param port  the front's port, for x-forwarded-port
     */
    static ObjectNode of(UrlRequest request, String apiId, int port, String requestId, Instant now) {
        dev.pulse.testing.FunctionUrlEvent event = dev.pulse.testing.FunctionUrlEvent.bare(request.method(),
                request.rawQuery().isEmpty() ? request.rawPath() : request.rawPath() + "?" + request.rawQuery());
        for (Map.Entry<String, String> header : request.headers()) {
            event.addHeader(header.getKey(), header.getValue());
        }
        if (event.header("host") == null) {
            event.header("host", "127.0.0.1:" + port);
        }
        if (event.header("x-amzn-trace-id") == null) {
            event.header("x-amzn-trace-id", TraceIds.root());
        }
        event.header("x-forwarded-for", request.sourceIp())
                .header("x-forwarded-proto", "http")
                .header("x-forwarded-port", Integer.toString(port));
        return event.apiId(apiId).sourceIp(request.sourceIp()).protocol(request.protocol()).requestId(requestId)
                .time(now).body(request.body()).json();
    }
}
