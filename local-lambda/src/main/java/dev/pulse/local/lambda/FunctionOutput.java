package dev.pulse.local.lambda;

import java.util.function.Consumer;

/**
 * Where the lines a function's runtime writes go (its stdout and stderr, merged, one call per line): on Lambda, each
 * becomes an event in the function's CloudWatch log group. Called from each environment's reader thread.
 */
@FunctionalInterface
public interface FunctionOutput {

    void line(FunctionSpec function, String line);

    /** Each line on the emulator's console after the function's prefix ({@code [orders] ...}): the default. */
    static FunctionOutput console(Consumer<String> log) {
        return (function, line) -> log.accept(function.logPrefix() + " " + line);
    }
}
