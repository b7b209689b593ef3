package dev.pulse.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Where the deployed artifacts and the runtime interface client are, and how Lambda unpacks them. The artifact
 * paths are fixed (docs/architecture.md); which function runs which comes from the description.
 */
final class Artifacts {

    static final String DASHBOARD_JAR = "dashboard-handler/target/dashboard-handler.jar";
    static final String SSE_ZIP = "sse-handler/target/sse-handler.zip";
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private Artifacts() {
    }

    /** PULSE_REPO_ROOT, else the nearest directory at or above {@code cwd} holding sse-handler/ and pom.xml. */
    static Path repoRoot(Map<String, String> env, Path cwd) {
        String configured = env.get("PULSE_REPO_ROOT");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = cwd.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("sse-handler")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Pulse repository (a directory with sse-handler/ and pom.xml) at or above "
                + cwd.toAbsolutePath() + ": run from inside the repository or set PULSE_REPO_ROOT");
    }

    /** The artifact, or a clear error saying how to build it. */
    static Path require(Path repoRoot, String relative) {
        Path artifact = repoRoot.resolve(relative);
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalStateException(artifact + " is missing: build the function artifacts first (`make build`, or "
                    + "`mvn -pl dashboard-handler,sse-handler -am package -DskipTests` in " + repoRoot + ")");
        }
        return artifact;
    }

    /** Unpacks a jar or zip as Lambda unpacks a deployment package into /var/task; bootstrap becomes executable. */
    static Path extract(Path archive, Path target) {
        try {
            Files.createDirectories(target);
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
                ZipEntry entry;
                while ((entry = zip.getNextEntry()) != null) {
                    Path out = target.resolve(entry.getName()).normalize();
                    if (!out.startsWith(target)) {
                        throw new IOException("entry " + entry.getName() + " would land outside " + target);
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            // Java's zip reader does not carry Unix modes; the package's bootstrap is 0755 by contract.
            Path bootstrap = target.resolve("bootstrap");
            if (Files.isRegularFile(bootstrap) && !bootstrap.toFile().setExecutable(true, false)) {
                throw new IOException("cannot make " + bootstrap + " executable");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + archive + ": " + e.getMessage(), e);
        }
    }

    /** The runtime interface client's jars, copied by the build next to this module's classes/jar. */
    static List<Path> runtimeInterfaceClient() {
        Path dir = codeLocation().resolveSibling("lambda-runtime");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted(Comparator.naturalOrder()).toList();
            if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))) {
                throw new IOException("no aws-lambda-java-runtime-interface-client jar");
            }
            return jars;
        } catch (IOException e) {
            throw new IllegalStateException("the runtime interface client is missing from " + dir
                    + " (it is copied there by `mvn -pl local-lambda package`): " + e.getMessage(), e);
        }
    }

    /**
     * The RIC's JNI library for this machine, unpacked once per stack and named by the system property
     * the managed runtime also sets; otherwise every environment would rewrite /tmp/.libaws-lambda-jni.so
     * while another one loads it.
     */
    static String jniOption(List<Path> ricJars, Path dir) {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> throw new IllegalStateException("the runtime interface client has no native library for "
                    + System.getProperty("os.arch"));
        };
        boolean musl;
        try (Stream<Path> lib = Files.list(Path.of("/lib"))) {
            musl = lib.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            musl = false;
        }
        String name = "jni/libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + arch + ".so";
        Path ric = ricJars.stream()
                .filter(j -> j.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                .findFirst().orElseThrow();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(ric))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.getName().equals(name)) {
                    Path lib = dir.resolve("libaws-lambda-jni.so");
                    Files.createDirectories(dir);
                    if (!Files.exists(lib)) { // once: an environment may be loading it already
                        Path temp = Files.createTempFile(dir, ".libaws-lambda-jni", ".so");
                        Files.copy(zip, temp, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(temp, lib, StandardCopyOption.ATOMIC_MOVE);
                    }
                    return "-D" + JNI_PROPERTY + "=" + lib;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + ric, e);
        }
        throw new IllegalStateException(ric + " has no " + name);
    }

    private static Path codeLocation() {
        try {
            return Path.of(Artifacts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
