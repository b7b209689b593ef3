package dev.pulse.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The checker itself: what it finds and where it does not look. */
class LayersTest {

    private static final Pattern FORBIDDEN = Pattern.compile("\\bacme\\.core\\b|\\bACME_");

    private static void write(Path sources, String file, String text) throws IOException {
        Path path = sources.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    @Test
    void anUpwardImportIsFoundAndADownwardOneIsNot(@TempDir Path sources) throws IOException {
        write(sources, "low/A.java", "package low;\n\nimport high.B;\nimport low.sub.C;\n\nclass A {}\n");
        write(sources, "high/B.java", "package high;\n\nimport low.A;\n\nclass B {}\n");
        assertEquals(List.of("low/A.java: import high.B"), Layers.upwardImports(sources, "low", "high"));
    }

    @Test
    void aFullNameOrAStringIsFoundInThePackageAndBelowItOnly(@TempDir Path sources) throws IOException {
        write(sources, "emu/A.java", """
                package emu;

                class A {
                    Object rule = acme.core.Rule.parse("x");
                    String hint = "set ACME_ORIGINS";
                    String fine = "NOTACME_X" + acme.coreish();
                }
                """);
        write(sources, "emu/sub/B.java", "package emu.sub;\n\nimport acme.core.Rule;\n\nclass B {}\n");
        write(sources, "wiring/C.java", "package wiring;\n\nimport acme.core.Rule;\n\nclass C { String s = \"ACME_X\"; }\n");
        assertEquals(List.of(
                        "emu/A.java:4: Object rule = acme.core.Rule.parse(\"x\");",
                        "emu/A.java:5: String hint = \"set ACME_ORIGINS\";",
                        "emu/sub/B.java:3: import acme.core.Rule;"),
                Layers.mentions(sources, "emu", FORBIDDEN));
    }
}
