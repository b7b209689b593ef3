package dev.pulse.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator's Function URL semantics, proven with fixture functions (child JVMs speaking the Runtime API):
 * incremental streaming, BUFFERED holding a stream back, throttling, crashes, timeouts, payload 2.0 mapping.
 */
class FunctionUrlEmulationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final CapturedLog LOG = new CapturedLog();
    private static LambdaEmulator stack;
    private static URI streamUrl;
    private static URI bufferedUrl;
    private static URI soloUrl;
    private static URI throttleUrl;

    @BeforeAll
    static void start() throws IOException {
        stack = new LambdaEmulator(LOG);
        streamUrl = stack.addFunction(Fixtures.spec("fixture-stream", InvokeMode.RESPONSE_STREAM, 2, Duration.ofSeconds(10)), 0);
        bufferedUrl = stack.addFunction(Fixtures.spec("fixture-buffered", InvokeMode.BUFFERED, 2, Duration.ofSeconds(2)), 0);
        soloUrl = stack.addFunction(Fixtures.spec("fixture-solo", InvokeMode.RESPONSE_STREAM, 1, Duration.ofSeconds(10)), 0);
        throttleUrl = stack.addFunction(Fixtures.spec("fixture-throttle", InvokeMode.RESPONSE_STREAM, 1, Duration.ofSeconds(10)), 0);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static HttpResponse<InputStream> open(URI url, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private static HttpResponse<String> get(URI url, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void responseStreamRelaysEachEventWhenTheFunctionWritesIt() throws Exception {
        get(streamUrl, "pid"); // warm: the timing below is about relaying, not JVM start-up
        HttpResponse<InputStream> response = open(streamUrl, "stream?n=5&gap=200");
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
        assertEquals(List.of("s=1"), response.headers().allValues("set-cookie"));
        List<Fixtures.Arrival> events;
        try (InputStream body = response.body()) {
            events = Fixtures.readEvents(body, 10);
        }
        assertEquals(5, events.size(), "all events, in order: " + events);
        Fixtures.Arrival first = events.getFirst();
        Fixtures.Arrival last = events.getLast();
        assertTrue(first.arrivedAtMillis() < last.writtenAtMillis(),
                "the first event reached the client before the function wrote the last: " + events);
        for (int i = 1; i < events.size(); i++) {
            long gap = events.get(i).arrivedAtMillis() - events.get(i - 1).arrivedAtMillis();
            assertTrue(gap >= 100 && gap <= 700, "events written 200 ms apart arrive about 200 ms apart: " + events);
            assertEquals(i + 1, events.get(i).index());
        }
    }

    @Test
    void bufferedUrlSendsNothingUntilTheStreamingInvocationEnds() throws Exception {
        get(bufferedUrl, "pid");
        HttpResponse<InputStream> response = open(bufferedUrl, "stream?n=4&gap=250");
        long headersAt = System.currentTimeMillis();
        List<Fixtures.Arrival> events;
        try (InputStream body = response.body()) {
            events = Fixtures.readEvents(body, 10);
        }
        assertEquals(4, events.size());
        assertTrue(headersAt >= events.getLast().writtenAtMillis(),
                "a BUFFERED URL answers only after the function wrote its last byte: headers at " + headersAt + ", " + events);
        // the prelude still decides status and headers
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
        assertEquals(List.of("s=1"), response.headers().allValues("set-cookie"));
    }

    @Test
    void overTheConcurrencyLimitAnswers429AtOnceAndRecoversWhenAStreamEnds() throws Exception {
        HttpResponse<InputStream> busy = open(throttleUrl, "stream?n=6&gap=150");
        try (InputStream body = busy.body()) {
            assertEquals(1, Fixtures.readEvents(body, 1).size());
            long before = System.nanoTime();
            HttpResponse<String> throttled = get(throttleUrl, "pid");
            long millis = (System.nanoTime() - before) / 1_000_000;
            assertEquals(429, throttled.statusCode());
            assertTrue(millis < 1000, "throttled at once, took " + millis + " ms");
            JsonNode error = MAPPER.readTree(throttled.body());
            assertEquals("Rate Exceeded.", error.path("message").asText());
            assertEquals("ReservedFunctionConcurrentInvocationLimitExceeded", error.path("Reason").asText());
            assertEquals("TooManyRequestsException", throttled.headers().firstValue("x-amzn-ErrorType").orElse(""));
            Fixtures.readEvents(body, 10); // to the end of the stream: the invocation finishes
        }
        HttpResponse<String> after = awaitNot429(throttleUrl, "pid");
        assertEquals(200, after.statusCode());
        assertEquals(1, stack.environments("fixture-throttle"), "the same warm environment serves again");
    }

    @Test
    void aClientThatLeavesDoesNotStopTheInvocation() throws Exception {
        long pid;
        try (Socket socket = new Socket("127.0.0.1", soloUrl.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /stream?n=6&gap=150 HTTP/1.1\r\nHost: 127.0.0.1:" + soloUrl.getPort() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            pid = firstPid(in, head);
        } // the client leaves after the first event
        HttpResponse<String> stillBusy = get(soloUrl, "pid");
        assertEquals(429, stillBusy.statusCode(), "the invocation goes on after the client left");
        HttpResponse<String> later = awaitNot429(soloUrl, "pid");
        assertEquals(200, later.statusCode());
        assertEquals(pid, Long.parseLong(later.body().trim()), "the environment finished the invocation and stayed warm");
    }

    @Test
    void aCrashMidStreamEndsTheResponseAndTheNextRequestGetsAFreshEnvironment() throws Exception {
        HttpResponse<InputStream> response = open(streamUrl, "crash");
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        long crashedPid;
        try (InputStream body = response.body()) {
            List<Fixtures.Arrival> events = Fixtures.readEvents(body, 1);
            assertEquals(1, events.size());
            crashedPid = events.getFirst().pid();
            assertThrows(IOException.class, () -> body.readAllBytes(),
                    "the client sees a truncated response, not a clean end");
        }
        awaitLog(requestId, "failed");
        HttpResponse<String> next = get(streamUrl, "pid");
        assertEquals(200, next.statusCode());
        assertNotEquals(crashedPid, Long.parseLong(next.body().trim()));
        assertTrue(ProcessHandle.of(crashedPid).map(ProcessHandle::isAlive).orElse(false) == false);
    }

    @Test
    void anErrorReportedInTheTrailersEndsTheStreamAndIsLogged() throws Exception {
        HttpResponse<InputStream> response = open(streamUrl, "stream-error");
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        try (InputStream body = response.body()) {
            assertEquals(1, Fixtures.readEvents(body, 1).size());
            assertThrows(IOException.class, () -> body.readAllBytes());
        }
        awaitLog(requestId, "Fixture.MidStream", "broke mid-stream");
    }

    @Test
    void bufferedAppliesThePayload20Response() throws Exception {
        HttpResponse<String> response = get(bufferedUrl, "buffered");
        assertEquals(201, response.statusCode());
        assertEquals("text/plain", response.headers().firstValue("content-type").orElse(""));
        assertEquals(List.of("a=1; Path=/", "b=2"), response.headers().allValues("set-cookie"));
        assertEquals("hello bytes", response.body(), "isBase64Encoded bodies are decoded");

        HttpResponse<String> plain = get(bufferedUrl, "plain");
        assertEquals(200, plain.statusCode());
        assertEquals("application/json", plain.headers().firstValue("content-type").orElse(""));
        assertEquals("\"just a string\"", plain.body());
    }

    @Test
    void functionErrorsOversizedResponsesAndTimeoutsAre502() throws Exception {
        HttpResponse<String> error = get(bufferedUrl, "error");
        assertEquals(502, error.statusCode());
        assertEquals("Fixture.Boom", errorType(error), "the function's own error type reaches the client");
        awaitLog("Fixture.Boom");
        HttpResponse<String> big = get(bufferedUrl, "big");
        assertEquals(502, big.statusCode());
        assertEquals("Function.ResponseSizeTooLarge", errorType(big));
        awaitLog("Function.ResponseSizeTooLarge");

        long before = System.nanoTime();
        HttpResponse<String> timedOut = get(bufferedUrl, "sleep?ms=8000");
        long millis = (System.nanoTime() - before) / 1_000_000;
        assertEquals(502, timedOut.statusCode());
        assertEquals("Sandbox.Timedout", errorType(timedOut));
        assertTrue(millis < 6000, "the 2 s function timeout ends the invocation, took " + millis + " ms");
        awaitLog("Task timed out after 2.00 seconds");
        assertEquals(200, get(bufferedUrl, "pid").statusCode(), "a new environment replaces the killed one");
    }

    @Test
    void eachInvocationCarriesItsOwnInvocationIdAndAnAnswerWithAnotherIsRefused() throws Exception {
        HttpResponse<String> first = get(bufferedUrl, "invocation-id");
        HttpResponse<String> second = get(bufferedUrl, "invocation-id");
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"),
                "the function got Lambda-Runtime-Invocation-Id on /next: " + first.body());
        assertNotEquals(first.body(), second.body(), "one per invocation");

        HttpResponse<String> wrongFirst = get(bufferedUrl, "wrong-id");
        assertEquals(200, wrongFirst.statusCode(), "its own id is taken after another was refused");
        assertEquals("400", wrongFirst.body(), "the answer with another invocation's id was refused");
        assertFalse(LOG.contains("[fixture-buffered]", "does not send Lambda-Runtime-Invocation-Id back"),
                "a runtime that sends the id back is not said not to");
    }

    @Test
    void theEventCarriesTheRequestAsPayloadFormat20() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(bufferedUrl.resolve("echo?tag=A&tag=B&q=a%20b"))
                .header("Cookie", "c1=v1; c2=v2")
                .header("Content-Type", "application/json")
                .header("X-Multi", "one")
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        JsonNode event = MAPPER.readTree(response.body());
        assertEquals("2.0", event.path("version").asText());
        assertEquals("$default", event.path("routeKey").asText());
        assertEquals("/echo", event.path("rawPath").asText());
        assertEquals("tag=A&tag=B&q=a%20b", event.path("rawQueryString").asText());
        assertEquals("A,B", event.path("queryStringParameters").path("tag").asText());
        assertEquals("a b", event.path("queryStringParameters").path("q").asText());
        assertEquals("[\"c1=v1\",\"c2=v2\"]", event.path("cookies").toString());
        assertTrue(event.path("headers").path("cookie").isMissingNode(), "cookies are not repeated as a header");
        assertEquals("one", event.path("headers").path("x-multi").asText());
        assertEquals("{\"k\":1}", event.path("body").asText());
        assertEquals(false, event.path("isBase64Encoded").asBoolean());
        JsonNode http = event.path("requestContext").path("http");
        assertEquals("POST", http.path("method").asText());
        assertEquals("/echo", http.path("path").asText());
        assertEquals("127.0.0.1", http.path("sourceIp").asText());
        assertEquals(response.headers().firstValue("x-amzn-RequestId").orElse(""),
                event.path("requestContext").path("requestId").asText());
    }

    private static String errorType(HttpResponse<?> response) {
        return response.headers().firstValue("x-amzn-ErrorType").orElse("(no x-amzn-ErrorType)");
    }

    private static HttpResponse<String> awaitNot429(URI url, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> response;
        do {
            Thread.sleep(100);
            response = get(url, path);
        } while (response.statusCode() == 429 && System.nanoTime() < deadline);
        return response;
    }

    private static void awaitLog(String... parts) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!LOG.contains(parts)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line with " + List.of(parts) + " in:\n" + String.join("\n", LOG.lines));
            }
            Thread.sleep(50);
        }
    }

    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+),");

    /** Reads the raw response until the first event's pid is complete. */
    private static long firstPid(InputStream in, String already) throws IOException {
        StringBuilder seen = new StringBuilder(already);
        Matcher matcher;
        while (!(matcher = PID.matcher(seen)).find()) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("stream ended before the first event: " + seen);
            }
            seen.append((char) b);
        }
        return Long.parseLong(matcher.group(1));
    }
}
