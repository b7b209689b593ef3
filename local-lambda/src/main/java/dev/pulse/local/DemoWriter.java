package dev.pulse.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code make demo}: posts realistic items for a few tags at a steady rate to the dashboard's URL, through the
 * public API like any client (key, Idempotency-Key), so the page and {@code curl -N} show a live feed at once.
 */
final class DemoWriter implements AutoCloseable {

    record Topic(String tag, String name) {
    }

    static final List<Topic> TOPICS = List.of(new Topic("AAPL", "Apple"), new Topic("MSFT", "Microsoft"),
            new Topic("NVDA", "Nvidia"), new Topic("BTC-USD", "Bitcoin"), new Topic("EUR.USD", "the euro"));
    private static final List<String> POSITIVE = List.of("%s beats estimates; guidance raised",
            "analysts upgrade %s after a strong quarter", "%s rallies on record demand", "buyers pile into %s");
    private static final List<String> NEUTRAL = List.of("%s trades flat ahead of the numbers",
            "%s: volume in line with the month's average", "what to watch for %s this week", "%s holds its range");
    private static final List<String> NEGATIVE = List.of("%s slips as margins narrow", "regulators look into %s",
            "%s misses on revenue", "sellers return to %s after the open");
    private static final List<String> SOURCES = List.of("newswire", "forum", "analyst note", "social");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI items;
    private final String apiKey;
    private final Duration every;
    private final Consumer<String> log;
    private final Random random = new Random();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean stopped;
    private Thread thread;

    DemoWriter(URI dashboardUrl, String apiKey, Duration every, Consumer<String> log) {
        this.items = dashboardUrl.resolve("api/v2/items");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.every = every;
        this.log = log;
    }

    DemoWriter start() {
        log.accept("[demo] posting an item every " + every.toMillis() + " ms for " + TOPICS.stream().map(Topic::tag).toList());
        thread = Thread.ofPlatform().daemon().name("demo-writer").start(this::run);
        return this;
    }

    private void run() {
        int failuresInARow = 0;
        while (!stopped) {
            try {
                Thread.sleep(every.toMillis() / 2 + random.nextLong(every.toMillis()));
                int status = post(next());
                failuresInARow = status / 100 == 2 ? 0 : failuresInARow + 1;
                if (failuresInARow == 3) {
                    log.accept("[demo] the dashboard answered " + status + " three times in a row; still trying");
                }
            } catch (InterruptedException e) {
                return;
            } catch (java.io.IOException e) {
                if (!stopped) {
                    log.accept("[demo] could not post: " + e.getMessage());
                }
            }
        }
    }

    /** One item: a topic, a label weighted towards neutral, a score that agrees with the label, a headline. */
    ObjectNode next() {
        Topic topic = TOPICS.get(random.nextInt(TOPICS.size()));
        int roll = random.nextInt(10);
        String label = roll < 3 ? "positive" : roll < 7 ? "neutral" : "negative";
        List<String> lines = switch (label) {
            case "positive" -> POSITIVE;
            case "neutral" -> NEUTRAL;
            default -> NEGATIVE;
        };
        double score = switch (label) {
            case "positive" -> 0.65 + random.nextDouble() * 0.35;
            case "neutral" -> 0.4 + random.nextDouble() * 0.2;
            default -> random.nextDouble() * 0.35;
        };
        return JSON.createObjectNode()
                .put("tag", topic.tag())
                .put("label", label)
                .put("score", Math.round(score * 100) / 100.0)
                .put("text", String.format(lines.get(random.nextInt(lines.size())), topic.name()))
                .put("source", SOURCES.get(random.nextInt(SOURCES.size())));
    }

    private int post(ObjectNode item) throws java.io.IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(items)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(item.toString()));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
        http.close();
    }
}
