package dev.pulse.e2e.sse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.e2e.Targets;
import dev.pulse.e2e.client.ClientAuth;
import dev.pulse.e2e.client.FunctionTarget;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.testing.SseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming reader and the reconnecting reader against a loopback server that numbers its
 * events 1, 2, 3, ... and resumes after the {@code Last-Event-ID} it is sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SseClientTest {

    private HttpServer server;
    private PulseClient client;
    private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    /** Events per response before the server ends it with {@code event: reconnect}; 0 = never. */
    private volatile int perResponse;
    private volatile int total = 20;
    private volatile long gapMillis = 20;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-sse");
            t.setDaemon(true); // handlers sleep in open streams; they must not keep the JVM alive
            return t;
        }));
        server.createContext("/api/v2/stream", this::stream);
        server.createContext("/error", ex -> {
            byte[] b = "{\"error\":\"nope\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(421, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        client = new PulseClient(Targets.of(url, url, "test", "D", "S"), ClientAuth.NONE);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void stream(HttpExchange ex) throws IOException {
        String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
        lastEventIds.add(last == null ? "" : last);
        int from = last == null || last.isEmpty() ? 1 : Integer.parseInt(last) + 1;
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            write(out, "retry: 40\n\n");
            int sent = 0;
            for (int id = from; id <= total; id++) {
                // Split the event over two writes so that a cut can land in the middle of it.
                write(out, "event: new_item\nid: " + id + "\n");
                write(out, "data: {\"n\":" + id + "}\n\n");
                sent++;
                if (perResponse > 0 && sent == perResponse && id < total) {
                    write(out, "event: reconnect\nid: " + id + "\ndata: {\"last_event_id\":\"" + id + "\"}\n\n");
                    return;
                }
                sleep(gapMillis);
            }
            write(out, ": heartbeat\n\n");
            sleep(60_000); // stay open like a live stream; the client ends it
        } catch (IOException clientWentAway) {
            // expected when the client cuts the connection
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Integer> ids(List<Received> frames) {
        List<Integer> ids = new ArrayList<>();
        for (Received r : frames) {
            SseFrame.Event e = r.event("new_item");
            if (e != null) {
                ids.add(Integer.parseInt(e.lastEventId()));
            }
        }
        return ids;
    }

    @Test
    void framesArriveAsTheServerWritesThemNotAtTheEnd() {
        total = 2;
        gapMillis = 3000;
        try (SseConnection c = SseConnection.open(client, "/api/v2/stream", "", Duration.ofSeconds(5))) {
            assertEquals(200, c.status());
            assertTrue(c.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            List<Received> first = c.readUntil(r -> r.event("new_item") != null, Duration.ofSeconds(2));
            assertEquals(new SseFrame.Retry(40), first.get(0).frame());
            assertTrue(first.get(1).atNanos() - c.headersAtNanos() < TimeUnit.MILLISECONDS.toNanos(1500),
                    "the first event must not wait for the server's next write");
            assertEquals("1", c.lastEventId());
        }
    }

    @Test
    void resumesFromTheGivenLastEventId() {
        try (SseConnection c = SseConnection.open(client, "/api/v2/stream", "17", Duration.ofSeconds(5))) {
            List<Received> frames = c.readUntil(r -> r.isComment("heartbeat"), Duration.ofSeconds(5));
            assertEquals(List.of(18, 19, 20), ids(frames));
            assertEquals(List.of("17"), lastEventIds);
        }
    }

    @Test
    void aNonStreamAnswerKeepsItsBody() throws IOException {
        PulseClient c2 = client;
        try (SseConnection c = SseConnection.open(c2, "/error", "", Duration.ofSeconds(5))) {
            assertEquals(421, c.status());
            assertEquals("{\"error\":\"nope\"}", c.bodyText());
        }
        assertEquals(FunctionTarget.DASHBOARD, c2.requests().get(0).base());
    }

    @Test
    void reconnectsAfterServerEndedStreamsWithTheLastEventId() {
        perResponse = 6;
        try (ReconnectingSseReader reader = new ReconnectingSseReader(client, "/api/v2/stream", "", null).start()) {
            List<Integer> got = new ArrayList<>();
            int reconnects = 0;
            while (got.size() < 20) {
                Optional<Received> r = reader.next(Duration.ofSeconds(10));
                assertTrue(r.isPresent(), "stalled after " + got);
                if (r.get().event("reconnect") != null) {
                    reconnects++;
                }
                SseFrame.Event e = r.get().event("new_item");
                if (e != null) {
                    got.add(Integer.parseInt(e.lastEventId()));
                }
            }
            assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList(), got);
            assertEquals(3, reconnects);
            assertEquals(List.of("", "6", "12", "18"), reader.sentLastEventIds());
            assertEquals(4, reader.connections());
        }
    }

    @Test
    void clientSideCutsAtArbitraryPointsLoseNothingAndRepeatNothing() {
        total = 60;
        gapMillis = 15;
        java.util.Random random = new java.util.Random(42);
        try (ReconnectingSseReader reader = new ReconnectingSseReader(client, "/api/v2/stream", "",
                Duration.ofMillis(10)).start()) {
            List<Integer> got = new ArrayList<>();
            long nextCut = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(150));
            while (got.size() < 60) {
                if (System.nanoTime() > nextCut) {
                    reader.dropConnection();
                    nextCut = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(150));
                }
                Optional<Received> r = reader.next(Duration.ofMillis(20));
                r.map(x -> x.event("new_item")).ifPresent(e -> got.add(Integer.parseInt(e.lastEventId())));
            }
            assertEquals(java.util.stream.IntStream.rangeClosed(1, 60).boxed().toList(), got);
            assertTrue(reader.connections() >= 3, "cuts happened: " + reader.connections());
            List<String> sent = reader.sentLastEventIds();
            for (int i = 1; i < sent.size(); i++) {
                assertTrue(Integer.parseInt(sent.get(i)) >= (sent.get(i - 1).isEmpty() ? 0 : Integer.parseInt(sent.get(i - 1))),
                        "Last-Event-ID never goes back: " + sent);
            }
        }
    }
}
