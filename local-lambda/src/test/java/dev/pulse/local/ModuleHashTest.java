package dev.pulse.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The hash changes with what a plan reads, and only with that. */
class ModuleHashTest {

    private static final List<String> VAR_FILES = List.of("envs/preprod.tfvars");

    private static Path module() throws Exception {
        Path dir = Files.createTempDirectory("module-hash-");
        Files.createDirectories(dir.resolve("modules/fn"));
        Files.createDirectories(dir.resolve("envs"));
        Files.writeString(dir.resolve("main.tf"), "module \"fn\" { source = \"./modules/fn\" }\n");
        Files.writeString(dir.resolve("modules/fn/main.tf"), "variable \"x\" {}\n");
        Files.writeString(dir.resolve("envs/preprod.tfvars"), "x = 1\n");
        return dir;
    }

    @Test
    void anyModuleFileOrThePlannedTfvarsChangesIt() throws Exception {
        Path dir = module();
        String before = ModuleHash.of(dir, VAR_FILES);
        assertEquals(before, ModuleHash.of(dir, VAR_FILES), "stable");
        Files.writeString(dir.resolve("modules/fn/main.tf"), "variable \"y\" {}\n");
        String childChanged = ModuleHash.of(dir, VAR_FILES);
        assertNotEquals(before, childChanged, "a child module's file");
        Files.writeString(dir.resolve("envs/preprod.tfvars"), "x = 2\n");
        String tfvarsChanged = ModuleHash.of(dir, VAR_FILES);
        assertNotEquals(childChanged, tfvarsChanged, "the tfvars the description plans with");
        Files.writeString(dir.resolve("extra.tf.json"), "{}");
        assertNotEquals(tfvarsChanged, ModuleHash.of(dir, VAR_FILES), "a new .tf.json file");
    }

    @Test
    void whatAPlanDoesNotReadLeavesItAlone() throws Exception {
        Path dir = module();
        String before = ModuleHash.of(dir, VAR_FILES);
        Files.writeString(dir.resolve("README.md"), "notes\n");
        Files.writeString(dir.resolve("envs/prod.tfvars"), "x = 3\n");
        Files.writeString(dir.resolve("backend_override.tf"), "terraform { backend \"local\" {} }\n");
        Files.writeString(dir.resolve("override.tf"), "\n");
        Files.writeString(dir.resolve("terraform.tfstate"), "{}");
        Files.writeString(dir.resolve(LocalFunctionsFile.NAME), "{}");
        Files.createDirectories(dir.resolve(".terraform/modules"));
        Files.writeString(dir.resolve(".terraform/modules/x.tf"), "\n");
        // Another root in a subdirectory (terraform/managed-instances/) is not read by a plan of this one.
        Files.createDirectories(dir.resolve("managed-instances"));
        Files.writeString(dir.resolve("managed-instances/sse.tf"), "module \"sse\" { source = \"./modules/other\" }\n");
        assertEquals(before, ModuleHash.of(dir, VAR_FILES));
    }
}
