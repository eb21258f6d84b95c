package org.cnlearn.db;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's changelog rules, so no reviewer has to remember them. Every problem names its file
 * and, where there is one, its changeset.
 */
public final class ChangelogLint {

    private static final Pattern RAW_DROP = Pattern.compile("(?is)\\bdrop\\s+(table|column)\\b");

    private ChangelogLint() {
    }

    /** The problems of the changelog whose master file is given, with every YAML file beside it. */
    public static List<String> problems(Path master) throws IOException {
        Path root = master.getParent();
        List<String> problems = new ArrayList<>();
        Set<Path> included = new LinkedHashSet<>();
        for (Object entry : entries(load(master))) {
            Map<?, ?> include = entry instanceof Map ? asMap(((Map<?, ?>) entry).get("include")) : null;
            if (include == null || include.get("file") == null) {
                problems.add(root.relativize(master) + ": every entry of the master changelog must be an include of one file, not " + entry);
                continue;
            }
            Path file = Boolean.TRUE.equals(include.get("relativeToChangelogFile"))
                    ? root.resolve(include.get("file").toString()) : root.getParent().resolve(include.get("file").toString());
            included.add(file.normalize());
        }
        Map<String, String> ids = new HashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().matches(".*\\.ya?ml$") && !p.equals(master)).sorted().toList();
        }
        for (Path file : files) {
            String name = root.relativize(file).toString();
            if (!included.contains(file.normalize())) {
                problems.add(name + ": not included by " + root.relativize(master) + ", so it never runs");
            }
            Object document;
            try {
                document = load(file);
            } catch (RuntimeException e) {
                problems.add(name + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            for (Object entry : entries(document)) {
                Map<?, ?> changeSet = entry instanceof Map ? asMap(((Map<?, ?>) entry).get("changeSet")) : null;
                if (changeSet == null) {
                    continue;
                }
                Object id = changeSet.get("id");
                String where = name + ", changeset " + (id != null ? id : "without id");
                if (id == null) {
                    problems.add(where + ": has no id");
                } else if (ids.putIfAbsent(id.toString(), name) != null) {
                    problems.add(where + ": repeats the id of a changeset in " + ids.get(id.toString()));
                }
                for (String required : List.of("author", "comment", "rollback")) {
                    if (changeSet.get(required) == null) {
                        problems.add(where + ": has no " + required + (required.equals("rollback") ? " (write one explicitly)" : ""));
                    }
                }
                for (String forbidden : List.of("runAlways", "runOnChange")) {
                    if (Boolean.TRUE.equals(changeSet.get(forbidden))) {
                        problems.add(where + ": uses " + forbidden + "; a changeset runs once, add a new one instead");
                    }
                }
                if (RAW_DROP.matcher(String.valueOf(changeSet.get("changes")) + changeSet.get("rollback")).find()) {
                    problems.add(where + ": drops a table or column in raw SQL; use dropTable or dropColumn, which the"
                            + " data-loss guard checks");
                }
            }
        }
        return problems;
    }

    private static Object load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    private static List<?> entries(Object document) {
        Object list = document instanceof Map ? ((Map<?, ?>) document).get("databaseChangeLog") : null;
        return list instanceof List ? (List<?>) list : List.of();
    }

    private static Map<?, ?> asMap(Object value) {
        return value instanceof Map ? (Map<?, ?>) value : null;
    }
}
