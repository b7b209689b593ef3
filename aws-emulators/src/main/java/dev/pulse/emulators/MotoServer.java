package dev.pulse.emulators;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code moto_server} (moto's emulator of every AWS API) on a free loopback port: the AWS the infra tier applies
 * Terraform to and reads back with the AWS SDK. {@link #close} stops it and deletes its log; a shutdown hook stops
 * it if the JVM ends first.
 */
public final class MotoServer implements AutoCloseable {

    private final ChildServer server;

    private MotoServer(ChildServer server) {
        this.server = server;
    }

    /**
     * Starts {@code executable} and waits until it answers.
     *
     * @throws IOException when it exits or does not answer within {@code timeout} (the message ends with its
     *                     output's tail)
     */
    public static MotoServer start(Path executable, Duration timeout) throws IOException {
        int port = ChildServer.freePort();
        Path log = Files.createTempFile("moto-server", ".log");
        try {
            return new MotoServer(ChildServer.start(new ChildServer.Launch("moto_server",
                    List.of(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)), port, log, timeout,
                    "`make tools` installs moto[server] into .tools/moto")));
        } catch (IOException e) {
            Files.deleteIfExists(log);
            throw e;
        }
    }

    public URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() {
        server.close();
        try {
            Files.deleteIfExists(server.log());
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
