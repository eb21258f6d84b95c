package org.cnlearn.db.authoring;

import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.catalog.CatalogComparison;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.scratch.ScratchDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.cnlearn.db.Migrations.messages;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real application's history, step by step, as an author would follow it: crates.io's first 100 migrations
 * (src/test/resources/real-history/crates.io), each applied to a reference database, whose schema is then
 * given to cnlearn:revision -Ddesired. Each file written is proven apart from the goal's own proof, on a
 * database the changelog builds with a row in every table it can hold one: update builds exactly the
 * reference, rollback gives back exactly the step before, and update again builds it again. Where the goal
 * refuses, its reason must be a limit docs/authoring.md lists, and the change is then written by hand from the
 * migration's own up.sql and down.sql, as the refusal says to. The outcome of each step is counted, and the
 * counts must be the ones docs/authoring.md keeps.
 */
@Tag("soak") // three minutes and more: the soak leg of CI runs it, as ./mvnw verify -Psoak does
class RealHistoryIT {

    private static final Path HISTORY = Migrations.PROJECT_DIR.resolve("src/test/resources/real-history/crates.io/migrations");
    /** The outcomes of a step, in the order the summary gives them. */
    private static final String WRITTEN = "written";
    private static final String TOLD_DROPPED = "written once told a column was dropped, not renamed";
    private static final String NO_DIFFERENCE = "with no difference";
    private static final String REFUSED = "refused, then written by hand";
    private static final List<String> OUTCOMES = List.of(WRITTEN, TOLD_DROPPED, NO_DIFFERENCE, REFUSED);

    private static final Pattern TABLE_RENAME = Pattern.compile("(?i)ALTER\\s+TABLE\\s+(\\w+)\\s+RENAME\\s+TO\\s+(\\w+)");
    private static final Pattern COLUMN_RENAME = Pattern.compile("(?i)ALTER\\s+TABLE\\s+(\\w+)\\s+RENAME\\s+(?:COLUMN\\s+)?(\\w+)\\s+TO\\s+(\\w+)");

    private static final Pattern OVER_ROWS = Pattern.compile("SQL state (23\\d{3}): ERROR: [^\\n]*?(?:relation|table) \"(\\w+)\"");

    /**
     * The limits a refusal may name (docs/authoring.md lists each, in these words): a refusal for any other
     * reason fails this test.
     */
    private static final List<String> KNOWN_LIMITS = List.of("NOT NULL with no default");

    /** What happened at one step: the outcome, the refusal's words, what the guard said, and where the rows were in the way. */
    private record Step(String migration, String outcome, String detail, List<String> guard, List<String> overRows) {
        Step(String migration, String outcome, String detail) {
            this(migration, outcome, detail, List.of(), List.of());
        }
    }

    /** One throwaway scratch server for every revision of the leg, as the unit tests share theirs. */
    @BeforeAll
    static void shareTheScratchServer() {
        System.setProperty(ScratchDatabases.SHARED_PROPERTY, "true");
    }

    @AfterAll
    static void stopSharing() {
        System.clearProperty(ScratchDatabases.SHARED_PROPERTY);
    }

    @Test
    void eachStepIsWrittenOrHasNoDifferenceOrIsRefusedForAKnownLimitAndEveryFileWrittenIsProvenOverRows(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("db-changelog/changes"));
        Files.writeString(dir.resolve(Migrations.CHANGELOG), "databaseChangeLog:\n");
        Authoring project = Authoring.at(dir);
        List<Step> steps = new ArrayList<>();
        long started = System.nanoTime();
        try (TestDatabase reference = TestServer.get().createDatabase("history_reference");
             TestDatabase applied = TestServer.get().createDatabase("history_applied")) {
            String desired = reference.url() + (reference.url().contains("?") ? "&" : "?") + "user=" + reference.username()
                    + (reference.password() == null || reference.password().isEmpty() ? "" : "&password=" + reference.password());
            List<CatalogObject> before = Authoring.catalog(reference);
            for (Path migration : migrations()) {
                String name = migration.getFileName().toString();
                String up = Files.readString(migration.resolve("up.sql"));
                reference.execute(up);
                List<CatalogObject> after = Authoring.catalog(reference);
                int changesets = project.changeFiles().size();
                Step step = revise(project, name, up, desired);
                if (step.outcome().equals(REFUSED)) {
                    writeByHand(project, name, up, Files.readString(migration.resolve("down.sql")));
                }
                if (project.changeFiles().size() > changesets) {
                    step = prove(dir, project, applied, step, before, after);
                }
                steps.add(step);
                before = after;
                fillEmptyTables(applied);
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Step step : steps) {
            counts.merge(step.outcome(), 1, Integer::sum);
        }
        long guarded = steps.stream().filter(s -> !s.guard().isEmpty()).count();
        long overRows = steps.stream().filter(s -> !s.overRows().isEmpty()).count();
        String summary = steps.size() + " migrations: " + String.join("; ", OUTCOMES.stream().filter(counts::containsKey)
                .map(outcome -> counts.get(outcome) + " " + outcome).toList()) + ". The data-loss guard asked for -DallowDataLoss=true at "
                + guarded + ", and PostgreSQL refused " + overRows + " over the test's rows until their table was emptied.";
        System.out.printf("history: %s (%.0f s)%n", summary, (System.nanoTime() - started) / 1e9);
        steps.stream().filter(s -> s.detail() != null || !s.guard().isEmpty() || !s.overRows().isEmpty())
                .forEach(s -> System.out.println("history: " + s.migration() + ": " + s.outcome() + (s.detail() == null ? "" : ": " + s.detail())
                        + (s.guard().isEmpty() ? "" : " | guard: " + s.guard()) + (s.overRows().isEmpty() ? "" : " | " + s.overRows())));
        String docs = Files.readString(Migrations.PROJECT_DIR.resolve("docs/authoring.md")).replace("`", "")
                .replaceAll("\\n>", " ").replaceAll("\\s+", " "); // as it reads: a quote's lines are one paragraph
        for (Step step : steps) {
            if (step.outcome().equals(REFUSED)) {
                assertTrue(KNOWN_LIMITS.stream().anyMatch(limit -> step.detail().contains(limit) && docs.contains(limit)),
                        step.migration() + " is refused for a reason docs/authoring.md does not list as a known limit: " + step.detail());
            }
        }
        assertTrue(docs.contains(summary), "docs/authoring.md does not keep the counts: " + summary);
    }

