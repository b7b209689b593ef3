package dev.pulse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A DynamoDB API on a free loopback port, for tests and the local stack.
 *
 * <p>It runs moto's DynamoDB (a Python package, Apache-2.0) through {@code dynamodb-emulator.py},
 * which serialises writes and keeps transactions O(1). AWS's DynamoDB Local is not used because its
 * licence is not an open-source one. Needs {@code python3} with {@code moto[server]} installed
 * ({@code PULSE_PYTHON} picks another interpreter).
 */
public final class DynamoDbEmulator implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private DynamoDbEmulator(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    private static DynamoDbEmulator shared;

    public static DynamoDbEmulator start() {
        return start(0);
    }

    /**
     * One emulator for every test class of a test JVM, started on first use and stopped by its shutdown hook:
     * starting moto takes seconds. Tests that share it use their own table names, and never close it.
     */
    public static synchronized DynamoDbEmulator shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Starts the emulator on {@code port} (0 = any free port) and waits until it answers. */
    public static DynamoDbEmulator start(int port) {
        try {
            Path dir = Files.createTempDirectory("pulse-dynamodb-");
            Path script = dir.resolve("dynamodb-emulator.py");
            try (InputStream in = DynamoDbEmulator.class.getResourceAsStream("dynamodb-emulator.py")) {
                Files.copy(in, script);
            }
            int chosen = port == 0 ? freePort() : port;
            Path log = dir.resolve("emulator.log");
            Process process = new ProcessBuilder(List.of(python(), script.toString(), "--port", Integer.toString(chosen)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            DynamoDbEmulator emulator = new DynamoDbEmulator(process, URI.create("http://127.0.0.1:" + chosen), log);
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
            emulator.awaitReady(chosen);
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the DynamoDB emulator (" + python()
                    + "): install Python 3 and moto[server], or set PULSE_PYTHON", e);
        }
    }

    private static String python() {
        String configured = System.getenv("PULSE_PYTHON");
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    private void awaitReady(int port) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the DynamoDB emulator exited with " + process.exitValue()
                        + " (is moto installed? `python3 -c 'import moto'`):\n" + Files.readString(log));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException("the DynamoDB emulator did not open port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s:\n" + Files.readString(log));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the DynamoDB emulator", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** What the emulator printed: the place to look when it stops. */
    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
