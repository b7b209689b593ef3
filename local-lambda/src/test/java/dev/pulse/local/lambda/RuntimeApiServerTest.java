package dev.pulse.local.lambda;

import dev.pulse.lambda.wire.Http1;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Runtime API server on its own, with a stand-in environment and raw HTTP on a loopback socket, as a runtime
 * speaks it: the invocation id handed out and checked, 410 for an invocation that timed out (no environment is
 * killed here: the 410 does not depend on it), malformed framing failing the invocation it belongs to, SnapStart's
 * restore handshake and restore error in and out of turn.
 */
class RuntimeApiServerTest {

    private static final String NEXT = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: runtime\r\n\r\n";
    private static final String RESTORE_NEXT = "GET /2018-06-01/runtime/restore/next HTTP/1.1\r\nHost: runtime\r\n\r\n";
    private static final String GONE =
            "{\"errorMessage\":\"Invoke timeout: the invocation already timed out\",\"errorType\":\"ErrorRuntimeInvokeTimeout\"}";
    private static final String NO_ECHO =
            "the runtime does not send Lambda-Runtime-Invocation-Id back; responses are matched by request id only";
    private static final long WAIT_SECONDS = 10;

    /**
     * An execution environment without a process: it hands out the invocations a test queues. With {@link #snapStart}
     * it takes one restore handshake, and a restore error after it, as ExecutionEnvironment does.
     */
    private static final class FakeEnvironment implements RuntimeApi {
        final BlockingQueue<Invocation> queued = new LinkedBlockingQueue<>();
        /** The request ids the server reported answered after their timeout, one per 410. */
        final List<String> answeredAfterTimeout = new CopyOnWriteArrayList<>();
        volatile boolean snapStart;
        volatile boolean restored;
        /** Each restore error taken: its type and body. */
        final List<String> restoreErrors = new CopyOnWriteArrayList<>();

        @Override
        public boolean restoreNext() {
            if (!snapStart || restored) {
                return false;
            }
            restored = true;
            return true;
        }

        @Override
        public boolean restoreError(String errorType, String body) {
            if (!restored) {
                return false;
            }
            restoreErrors.add(errorType + " " + body);
            return true;
        }

        @Override
        public Invocation next() throws InterruptedException {
            Invocation invocation = queued.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (invocation == null) {
                throw new InterruptedException("no invocation was queued"); // frees the connection's thread
            }
            invocation.handedOut(System.currentTimeMillis() + 60_000);
            return invocation;
        }

        @Override
        public void initError(String errorType, String body) {
        }

        @Override
        public void answeredAfterTimeout(String requestId) {
            answeredAfterTimeout.add(requestId);
        }

