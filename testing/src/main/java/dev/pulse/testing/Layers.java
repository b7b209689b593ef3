package dev.pulse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the arrows between a module's packages from its sources: a class in {@code lower} must not import
 * from {@code upper} ({@link #upwardImports}), nor name what it must not know in any other way, by a full class name
 * or in a string ({@link #mentions}). A test per module states its layers; a new import that points up fails the build.
 */
public final class Layers {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

    private Layers() {
    }

    /** Every {@code file: import} in {@code sources} (a module's {@code src/main/java}) where {@code lower} imports {@code upper}. */
    public static List<String> upwardImports(Path sources, String lower, String upper) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(text);
                if (!pkg.find() || !pkg.group(1).equals(lower)) {
                    continue;
                }
                Matcher imports = IMPORT.matcher(text);
                while (imports.find()) {
                    String imported = imports.group(1);
                    if (imported.equals(upper) || imported.startsWith(upper + ".") && !imported.startsWith(lower + ".")) {
                        found.add(sources.relativize(file) + ": import " + imported);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sources, e);
        }
        return found;
    }

    /**
     * Every {@code file:line: text} of a class in {@code pkg} or a package below it whose line matches
     * {@code forbidden}, comments included: what an import check misses (a full class name used in place, a setting's
     * name in a message).
     */
    public static List<String> mentions(Path sources, String pkg, Pattern forbidden) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(file);
                Matcher declared = PACKAGE.matcher(text);
                if (!declared.find() || !(declared.group(1).equals(pkg) || declared.group(1).startsWith(pkg + "."))) {
                    continue;
                }
                List<String> lines = text.lines().toList();
                for (int i = 0; i < lines.size(); i++) {
                    if (forbidden.matcher(lines.get(i)).find()) {
                        found.add(sources.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sources, e);
        }
        return found;
    }
}
