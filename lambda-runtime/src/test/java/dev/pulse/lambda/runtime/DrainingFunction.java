package dev.pulse.lambda.runtime;

import dev.pulse.lambda.http.HttpPrelude;
import dev.pulse.lambda.http.HttpResponses;

import java.util.Map;

/** A function run as its own process by {@link SigtermTest}: each invocation streams ten parts, 100 ms apart. */
public final class DrainingFunction {

    private DrainingFunction() {
    }

    public static void main(String[] args) {
        LambdaRuntime.start((event, context) -> HttpResponses.stream(HttpPrelude.of(200, Map.of()), sink -> {
            for (int i = 0; i < 10; i++) {
                sink.write("part " + i + "\n");
                Thread.sleep(100);
            }
        }));
    }
}