    /** The migrations, in the order Diesel applies them: by version, the name before its first "_", dashes left out. */
    private static List<Path> migrations() throws Exception {
        try (Stream<Path> folders = Files.list(HISTORY)) {
            return folders.filter(Files::isDirectory)
                    .sorted((a, b) -> version(a).compareTo(version(b))).toList();
        }
    }

    private static String version(Path migration) {
        String name = migration.getFileName().toString();
        return name.substring(0, name.indexOf('_')).replace("-", "");
    }

    /** cnlearn:revision -Ddesired=the reference, with -Drename for the tables and columns the migration renames; a drop and add said so. */
    private static Step revise(Authoring project, String name, String up, String desired) throws Exception {
        List<String> settings = new ArrayList<>(List.of("message", "crates.io " + name, "author", "crates.io", "desired", desired));
        List<String> renames = new ArrayList<>();
        Matcher table = TABLE_RENAME.matcher(up);
        while (table.find()) {
            renames.add(table.group(1) + ":" + table.group(2));
        }
        Matcher rename = COLUMN_RENAME.matcher(up);
        while (rename.find()) {
            renames.add(rename.group(1) + "." + rename.group(2) + ":" + rename.group(3));
        }
        if (!renames.isEmpty()) {
            settings.addAll(List.of("rename", String.join(",", renames)));
        }
        try {
            project.run("revision", settings.toArray(new String[0]));
            return new Step(name, project.info.stream().anyMatch(line -> line.contains("nothing to write")) ? NO_DIFFERENCE : WRITTEN, null);
        } catch (AuthoringFailure refused) {
            if (refused.getMessage().startsWith("Renamed, or dropped and added?")) {
                // the migration renames nothing there: the author answers that the old column goes
                settings.addAll(List.of("allowDataLoss", "true"));
                project.run("revision", settings.toArray(new String[0]));
                return new Step(name, TOLD_DROPPED, null);
            }
            return new Step(name, REFUSED, refused.getMessage());
        }
    }

