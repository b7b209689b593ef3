package dev.pulse.sse;

import dev.pulse.core.ItemStore;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link TestRuntimeApi} plus the real runtime loop ({@link SseRuntimeMain#run}) on a thread, stopped by close. */
final class RuntimeHarness implements AutoCloseable {

    final TestRuntimeApi api;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    RuntimeHarness(ItemStore store, Map<String, String> env) throws IOException {
        api = new TestRuntimeApi();
        Map<String, String> all = new HashMap<>();
        all.put("AWS_LAMBDA_RUNTIME_API", api.endpoint());
        all.put("PULSE_VERSION", "test-1");
        all.putAll(env);
        Thread.ofPlatform().daemon().name("sse-runtime-under-test").start(() -> {
            try {
                exit.complete(SseRuntimeMain.run(all, settings -> store));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
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
