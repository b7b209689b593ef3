package dev.pulse.local;

import dev.pulse.testing.Layers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The general Lambda emulator knows nothing of Pulse (its package doc, docs/architecture.md). */
class LayersTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final String EMULATOR = "dev.pulse.local.lambda";

    /** Pulse's shared code and its test support, by any name, and Pulse's settings ({@code PULSE_*}) anywhere. */
    private static final Pattern PULSE = Pattern.compile("\\bdev\\.pulse\\.(core|testing)\\b|\\bPULSE_");

    @Test
    void theEmulatorImportsNothingFromPulsesWiring() {
        assertEquals(List.of(), Layers.upwardImports(SOURCES, EMULATOR, "dev.pulse.local"));
    }

    @Test
    void theEmulatorNamesNeitherPulsesCodeNorItsSettings() {
        assertEquals(List.of(), Layers.mentions(SOURCES, EMULATOR, PULSE));
    }
}
