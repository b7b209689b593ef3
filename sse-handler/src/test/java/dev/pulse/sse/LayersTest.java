package dev.pulse.sse;

import dev.pulse.testing.Layers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SSE function's layers (docs/architecture.md): http below app; the wiring on top; the runtime is a module of its own. */
class LayersTest {

    @ParameterizedTest
    @CsvSource({
            "dev.pulse.sse.http, dev.pulse.sse.app",
            "dev.pulse.sse.http, dev.pulse.sse.SseRuntimeMain",
            "dev.pulse.sse.app, dev.pulse.sse.SseRuntimeMain"})
    void noLayerImportsFromOneAbove(String lower, String upper) {
        assertEquals(List.of(), Layers.upwardImports(Path.of("src/main/java"), lower, upper));
    }
}
