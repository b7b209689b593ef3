package dev.pulse.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A DynamoDB endpoint on a free loopback port that forwards to a real one (the emulator) and injects the
 * faults a busy table and a flaky network cause: a write held before it reaches the table (a slow write
 * that commits late), an answer held after the write committed, and an answer dropped after the write
 * committed (the SDK then retries a write that already happened). Faults apply to requests whose body
 * contains a marker text, so a test chooses exactly which writes misbehave.
 *
 * <p>It also counts the requests it forwards, per operation ({@link #count}): how the benchmark measures
 * what idle streams cost in DynamoDB requests.
 *
 * <p>This is a test double at the outermost edge only: the table behind it is the real DynamoDB API.
 */
public final class FaultyDynamoProxy implements AutoCloseable {

    /** What to do to a request that matches {@code marker}; {@code times} limits how often (then it passes). */
    public record Fault(String operation, String marker, Kind kind, Duration hold, int times) {
        public enum Kind { HOLD_BEFORE, HOLD_AFTER, DROP_ANSWER }
    }

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "expect",
            "transfer-encoding", "upgrade", "keep-alive");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<AtomicInteger> used = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

    private FaultyDynamoProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    public static FaultyDynamoProxy in(URI target) {
        try {
            return new FaultyDynamoProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("could not open the fault proxy on loopback", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FaultyDynamoProxy add(Fault fault) {
        faults.add(fault);
        used.add(new AtomicInteger());
        return this;
    }

    /** How many requests were held or had their answer dropped so far. */
    public int injected() {
        return injected.get();
    }

    /**
     * How many requests of this operation (e.g. {@code GetItem}, the part of {@code X-Amz-Target} after the
     * dot) reached the proxy so far, faulty or not; SDK retries count each time.
     */
    public long count(String operation) {
        LongAdder n = requests.get(operation);
        return n == null ? 0 : n.sum();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null) {
                requests.computeIfAbsent(target.substring(target.indexOf('.') + 1), k -> new LongAdder()).increment();
            }
            Fault fault = match(target, new String(body, StandardCharsets.UTF_8));
            if (fault != null && fault.kind() == Fault.Kind.HOLD_BEFORE) {
                sleep(fault.hold());
            }
            HttpResponse<byte[]> answer = send(exchange, body);
            if (fault != null && fault.kind() == Fault.Kind.HOLD_AFTER) {
                sleep(fault.hold());
            }
            if (fault != null && fault.kind() == Fault.Kind.DROP_ANSWER) {
                sleep(fault.hold());
                return;   // closing without an answer: the client sees the connection end and retries
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private synchronized Fault match(String operation, String body) {
        if (operation == null) {
            return null;
        }
        for (int i = 0; i < faults.size(); i++) {
            Fault fault = faults.get(i);
            if (operation.endsWith("." + fault.operation()) && body.contains(fault.marker())
                    && used.get(i).get() < fault.times()) {
                used.get(i).incrementAndGet();
                injected.incrementAndGet();
                return fault;
            }
        }
        return null;
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        http.close();
    }
}
