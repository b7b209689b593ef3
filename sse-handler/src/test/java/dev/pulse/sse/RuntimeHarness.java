package dev.pulse.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Json;
import dev.pulse.lambda.runtime.StubRuntimeApi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/** A {@link StubRuntimeApi} plus the real runtime loop ({@link SseRuntimeMain#run}) on a thread, stopped by close. */
final class RuntimeHarness implements AutoCloseable {

    final StubRuntimeApi api;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** What the runtime wrote to its log (stdout in production), line by line. */
    final List<String> logLines = new CopyOnWriteArrayList<>();

    RuntimeHarness(ItemStore store, Map<String, String> env) throws IOException {
        this(settings -> store, env);
    }

    /** @param stores how init opens its store from the environment, as {@link SseRuntimeMain#main} does */
    RuntimeHarness(Function<Map<String, String>, ItemStore> stores, Map<String, String> env) throws IOException {
        api = new StubRuntimeApi();
        Map<String, String> all = new HashMap<>();
        all.put("AWS_LAMBDA_RUNTIME_API", api.endpoint());
        all.put("PULSE_VERSION", "test-1");
        all.putAll(env);
        Thread.ofPlatform().daemon().name("sse-runtime-under-test").start(() -> {
            try {
                exit.complete(SseRuntimeMain.run(all, stores, logLines::add));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
    }

    /** The log lines as JSON, in order. */
    List<JsonNode> logJson() {
        return logLines.stream().map(line -> {
            try {
                return Json.parse(line);
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }).toList();
    }

    /** Waits up to 10 s for a log line that matches. */
    JsonNode awaitLogLine(Predicate<JsonNode> matches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (JsonNode line : logJson()) {
                if (matches.test(line)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such log line in " + logLines);
    }

    int awaitExit() throws Exception {
        return exit.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        api.close();
        try {
            exit.get(10, TimeUnit.SECONDS);   // the loop ends when /next fails
        } catch (Exception ignored) {
            // reported by the test that cared
        }
    }
}
