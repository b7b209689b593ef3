package dev.pulse.local;

import java.nio.file.Path;

/**
 * {@code make local-functions}: plans the root module and writes its functions' description, whether or not
 * it is stale. {@code --terraform-dir DIR} (default {@code terraform} in the repository) and {@code --out FILE}
 * (default {@code DIR/local-functions.json}; the infra tier's drift test writes elsewhere and compares).
 * Exit status 2 when it cannot (the message says why).
 */
public final class DescribeFunctionsMain {

    private DescribeFunctionsMain() {
    }

    public static void main(String[] args) {
        try {
            Path repoRoot = Artifacts.repoRoot(System.getenv(), Path.of(""));
            Path terraformDir = repoRoot.resolve("terraform");
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--terraform-dir" -> terraformDir = Path.of(value(args, ++i)).toAbsolutePath().normalize();
                    case "--out" -> out = Path.of(value(args, ++i)).toAbsolutePath().normalize();
                    default -> throw new IllegalArgumentException("usage: DescribeFunctionsMain [--terraform-dir DIR] [--out FILE]");
                }
            }
            Path file = out != null ? out : terraformDir.resolve(LocalFunctionsFile.NAME);
            long start = System.nanoTime();
            LocalFunctions functions = LocalFunctionsFile.generate(repoRoot, terraformDir);
            functions.write(file);
            System.out.printf("local-functions: %s written from %s (%s) in %.1f s%n", file, terraformDir,
                    String.join(" ", TerraformPlan.PLANNED_WITH), (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            System.err.println("local-functions: " + e.getMessage());
            System.exit(2);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
