package dev.pulse.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner against stand-in executables: the exact arguments, errors, and a missing binary. */
class TerraformCliTest {

    @TempDir
    Path tmp;

    private Path script(String body) throws IOException {
        Path s = tmp.resolve("terraform");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    @Test
    void runsOutputJsonInTheGivenDirectory() throws IOException {
        Path args = tmp.resolve("args");
        Path tf = script("echo \"$@\" > " + args + "\necho '{\"table_name\":{\"value\":\"t\"}}'");
        String out = new TerraformCli(tf.toString(), Duration.ofSeconds(20)).outputJson(Path.of("/some/dir"));
        assertEquals("{\"table_name\":{\"value\":\"t\"}}", out.trim());
        assertEquals("-chdir=/some/dir output -json -no-color", Files.readString(args).trim());
    }

    @Test
    void aFailingTerraformReportsItsErrorLine() throws IOException {
        Path tf = script("echo 'Warning: Unable to open CLI configuration file' >&2\n"
                + "printf '\\033[31m│\\033[0m Error: Backend initialization required, please run \"terraform init\"\\n' >&2\n"
                + "exit 1");
        IOException e = assertThrows(IOException.class,
                () -> new TerraformCli(tf.toString(), Duration.ofSeconds(20)).outputJson(tmp));
        assertEquals("terraform output exited with 1: Error: Backend initialization required, please run \"terraform init\"",
                e.getMessage());
    }

    @Test
    void aMissingBinarySaysSo() {
        IOException e = assertThrows(IOException.class,
                () -> new TerraformCli(tmp.resolve("absent").toString(), Duration.ofSeconds(5)).outputJson(tmp));
        assertTrue(e.getMessage().contains("is Terraform installed"), e.getMessage());
    }

    @Test
    void aHangingTerraformTimesOut() throws IOException {
        Path tf = script("exec sleep 30");
        IOException e = assertThrows(IOException.class,
                () -> new TerraformCli(tf.toString(), Duration.ofMillis(300)).outputJson(tmp));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    }
}
