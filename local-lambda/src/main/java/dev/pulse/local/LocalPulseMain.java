package dev.pulse.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * {@code java -jar local-lambda/target/local-lambda.jar}: starts the local stack in the foreground (its functions
 * as terraform/local-functions.json describes them), prints its URLs, writes the outputs file once every URL
 * answers, and stops everything on Ctrl-C / SIGTERM.
 * Exit status 0 when stopped on request, 2 when it cannot start, 3 when a part of it died (the message says
 * which).
 */
public final class LocalPulseMain {

    private LocalPulseMain() {
    }

    /** Set when the stack is being stopped on purpose: the failures that stopping causes are not news. */
    private static volatile boolean stopping;

    public static void main(String[] args) throws InterruptedException {
        Consumer<String> console = line -> {
            if (!stopping) {
                println(line);
            }
        };
        LocalPulseConfig config;
        LocalPulse stack;
        try {
            config = LocalPulseConfig.fromEnvironment(System.getenv(), Path.of(""));
            stack = LocalPulse.start(config, console);
        } catch (RuntimeException e) {
            System.err.println("local stack: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean onRequest = !stopping;   // Ctrl-C / SIGTERM, not a part that died
            stopping = true;
            stack.close();
            stopped.countDown();
            if (onRequest) {
                println("[local] stopped: functions, environments and DynamoDB");
                // Stopping on request is not a failure: exit 0, so `make run` does not end with "Error 130/143".
                Runtime.getRuntime().halt(0);
            }
        }, "local-stack-shutdown"));
        watchForDeadParts(stack);
        try {
            stack.awaitAnswering(config.initTimeout().plus(Duration.ofSeconds(30)));
            stack.writeOutputs(config.outputsFile());
        } catch (RuntimeException e) {
            System.err.println("local stack: " + e.getMessage());
            System.exit(2); // runs the shutdown hook
            return;
        }
        println("");
        println("Pulse local stack is up (no AWS account involved):");
        stack.urls().forEach((function, url) -> println(String.format("  %-40s  %s", function + " function URL ("
                + stack.description().functions().get(function).url().invokeMode() + "):", url)));
        if (stack.urls().containsKey(LocalPulse.PAGE_FUNCTION)) {
            println(String.format("  %-40s  %s", "open the dashboard page:", stack.url(LocalPulse.PAGE_FUNCTION)));
        }
        if (stack.urls().containsKey(LocalPulseConfig.SSE_FUNCTION)) {
            println("  stream events:   curl -N " + stack.url(LocalPulseConfig.SSE_FUNCTION) + "api/v2/stream");
        }
        println("  DynamoDB" + (config.dynamoEndpoint() == null ? " (moto): " : ":       ") + stack.dynamoEndpoint()
                + "  table " + config.table());
        println("  outputs:         " + config.outputsFile());
        println("  writes: " + (config.apiKey() == null || config.apiKey().isEmpty()
                ? "open (no PULSE_API_KEY)" : "need Authorization: Bearer $PULSE_API_KEY"));
        println("  browsers: only pages from " + stack.corsOrigins() + " (PULSE_CORS_ALLOWED_ORIGINS)");
        if ("1".equals(System.getenv("PULSE_DEMO")) && stack.urls().containsKey(LocalPulse.PAGE_FUNCTION)) {
            // make demo: something to look at on the first run; stopped with the rest (a daemon thread)
            new DemoWriter(stack.url(LocalPulse.PAGE_FUNCTION), config.apiKey(), Duration.ofMillis(800), console).start();
        }
        println("Press Ctrl-C to stop.");
        stopped.await();
    }

    /** A part that dies on its own stops the whole stack with one clear line, rather than retries in the log. */
    private static void watchForDeadParts(LocalPulse stack) {
        Thread.ofPlatform().daemon().name("local-stack-watchdog").start(() -> {
            while (true) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
                var dead = stack.deadPart();
                if (dead.isPresent()) {
                    println("[local] stopping the whole stack: " + dead.get());
                    stopping = true;
                    System.exit(3);
                }
            }
        });
    }

    private static synchronized void println(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
