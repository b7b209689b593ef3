package dev.pulse.local;

import dev.pulse.testing.Layers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The general Lambda emulator knows nothing of Pulse's wiring (docs/architecture.md). */
class LayersTest {

    @Test
    void theEmulatorImportsNothingFromPulsesWiring() {
        assertEquals(List.of(), Layers.upwardImports(Path.of("src/main/java"), "dev.pulse.local.lambda", "dev.pulse.local"));
    }
}
