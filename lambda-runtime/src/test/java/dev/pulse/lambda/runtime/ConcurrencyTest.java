package dev.pulse.lambda.runtime;

import dev.pulse.lambda.http.HttpPrelude;
import dev.pulse.lambda.http.HttpResponses;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code AWS_LAMBDA_MAX_CONCURRENCY} (Lambda Managed Instances): that many {@code /next} loops at once, streams open
 * side by side, each invocation with its own trace id and nothing process-wide, failures that stay in their
 * invocation; and the one-at-a-time mode as it always was.
 */
class ConcurrencyTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final int N = 8;

    static StubRuntimeApi.Invocation invocation(int i) {
        return new StubRuntimeApi.Invocation("req-" + i, "inv-" + i, System.currentTimeMillis() + 60_000,
                "Root=1-00000000-00000000000000000000000" + i + ";Sampled=1", "{}");
    }

    @Test
    void nWorkersWaitOnNextAtOnce_andNStreamsAreOpenTogether_eachWithItsOwnTraceId() throws Exception {
        CountDownLatch allOpen = new CountDownLatch(N);
        Set<String> propertySeen = ConcurrentHashMap.newKeySet();
        try (RunningRuntime r = RunningRuntime.serving(N, (event, context) -> HttpResponses.stream(
                HttpPrelude.of(200, Map.of("Content-Type", "text/plain")), sink -> {
                    sink.write("open " + context.requestId() + "\n");
                    allOpen.countDown();
                    if (!allOpen.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the streams were not open at once");
                    }
                    String property = System.getProperty(Worker.TRACE_PROPERTY);
                    if (property != null) {
                        propertySeen.add(property);
                    }
                    for (int i = 0; i < 5; i++) {
                        sink.write(context.requestId() + " " + context.traceId() + "\n");
                        Thread.sleep(5);
                    }
                }))) {
            r.api.awaitWaitingNext(N, WAIT);
            for (int i = 0; i < N; i++) {
                r.api.enqueue(invocation(i));
            }
            List<StubRuntimeApi.Recorded> posts = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                posts.add(r.api.nextPost(WAIT));
            }
            Set<String> answered = new HashSet<>();
            for (StubRuntimeApi.Recorded post : posts) {
                post.awaitDone(WAIT);
                String requestId = post.path.split("/")[4];
                answered.add(requestId);
                String i = requestId.substring("req-".length());
                assertEquals("inv-" + i, post.header("Lambda-Runtime-Invocation-Id"));
                assertTrue(post.trailers.isEmpty(), "clean end for " + requestId);
                List<StubRuntimeApi.Chunk> chunks = post.chunks();
                assertEquals(7, chunks.size(), "prelude, open, five lines");
                for (StubRuntimeApi.Chunk chunk : chunks.subList(2, 7)) {
                    assertEquals(requestId + " " + invocation(Integer.parseInt(i)).traceId() + "\n", chunk.text(),
                            "a trace id never crosses to another invocation");
                }
            }
            assertEquals(N, answered.size());
            assertEquals(Set.of(), propertySeen, "with many invocations at once the trace id is never process-wide");
            r.api.awaitWaitingNext(N, WAIT);   // every worker went back for more
        }
    }

    @Test
    void oneAtATime_theTraceIdIsTheSdksSystemPropertyDuringTheInvocationOnly() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) ->
                Response.json("\"" + System.getProperty(Worker.TRACE_PROPERTY) + "\""))) {
            r.api.enqueue("req-1", Duration.ofSeconds(30), "{}");
            assertEquals("\"" + StubRuntimeApi.TRACE_ID + "\"", r.api.nextPost(WAIT).awaitDone(WAIT).bodyText());
            r.api.enqueue(new StubRuntimeApi.Invocation("req-2", "inv-2", System.currentTimeMillis() + 30_000, null, "{}"));
            assertEquals("\"null\"", r.api.nextPost(WAIT).awaitDone(WAIT).bodyText(), "cleared after each invocation");
            assertNull(System.getProperty(Worker.TRACE_PROPERTY));
        }
    }

    @Test
    void aHandlerThatCrashes_failsItsInvocationOnly_andItsWorkerTakesMoreWork() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving(4, (event, context) -> {
            if (context.requestId().equals("req-bad")) {
                throw new IllegalStateException("boom");
            }
            return HttpResponses.stream(HttpPrelude.of(200, Map.of()), sink -> {
                sink.write("a");
                Thread.sleep(300);
                sink.write("b");
            });
        })) {
            r.api.awaitWaitingNext(4, WAIT);
            r.api.enqueue(invocation(1));
            r.api.enqueue(new StubRuntimeApi.Invocation("req-bad", "inv-bad", System.currentTimeMillis() + 60_000, null, "{}"));
            r.api.enqueue(invocation(2));
            Map<String, StubRuntimeApi.Recorded> byPath = new ConcurrentHashMap<>();
            for (int i = 0; i < 3; i++) {
                StubRuntimeApi.Recorded post = r.api.nextPost(WAIT);
                byPath.put(post.path, post.awaitDone(WAIT));
            }
            assertEquals("IllegalStateException", byPath.get("/2018-06-01/runtime/invocation/req-bad/error")
                    .header("Lambda-Runtime-Function-Error-Type"));
            assertEquals("b", byPath.get("/2018-06-01/runtime/invocation/req-1/response").chunks().get(2).text());
            assertEquals("b", byPath.get("/2018-06-01/runtime/invocation/req-2/response").chunks().get(2).text());
            r.api.awaitWaitingNext(4, WAIT);   // all four loops, the failed one's included, wait for more
        }
    }

    @Test
    void aRefusedResponse_410_isLogged_andStopsNoWorker() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving(2, (event, context) -> Response.json("{}"))) {
            r.api.awaitWaitingNext(2, WAIT);
            r.api.timeOut("req-late");
            r.api.enqueue(new StubRuntimeApi.Invocation("req-late", "inv-late", System.currentTimeMillis() + 60_000, null, "{}"));
            assertEquals("inv-late", r.api.nextPost(WAIT).awaitDone(WAIT).header("Lambda-Runtime-Invocation-Id"));
            RunningRuntime.Logged gone = r.awaitLog("invocation_gone");
            assertEquals("req-late", gone.requestId());
            assertEquals(RuntimeLog.Level.WARN, gone.level());
            r.api.awaitWaitingNext(2, WAIT);
            r.api.enqueue(invocation(3));
            assertEquals("/2018-06-01/runtime/invocation/req-3/response", r.api.nextPost(WAIT).awaitDone(WAIT).path);
        }
    }

    @Test
    void a410ToAStreamOrAnErrorIsLoggedTheSameWay_oneAtATime() throws Exception {
        try (RunningRuntime r = RunningRuntime.serving((event, context) -> {
            if (context.requestId().equals("req-err")) {
                throw new IllegalStateException("late failure");
            }
            return HttpResponses.whole(HttpPrelude.of(200, Map.of()), new byte[]{'x'});
        })) {
            r.api.timeOut("req-s");
            r.api.timeOut("req-err");
            r.api.enqueue("req-s", Duration.ofSeconds(30), "{}");
            r.api.nextPost(WAIT).awaitDone(WAIT);
            r.api.enqueue("req-err", Duration.ofSeconds(30), "{}");
            r.api.nextPost(WAIT).awaitDone(WAIT);
            r.api.enqueue("req-ok", Duration.ofSeconds(30), "{}");
            assertEquals("/2018-06-01/runtime/invocation/req-ok/response", r.api.nextPost(WAIT).awaitDone(WAIT).path);
            long goneLines = r.log.stream().filter(l -> l.event().equals("invocation_gone")).count();
            assertEquals(2, goneLines, r.log.toString());
            assertEquals(List.of(), r.logged("response_failed"));
            assertEquals(List.of(), r.logged("report_failed"));
        }
    }

    @Test
    void aLostRuntimeApi_oneAtATime_endsTheProcessWithCode2() throws Exception {
        RunningRuntime r = RunningRuntime.serving((event, context) -> Response.json("{}"));
        r.api.awaitWaitingNext(1, WAIT);
        r.api.close();
        assertEquals(LambdaRuntime.RUNTIME_API_GONE, r.awaitExit(WAIT));
        assertEquals(RuntimeLog.Level.FATAL, r.awaitLog("runtime_stopped").level());
    }

    @Test
    void outOfMemory_isReported_thenTheRuntimeTakesNoMoreWorkAndExits3_afterTheOthersFinish() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        try (RunningRuntime r = RunningRuntime.serving(3, (event, context) -> {
            if (context.requestId().equals("req-oom")) {
                slowStarted.await();
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
            return HttpResponses.stream(HttpPrelude.of(200, Map.of()), sink -> {
                sink.write("started");
                slowStarted.countDown();
                Thread.sleep(500);
                sink.write("finished");
            });
        })) {
            r.api.awaitWaitingNext(3, WAIT);
            r.api.enqueue(invocation(1));
            StubRuntimeApi.Recorded slow = r.api.nextPost(WAIT);
            slow.awaitChunk(1, WAIT);
            r.api.enqueue(new StubRuntimeApi.Invocation("req-oom", "inv-oom", System.currentTimeMillis() + 60_000, null, "{}"));
            StubRuntimeApi.Recorded oom = r.api.nextPost(WAIT).awaitDone(WAIT);
            assertEquals("OutOfMemoryError", oom.header("Lambda-Runtime-Function-Error-Type"));
            assertEquals(LambdaRuntime.JVM_BROKEN, r.awaitExit(WAIT));
            assertEquals("finished", slow.awaitDone(WAIT).chunks().get(2).text(), "the stream in flight finished first");
            assertEquals(0, r.api.waitingNext(), "no worker asks for more work");
        }
    }
}
