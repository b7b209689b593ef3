package dev.pulse.lambda.runtime;

import dev.pulse.lambda.http.HttpPrelude;
import dev.pulse.lambda.http.HttpResponses;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Init and its failure, SnapStart's restore handshake and hooks, and the drain that SIGTERM starts. */
class LifecycleTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aFailedInit_goesToInitError_andTheProcessEndsWith1() throws Exception {
        try (RunningRuntime r = new RunningRuntime(Map.of(), hooks -> {
            throw new IllegalStateException("TABLE_NAME is not set");
        })) {
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("/2018-06-01/runtime/init/error", post.path);
            assertEquals("Runtime.IllegalStateException", post.header("Lambda-Runtime-Function-Error-Type"));
            assertEquals("{\"errorMessage\":\"TABLE_NAME is not set\",\"errorType\":\"Runtime.IllegalStateException\","
                    + "\"stackTrace\":[]}", post.bodyText());
            assertEquals(LambdaRuntime.INIT_FAILED, r.awaitExit(WAIT));
            assertEquals(0, r.api.nextCalls());
        }
    }

    @Test
    void aMalformedMaxConcurrency_isAnInitError_namingTheVariable() throws Exception {
        try (RunningRuntime r = new RunningRuntime(Map.of("AWS_LAMBDA_MAX_CONCURRENCY", "lots"),
                hooks -> (event, context) -> Response.json("{}"))) {
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("/2018-06-01/runtime/init/error", post.path);
            assertTrue(post.bodyText().contains("AWS_LAMBDA_MAX_CONCURRENCY"), post.bodyText());
            assertEquals(LambdaRuntime.INIT_FAILED, r.awaitExit(WAIT));
        }
    }

    @Test
    void withoutARuntimeApi_itSaysSo_andEndsWith2() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        int code = new LambdaRuntime(Map.of(), (level, event, message, requestId, fields) -> lines.add(event + ": " + message))
                .run(hooks -> (event, context) -> Response.json("{}"));
        assertEquals(LambdaRuntime.RUNTIME_API_GONE, code);
        assertTrue(lines.getFirst().startsWith("init_failed: no Runtime API"), lines.toString());
    }

    @Test
    void snapStart_beforeCheckpointHooksInReverse_thenTheHandshake_thenAfterRestoreHooksInOrder_thenWork() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        try (RunningRuntime r = new RunningRuntime(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"), hooks -> {
            hooks.beforeCheckpoint(() -> order.add("close the pool"))
                    .beforeCheckpoint(() -> order.add("close the client"))
                    .afterRestore(() -> order.add("reopen the pool"))
                    .afterRestore(() -> order.add("refresh the credentials"));
            return (event, context) -> Response.json("\"" + String.join(",", order) + "\"");
        })) {
            long end = System.nanoTime() + WAIT.toNanos();
            while (r.api.restoreCalls() == 0 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertEquals(1, r.api.restoreCalls());
            assertEquals(List.of("close the client", "close the pool"), order, "the snapshot is taken after these");
            Thread.sleep(100);
            assertEquals(0, r.api.nextCalls(), "no work before the restore");
            r.api.restore();
            r.api.enqueue("req-1", Duration.ofSeconds(30), "{}");
            assertEquals("\"close the client,close the pool,reopen the pool,refresh the credentials\"",
                    r.api.nextPost(WAIT).awaitDone(WAIT).bodyText());
        }
    }

    @Test
    void snapStart_aFailedAfterRestoreHook_goesToRestoreError() throws Exception {
        try (RunningRuntime r = new RunningRuntime(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"), hooks -> {
            hooks.afterRestore(() -> {
                throw new IllegalStateException("cannot reconnect");
            });
            return (event, context) -> Response.json("{}");
        })) {
            r.api.restore();
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("/2018-06-01/runtime/restore/error", post.path);
            assertEquals("Runtime.AfterRestoreError", post.header("Lambda-Runtime-Function-Error-Type"));
            assertTrue(post.bodyText().contains("IllegalStateException: cannot reconnect"), post.bodyText());
            assertEquals(LambdaRuntime.INIT_FAILED, r.awaitExit(WAIT));
        }
    }

    @Test
    void snapStart_aFailedBeforeCheckpointHook_isAnInitError_andNoSnapshotIsAskedFor() throws Exception {
        try (RunningRuntime r = new RunningRuntime(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"), hooks -> {
            hooks.beforeCheckpoint(() -> {
                throw new IllegalStateException("cannot close");
            });
            return (event, context) -> Response.json("{}");
        })) {
            StubRuntimeApi.Recorded post = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("/2018-06-01/runtime/init/error", post.path);
            assertEquals("Runtime.BeforeCheckpointError", post.header("Lambda-Runtime-Function-Error-Type"));
            assertEquals(LambdaRuntime.INIT_FAILED, r.awaitExit(WAIT));
            assertEquals(0, r.api.restoreCalls());
        }
    }

    @Test
    void withoutSnapStart_noHandshake() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> Response.json("{}"))) {
            r.api.awaitWaitingNext(1, WAIT);
            assertEquals(0, r.api.restoreCalls());
        }
    }

    @Test
    void aDrain_stopsEveryWaitingNext_andLetsTheStreamsInFlightFinish() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving(4, (event, context) -> HttpResponses.stream(
                HttpPrelude.of(200, Map.of()), sink -> {
                    for (int i = 0; i < 10; i++) {
                        sink.write("part " + i + "\n");
                        Thread.sleep(50);
                    }
                }))) {
            r.api.awaitWaitingNext(4, WAIT);
            r.api.enqueue("req-a", Duration.ofSeconds(30), "{}");
            r.api.enqueue("req-b", Duration.ofSeconds(30), "{}");
            StubRuntimeApi.Recorded a = r.api.nextPost(WAIT);
            StubRuntimeApi.Recorded b = r.api.nextPost(WAIT);
            a.awaitChunk(1, WAIT);
            b.awaitChunk(1, WAIT);
            int callsBefore = r.api.nextCalls();
            r.runtime.drain();   // returns once both streams ended
            assertEquals(11, a.awaitDone(Duration.ZERO).chunks().size(), "the whole stream, then a clean end");
            assertEquals(11, b.awaitDone(Duration.ZERO).chunks().size());
            assertTrue(a.trailers.isEmpty() && b.trailers.isEmpty());
            assertEquals(0, r.awaitExit(WAIT), "a drained runtime ends with 0");
            assertEquals(callsBefore, r.api.nextCalls(), "no /next after the drain began");
            assertEquals(0, r.api.waitingNext());
            assertTrue(r.awaitLog("draining").message().contains("2 in flight"), r.log.toString());
        }
    }

    @Test
    void aDrainWhileIdle_endsAtOnce() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> Response.json("{}"))) {
            r.api.awaitWaitingNext(1, WAIT);
            long started = System.nanoTime();
            r.runtime.drain();
            assertEquals(0, r.awaitExit(WAIT));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos());
        }
    }
}
