package dev.pulse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.core.ItemValidator;
import dev.pulse.core.Validation;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What make demo posts: valid items, for the demo's topics, with a key and an Idempotency-Key, steadily. */
class DemoWriterTest {

    @Test
    void everyItemIsOneTheApiAccepts() {
        DemoWriter writer = new DemoWriter(URI.create("http://127.0.0.1:1/"), null, Duration.ofSeconds(1), line -> { });
        Set<String> tags = DemoWriter.TOPICS.stream().map(DemoWriter.Topic::tag).collect(Collectors.toSet());
        for (int i = 0; i < 500; i++) {
            JsonNode item = writer.next();
            Validation validation = ItemValidator.validate(item);
            assertTrue(validation.ok(), () -> item + ": " + validation.fieldErrors());
            assertTrue(tags.contains(item.path("tag").asText()), item::toString);
        }
    }

    @Test
    void itPostsSteadilyWithTheKeyAndOneIdempotencyKeyPerItem() throws Exception {
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/api/v2/items", exchange -> {
            received.add(new String[]{exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        try (DemoWriter writer = new DemoWriter(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                "demo-key", Duration.ofMillis(100), line -> { }).start()) {
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (received.size() < 5 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        } finally {
            server.stop(0);
        }
        assertTrue(received.size() >= 5, "items were posted: " + received.size());
        assertTrue(received.stream().allMatch(r -> "Bearer demo-key".equals(r[0])), "the key goes with every write");
        assertEquals(received.size(), received.stream().map(r -> r[1]).distinct().count(), "one Idempotency-Key per item");
        assertTrue(new ObjectMapper().readTree(received.getFirst()[2]).has("text"));
    }
}
