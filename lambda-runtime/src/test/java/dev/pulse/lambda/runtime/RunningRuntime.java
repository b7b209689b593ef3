package dev.pulse.lambda.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A {@link StubRuntimeApi} and a {@link LambdaRuntime} serving it on a thread of its own; close stops both. */
final class RunningRuntime implements AutoCloseable {

    /** One line the runtime logged. */
    record Logged(RuntimeLog.Level level, String event, String message, String requestId, Map<String, String> fields) {
    }

    final StubRuntimeApi api;
    final LambdaRuntime runtime;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    final List<Logged> log = new CopyOnWriteArrayList<>();

    RunningRuntime(Map<String, String> env, Init init) throws Exception {
        api = new StubRuntimeApi();
        Map<String, String> all = new HashMap<>(env);
        all.put("AWS_LAMBDA_RUNTIME_API", api.endpoint());
        runtime = new LambdaRuntime(all, (level, event, message, requestId, fields) ->
                log.add(new Logged(level, event, message, requestId, fields)));
        Thread.ofPlatform().daemon().name("runtime-under-test").start(() -> {
            try {
                exit.complete(runtime.run(init));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
    }

    static RunningRuntime serving(Handler handler) throws Exception {
        return new RunningRuntime(Map.of(), hooks -> handler);
    }

    static RunningRuntime serving(int concurrency, Handler handler) throws Exception {
        return new RunningRuntime(Map.of("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(concurrency)), hooks -> handler);
    }

    int awaitExit(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits up to 10 s for a line of {@code event}. */
    Logged awaitLog(String event) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            for (Logged line : log) {
                if (line.event().equals(event)) {
                    return line;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no '" + event + "' line in " + log);
    }

    List<Logged> logged(String event) {
        return log.stream().filter(l -> l.event().equals(event)).toList();
    }

    @Override
    public void close() throws Exception {
        api.close();
        try {
            exit.get(10, TimeUnit.SECONDS);   // every loop ends when the Runtime API goes away
        } catch (Exception ignored) {
            // the test that cared has asserted on it
        }
    }
}
