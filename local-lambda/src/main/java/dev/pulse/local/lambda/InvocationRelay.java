package dev.pulse.local.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one invocation's response into the HTTP answer, by the URL's invoke mode:
 * <ul>
 *   <li>{@link InvokeMode#BUFFERED}: nothing is sent until the invocation ends; then the payload 2.0 response
 *       (or a streamed response's prelude + body) is sent whole; over 6 MB, an error or a timeout → 502;</li>
 *   <li>{@link InvokeMode#RESPONSE_STREAM}: the prelude's status, headers and cookies are sent as soon as the
 *       8 NUL delimiter arrives, then every chunk as it arrives; an error after that aborts the connection
 *       (the client sees a truncated response) and is logged.</li>
 * </ul>
 * A client that goes away, or reads so slowly that {@link FrontLimits#maxQueuedBytes()} pile up for it, does
 * not stop the invocation; its connection is closed and the rest of the bytes are dropped (the cap is the
 * {@link Invocation}'s, checked as bytes arrive; see {@link UrlConnection}).
 */
final class InvocationRelay {

    private static final int MAX_PRELUDE = 64 * 1024;

    private final FunctionUrlServer url;
    private final ResponseWriter writer;
    private final String requestId;

    InvocationRelay(FunctionUrlServer url, ResponseWriter writer, String requestId) {
        this.url = url;
        this.writer = writer;
        this.requestId = requestId;
    }

    /** @return true when the connection can carry another request afterwards */
    boolean answer(Invocation invocation) throws IOException, InterruptedException {
        return url.pool().spec().mode() == InvokeMode.BUFFERED ? buffered(invocation) : streamed(invocation);
    }

    // ---- BUFFERED: wait for the end, then answer whole ----

    private boolean buffered(Invocation invocation) throws IOException, InterruptedException {
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        String streamType = null;
        boolean tooLarge = false;
        while (true) {
            Signal signal = invocation.next();
            switch (signal) {
                case Signal.StreamStart start -> streamType = start.contentType();
                case Signal.Chunk chunk -> {
                    if (!tooLarge && collected.size() + chunk.bytes().length > FunctionUrlServer.MAX_BUFFERED_RESPONSE) {
                        tooLarge = true;
                        collected = new ByteArrayOutputStream();
                    } else if (!tooLarge) {
                        collected.write(chunk.bytes());
                    }
                }
                case Signal.Buffered whole -> {
                    return answer(invocation, whole.payload());
                }
                case Signal.StreamEnd end -> {
                    if (tooLarge || invocation.overflowed()) {
                        return fail(invocation, LambdaErrorType.RESPONSE_SIZE_TOO_LARGE.wireName(), "the streamed response is over the "
                                + FunctionUrlServer.MAX_BUFFERED_RESPONSE + "-byte limit of a BUFFERED URL");
                    }
                    return isHttpIntegration(streamType)
                            ? answerIntegration(invocation, collected.toByteArray())
                            : answer(invocation, collected.toByteArray());
                }
                case Signal.Failed failed -> {
                    return fail(invocation, failed.errorType(), failed.message());
                }
            }
        }
    }

    private boolean answer(Invocation invocation, byte[] payload) throws IOException {
        try {
            return send(UrlResponse.fromPayload(payload));
        } catch (UrlResponse.MalformedResponse e) {
            return fail(invocation, LambdaErrorType.MALFORMED_RESPONSE.wireName(), e.getMessage());
        }
    }

    /** A streamed http-integration-response, buffered: prelude + 8 NULs + body, sent whole. */
    private boolean answerIntegration(Invocation invocation, byte[] bytes) throws IOException {
        try {
            UrlResponse.IntegrationHead split = UrlResponse.fromIntegrationStream(bytes);
            if (split == null) {
                throw new UrlResponse.MalformedResponse("the streamed response has no 8-NUL delimiter after its prelude");
            }
            return send(split.head().withBody(split.rest()));
        } catch (UrlResponse.MalformedResponse e) {
            return fail(invocation, LambdaErrorType.MALFORMED_RESPONSE.wireName(), e.getMessage());
        }
    }

    // ---- RESPONSE_STREAM: relay as it comes ----

    private boolean streamed(Invocation invocation) throws IOException, InterruptedException {
        Signal first = invocation.next();
        return switch (first) {
            case Signal.Buffered whole -> answer(invocation, whole.payload());
            case Signal.Failed failed -> fail(invocation, failed.errorType(), failed.message());
            case Signal.StreamStart start -> relay(invocation, start.contentType());
            case Signal.Chunk chunk -> relay(invocation, null); // cannot happen: chunks follow a start
            case Signal.StreamEnd end -> send(new UrlResponse(200, List.of(), new byte[0]));
        };
    }

    /** A streamed response: its head as soon as it is known, then every chunk as it arrives. */
    private boolean relay(Invocation invocation, String contentType) throws IOException, InterruptedException {
        try {
            if (!isHttpIntegration(contentType)) {
                return relayStream(invocation, 200, List.of(Map.entry("Content-Type",
                        contentType == null ? "application/octet-stream" : contentType)), new byte[0]);
            }
            UrlResponse.IntegrationHead prelude = awaitPrelude(invocation);
            if (prelude == null) {
                return true; // answered whole with a 502, as fail() answers
            }
            return relayStream(invocation, prelude.head().status(), prelude.head().headers(), prelude.rest());
        } catch (IOException clientGone) {
            return clientLeft(invocation);
        }
    }

    /**
     * Collects an http-integration-response stream up to its prelude's delimiter: only then are status and headers
     * known. Null when the function failed or broke the format first, which is answered with a 502.
     */
    private UrlResponse.IntegrationHead awaitPrelude(Invocation invocation) throws IOException, InterruptedException {
        ByteArrayOutputStream prelude = new ByteArrayOutputStream();
        while (true) {
            Signal signal = invocation.next();
            if (signal instanceof Signal.Failed failed) {
                fail(invocation, failed.errorType(), failed.message());
                return null;
            }
            if (!(signal instanceof Signal.Chunk chunk)) {
                fail(invocation, LambdaErrorType.MALFORMED_RESPONSE.wireName(),
                        "the streamed response ended without the 8-NUL delimiter after its prelude");
                return null;
            }
            prelude.write(chunk.bytes());
            UrlResponse.IntegrationHead split;
            try {
                split = UrlResponse.fromIntegrationStream(prelude.toByteArray());
            } catch (UrlResponse.MalformedResponse e) {
                return abandonMalformed(invocation, e.getMessage());
            }
            if (split != null) {
                return split;
            }
            if (prelude.size() > MAX_PRELUDE) {
                return abandonMalformed(invocation,
                        "no 8-NUL delimiter within the first " + MAX_PRELUDE + " bytes of the streamed response");
            }
        }
    }

    /** Stops listening to an invocation whose stream cannot be relayed, and answers 502; always null. */
    private UrlResponse.IntegrationHead abandonMalformed(Invocation invocation, String why) throws IOException {
        invocation.abandon();
        fail(invocation, LambdaErrorType.MALFORMED_RESPONSE.wireName(), why);
        return null;
    }

    /**
     * Sends the head, then the body: {@code first} (what came with the prelude) and each chunk as it arrives. An error
     * mid-stream closes the connection without the last chunk, so the client sees a truncated body.
     */
    private boolean relayStream(Invocation invocation, int status, List<Map.Entry<String, String>> headers, byte[] first)
            throws IOException, InterruptedException {
        boolean reusable = writer.startStream(status, withRequestId(headers), false);
        if (!writer.hasBody()) {
            invocation.abandon(); // HEAD: the headers were the answer; the invocation goes on unheard
            return false;
        }
        writer.chunk(first);
        while (true) {
            Signal signal = invocation.next();
            if (signal instanceof Signal.Chunk chunk) {
                writer.chunk(chunk.bytes());
            } else if (signal instanceof Signal.Failed failed) {
                url.log("stream " + invocation.requestId() + " ended by an error: " + failed.errorType() + ": "
                        + failed.message());
                return false;
            } else {
                writer.end();
                return reusable;
            }
        }
    }

    /** As on Lambda, the invocation goes on when its client leaves: the relay stops and the socket is freed. */
    private boolean clientLeft(Invocation invocation) {
        boolean cut = invocation.isAbandoned();
        invocation.abandon();
        if (!cut) {
            url.log("client left stream " + invocation.requestId() + "; the invocation continues until the function ends it");
        }
        return false;
    }

    // ---- shared ----

    private boolean send(UrlResponse response) throws IOException {
        writer.whole(response.status(), withRequestId(response.headers()), response.body(), false);
        return true;
    }

    private boolean fail(Invocation invocation, String errorType, String message) throws IOException {
        url.log("502 for " + invocation.requestId() + ": " + errorType + ": " + message);
        writer.whole(502, withRequestId(List.of(Map.entry("Content-Type", "text/plain"),
                Map.entry("x-amzn-ErrorType", errorType))), "Internal Server Error".getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        return true;
    }

    private List<Map.Entry<String, String>> withRequestId(List<Map.Entry<String, String>> headers) {
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        all.add(Map.entry("x-amzn-RequestId", requestId));
        return all;
    }

    private static boolean isHttpIntegration(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FunctionUrlServer.HTTP_INTEGRATION);
    }
}
