package dev.pulse.local.lambda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator's Lambda Managed Instances mode, with fixture functions whose runtime runs
 * {@code AWS_LAMBDA_MAX_CONCURRENCY} workers: the environments start with the function, N invocations share one
 * environment process, the (environments x N + 1)-th concurrent request is throttled, and a timeout answers its
 * client while the process goes on serving; the late answer gets 410 and frees its slot.
 */
class ManagedInstancesEmulationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final CapturedLog log = new CapturedLog();
    private final LambdaEmulator stack = new LambdaEmulator(log);

    @AfterEach
    void stop() {
        stack.close();
    }

    private URI add(String name, InvokeMode mode, Capacity capacity, Duration timeout) throws Exception {
        return stack.addFunction(Fixtures.spec(name, mode, 1, timeout).withCapacity(capacity), 0);
    }

    /** Waits for each environment of {@code name} to say it is ready (its runtime asked for an invocation). */
    private void awaitReady(String name, int environments) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (log.lines.stream().filter(line -> line.startsWith("[" + name + "] env ") && line.contains(": ready (")).count()
                < environments) {
            assertTrue(System.nanoTime() < deadline, "the environments did not get ready: " + log.lines);
            Thread.sleep(50);
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(URI url, String pathAndQuery) {
        return HTTP.sendAsync(HttpRequest.newBuilder(url.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<InputStream> open(URI url, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private Set<Long> pids() {
        return stack.processes().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void theEnvironmentsStartWithTheFunctionSoNoRequestStartsAProcess() throws Exception {
        URI url = add("fixture-prestarted", InvokeMode.BUFFERED, Capacity.managedInstances(2, 3), Duration.ofSeconds(10));
        assertEquals(2, stack.environments("fixture-prestarted"), "started when the function was added");
        Set<Long> before = pids();
        assertEquals(2, before.size());
        awaitReady("fixture-prestarted", 2);
        assertTrue(log.contains("[fixture-prestarted] env 1: ready (", "AWS_LAMBDA_MAX_CONCURRENCY=3"), log.lines::toString);

        Set<Long> served = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = send(url, "pid").join();
            assertEquals(200, response.statusCode());
            served.add(Long.parseLong(response.body()));
        }
        assertTrue(before.containsAll(served), "served by the pre-started processes " + before + ": " + served);
        assertEquals(before, pids(), "and no process was started for a request");
        assertTrue(log.lines.stream().noneMatch(line -> line.contains("[fixture-prestarted] env 3")), log.lines::toString);
    }

    @Test
    void nStreamsAtOnceShareOneEnvironmentProcessAndTheNextRequestIsThrottled() throws Exception {
        URI url = add("fixture-shared", InvokeMode.RESPONSE_STREAM, Capacity.managedInstances(1, 4), Duration.ofSeconds(10));
        awaitReady("fixture-shared", 1);
        long pid = pids().iterator().next();

        List<CompletableFuture<List<Fixtures.Arrival>>> streams = new ArrayList<>();
        List<HttpResponse<InputStream>> opened = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // 2.5 s each: all four still run when the fifth comes, however slowly a loaded machine opens them
            HttpResponse<InputStream> response = open(url, "stream?n=6&gap=500");
            assertEquals(200, response.statusCode());
            opened.add(response);
        }
        for (HttpResponse<InputStream> response : opened) {
            streams.add(CompletableFuture.supplyAsync(() -> {
                try (InputStream body = response.body()) {
                    return Fixtures.readEvents(body, 10);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        // All four are running now, in the one environment: a fifth finds no free slot.
        HttpResponse<String> fifth = send(url, "pid").join();
        assertEquals(429, fifth.statusCode(), "1 environment x 4 invocations: the 5th is throttled");
        assertTrue(fifth.body().contains("TooManyRequestsException") || fifth.body().contains("Rate Exceeded"), fifth.body());

        List<List<Fixtures.Arrival>> events = streams.stream().map(CompletableFuture::join).toList();
        long firstEnd = Long.MAX_VALUE;
        long lastStart = 0;
        for (List<Fixtures.Arrival> stream : events) {
            assertEquals(6, stream.size(), "every event of every stream: " + events);
            stream.forEach(event -> assertEquals(pid, event.pid(), "one environment process: " + events));
            lastStart = Math.max(lastStart, stream.getFirst().arrivedAtMillis());
            firstEnd = Math.min(firstEnd, stream.getLast().writtenAtMillis());
        }
        assertTrue(lastStart < firstEnd, "the four streams ran at the same time, not one after another: " + events);
        assertEquals(Set.of(pid), pids(), "still the one process");
        assertEquals(200, send(url, "pid").join().statusCode(), "the slots are free again once the streams ended");
    }

    @Test
    void requestsGoToTheLeastBusyEnvironmentUntilEverySlotIsTaken() throws Exception {
        URI url = add("fixture-spread", InvokeMode.RESPONSE_STREAM, Capacity.managedInstances(2, 2), Duration.ofSeconds(10));
        awaitReady("fixture-spread", 2);
        List<HttpResponse<InputStream>> opened = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            opened.add(open(url, "stream?n=4&gap=500"));
        }
        assertEquals(429, send(url, "pid").join().statusCode(), "2 environments x 2: the 5th is throttled");
        List<Long> servedBy = new ArrayList<>();
        for (HttpResponse<InputStream> response : opened) {
            servedBy.add(Long.parseLong(response.headers().firstValue("x-fixture-pid").orElseThrow()));
            try (InputStream body = response.body()) {
                assertEquals(4, Fixtures.readEvents(body, 10).size());
            }
        }
        Set<Long> distinct = new HashSet<>(servedBy);
        assertEquals(pids(), distinct, "both environments served: " + servedBy);
        distinct.forEach(p -> assertEquals(2, servedBy.stream().filter(p::equals).count(), "two each: " + servedBy));
    }

    @Test
    void anEnvironmentThatExitsIsReplacedAtOnceAndTheFunctionKeepsItsEnvironments() throws Exception {
        URI url = add("fixture-replaced", InvokeMode.RESPONSE_STREAM, Capacity.managedInstances(1, 2), Duration.ofSeconds(10));
        awaitReady("fixture-replaced", 1);
        long crashed = pids().iterator().next();

        try (InputStream body = open(url, "crash").body()) {
            body.readAllBytes();
        } catch (IOException truncated) {
            // the runtime died mid-stream: the client sees a cut response
        }
        awaitReady("fixture-replaced", 2);
        assertTrue(log.contains("[fixture-replaced] an environment exited: starting another in its place"),
                log.lines::toString);
        Set<Long> now = pids();
        assertEquals(1, now.size(), "one environment again, not more: " + now);
        assertFalse(now.contains(crashed), "a new process: " + now);
        assertEquals(1, stack.environments("fixture-replaced"));
        List<HttpResponse<String>> both = List.of(send(url, "sleep?ms=300"), send(url, "sleep?ms=300")).stream()
                .map(CompletableFuture::join).toList();
        both.forEach(response -> assertEquals(200, response.statusCode(), "both slots of the new environment serve"));
        assertEquals(now, pids(), "and no request started another");
    }

    @Test
    void aTimeoutAnswersItsClientTheProcessGoesOnAndTheLateAnswerGets410AndFreesTheSlot() throws Exception {
        URI url = add("fixture-late", InvokeMode.BUFFERED, Capacity.managedInstances(1, 2), Duration.ofSeconds(1));
        awaitReady("fixture-late", 1);
        long pid = pids().iterator().next();

        long before = System.nanoTime();
        HttpResponse<String> timedOut = send(url, "late?ms=3500").join();
        long millis = (System.nanoTime() - before) / 1_000_000;
        assertEquals(502, timedOut.statusCode(), "the client gets the URL's answer to a timeout");
        assertEquals(LambdaErrorType.TIMED_OUT.wireName(), timedOut.headers().firstValue("x-amzn-ErrorType").orElse(""));
        assertTrue(millis >= 900 && millis < 3000, "at the 1 s timeout, not at the function's answer: " + millis + " ms");
        String requestId = timedOut.headers().firstValue("x-amzn-RequestId").orElseThrow();

        // The process was not killed, and its other worker serves; the timed-out invocation still holds its slot.
        assertEquals(Set.of(pid), pids());
        CompletableFuture<HttpResponse<String>> second = send(url, "sleep?ms=700");
        Thread.sleep(200);
        assertEquals(429, send(url, "pid").join().statusCode(),
                "one slot serves, the other is the timed-out invocation's until the runtime answers it");
        assertEquals(200, second.join().statusCode());

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!log.contains("[fixture-late] late answer " + requestId + ": 410")) {
            assertTrue(System.nanoTime() < deadline, "the late answer was not answered 410: " + log.lines);
            Thread.sleep(50);
        }
        assertTrue(log.contains("answer for invocation " + requestId + " came after it timed out: 410 Gone"), log.lines::toString);
        List<HttpResponse<String>> both = List.of(send(url, "sleep?ms=300"), send(url, "sleep?ms=300")).stream()
                .map(CompletableFuture::join).toList();
        both.forEach(response -> assertEquals(200, response.statusCode(), "both slots are free after the late answer"));
        assertEquals(Set.of(pid), pids(), "the same process throughout");
        assertEquals(String.valueOf(pid), send(url, "pid").join().body());
    }
}
