package org.cnlearn.db.launcher;

import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the distribution's {@link ChangesetManifest} at build time (pom.xml runs it in
 * prepare-package): the changelog parsed by Liquibase, each changeset's checksum as Liquibase
 * computes it. Where Liquibase alone can tell whether a changeset runs (a ${parameter}, known only at
 * run time; runAlways), it writes no manifest, and every run of the distribution starts Liquibase.
 *
 * <p>Usage: ManifestWriter PROJECT_DIR CHANGELOG OUTPUT_FILE
 */
public final class ManifestWriter {

    private ManifestWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Paths.get(args[0]);
        String changelog = args[1];
        Path output = Paths.get(args[2]);
        Files.deleteIfExists(output);
        String why = write(project, changelog, output);
        if (why != null) {
            System.out.println("[cnlearn-db] no changeset manifest in the distribution: " + why
                    + "; every run of bin/cnlearn-db starts Liquibase to decide.");
        }
    }

    /** Writes the manifest; returns why it did not, or null. */
    static String write(Path project, String changelogFile, Path output) throws Exception {
        Path changelogDir = project.resolve(ChangesetManifest.CHANGELOG_DIR);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(changelogDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            if (Files.readString(file, StandardCharsets.UTF_8).contains("${")) {
                return changelogDir.relativize(file) + " uses a ${parameter}, whose value is known only at run time";
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("# The changesets of lib/" + ChangesetManifest.CHANGELOG_DIR + "/, as Liquibase identifies them, with their"
                + " checksums: written at build time, read by bin/cnlearn-db to tell \"up to date\" without starting Liquibase.");
        lines.add(ChangesetManifest.DIGEST_FIELD + "\t" + ChangesetManifest.digest(changelogDir));
        Map<String, Object> scope = new HashMap<>();
        scope.put(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(project));
        scope.put("liquibase.analytics.enabled", false);
        String[] refused = new String[1];
        Scope.child(scope, () -> {
            ResourceAccessor accessor = Scope.getCurrentScope().getResourceAccessor();
            DatabaseChangeLog parsed = ChangeLogParserFactory.getInstance().getParser(changelogFile, accessor)
                    .parse(changelogFile, new ChangeLogParameters(), accessor);
            for (ChangeSet changeSet : parsed.getChangeSets()) {
                if (changeSet.isAlwaysRun()) {
                    refused[0] = "changeset " + changeSet.getId() + " has runAlways, so update always has something to do";
                    return;
                }
                String checksum = changeSet.generateCheckSum(liquibase.ChecksumVersion.latest()).toString();
                String line = String.join("\t", "changeset", changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor(), checksum);
                if (line.chars().filter(c -> c == '\t').count() != 4 || line.contains("\n")) {
                    refused[0] = "changeset " + changeSet.getId() + " has a tab or a line break in its file, id or author";
                    return;
                }
                lines.add(line);
            }
        });
        if (refused[0] != null) {
            return refused[0];
        }
        Files.createDirectories(output.getParent());
        Files.write(output, lines, StandardCharsets.UTF_8);
        return null;
    }
}
