package dev.pulse.emulators;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server run as a child process on a loopback port: its output goes to a log file, it counts as started once
 * the port takes a connection, and it is stopped together with every process it started, by {@link #close} or,
 * when the JVM ends first, by a shutdown hook. A child that exits or stays silent while starting is an
 * {@link IOException} whose message says what to do and ends with the tail of its output.
 */
public final class ChildServer implements AutoCloseable {

    /** Lines of the child's output that a failure message ends with. */
    static final int LOG_TAIL_LINES = 40;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /**
     * What to start.
     *
     * @param name         how messages name it, e.g. "the DynamoDB emulator"
     * @param command      its command line, which makes it listen on {@code port} of 127.0.0.1
     * @param port         the port it answers on once started
     * @param log          where its standard output and error go (the caller's file: it outlives the child)
     * @param startTimeout how long it may take to answer
     * @param advice       what a person should do when it cannot start, e.g. how to install it
     */
    public record Launch(String name, List<String> command, int port, Path log, Duration startTimeout, String advice) {
        public Launch {
            command = List.copyOf(command);
        }
    }

    private final Launch launch;
    private final Process process;
    private final Thread hook;

    private ChildServer(Launch launch, Process process) {
        this.launch = launch;
        this.process = process;
        this.hook = new Thread(this::stop, "stop " + launch.name());
    }

    /** A port nobody listens on now, on the loopback address. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts the child and waits until its port answers.
     *
     * @throws IOException when it cannot be run, exits first, or does not answer within the start timeout (it is
     *                     stopped then); the message names it, gives the advice and ends with its output's tail
     */
    public static ChildServer start(Launch launch) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(launch.command())
                    .redirectErrorStream(true)
                    .redirectOutput(launch.log().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IOException(launch.name() + " could not be started (" + e.getMessage() + "): "
                    + launch.advice(), e);
        }
        ChildServer server = new ChildServer(launch, process);
        Runtime.getRuntime().addShutdownHook(server.hook);
        try {
            server.awaitPort();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void awaitPort() throws IOException {
        long deadline = System.nanoTime() + launch.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(launch.name() + " exited with " + process.exitValue() + " before it answered on port "
                        + launch.port() + " (" + launch.advice() + "). Its output:\n" + logTail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), launch.port()), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new IOException(launch.name() + " did not answer on port " + launch.port() + " within "
                + launch.startTimeout().toSeconds() + " s, and was stopped. Its output:\n" + logTail());
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a child server to answer");
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + launch.port());
    }

    /** Where its output goes: the place to look when it stops. */
    public Path log() {
        return launch.log();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last {@value #LOG_TAIL_LINES} lines it wrote, each marked as its own. */
    public String logTail() {
        try {
            // Lenient decoding: a child's odd bytes must not hide its output.
            List<String> lines = new String(Files.readAllBytes(launch.log()), StandardCharsets.UTF_8).lines().toList();
            int from = Math.max(0, lines.size() - LOG_TAIL_LINES);
            return (from > 0 ? "  ... (" + from + " earlier lines)\n" : "")
                    + String.join("\n", lines.subList(from, lines.size()).stream().map(line -> "  | " + line).toList());
        } catch (IOException e) {
            return "  (no output: " + e.getMessage() + ")";
        }
    }

    /** Stops it and every process it started. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /**
     * SIGTERM to the child and its descendants, then force what is left. The descendants are listed before the
     * child goes: once it has, they belong to another parent and cannot be found from it.
     */
    private void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            if (!process.waitFor(STOP_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            }
            for (ProcessHandle child : descendants) {
                while (child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