    /** What a refusal says to do: the change by hand, here the migration's own SQL, with its down.sql as the rollback. */
    private static void writeByHand(Authoring project, String name, String up, String down) throws Exception {
        project.run("revision", "message", "crates.io " + name + " by hand", "author", "crates.io");
        List<String> files = project.changeFiles();
        String file = files.get(files.size() - 1);
        String id = file.replaceFirst("\\.yaml$", "");
        Files.writeString(project.changes().resolve(file), "databaseChangeLog:\n  - changeSet:\n      id: " + id + "\n      author: crates.io\n"
                + "      comment: " + quoted("crates.io's migration " + name + ", by hand: cnlearn:revision refused it") + "\n"
                + "      changes:\n        - sql:\n            splitStatements: false\n            sql: " + quoted(up) + "\n"
                + "      rollback:\n        - sql:\n            splitStatements: false\n            sql: " + quoted(down) + "\n");
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /**
     * The new file on the database the changelog builds, over its rows: update builds exactly the reference,
     * rollback exactly the step before, update again the reference. Where the data-loss guard stops either over
     * the rows, that is said, and it is run again with -DallowDataLoss=true, as its message says to.
     */
    private static Step prove(Path dir, Authoring project, TestDatabase applied, Step step, List<CatalogObject> before,
                              List<CatalogObject> after) throws Exception {
        String files = project.changeFiles().get(project.changeFiles().size() - 1);
        String written = project.file(files);
        int appliedBefore = appliedCount(applied);
        List<String> guard = new ArrayList<>();
        List<String> overRows = new ArrayList<>();
        run(dir, applied, "update", Map.of(), guard, overRows);
        requireSame(after, Authoring.catalog(applied), step, "update does not build the reference", written);
        int count = appliedCount(applied) - appliedBefore;
        run(dir, applied, "rollbackCount", Map.of("count", count), guard, overRows);
        requireSame(before, Authoring.catalog(applied), step, "rollback does not give back the step before", written);
        run(dir, applied, "update", Map.of(), guard, overRows);
        requireSame(after, Authoring.catalog(applied), step, "update after the rollback does not build the reference", written);
        return new Step(step.migration(), step.outcome(), step.detail(), guard, overRows);
    }

    /**
     * A command as its author runs it: where the data-loss guard stops it over rows, again with -DallowDataLoss=true,
     * as its message says; where PostgreSQL refuses it over the rows this test put in (a migration written for
     * an empty table), again once that table is emptied. Each is said.
     */
    private static void run(Path dir, TestDatabase db, String command, Map<String, Object> arguments, List<String> guard,
                            List<String> overRows) throws Exception {
        Map<String, Object> scope = Map.of();
        for (int attempt = 0; ; attempt++) {
            int appliedBefore = arguments.containsKey("count") ? appliedCount(db) : 0;
            try {
                Migrations.runIn(dir, db, command, arguments, scope);
                return;
            } catch (Exception e) {
                String why = messages(e);
                Matcher table = OVER_ROWS.matcher(why);
                if (attempt < 3 && why.contains("-DallowDataLoss=true") && scope.isEmpty()) {
                    guard.add(command + ": " + why.lines().filter(l -> l.contains("allowDataLoss")).findFirst().orElse(why)
                            .replaceFirst("^.*?(Refusing)", "$1"));
                    scope = Map.of("allowDataLoss", true);
                } else if (attempt < 3 && table.find()) {
                    db.execute("TRUNCATE \"" + table.group(2) + "\" RESTART IDENTITY CASCADE");
                    overRows.add(command + " fails over rows (SQL state " + table.group(1) + ", table " + table.group(2) + ")");
                } else {
                    throw e;
                }
                if (arguments.containsKey("count")) {
                    arguments = Map.of("count", (int) arguments.get("count") - (appliedBefore - appliedCount(db)));
                }
            }
        }
    }

    private static int appliedCount(TestDatabase db) throws SQLException {
        if (db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'databasechangelog'") == 0) {
            return 0;
        }
        return (int) db.count("SELECT count(*) FROM databasechangelog");
    }

    private static void requireSame(List<CatalogObject> expected, List<CatalogObject> actual, Step step, String what, String written) {
        List<Difference> differences = CatalogComparison.compare(expected, actual);
        if (!differences.isEmpty()) {
            fail(step.migration() + ": " + what + ": " + differences.stream().map(Difference::line).toList() + "\n" + written);
        }
    }

    /**
     * A row in every empty table that can take one: each NOT NULL column with no default gets a value of its
     * type, or a row of the table its foreign key points at; tables are tried until none more takes a row.
     */
    private static void fillEmptyTables(TestDatabase db) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            boolean more = true;
            while (more) {
                more = false;
                for (String table : emptyTables(statement)) {
                    String insert = insertOne(statement, table);
                    try {
                        statement.execute(insert);
                        more = true;
                    } catch (SQLException e) {
                        // a check, or a table it points at still empty: it may take one on the next round
                    }
                }
            }
        }
    }

    private static List<String> emptyTables(Statement statement) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public' AND c.relname NOT LIKE 'databasechangelog%'"
                + " AND c.relname NOT LIKE 'cnlearn%' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        List<String> empty = new ArrayList<>();
        for (String table : tables) {
            try (ResultSet rs = statement.executeQuery("SELECT NOT EXISTS (SELECT FROM " + table + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    empty.add(table);
                }
            }
        }
        return empty;
    }

    private static String insertOne(Statement statement, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), t.typcategory,"
                + " (SELECT format('(SELECT %I FROM %s LIMIT 1)', r.attname, f.confrelid::regclass) FROM pg_constraint f"
                + "   JOIN pg_attribute r ON r.attrelid = f.confrelid AND r.attnum = f.confkey[1]"
                + "   WHERE f.contype = 'f' AND f.conrelid = a.attrelid AND f.conkey = ARRAY[a.attnum]) FROM pg_attribute a"
                + " JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = '" + table + "'::regclass AND a.attnum > 0"
                + " AND NOT a.attisdropped AND a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = ''"
                + " ORDER BY a.attnum")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
                String literal = switch (rs.getString(3)) {
                    case "N" -> "1";
                    case "B" -> "false";
                    case "D" -> "now()";
                    case "A" -> "'{}'";
                    default -> "'a'";
                };
                values.add(rs.getString(4) != null ? rs.getString(4) : "CAST(" + literal + " AS " + rs.getString(2) + ")");
            }
        }
        return columns.isEmpty() ? "INSERT INTO " + table + " DEFAULT VALUES"
                : "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + String.join(", ", values) + ")";
    }
}
