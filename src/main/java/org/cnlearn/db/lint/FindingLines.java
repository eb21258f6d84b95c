package org.cnlearn.db.lint;

import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where in its file a finding is, for a code review's annotations and SARIF: the line that declares its
 * changeset's id (YAML's {@code id:}, XML's {@code id="…"}, JSON's {@code "id": "…"}, formatted SQL's
 * {@code --changeset author:id}),
 * or its {@code rollback:} below that for a finding of the rollback; line 1 for a finding of the whole file.
 * Liquibase's parser keeps no line numbers, so the file is read again for them.
 */
public final class FindingLines {

    private FindingLines() {
    }

    /** The finding's line, from 1. */
    public static int line(Finding finding, ResourceAccessor accessor) {
        if (finding.changeset() == null) {
            return 1;
        }
        List<String> lines;
        try {
            Resource resource = accessor.get(finding.file());
            if (!resource.exists()) {
                return 1;
            }
            try (InputStream in = resource.openInputStream()) {
                lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
        } catch (IOException e) {
            return 1;
        }
        String id = Pattern.quote(finding.changeset());
        Pattern declares = Pattern.compile("^\\s*(?:-\\s*)?(?:id:\\s*[\"']?" + id + "[\"']?\\s*(?:#.*)?$|.*\\bid=[\"']" + id + "[\"']"
                + "|.*\"id\"\\s*:\\s*\"" + id + "\"|--\\s*changeset\\s+[^:\\s]+:" + id + "(?:\\s.*)?$)");
        for (int i = 0; i < lines.size(); i++) {
            if (declares.matcher(lines.get(i)).find()) {
                return rollback(finding) ? rollbackLine(lines, i) : i + 1;
            }
        }
        return 1;
    }

    private static boolean rollback(Finding finding) {
        return finding.what().startsWith("its rollback");
    }

    /** The changeset's rollback, after its id's line and before the next changeset; else the id's line. */
    private static int rollbackLine(List<String> lines, int idLine) {
        Pattern rollback = Pattern.compile("^\\s*(?:rollback:|<rollback\\b|\"rollback\"\\s*:|--\\s*rollback\\b)");
        Pattern next = Pattern.compile("^\\s*(?:-\\s*changeSet:|<changeSet\\b|\\{?\\s*\"changeSet\"\\s*:|--\\s*changeset\\s)");
        for (int i = idLine + 1; i < lines.size() && !next.matcher(lines.get(i)).find(); i++) {
            if (rollback.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return idLine + 1;
    }
}
