package dev.pulse.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check before each start, on a copy of terraform/ and its committed description: one line each time,
 * saying whether the description matches the module, or why it is used although it may not. (Regenerating
 * needs terraform: TerraformMutationIT.)
 */
class LocalFunctionsFileTest {

    private static final Optional<Path> NO_TERRAFORM = Optional.empty();

    private static Path copyOfTerraform() throws Exception {
        Path repo = RealArtifacts.repoRoot();
        Path copy = Files.createTempDirectory("local-functions-").resolve("terraform");
        try (Stream<Path> files = Files.walk(repo.resolve("terraform"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = repo.resolve("terraform").relativize(file);
                if (relative.startsWith(".terraform")) {
                    continue;
                }
                Files.createDirectories(copy.resolve(relative).getParent());
                Files.copy(file, copy.resolve(relative));
            }
        }
        return copy;
    }

    @Test
    void theCommittedDescriptionMatchesTheCommittedModule() throws Exception {
        List<String> lines = new ArrayList<>();
        Path copy = copyOfTerraform();
        LocalFunctions loaded = LocalFunctionsFile.load(copy.getParent(), copy, LocalFunctionsFile.Refresh.AUTO, NO_TERRAFORM, lines::add);
        assertEquals(List.of("[local] functions from terraform/local-functions.json (planned from terraform/ as it is now)"), lines,
                "terraform/ changed since terraform/local-functions.json was made: run `make local-functions` and commit it");
        assertEquals("RESPONSE_STREAM", loaded.functions().get("sse").url().invokeMode());
    }

    @Test
    void aChangedModuleWithoutTerraformIsUsedAsCommittedAndSaysItCouldNotCheck() throws Exception {
        Path copy = copyOfTerraform();
        Files.writeString(copy.resolve("sse.tf"), Files.readString(copy.resolve("sse.tf")) + "\n# changed\n");
        List<String> lines = new ArrayList<>();
        LocalFunctions loaded = LocalFunctionsFile.load(copy.getParent(), copy, LocalFunctionsFile.Refresh.AUTO, NO_TERRAFORM, lines::add);
        assertEquals(List.of("[local] terraform/ changed since terraform/local-functions.json was made, and terraform is not "
                + "installed: could not check or regenerate it, using it as committed"), lines);
        assertEquals(LocalFunctions.read(copy.resolve(LocalFunctionsFile.NAME)), loaded);
    }

    @Test
    void underCiAChangedModuleIsNotRegeneratedSoTheDriftTestSeesIt() throws Exception {
        Path copy = copyOfTerraform();
        Files.writeString(copy.resolve("sse.tf"), Files.readString(copy.resolve("sse.tf")) + "\n# changed\n");
        String before = Files.readString(copy.resolve(LocalFunctionsFile.NAME));
        List<String> lines = new ArrayList<>();
        Path fakeTerraform = Files.createTempFile("terraform", "");
        LocalFunctionsFile.load(copy.getParent(), copy, LocalFunctionsFile.Refresh.fromEnvironment(Map.of("CI", "true")),
                Optional.of(fakeTerraform), lines::add);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("not regenerating it (PULSE_FUNCTIONS_REFRESH=never or CI=true)"), lines.get(0));
        assertEquals(before, Files.readString(copy.resolve(LocalFunctionsFile.NAME)), "untouched");
    }

    @Test
    void noDescriptionAndNoTerraformIsAnError() throws Exception {
        Path copy = copyOfTerraform();
        Files.delete(copy.resolve(LocalFunctionsFile.NAME));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalFunctionsFile.load(copy.getParent(), copy,
                LocalFunctionsFile.Refresh.AUTO, NO_TERRAFORM, line -> { }));
        assertTrue(e.getMessage().contains("terraform/local-functions.json is missing and terraform is not installed"), e.getMessage());
    }

    @Test
    void refreshSettings() {
        assertEquals(LocalFunctionsFile.Refresh.AUTO, LocalFunctionsFile.Refresh.fromEnvironment(Map.of()));
        assertEquals(LocalFunctionsFile.Refresh.NEVER, LocalFunctionsFile.Refresh.fromEnvironment(Map.of("CI", "true")));
        assertEquals(LocalFunctionsFile.Refresh.AUTO,
                LocalFunctionsFile.Refresh.fromEnvironment(Map.of("CI", "true", "PULSE_FUNCTIONS_REFRESH", "auto")));
        assertThrows(IllegalArgumentException.class,
                () -> LocalFunctionsFile.Refresh.fromEnvironment(Map.of("PULSE_FUNCTIONS_REFRESH", "sometimes")));
    }

    @Test
    void theCommittedFileIsExactlyWhatTheWriterWrites() throws Exception {
        Path file = RealArtifacts.repoRoot().resolve("terraform").resolve(LocalFunctionsFile.NAME);
        assertEquals(Files.readString(file), LocalFunctions.read(file).toJson(), "hand-edited? run `make local-functions`");
    }
}
