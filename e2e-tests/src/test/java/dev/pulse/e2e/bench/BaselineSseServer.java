package dev.pulse.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor: the smallest event-stream server the JDK allows ({@code com.sun.net.httpserver}) on
 * loopback, speaking Pulse's wire format on Pulse's paths, so the same client code measures both.
 * {@code GET /api/v2/stream[?tags=A]}: {@code retry}, a {@code metrics} event, then {@code new_item}
 * events pushed the moment a {@code POST /api/v2/items} arrives (an item, or a batch: a JSON array answered
 * {@code {"items":[...]}} under contiguous ids; no table, no polling), and
 * {@code : heartbeat} after {@code heartbeatMillis} without a write. One writer thread per stream,
 * as in Pulse's SSE function, so heartbeat timing is comparable.
 */
final class BaselineSseServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "baseline-sse");
        t.setDaemon(true);
        return t;
    });
    private final long heartbeatNanos;
    private final Set<Stream> streams = new CopyOnWriteArraySet<>();
    private final AtomicLong sequence = new AtomicLong();

    private record Stream(String tag, BlockingQueue<String> outbox) {
    }

    BaselineSseServer(long heartbeatMillis) throws IOException {
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/api/v2/stream", this::stream);
        server.createContext("/api/v2/items", this::items);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void stream(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/api/v2/stream")) {
            try (exchange) { // /api/v2/stream/status: a small JSON answer, for plain round trips
                byte[] ok = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            }
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        String tag = query != null && query.startsWith("tags=") ? query.substring(5) : null;
        Stream stream = new Stream(tag, new LinkedBlockingQueue<>());
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        streams.add(stream);
        try (OutputStream out = exchange.getResponseBody()) {
            write(out, "retry: 3000\n\n");
            write(out, "id: 0\nevent: metrics\ndata: {\"total\":" + sequence.get() + "}\n\n");
            long lastWrite = System.nanoTime();
            while (true) {
                long wait = lastWrite + heartbeatNanos - System.nanoTime();
                String event = wait > 0 ? stream.outbox().poll(wait, TimeUnit.NANOSECONDS) : null;
                write(out, event != null ? event : ": heartbeat\n\n");
                lastWrite = System.nanoTime();
            }
        } catch (IOException | InterruptedException clientLeft) {
            // The client closed the stream (or we are shutting down): nothing to clean up but the set.
        } finally {
            streams.remove(stream);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush(); // one chunk per event, as Pulse flushes each event
    }

    private void items(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            JsonNode answer;
            if (body.isArray()) {
                long first = sequence.getAndAdd(body.size()) + 1;
                ArrayNode stored = JSON.createArrayNode();
                for (int i = 0; i < body.size(); i++) {
                    stored.add(store((ObjectNode) body.get(i), first + i));
                }
                answer = JSON.createObjectNode().set("items", stored);
            } else {
                answer = store((ObjectNode) body, sequence.incrementAndGet());
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** The item with its id and time, pushed to every stream it matches. */
    private ObjectNode store(ObjectNode posted, long seq) throws IOException {
        ObjectNode item = posted.deepCopy();
        String id = String.format("%013d-%06d", System.currentTimeMillis(), seq);
        item.put("id", id).put("ts", Instant.now().toString());
        String event = "id: " + id + "\nevent: new_item\ndata: " + JSON.writeValueAsString(item) + "\n\n";
        String tag = posted.path("tag").asText();
        for (Stream s : streams) {
            if (s.tag() == null || s.tag().equals(tag)) {
                s.outbox().add(event);
            }
        }
        return item;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
