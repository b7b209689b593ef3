package dev.pulse.lambda.bench;

import dev.pulse.lambda.http.HttpPrelude;
import dev.pulse.lambda.http.HttpResponses;
import dev.pulse.lambda.runtime.LambdaRuntime;
import dev.pulse.lambda.runtime.Response;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The functions {@link RuntimeBench} runs on this runtime, each as its own process: {@code stream} writes one line at
 * once (the runtime's own overhead); {@code buffered} answers a whole JSON body (init beside the official client);
 * {@code ticks} writes a line a second until 2 s before its deadline (streams that mostly wait).
 */
public final class BenchFunction {

    private BenchFunction() {
    }

    public static void main(String[] args) {
        HttpPrelude text = HttpPrelude.of(200, Map.of("Content-Type", "text/plain"));
        switch (args[0]) {
            case "stream" -> LambdaRuntime.start((event, context) -> HttpResponses.stream(text, sink -> sink.write("hello\n")));
            case "buffered" -> LambdaRuntime.start((event, context) -> Response.json("{\"statusCode\":200,\"body\":\"hello\"}"));
            case "ticks" -> LambdaRuntime.start((event, context) -> HttpResponses.stream(text, sink -> {
                while (context.remainingTime().compareTo(Duration.ofSeconds(2)) > 0) {
                    sink.write(("tick " + context.requestId() + "\n").getBytes(StandardCharsets.UTF_8));
                    Thread.sleep(1000);
                }
            }));
            default -> throw new IllegalArgumentException("stream, buffered or ticks: " + args[0]);
        }
    }
}
