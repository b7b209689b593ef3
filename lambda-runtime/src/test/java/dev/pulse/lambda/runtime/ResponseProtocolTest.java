package dev.pulse.lambda.runtime;

import dev.pulse.lambda.http.HttpPrelude;
import dev.pulse.lambda.http.HttpResponses;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bytes the runtime sends for each kind of answer, compared whole with what AWS's documentation specifies. */
class ResponseProtocolTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aStreamedHttpResponseIsTheDocumentedRequest_byteForByte() throws Exception {
        HttpPrelude prelude = HttpPrelude.of(200, Map.of("Content-Type", "text/plain"));
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> HttpResponses.stream(prelude, sink -> {
            sink.write("hello ");
            sink.write(new byte[0]);   // sends nothing: a zero-size chunk would end the body
            sink.write("world");
        }))) {
            r.api.enqueue("req-1", Duration.ofSeconds(30), "{}");
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);

            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(ascii("POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\n"
                    + "Host: " + r.api.endpoint() + "\r\n"
                    + "Lambda-Runtime-Function-Response-Mode: streaming\r\n"
                    + "Transfer-Encoding: chunked\r\n"
                    + "Content-Type: application/vnd.awslambda.http-integration-response\r\n"
                    + "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n"
                    + "Lambda-Runtime-Invocation-Id: inv-req-1\r\n"
                    + "Connection: close\r\n"
                    + "\r\n"));
            byte[] preludeJson = ascii("{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/plain\"},\"cookies\":[]}");
            expected.writeBytes(ascii(Integer.toHexString(preludeJson.length + 8) + "\r\n"));
            expected.writeBytes(preludeJson);
            expected.writeBytes(new byte[8]);
            expected.writeBytes(ascii("\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n"));
            assertEquals(new String(expected.toByteArray(), StandardCharsets.ISO_8859_1),
                    new String(post.raw(), StandardCharsets.ISO_8859_1));
            assertEquals(3, post.chunks().size(), "the prelude, then one chunk per write");
        }
    }

    @Test
    void aBufferedResponseIsOnePostWithItsLength_andTheInvocationIdGoesBack() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> Response.json("{\"echo\":" + new String(event, StandardCharsets.UTF_8) + "}"))) {
            r.api.enqueue("req-b", Duration.ofSeconds(30), "[1,2]");
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("POST /2018-06-01/runtime/invocation/req-b/response HTTP/1.1\r\n"
                    + "Host: " + r.api.endpoint() + "\r\n"
                    + "Connection: close\r\n"
                    + "Lambda-Runtime-Invocation-Id: inv-req-b\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: 14\r\n"
                    + "\r\n"
                    + "{\"echo\":[1,2]}", new String(post.raw(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void withoutAnInvocationIdFromNext_noneIsSentBack() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> Response.json("{}"))) {
            r.api.enqueue(new StubRuntimeApi.Invocation("req-old", null, System.currentTimeMillis() + 30_000, null, "{}"));
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals(null, post.header("Lambda-Runtime-Invocation-Id"));
        }
    }

    @Test
    void aBufferedHttpResponseIsThePayloadTwoObject() throws Exception {
        HttpPrelude prelude = new HttpPrelude(201, Map.of("Content-Type", List.of("application/json"),
                "Set-Cookie", List.of("a=1", "b=2")), List.of());
        try (RunningRuntime r = RunningRuntime.serving((event, context) ->
                HttpResponses.buffered(prelude, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)))) {
            r.api.enqueue("req-p", Duration.ofSeconds(30), "{}");
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("{\"statusCode\":201,\"headers\":{\"Content-Type\":\"application/json\"},\"cookies\":[\"a=1\",\"b=2\"],"
                    + "\"body\":\"{\\\"ok\\\":true}\",\"isBase64Encoded\":false}", post.bodyText());
        }
    }

    @Test
    void anErrorBeforeAnyByte_goesToError_withItsTypeTwiceAndTheInvocationId() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> {
            throw new IllegalArgumentException("no \"good\"\nat all");
        })) {
            r.api.enqueue("req-e", Duration.ofSeconds(30), "{}");
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            String body = "{\"errorMessage\":\"no \\\"good\\\"\\nat all\",\"errorType\":\"IllegalArgumentException\",\"stackTrace\":[]}";
            assertEquals("POST /2018-06-01/runtime/invocation/req-e/error HTTP/1.1\r\n"
                    + "Host: " + r.api.endpoint() + "\r\n"
                    + "Connection: close\r\n"
                    + "Lambda-Runtime-Invocation-Id: inv-req-e\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Lambda-Runtime-Function-Error-Type: IllegalArgumentException\r\n"
                    + "Content-Length: " + body.length() + "\r\n"
                    + "\r\n" + body, new String(post.raw(), StandardCharsets.UTF_8));
            RunningRuntime.Logged line = r.awaitLog("invocation_failed");
            assertEquals("req-e", line.requestId());
            assertEquals("IllegalArgumentException", line.fields().get("error_type"));
            assertTrue(line.fields().get("stack").contains("ResponseProtocolTest"), "the stack goes to the log");
        }
    }

    @Test
    void aStreamThatFailsBeforeItsFirstWrite_isAPlainError_notAStartedStream() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> HttpResponses.stream(
                HttpPrelude.of(200, Map.of()), sink -> {
                    throw new InvalidEventException("not an HTTP event");
                }))) {
            r.api.enqueue("req-i", Duration.ofSeconds(30), "{}");
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("/2018-06-01/runtime/invocation/req-i/error", post.path);
            assertEquals("Runtime.InvalidEvent", post.header("Lambda-Runtime-Function-Error-Type"));
            assertEquals(1, r.api.recorded().size(), "no response was started");
        }
    }

    @Test
    void anErrorAfterTheFirstByte_endsTheBodyWithTheTwoTrailers() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> HttpResponses.stream(
                HttpPrelude.of(200, Map.of("Content-Type", "text/event-stream")), sink -> {
                    sink.write("data: one\n\n");
                    throw new IllegalStateException("the feed broke");
                }))) {
            r.api.enqueue("req-t", Duration.ofSeconds(30), "{}");
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals(2, post.chunks().size());
            assertEquals("data: one\n\n", post.chunks().get(1).text());
            assertEquals("IllegalStateException", post.trailers.get("Lambda-Runtime-Function-Error-Type"));
            assertEquals("{\"errorMessage\":\"the feed broke\",\"errorType\":\"IllegalStateException\",\"stackTrace\":[]}",
                    new String(Base64.getDecoder().decode(post.trailers.get("Lambda-Runtime-Function-Error-Body")),
                            StandardCharsets.UTF_8));
            String raw = new String(post.raw(), StandardCharsets.ISO_8859_1);
            assertTrue(raw.endsWith("\r\n0\r\nLambda-Runtime-Function-Error-Type: IllegalStateException\r\n"
                    + "Lambda-Runtime-Function-Error-Body: " + post.trailers.get("Lambda-Runtime-Function-Error-Body")
                    + "\r\n\r\n"), raw);
        }
    }

    @Test
    void aHandlerThatReturnsNothing_isReportedAsAnError() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> null)) {
            r.api.enqueue("req-n", Duration.ofSeconds(30), "{}");
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("/2018-06-01/runtime/invocation/req-n/error", post.path);
            assertTrue(post.bodyText().contains("Runtime.NoResponse"), post.bodyText());
            assertEquals("Runtime.NoResponse", post.header("Lambda-Runtime-Function-Error-Type"));
        }
    }

    @Test
    void theContextCarriesEveryHeaderOfNext() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> Response.json("\"" + context.requestId() + "|"
                + context.invocationId() + "|" + context.invokedFunctionArn() + "|" + context.traceId() + "|"
                + (context.remainingTime().toMillis() > 20_000) + "\""))) {
            r.api.enqueue("req-c", Duration.ofSeconds(30), "{}");
            assertEquals("\"req-c|inv-req-c|arn:aws:lambda:us-east-1:123456789012:function:under-test|"
                    + StubRuntimeApi.TRACE_ID + "|true\"", r.api.nextPost(WAIT).awaitDone(WAIT).bodyText());
        }
    }

    @Test
    void aBodyWhoseConnectionBreaks_isLoggedAndTheNextInvocationIsServed() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> HttpResponses.stream(
                HttpPrelude.of(200, Map.of()), sink -> {
                    for (int i = 0; i < 200; i++) {
                        sink.write("tick " + i + "\n");
                        Thread.sleep(10);
                    }
                }))) {
            r.api.enqueue("req-cut", Duration.ofSeconds(30), "{}");
            StubRuntimeApi.Recorded first = r.api.nextPost(WAIT);
            first.awaitChunk(2, WAIT);
            first.cut();
            assertEquals("req-cut", r.awaitLog("response_failed").requestId());
            r.api.enqueue("req-after", Duration.ofSeconds(30), "{}");
            StubRuntimeApi.Recorded second = r.api.nextPost(WAIT);
            assertEquals("/2018-06-01/runtime/invocation/req-after/response", second.path);
            second.cut();
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
