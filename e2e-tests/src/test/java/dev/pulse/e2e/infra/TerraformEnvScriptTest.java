package dev.pulse.e2e.infra;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The root module {@code scripts/terraform-env.sh} plans, applies and destroys an environment from (what its
 * {@code root} action prints, and the deploy workflow uses): terraform/, or terraform/managed-instances when the
 * environment's tfvars set {@code sse_capacity_mode = "managed_instances"}. Runs on a copy of the script beside
 * tfvars files made here.
 */
class TerraformEnvScriptTest {

    @TempDir
    Path dir;
    private Path script;
    private String preprod;

    @BeforeEach
    void copyTheScript() throws IOException {
        assumeTrue(Executables.onPath("bash").isPresent(), "bash is not on PATH");
        script = Script.copyBesideEmptyEnvs("scripts/terraform-env.sh", dir);
        preprod = Files.readString(Script.repo().resolve("terraform/envs/preprod.tfvars"));
        Files.copy(Script.repo().resolve("terraform/envs/preprod.backend.hcl"), dir.resolve("terraform/envs/preprod.backend.hcl"));
    }

    private Script.Result root(String tfvars) throws IOException {
        Files.writeString(dir.resolve("terraform/envs/preprod.tfvars"), tfvars);
        return Script.run(script, List.of("root", "preprod"), Map.of(), dir);
    }

    @Test
    void onDemandByDefaultFromTerraform() throws IOException {
        Script.Result result = root(preprod);
        assertEquals(0, result.exitCode(), result::all);
        assertEquals("terraform\n", result.stdout());
        assertEquals("terraform\n", root(preprod + "# sse_capacity_mode = \"managed_instances\"\n").stdout(),
                "a comment chooses nothing");
        assertEquals("terraform\n", root(preprod + "sse_capacity_mode = \"on_demand\"\n").stdout());
    }

    @Test
    void managedInstancesFromTheirOwnRootAsTerraformReadsTheLastAssignment() throws IOException {
        assertEquals("terraform/managed-instances\n",
                root(preprod + "sse_capacity_mode   =   \"managed_instances\" # many viewers\n").stdout());
        assertEquals("terraform\n", root(preprod + "sse_capacity_mode = \"managed_instances\"\n"
                + "sse_capacity_mode = \"on_demand\"\n").stdout(), "the last one, as terraform reads a tfvars file");
    }

    @Test
    void anotherModeIsRefusedWithTheTwoItCanBe() throws IOException {
        Script.Result result = root(preprod + "sse_capacity_mode = \"spot\"\n");
        assertEquals(2, result.exitCode(), result::all);
        assertEquals("", result.stdout());
        assertTrue(result.stderr().contains("terraform/envs/preprod.tfvars sets sse_capacity_mode = \"spot\": on_demand or "
                + "managed_instances"), result::all);
    }
}