        @Override
        public String functionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:fake";
        }
    }

    private final CapturedLog log = new CapturedLog();
    private final FakeEnvironment environment = new FakeEnvironment();
    private RuntimeApiServer server;

    @BeforeEach
    void start() throws IOException {
        server = new RuntimeApiServer(environment, log);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void nextHandsOutAnInvocationIdOfItsOwnToEachInvocation() throws Exception {
        Invocation a = queue("req-a");
        Invocation b = queue("req-b");
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            Http1.Reply first = runtime.exchange(NEXT);
            Http1.Reply second = runtime.exchange(NEXT); // the same connection: keep-alive
            assertEquals(200, first.status());
            assertEquals("req-a", first.header("Lambda-Runtime-Aws-Request-Id"));
            assertEquals("{\"id\":\"req-a\"}", first.bodyText());
            String idA = first.header("Lambda-Runtime-Invocation-Id");
            String idB = second.header("Lambda-Runtime-Invocation-Id");
            assertNotNull(idA, "an invocation id on /next");
            assertFalse(idA.isBlank());
            assertNotEquals(idA, idB, "one per invocation");
            assertEquals(a.invocationId(), idA);
            assertEquals(b.invocationId(), idB);
            assertNotNull(first.header("Lambda-Runtime-Deadline-Ms"));
            assertEquals(a.deadlineMillis(), Long.parseLong(first.header("Lambda-Runtime-Deadline-Ms")),
                    "the deadline the invocation was handed out with");
            assertTrue(a.deadlineMillis() > System.currentTimeMillis(), "a deadline ahead: " + a.deadlineMillis());
        }
    }

    @Test
    void aResponseThatSendsItsInvocationIdBackIsAccepted() throws Exception {
        Invocation invocation = queue("req-1");
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            String id = runtime.exchange(NEXT).header("Lambda-Runtime-Invocation-Id");
            Http1.Reply reply = runtime.exchange(response("req-1", id, "{\"ok\":true}"));
            assertEquals(202, reply.status(), reply.bodyText());
        }
        Signal.Buffered answer = assertInstanceOf(Signal.Buffered.class, terminal(invocation));
        assertEquals("{\"ok\":true}", new String(answer.payload(), StandardCharsets.UTF_8));
        assertEquals(Boolean.TRUE, server.runtimeEchoesInvocationId());
        assertFalse(log.contains(NO_ECHO), "nothing to say about a runtime that sends the id back");
    }

    @Test
    void anAnswerWithAnotherInvocationIdIsRefusedAndLeavesTheInvocationRunning() throws Exception {
        Invocation invocation = queue("req-1");
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            runtime.exchange(NEXT);
            Http1.Reply response = runtime.exchange(response("req-1", "another-invocation", "{}"));
            assertEquals(400, response.status());
            assertTrue(response.bodyText().contains("\"errorType\":\"InvalidRequestID\""), response.bodyText());
            Http1.Reply error = runtime.exchange(error("req-1", "another-invocation"));
            assertEquals(400, error.status());
            assertFalse(invocation.isDone(), "a refused answer does not end the invocation");

            Http1.Reply right = runtime.exchange(response("req-1", invocation.invocationId(), "{}"));
            assertEquals(202, right.status(), "then its own answer is taken, on the same connection");
        }
        assertInstanceOf(Signal.Buffered.class, terminal(invocation));
    }

    @Test
    void aRuntimeThatDoesNotSendTheIdBackIsAnsweredByRequestIdAndToldOnce() throws Exception {
        Invocation first = queue("req-1");
        Invocation second = queue("req-2");
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            runtime.exchange(NEXT);
            assertEquals(202, runtime.exchange(response("req-1", null, "{}")).status());
            runtime.exchange(NEXT);
            assertEquals(202, runtime.exchange(error("req-2", null)).status());
        }
        assertInstanceOf(Signal.Buffered.class, terminal(first));
        Signal.Failed failed = assertInstanceOf(Signal.Failed.class, terminal(second));
        assertEquals("Test.Boom", failed.errorType());
        assertEquals(Boolean.FALSE, server.runtimeEchoesInvocationId());
        assertEquals(1, log.lines.stream().filter(line -> line.contains(NO_ECHO)).count(),
                "one line per environment, not one per answer: " + log.lines);
    }

    @Test
    void aResponseOrAnErrorForAnInvocationThatTimedOutIs410Gone() throws Exception {
        Invocation invocation = queue("req-late");
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            runtime.exchange(NEXT);
            timeOut(invocation);

            Http1.Reply response = runtime.exchange(response("req-late", invocation.invocationId(), "{\"late\":true}"));
            assertEquals(410, response.status());
            assertEquals(GONE, response.bodyText());
            assertEquals("application/json", response.header("Content-Type"));
            Http1.Reply error = runtime.exchange(error("req-late", null)); // its body was dropped: the connection goes on
            assertEquals(410, error.status());
            assertEquals(GONE, error.bodyText());

            Http1.Reply never = runtime.exchange(response("req-never-handed-out", null, "{}"));
            assertEquals(400, never.status(), "an id that matches nothing is not gone, it is wrong");
            Http1.Reply otherId = runtime.exchange(response("req-late", "not-the-one", "{}"));
            assertEquals(400, otherId.status(), "nor is one whose invocation id is another's");
        }
        try (RuntimeConnection stream = new RuntimeConnection()) {
            stream.send(streamHead("req-late", invocation.invocationId()));
            Http1.Reply answer = stream.reply(); // at once: the stream's body is not waited for
            assertEquals(410, answer.status());
            assertEquals(GONE, answer.bodyText());
        }
        assertEquals(LambdaErrorType.TIMED_OUT.wireName(), assertInstanceOf(Signal.Failed.class, terminal(invocation)).errorType());
        // Each 410 tells the environment that the runtime is done with it (Managed Instances free its slot then).
        assertEquals(List.of("req-late", "req-late", "req-late"), environment.answeredAfterTimeout);
    }

    @Test
    void aStreamUnderWayWhenItsInvocationTimesOutIs410GoneAtItsEnd() throws Exception {
        Invocation invocation = queue("req-slow");
        try (RuntimeConnection runtime = new RuntimeConnection(); RuntimeConnection stream = new RuntimeConnection()) {
            runtime.exchange(NEXT);
            stream.send(streamHead("req-slow", invocation.invocationId()) + chunk("first"));
            assertInstanceOf(Signal.StreamStart.class, invocation.next());
            assertInstanceOf(Signal.Chunk.class, invocation.next()); // the server is reading the stream now
            timeOut(invocation);
            stream.send(chunk("after the deadline") + "0\r\n\r\n");
            Http1.Reply answer = stream.reply();
            assertEquals(410, answer.status());
            assertEquals(GONE, answer.bodyText());
        }
        assertEquals(List.of("req-slow"), environment.answeredAfterTimeout);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-5", "0x10", "1 2", "fffffffff", ""})
    void aMalformedChunkSizeInAStreamFailsItsInvocation(String sizeLine) throws Exception {
        Invocation invocation = queue("req-bad");
        try (RuntimeConnection runtime = new RuntimeConnection(); RuntimeConnection stream = new RuntimeConnection()) {
            runtime.exchange(NEXT);
            stream.send(streamHead("req-bad", invocation.invocationId()) + chunk("fine") + sizeLine
                    + "\r\nmore\r\n0\r\n\r\n");
            Http1.Reply answer = stream.reply();
            assertEquals(400, answer.status(), answer.bodyText());
            assertEquals("close", answer.header("Connection"));
        }
        Signal.Failed failed = assertInstanceOf(Signal.Failed.class, terminal(invocation));
        assertEquals(LambdaErrorType.STREAM_INTERRUPTED.wireName(), failed.errorType());
        assertTrue(failed.message().contains("bad chunk size line"), failed.message());
        assertTrue(failed.environmentBroken(), "a runtime that broke the protocol is not reused");
    }

    @Test
    void aMalformedContentLengthOnAResponseFailsItsInvocation() throws Exception {
        Invocation invocation = queue("req-bad");
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            runtime.exchange(NEXT);
            Http1.Reply answer = runtime.exchange("POST /2018-06-01/runtime/invocation/req-bad/response HTTP/1.1\r\n"
                    + "Host: runtime\r\nContent-Length: 2x\r\n\r\n{}");
            assertEquals(400, answer.status(), answer.bodyText());
        }
        Signal.Failed failed = assertInstanceOf(Signal.Failed.class, terminal(invocation));
        assertEquals(LambdaErrorType.RESPONSE_INTERRUPTED.wireName(), failed.errorType());
        assertTrue(failed.message().contains("bad Content-Length"), failed.message());
    }

    @Test
    void aBufferedResponseOver6MbFailsTheInvocationAndIsRefusedWithoutBeingSent() throws Exception {
        Invocation invocation = queue("req-big");
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            runtime.exchange(NEXT);
            // Expect: 100-continue, and no body: the answer must come from the length alone, with no 100 first.
            runtime.send("POST /2018-06-01/runtime/invocation/req-big/response HTTP/1.1\r\nHost: runtime\r\n"
                    + "Content-Length: " + (RuntimeApiServer.MAX_BUFFERED_RESPONSE + 1) + "\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            Http1.Reply answer = runtime.reply();
            assertEquals(413, answer.status());
            assertTrue(answer.bodyText().contains("RequestEntityTooLarge"), answer.bodyText());
            assertEquals("close", answer.header("Connection"), "the body is left unread: the connection ends");
        }
        Signal.Failed failed = assertInstanceOf(Signal.Failed.class, terminal(invocation));
        assertEquals(LambdaErrorType.RESPONSE_SIZE_TOO_LARGE.wireName(), failed.errorType());
        assertFalse(failed.environmentBroken(), "the function's mistake, not the environment's");
    }

    @Test
    void expect100ContinueIsAnsweredBeforeABodyThatIsRead() throws Exception {
        Invocation invocation = queue("req-1");
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            runtime.exchange(NEXT);
            runtime.send("POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: runtime\r\n"
                    + "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", Http1.readLine(runtime.in));
            assertEquals("", Http1.readLine(runtime.in));
            runtime.send("{}");
            assertEquals(202, runtime.reply().status());
        }
        assertInstanceOf(Signal.Buffered.class, terminal(invocation));
    }

    @Test
    void theRestoreHandshakeIsAnsweredOnceWithAnEmpty200AndOnlyWithSnapStart() throws Exception {
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            Http1.Reply refused = runtime.exchange(RESTORE_NEXT);
            assertEquals(403, refused.status(), "no SnapStart: not this environment's step");
            assertTrue(refused.bodyText().contains("\"errorType\":\"InvalidStateTransition\""), refused.bodyText());

            environment.snapStart = true;
            Http1.Reply restored = runtime.exchange(RESTORE_NEXT); // the same connection goes on after a 403
            assertEquals(200, restored.status(), restored.bodyText());
            assertEquals("", restored.bodyText(), "Lambda answers the handshake with an empty 200");
            assertEquals(403, runtime.exchange(RESTORE_NEXT).status(), "once: the second is out of turn");
        }
    }

    @Test
    void aRestoreErrorIsTakenAfterTheHandshakeAndRefusedBeforeIt() throws Exception {
        environment.snapStart = true;
        String body = "{\"errorMessage\":\"hook failed\",\"errorType\":\"IllegalStateException\"}";
        String restoreError = "POST /2018-06-01/runtime/restore/error HTTP/1.1\r\nHost: runtime\r\n"
                + "Lambda-Runtime-Function-Error-Type: Runtime.AfterRestoreError\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        try (RuntimeConnection runtime = new RuntimeConnection()) {
            Http1.Reply early = runtime.exchange(restoreError);
            assertEquals(403, early.status(), "no restore under way yet");
            assertEquals(List.of(), environment.restoreErrors);

            assertEquals(200, runtime.exchange(RESTORE_NEXT).status());
            Http1.Reply taken = runtime.exchange(restoreError); // its body was read: the connection goes on
            assertEquals(202, taken.status(), taken.bodyText());
        }
        assertEquals(List.of("Runtime.AfterRestoreError " + body), environment.restoreErrors);
    }

    // ---- helpers ----

    private Invocation queue(String requestId) {
        Invocation invocation = new Invocation(requestId, ("{\"id\":\"" + requestId + "\"}").getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(60), 1 << 20, () -> { });
        environment.queued.add(invocation);
        return invocation;
    }

    /** What the environment's timer does at the deadline (the kill that follows on demand plays no part here). */
    private static void timeOut(Invocation invocation) {
        invocation.failed(LambdaErrorType.TIMED_OUT.wireName(), "Task timed out after 60.00 seconds", true);
    }

    private static Signal terminal(Invocation invocation) throws Exception {
        return invocation.done().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static String response(String requestId, String invocationId, String body) {
        return "POST /2018-06-01/runtime/invocation/" + requestId + "/response HTTP/1.1\r\nHost: runtime\r\n"
                + (invocationId == null ? "" : "Lambda-Runtime-Invocation-Id: " + invocationId + "\r\n")
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String error(String requestId, String invocationId) {
        String body = "{\"errorMessage\":\"boom\",\"errorType\":\"Boom\"}";
        return "POST /2018-06-01/runtime/invocation/" + requestId + "/error HTTP/1.1\r\nHost: runtime\r\n"
                + (invocationId == null ? "" : "Lambda-Runtime-Invocation-Id: " + invocationId + "\r\n")
                + "Lambda-Runtime-Function-Error-Type: Test.Boom\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String streamHead(String requestId, String invocationId) {
        return "POST /2018-06-01/runtime/invocation/" + requestId + "/response HTTP/1.1\r\nHost: runtime\r\n"
                + "Lambda-Runtime-Invocation-Id: " + invocationId + "\r\n"
                + "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n";
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    /** One connection to the server, as a runtime opens it: requests written as raw bytes, answers read back. */
    private final class RuntimeConnection implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        RuntimeConnection() throws IOException {
            String address = server.address();
            socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(address.substring(address.indexOf(':') + 1)));
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        Http1.Reply reply() throws IOException {
            return Http1.readReply(in, 1 << 20);
        }

        Http1.Reply exchange(String request) throws IOException {
            send(request);
            return reply();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
