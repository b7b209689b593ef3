package dev.pulse.emulators;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MotoServerTest {

    @Test
    void aServerThatExitsSaysHowToInstallMoto() {
        // `false` stands for a moto_server that exits at once
        IOException failure = assertThrows(IOException.class, () -> MotoServer.start(Path.of("false"), Duration.ofSeconds(30)));
        assertTrue(failure.getMessage().startsWith("moto_server exited with 1 before it answered on port "), failure.getMessage());
        assertTrue(failure.getMessage().contains("`make tools` installs moto[server]"), failure.getMessage());
    }
}
