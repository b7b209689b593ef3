package dev.pulse.e2e;

import java.io.IOException;
import java.nio.file.Path;

/** Where {@code terraform output -json} comes from; {@link TerraformCli} runs the real binary. */
@FunctionalInterface
public interface TerraformOutputSource {

    /** @throws IOException with a one-line reason when no outputs can be read */
    String outputJson(Path dir) throws IOException;
}
