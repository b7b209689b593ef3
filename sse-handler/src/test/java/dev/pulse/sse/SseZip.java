package dev.pulse.sse;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The packaged artifact, {@code sse-handler/target/sse-handler.zip}, unpacked as Lambda unpacks it into its task root. */
public final class SseZip {

    private SseZip() {
    }

    /** The zip, in the module directory {@code module} ({@code sse-handler}, or {@code .} from the module itself). */
    public static Path in(Path module) {
        return module.resolve("target/sse-handler.zip").toAbsolutePath().normalize();
    }

    /** The names at the zip's root. */
    public static Set<String> entries(Path zip) throws IOException {
        try (FileSystem fs = open(zip)) {
            try (var files = Files.list(fs.getPath("/"))) {
                return Set.copyOf(files.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    /** {@code bootstrap}'s mode as the zip stores it. */
    @SuppressWarnings("unchecked")
    public static Set<PosixFilePermission> bootstrapMode(Path zip) throws IOException {
        try (FileSystem fs = open(zip)) {
            return Set.copyOf((Set<PosixFilePermission>) Files.getAttribute(fs.getPath("/bootstrap"), "zip:permissions"));
        }
    }

    /** A new task root holding {@code bootstrap} (with the zip's mode) and the jar. */
    public static Path unpack(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("build the zip first (make build, or mvn package): " + zip);
        }
        Path task = Files.createTempDirectory("sse-task-");
        try (FileSystem fs = open(zip)) {
            for (String name : List.of("bootstrap", "sse-handler.jar")) {
                Files.copy(fs.getPath("/" + name), task.resolve(name));
            }
        }
        Files.setPosixFilePermissions(task.resolve("bootstrap"), bootstrapMode(zip));
        return task;
    }

    private static FileSystem open(Path zip) throws IOException {
        return FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of());
    }
}
