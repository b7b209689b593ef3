package dev.pulse.local.lambda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.pulse.local.lambda.RawHttp.raw;
import static dev.pulse.local.lambda.RawHttp.readUntilClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Function URL front against hostile or careless clients, with fixture functions and short limits:
 * foreign Host and Origin, 429 and 413 before the body is read, malformed lengths and chunks (400), an oversized
 * head, slowloris heads and bodies, the connection cap, and a client that does not read a fast stream (64 MiB).
 */
class FunctionUrlFrontTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final CapturedLog LOG = new CapturedLog();
    private static final FrontLimits SHORT = new FrontLimits(4, 2048, Duration.ofSeconds(5), Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(30), 256 * 1024, Duration.ofSeconds(2));
    private static LambdaEmulator stack;
    private static URI guarded;
    private static URI solo;
    private static URI capped;
    private static URI anyOrigin;
    private static URI malformed;

    @BeforeAll
    static void start() throws IOException {
        stack = new LambdaEmulator(LOG);
        guarded = add("front-guarded", 2, new OriginPolicy("https://dash.example"::equalsIgnoreCase, null), FrontLimits.defaults());
        solo = add("front-solo", 1, OriginPolicy.ownOnly(), SHORT);
        capped = add("front-capped", 2, OriginPolicy.ownOnly(), SHORT);
        anyOrigin = add("front-any", 1, new OriginPolicy(origin -> true, null), FrontLimits.defaults());
        malformed = add("front-malformed", 1, OriginPolicy.ownOnly(), FrontLimits.defaults());
    }

    private static URI add(String name, int concurrency, OriginPolicy origins, FrontLimits limits) throws IOException {
        return stack.addFunction(Fixtures.spec(name, InvokeMode.RESPONSE_STREAM, concurrency, Duration.ofSeconds(60)),
                stack.listen(0), origins, limits);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String host(URI url) {
        return "127.0.0.1:" + url.getPort();
    }

    @Test
    void aForeignHostIsRefusedBeforeAnyInvocation() throws IOException {
        int before = stack.environments("front-guarded");
        for (String host : List.of("evil.example:" + guarded.getPort(), "127.0.0.1", "127.0.0.1:1", "localhost")) {
            String answer = raw(guarded, "GET /pid HTTP/1.1\r\nHost: " + host + "\r\n\r\n", 10_000);
            assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden"), host + ": " + answer);
            assertTrue(answer.endsWith("{\"Message\":\"Forbidden\"}"), answer);
        }
        String noHost = raw(guarded, "GET /pid HTTP/1.0\r\n\r\n", 10_000);
        assertTrue(noHost.startsWith("HTTP/1.1 403"), noHost);
        assertEquals(before, stack.environments("front-guarded"), "no environment was started for a refused request");
        assertTrue(LOG.contains("403 GET /pid", "DNS rebinding"), "refusals are logged");

        String localhost = raw(guarded, "GET /pid HTTP/1.1\r\nHost: localhost:" + guarded.getPort()
                + "\r\nConnection: close\r\n\r\n", 10_000);
        assertTrue(localhost.startsWith("HTTP/1.1 200"), localhost);
    }

    @Test
    void aForeignOriginGetsNoAnswerAtAll() throws Exception {
        HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(guarded.resolve("pid"))
                .header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode());
        assertTrue(foreign.headers().firstValue("access-control-allow-origin").isEmpty());
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(guarded.resolve("echo"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "null").header("Access-Control-Request-Method", "POST").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, preflight.statusCode(), "a sandboxed page (Origin: null) is foreign too");

        for (String origin : List.of("http://127.0.0.1:" + guarded.getPort(), "http://localhost:" + guarded.getPort(),
                "https://dash.example", "HTTPS://DASH.EXAMPLE")) {
            HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(guarded.resolve("pid"))
                    .header("Origin", origin).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, allowed.statusCode(), origin);
        }
        HttpResponse<String> wildcard = HTTP.send(HttpRequest.newBuilder(anyOrigin.resolve("pid"))
                .header("Origin", "https://anywhere.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, wildcard.statusCode(), "a policy that allows any page lets any page in");
    }

    @Test
    void overTheConcurrencyLimitTheAnswerIs429BeforeTheBodyIsRead() throws Exception {
        CompletableFuture<HttpResponse<String>> busy = HTTP.sendAsync(HttpRequest.newBuilder(solo.resolve("sleep?ms=3000"))
                .build(), HttpResponse.BodyHandlers.ofString());
        awaitEnvironments("front-solo", 1);
        Thread.sleep(300); // the sleep request holds the only environment
        // Expect: 100-continue, then nothing: the 429 must come without the body ever being sent.
        String answer = raw(solo, "POST /echo HTTP/1.1\r\nHost: " + host(solo) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + FunctionUrlServer.MAX_REQUEST + "\r\nExpect: 100-continue\r\n\r\n", 10_000);
        assertTrue(answer.startsWith("HTTP/1.1 429 Too Many Requests"), answer);
        assertFalse(answer.contains("100 Continue"), "no 100 Continue for a request that is refused: " + answer);
        assertTrue(answer.contains("ReservedFunctionConcurrentInvocationLimitExceeded"), answer);
        assertEquals(200, busy.get().statusCode());
    }

    @Test
    void anAnnouncedBodyOver6MbIs413WithoutReadingIt() throws IOException {
        String answer = raw(guarded, "POST /echo HTTP/1.1\r\nHost: " + host(guarded) + "\r\nContent-Length: "
                + (FunctionUrlServer.MAX_REQUEST + 1) + "\r\nExpect: 100-continue\r\n\r\n", 10_000);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertFalse(answer.contains("100 Continue"), answer);
    }

    @Test
    void aMalformedContentLengthOrChunkedBodyIs400AndNoFunctionRuns() throws Exception {
        String head = "POST /echo HTTP/1.1\r\nHost: " + host(malformed) + "\r\n";
        for (String length : List.of("Content-Length: 12abc", "Content-Length: -1", "Content-Length: 0x10",
                "Content-Length: 5\r\nContent-Length: 7")) {
            String answer = raw(malformed, head + length + "\r\n\r\n{\"k\":1}", 10_000);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request"), length + ": " + answer);
        }
        assertEquals(0, stack.environments("front-malformed"), "refused from the head: no environment was started");
        for (String sizeLine : List.of("zz", "-5", "0x7", "7 7")) {
            String answer = raw(malformed, head + "Transfer-Encoding: chunked\r\n\r\n" + sizeLine
                    + "\r\n{\"k\":1}\r\n0\r\n\r\n", 10_000);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request"), sizeLine + ": " + answer);
        }
        assertTrue(LOG.contains("400 POST /echo", "bad Content-Length"), "each refusal says why");
        assertTrue(LOG.contains("400 POST /echo", "a malformed chunked body", "bad chunk size line"));
        assertFalse(LOG.contains("[front-malformed] env 1: ready"), "no invocation reached the function");
        // The environment held while the chunked bodies were read is free again, and the function works.
        HttpResponse<String> echo = HTTP.send(HttpRequest.newBuilder(malformed.resolve("echo"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"k\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, echo.statusCode());
        assertTrue(echo.body().contains("\\\"k\\\":1"), echo.body());
    }

    @Test
    void aHeadOverTheCapIs431() throws IOException {
        String answer = raw(capped, "GET /pid HTTP/1.1\r\nHost: " + host(capped) + "\r\nX-Big: " + "b".repeat(4096)
                + "\r\n\r\n", 10_000);
        assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
    }

    @Test
    void aSlowlorisHeadIsCutOffAtTheHeadTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", capped.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /pid HTTP/1.1\r\nHost: " + host(capped) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long started = System.nanoTime();
            // One header byte every 200 ms: it would take forever, and each byte alone is "progress".
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return readUntilClosed(socket.getInputStream(), 10_000);
                } catch (IOException e) {
                    return "read failed: " + e;
                }
            });
            try {
                for (int i = 0; i < 100 && !answer.isDone(); i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (IOException cutOff) {
                // the server closed the connection: that is the point
            }
            String text = answer.get();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(text.startsWith("HTTP/1.1 408"), text);
            assertTrue(millis < 5_000, "cut off after " + millis + " ms; the head timeout is 1 s");
        }
        assertTrue(LOG.contains("408", "slowloris"));
    }

    @Test
    void aSlowBodyIsCutOffAndItsEnvironmentIsFreeAgain() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", solo.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: " + host(solo) + "\r\nContent-Length: 100\r\n\r\n0123456789")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = readUntilClosed(socket.getInputStream(), 10_000);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        }
        HttpResponse<String> next = HTTP.send(HttpRequest.newBuilder(solo.resolve("pid")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, next.statusCode(), "the environment held for the slow body was released");
    }

    @Test
    void overTheConnectionCapNewConnectionsAre503() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < SHORT.maxConnections(); i++) {
                idle.add(new Socket("127.0.0.1", capped.getPort()));
            }
            Thread.sleep(300); // accepted and counted
            String answer = raw(capped, "GET /pid HTTP/1.1\r\nHost: " + host(capped) + "\r\n\r\n", 10_000);
            assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String answer;
        do {
            Thread.sleep(100);
            answer = raw(capped, "GET /pid HTTP/1.1\r\nHost: " + host(capped) + "\r\nConnection: close\r\n\r\n", 10_000);
        } while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline);
        assertTrue(answer.startsWith("HTTP/1.1 200"), "served again once the idle connections closed: " + answer);
    }

    @Test
    void aClientThatDoesNotReadAFastStreamIsCutOffAndTheInvocationFinishes() throws Exception {
        try (Socket socket = new Socket()) {
            // Before connecting, so the window this client offers stays small (set later, the kernel may already
            // have grown it, up to tcp_rmem's maximum of 32 MiB here): what the emulator cannot write must queue.
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", capped.getPort()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /flood?mb=64 HTTP/1.1\r\nHost: " + host(capped) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!LOG.contains("read too slowly") && System.nanoTime() < deadline) {
                Thread.sleep(100); // reading nothing
            }
            assertTrue(LOG.contains("read too slowly", "over " + SHORT.maxQueuedBytes() + " bytes"),
                    "the front cut the client off instead of queueing the stream for it");
        }
        // The function was not stopped: it finishes its 64 MiB and its environment serves again.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> next;
        do {
            Thread.sleep(200);
            next = HTTP.send(HttpRequest.newBuilder(capped.resolve("pid")).build(), HttpResponse.BodyHandlers.ofString());
        } while (next.statusCode() == 429 && System.nanoTime() < deadline);
        assertEquals(200, next.statusCode());
    }

    private static void awaitEnvironments(String function, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (stack.environments(function) < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
