package dev.pulse.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * {@code java -jar local-lambda/target/local-lambda.jar}: starts the local stack in the foreground (its functions
 * as terraform/local-functions.json describes them), prints its URLs, writes the outputs file once every URL
 * answers, and stops everything on Ctrl-C / SIGTERM.
 * Exit status 2 when it cannot start (the message says why).
 */
public final class LocalPulseMain {

    private LocalPulseMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Consumer<String> console = LocalPulseMain::println;
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
            println("[local] stopping: functions, environments, DynamoDB");
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));
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
        println("Press Ctrl-C to stop.");
        stopped.await();
    }

    private static synchronized void println(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
