package dev.pulse.e2e.infra;

import dev.pulse.e2e.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lint step refuses any {@code uses:} that is not pinned to a full 40-hex commit SHA with its version in a
 * comment ({@code scripts/check-action-pins.sh}, run by {@code scripts/lint.sh}, the first step of make test).
 */
class ActionPinsLintTest {

    private static final String SHA = "3d3c42e5aac5ba805825da76410c181273ba90b1";
    private Path dir;

    @BeforeEach
    void needsBash() throws IOException {
        assumeTrue(Executables.onPath("bash").isPresent(), "bash is not on PATH");
        dir = Files.createTempDirectory("action-pins");
    }

    @AfterEach
    void cleanUp() {
        if (dir != null) {
            TempDirs.deleteTree(dir);
        }
    }

    private static String workflow(String uses) {
        return """
                name: fixture
                on: push
                jobs:
                  one:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "uses: actions/checkout@v4 in a script is not a step"
                      # uses: actions/checkout@v4 in a comment is not a step either
                %s
                """.formatted(uses);
    }

    private Script.Result check(String uses) throws IOException {
        Path file = Files.writeString(dir.resolve("workflow.yml"), workflow(uses));
        return Script.run(Script.repo().resolve("scripts/check-action-pins.sh"), List.of(file.toString()), Map.of(), dir);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "      - uses: actions/checkout@v4",
            "      - uses: actions/checkout@v4.2.2 # v4.2.2",
            "      - uses: actions/checkout@main",
            "      - uses: actions/checkout",
            "      - uses: actions/checkout@3d3c42e # v7.0.1",
            "      - uses: \"actions/checkout@v4\"",
            "      - uses: actions/checkout@" + SHA + "0 # v7.0.1",
            "      - uses: docker://alpine:3.20",
            "    uses: octo-org/workflows/.github/workflows/test.yml@v1",
    })
    void refusesAnythingButACommitSha(String uses) throws IOException {
        Script.Result result = check(uses);
        assertEquals(1, result.exitCode(), result::all);
        assertTrue(result.stdout().contains("workflow.yml:9: "), "names the file and line: " + result.all());
        assertTrue(result.stdout().contains("not pinned") || result.stdout().contains("digest"), result::all);
    }

    @Test
    void refusesAShaWithoutItsVersionComment() throws IOException {
        Script.Result result = check("      - uses: actions/checkout@" + SHA);
        assertEquals(1, result.exitCode(), result::all);
        assertTrue(result.stdout().contains("without its version in a comment"), result::all);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "      - uses: actions/checkout@" + SHA + " # v7.0.1",
            "      - uses: 'actions/checkout@" + SHA + "'  # v7",
            "    uses: ./.github/workflows/make-test.yml",
            "    uses: octo-org/workflows/.github/workflows/test.yml@" + SHA + " # v1.2.3",
            "      - uses: docker://alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    })
    void acceptsPinnedAndLocalUses(String uses) throws IOException {
        Script.Result result = check(uses);
        assertEquals(0, result.exitCode(), result::all);
        assertTrue(result.stdout().contains("action pins: 1 uses: lines in 1 files pinned"), result::all);
    }

    @Test
    void theRepositorysOwnWorkflowsArePinned() throws IOException {
        Script.Result result = Script.run(Script.repo().resolve("scripts/check-action-pins.sh"), List.of(), Map.of(),
                Script.repo());
        assertEquals(0, result.exitCode(), result::all);
    }

    /** The lint step itself (what make test runs first), on a copy of the repo's scripts and workflows plus one bad workflow. */
    @Test
    void theLintStepFailsOnATagPin() throws IOException {
        Path repo = Script.repo();
        copyTree(repo.resolve("scripts"), dir.resolve("scripts"));
        copyTree(repo.resolve(".github"), dir.resolve(".github"));
        Script.Result clean = Script.run(dir.resolve("scripts/lint.sh"), List.of(), Map.of(), dir);
        assertEquals(0, clean.exitCode(), "the copy lints clean before the bad line: " + clean.all());

        Files.writeString(dir.resolve(".github/workflows/unpinned.yml"), workflow("      - uses: actions/setup-java@v4"));
        Script.Result result = Script.run(dir.resolve("scripts/lint.sh"), List.of(), Map.of(), dir);
        assertEquals(1, result.exitCode(), result::all);
        assertTrue(result.stdout().contains(".github/workflows/unpinned.yml:9: not pinned to a full 40-hex commit SHA"),
                result::all);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
