package dev.pulse.local.lambda;

import dev.pulse.lambda.http.FunctionUrlEvent;

import java.time.Instant;
import java.util.Map;

/**
 * An HTTP request → the invocation event of its Function URL: the payload-2.0 event as {@code lambda-runtime}'s
 * {@link FunctionUrlEvent} builds it from what the client sent, plus what Lambda's front end adds in front of every
 * function: a trace id when the client sent none, and the {@code x-forwarded-*} headers.
 */
final class InvocationEvents {

    private InvocationEvents() {
    }

    /**
     * @param apiId the URL id (the first label of a real Function URL host)
     * @param port  the front's port, for x-forwarded-port
     * @return the event as the invocation's payload (UTF-8 JSON)
     */
    static byte[] of(UrlRequest request, String apiId, int port, String requestId, Instant now) {
        FunctionUrlEvent event = FunctionUrlEvent.bare(request.method(),
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
                .time(now).body(request.body()).toBytes();
    }
}
