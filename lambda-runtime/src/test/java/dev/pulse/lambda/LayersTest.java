package dev.pulse.lambda;

import dev.pulse.testing.Layers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The module's promises about itself: the JDK only, and its layers wire, runtime, http, each importing downwards. */
class LayersTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

    @Test
    void theMainCodeImportsTheJdkAndItselfOnly() throws IOException {
        List<String> foreign;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            foreign = files.filter(f -> f.toString().endsWith(".java")).flatMap(file -> {
                try {
                    Matcher imports = IMPORT.matcher(Files.readString(file));
                    return imports.results().map(m -> m.group(1))
                            .filter(i -> !i.startsWith("java.") && !i.startsWith("dev.pulse.lambda."))
                            .map(i -> SOURCES.relativize(file) + ": import " + i);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(List.of(), foreign);
    }

    @ParameterizedTest
    @CsvSource({
            "dev.pulse.lambda.wire, dev.pulse.lambda.runtime",
            "dev.pulse.lambda.wire, dev.pulse.lambda.http",
            "dev.pulse.lambda.runtime, dev.pulse.lambda.http"})
    void noLayerImportsFromOneAbove(String lower, String upper) {
        assertEquals(List.of(), Layers.upwardImports(SOURCES, lower, upper));
    }
}
