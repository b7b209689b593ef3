package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.local.lambda.FrontLimits;
import dev.pulse.local.lambda.FunctionUrlServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.pulse.local.lambda.RawHttp.raw;
import static dev.pulse.local.lambda.RawHttp.readUntilClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The local stack as `make run` starts it ({@code java -jar local-lambda.jar}, default settings: no key, so
 * writes are open; no PULSE_CORS_ALLOWED_ORIGINS), attacked the ways a web page or a careless client can:
 * a foreign Origin, a foreign Host (DNS rebinding), 50 concurrent 6 MB bodies over the concurrency limit, a
 * slowloris head. The stack must refuse each without running a function for it, without its memory growing
 * with the attack, and stay up throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileClientsIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EVIL = "https://evil.example";
    private static final int FLOOD = 50;
    /**
     * How much the stack's resident memory may grow while 50 clients send 6 MiB bodies it must refuse. Refusing
     * before reading costs a few KiB per connection: measured growth 2 MiB (134 to 136 MiB). A front that reads
     * the bodies first measured 164 MiB of growth in the same test (50 x 6 MiB = 300 MiB
     * sent, part of it collected while the rest arrived). 64 MiB sits well clear of both: the JVM's own heap
     * sizing and allocator noise under load stay far below it, a front that holds bodies does not.
     */
    private static final long RSS_GROWTH_BOUND_KIB = 64 * 1024;
    private static final int RAW_ANSWER_MAX = 64 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StackProcess stack;
    private URI dashboard;
    private URI sse;
    private String dashboardOrigin;
    private HttpResponse<InputStream> heldStream;

    @BeforeAll
    void startTheStackAsMakeRunDoes() throws Exception {
        RealArtifacts.require();
        stack = StackProcess.start(Map.of("PULSE_SSE_CONCURRENCY", "1")); // one stream holds the only SSE environment
        dashboard = stack.url("dashboard_function_url");
        sse = stack.url("sse_lambda_function_url");
        dashboardOrigin = "http://127.0.0.1:" + dashboard.getPort();
    }

    @AfterAll
    void stop() throws Exception {
        if (heldStream != null) {
            heldStream.body().close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long total() throws Exception {
        return MAPPER.readTree(send(HttpRequest.newBuilder(dashboard.resolve("api/v2/metrics"))).body()).path("total").asLong();
    }

    @Test
    @Order(1)
    void aForeignOriginGetsNoCorsGrantAndCannotWrite() throws Exception {
        long before = total();
        HttpResponse<String> read = send(HttpRequest.newBuilder(dashboard.resolve("api/v2/metrics")).header("Origin", EVIL));
        assertEquals(403, read.statusCode(), read.body());
        assertTrue(read.headers().firstValue("access-control-allow-origin").isEmpty(), read.headers().map()::toString);

        HttpResponse<String> preflight = send(HttpRequest.newBuilder(dashboard.resolve("api/v2/items"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", EVIL).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type"));
        assertTrue(preflight.headers().firstValue("access-control-allow-origin").isEmpty(), "no grant to a foreign page");

        // A "simple" cross-site POST needs no preflight, so CORS alone would not stop it: without a Content-Type
        // (a Blob body) the dashboard takes JSON. The front refuses the foreign Origin before the function runs.
        HttpResponse<String> write = send(HttpRequest.newBuilder(dashboard.resolve("api/v2/items")).header("Origin", EVIL)
                .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"EVIL\",\"label\":\"negative\",\"score\":1,\"text\":\"csrf\"}")));
        assertEquals(403, write.statusCode(), write.body());

        HttpResponse<String> stream = send(HttpRequest.newBuilder(sse.resolve("api/v2/stream/status")).header("Origin", EVIL));
        assertEquals(403, stream.statusCode(), "nor can a foreign page open (and abandon) streams");
        assertEquals(before, total(), "nothing was written");

        // The dashboard's own page is served: its cross-origin reads of the SSE function get their grant.
        HttpResponse<String> own = send(HttpRequest.newBuilder(sse.resolve("api/v2/stream/status")).header("Origin", dashboardOrigin));
        assertEquals(200, own.statusCode(), own.body());
        assertEquals(dashboardOrigin, own.headers().firstValue("access-control-allow-origin").orElse(null));
        HttpResponse<String> ownWrite = send(HttpRequest.newBuilder(dashboard.resolve("api/v2/items"))
                .header("Origin", dashboardOrigin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"PAGE\",\"label\":\"positive\",\"score\":0.5,\"text\":\"from the page\"}")));
        assertEquals(201, ownWrite.statusCode(), ownWrite.body());
    }

    @Test
    @Order(2)
    void aForeignHostIsRefused() throws Exception {
        for (URI url : List.of(dashboard, sse)) {
            String answer = raw(url, "GET /health HTTP/1.1\r\nHost: rebound.attacker.example:" + url.getPort()
                    + "\r\nConnection: close\r\n\r\n", RAW_ANSWER_MAX);
            assertTrue(answer.startsWith("HTTP/1.1 403"), url + ": " + answer);
            String own = raw(url, "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + url.getPort()
                    + "\r\nConnection: close\r\n\r\n", RAW_ANSWER_MAX);
            assertTrue(own.startsWith("HTTP/1.1 200"), url + ": " + own);
        }
    }

    @Test
    @Order(3)
    void fiftyConcurrent6MbBodiesOverTheLimitGet429AndTheMemoryStaysFlat() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc", Long.toString(stack.process().pid()), "status")),
                "no /proc here: the resident memory of the stack cannot be read (Linux only)");
        heldStream = http.send(HttpRequest.newBuilder(sse.resolve("api/v2/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, heldStream.statusCode(), "the one SSE environment is now held by a stream");
        CompletableFuture.runAsync(() -> {
            try {
                heldStream.body().transferTo(OutputStream.nullOutputStream()); // a live client, reading
            } catch (IOException ignored) {
                // closed at the end of the test class
            }
        });
        warmUp();
        long baseline = rssKib();

        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean attacking = new AtomicBoolean(true);
        AtomicInteger healthFailures = new AtomicInteger();
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (attacking.get()) {
                peak.accumulateAndGet(rssKib(), Math::max);
                try {
                    if (send(HttpRequest.newBuilder(dashboard.resolve("health"))).statusCode() != 200) {
                        healthFailures.incrementAndGet();
                    }
                    Thread.sleep(50);
                } catch (Exception e) {
                    healthFailures.incrementAndGet();
                }
            }
        });
        byte[] block = new byte[64 * 1024];
        List<String> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(FLOOD)) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                futures.add(clients.submit(() -> postSixMegabytes(block)));
            }
            for (Future<String> future : futures) {
                answers.add(future.get(120, TimeUnit.SECONDS));
            }
        } finally {
            attacking.set(false);
            sampler.join();
        }
        peak.accumulateAndGet(rssKib(), Math::max);

        for (String answer : answers) {
            assertTrue(answer.startsWith("HTTP/1.1 429"), "every body over the limit gets 429: " + answer);
        }
        long growth = peak.get() - baseline;
        System.out.println("[hostile] stack RSS " + baseline / 1024 + " MiB before, peak " + peak.get() / 1024
                + " MiB during 50 x 6 MiB bodies (growth " + growth / 1024 + " MiB, bound " + RSS_GROWTH_BOUND_KIB / 1024 + " MiB)");
        assertTrue(growth < RSS_GROWTH_BOUND_KIB, "the stack's RSS grew by " + growth / 1024 + " MiB (bound "
                + RSS_GROWTH_BOUND_KIB / 1024 + " MiB): it held refused bodies");
        assertEquals(0, healthFailures.get(), "the dashboard answered /health throughout");
        assertTrue(stack.console().contains("429 POST /api/v2/items"), "the refusals are logged");
    }

    /** Sends the head and streams a 6 MiB body (the same small block, so this client holds little), reads the answer. */
    private String postSixMegabytes(byte[] block) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", sse.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v2/items HTTP/1.1\r\nHost: 127.0.0.1:" + sse.getPort() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + FunctionUrlServer.MAX_REQUEST + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            CompletableFuture<Void> body = CompletableFuture.runAsync(() -> {
                try {
                    for (int sent = 0; sent < FunctionUrlServer.MAX_REQUEST; sent += block.length) {
                        out.write(block, 0, Math.min(block.length, FunctionUrlServer.MAX_REQUEST - sent));
                    }
                    out.flush();
                } catch (IOException refusedMidway) {
                    // the server may stop reading once it has answered; the answer is what counts
                }
            });
            String answer = readUntilClosed(socket.getInputStream(), 4096);
            body.join();
            return answer;
        }
    }

    @Test
    @Order(4)
    void aSlowlorisClientIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", dashboard.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + dashboard.getPort() + "\r\nX-Slow: ")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long started = System.nanoTime();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return readUntilClosed(socket.getInputStream(), 4096);
                } catch (IOException e) {
                    return "read failed: " + e;
                }
            });
            try {
                while (!answer.isDone() && System.nanoTime() - started < Duration.ofSeconds(40).toNanos()) {
                    out.write('z'); // a byte a second: "progress", forever
                    out.flush();
                    Thread.sleep(1000);
                }
            } catch (IOException cutOff) {
                // expected once the server gives up on the head
            }
            String text = answer.get(30, TimeUnit.SECONDS);
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            long limit = FrontLimits.defaults().headTimeout().toSeconds();
            assertTrue(text.startsWith("HTTP/1.1 408"), text);
            assertTrue(seconds <= limit + 5, "cut off after " + seconds + " s; the head timeout is " + limit + " s");
        }
    }

    @Test
    @Order(5)
    void theStackStayedUpAndServesItsOwnClients() throws Exception {
        assertTrue(stack.process().isAlive(), stack.console());
        assertEquals(200, send(HttpRequest.newBuilder(dashboard.resolve("health"))).statusCode());
        HttpResponse<String> write = send(HttpRequest.newBuilder(dashboard.resolve("api/v2/items"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"CURL\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"still up\"}")));
        assertEquals(201, write.statusCode(), "a client without an Origin (curl, scripts) still writes: " + write.body());
    }

    private void warmUp() throws Exception {
        for (int i = 0; i < 20; i++) {
            send(HttpRequest.newBuilder(dashboard.resolve("health")));
            raw(sse, "POST /api/v2/items HTTP/1.1\r\nHost: 127.0.0.1:" + sse.getPort()
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", RAW_ANSWER_MAX);
        }
        Thread.sleep(500);
    }

    private long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(stack.process().pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException ignored) {
            // the process is gone: the other assertions will say so
        }
        return 0;
    }
}
