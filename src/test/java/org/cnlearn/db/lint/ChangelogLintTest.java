package org.cnlearn.db.lint;

import liquibase.resource.DirectoryResourceAccessor;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The changelog lint on the project's changelog and on fixtures (src/test/resources/lint/), messages and all. */
class ChangelogLintTest {

    private static List<String> lint(String master) throws Exception {
        return ChangelogLint.lint(master, new DirectoryResourceAccessor(Migrations.PROJECT_DIR)).stream().map(Finding::line).toList();
    }

    @Test
    void theProjectChangelogPasses() throws Exception {
        assertEquals(List.of(), lint(Migrations.CHANGELOG), "db-changelog/ breaks the changelog rules (docs/authoring.md)");
    }

    @Test
    void everyDangerousChangeIsNamedWithItsFileChangesetAndRule() throws Exception {
        List<String> expected = Migrations.expectedLines("lint/dangerous/expected-findings.txt");
        assertEquals(expected, lint("src/test/resources/lint/dangerous/master.yaml"));
        // one fixture per lock-safety rule, and each is named by the rule's own changeset
        Set<String> lockRules = Set.of(Rule.values()).stream().filter(r -> r.ordinal() <= Rule.UNPARSEABLE_SQL.ordinal())
                .map(r -> r.id).collect(Collectors.toSet());
        for (String rule : lockRules) {
            assertTrue(expected.stream().anyMatch(l -> l.contains(", changeset " + rule) && l.contains(": " + rule + ": ")),
                    "no fixture for " + rule);
        }
    }

    @Test
    void theSameIntentsDoneTheSafeWayRaiseNothing() throws Exception {
        assertEquals(List.of(), lint("src/test/resources/lint/safe/master.yaml"));
    }

    /** The safe fixture is real PostgreSQL, and what it claims holds: no rewrite for a constant default or a widened varchar. */
    @Test
    void theSafeFixtureRunsAndRewritesNothingWhereItSaysSo() throws Exception {
        String safe = "src/test/resources/lint/safe/master.yaml";
        try (TestDatabase db = TestServer.get().createDatabase("lint_safe")) {
            Migrations.updateCount(db, safe, 2); // the new table, its concurrent index
            long before = db.count("SELECT pg_relation_filenode('account')");
            Migrations.updateCount(db, safe, 2); // a constant default, a stable one, a widened varchar
            assertEquals(before, db.count("SELECT pg_relation_filenode('account')"), "the table was rewritten");
            Migrations.update(db, safe);
            assertEquals(1, db.count("SELECT count(*) FROM pg_constraint WHERE conname = 'uq_account_nickname'"));
            String emailRequired = "SELECT count(*) FROM pg_attribute WHERE attrelid = 'account'::regclass AND attname = 'email' AND attnotnull";
            assertEquals(0, db.count(emailRequired));
            db.execute("ALTER TABLE account ADD COLUMN public_id uuid DEFAULT gen_random_uuid()"); // and a volatile default does rewrite
            assertNotEquals(before, db.count("SELECT pg_relation_filenode('account')"));
            db.execute("ALTER TABLE account DROP COLUMN public_id");
            Migrations.rollbackCount(db, safe, 2); // NOT NULL again, by the check the last rollback adds
            assertEquals(1, db.count(emailRequired));
            assertEquals(0, db.count("SELECT count(*) FROM pg_constraint WHERE conname = 'ck_account_email_restored'"));
            Migrations.rollbackCount(db, safe, 16);
            assertEquals(List.of(), db.appliedChangesets());
        }
    }

    @Test
    void aWaiverNamesItsRuleAndReasonAndAWrongOneIsAFinding() throws Exception {
        assertEquals(List.of(
                "src/test/resources/lint/waived/master.yaml, changeset 03-bad-waivers: invalid-waiver: has a waiver that names"
                        + " require-concurrent-index, which is no rule of this lint. Safe way: " + Rule.INVALID_WAIVER.safeWay + ".",
                "src/test/resources/lint/waived/master.yaml, changeset 03-bad-waivers: invalid-waiver: has a waiver that gives no"
                        + " reason for renaming-column. Safe way: " + Rule.INVALID_WAIVER.safeWay + ".",
                "src/test/resources/lint/waived/master.yaml, changeset 03-bad-waivers: renaming-column: ALTER TABLE lesson RENAME"
                        + " COLUMN title TO name " + String.format(Rule.RENAMING_COLUMN.blocks, "public.lesson") + ". Safe way: "
                        + Rule.RENAMING_COLUMN.safeWay + ".",
                "src/test/resources/lint/waived/master.yaml, changeset 03-bad-waivers: renaming-column: its rollback: ALTER TABLE"
                        + " lesson RENAME COLUMN name TO title " + String.format(Rule.RENAMING_COLUMN.blocks, "public.lesson")
                        + ". Safe way: " + Rule.RENAMING_COLUMN.safeWay + "."),
                lint("src/test/resources/lint/waived/master.yaml"));
    }

    /**
     * docs/lint.md has one entry per rule, made of the rule's own texts: what it catches, what it does,
     * the safe way and its waiver. A rule without its entry, or an entry of no rule, fails the build.
     */
    @Test
    void theLintPageHasAnEntryForEveryRuleInItsOwnWords() throws Exception {
        String page = Files.readString(Migrations.PROJECT_DIR.resolve("docs/lint.md"));
        java.util.regex.Matcher heading = java.util.regex.Pattern.compile("(?m)^### `([a-z-]+)`$").matcher(page);
        java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
        int previous = -1;
        String previousId = null;
        while (heading.find()) {
            if (previousId != null) {
                entries.put(previousId, page.substring(previous, heading.start()));
            }
            previousId = heading.group(1);
            previous = heading.end();
        }
        if (previousId != null) {
            entries.put(previousId, page.substring(previous));
        }
        assertEquals(java.util.Arrays.stream(Rule.values()).map(rule -> rule.id).toList(), List.copyOf(entries.keySet()),
                "docs/lint.md's entries are not the rules, in Rule's order");
        for (Rule rule : Rule.values()) {
            String entry = entries.get(rule.id);
            assertTrue(entry.contains("- **Catches:** " + rule.catches + "."), rule.id + ": what it catches");
            assertTrue(entry.contains("- **What it does:** it " + rule.blocks.replace("%s", rule.liveTablesOnly ? "the table" : "…") + "."),
                    rule.id + ": what it does");
            assertTrue(entry.contains("- **Safe way:** " + rule.safeWay + "."), rule.id + ": the safe way");
            assertTrue(entry.contains(rule.waivable() ? "`lint-waiver(" + rule.id + "): " : "- **Waiver:** none"), rule.id + ": its waiver");
        }
    }

    /** What JSqlParser refuses as written but PostgreSQL reads (ReadableToJSqlParser): read, with what the rules look at. */
    @Test
    void indexKeysWithCastsAndNamesJSqlParserTakesForKeywordsAreRead() {
        Operation.Table account = Operation.Table.of(null, "account");
        assertEquals(List.of(new Operation.CreateIndex(account, false, false)),
                SqlStatements.parse("CREATE INDEX ix ON account USING btree (lower((name)::text)) WHERE (score)::numeric > 0"));
        assertEquals(List.of(new Operation.Concurrently(), new Operation.CreateIndex(Operation.Table.of("public", "account"), true, true)),
                SqlStatements.parse("CREATE UNIQUE INDEX CONCURRENTLY ix ON public.account (hot_rank((score)::numeric, posted))"));
        assertEquals(List.of(new Operation.DropColumn(account, "level", "\"account\"", "\"level\"")),
                SqlStatements.parse("ALTER TABLE account DROP COLUMN LEVEL"));
        assertEquals(List.of(new Operation.RenameColumn(Operation.Table.of(null, "settings"), "created", "action")),
                SqlStatements.parse("ALTER TABLE settings RENAME COLUMN created TO action"));
        assertEquals(List.of(new Operation.CreateTable(Operation.Table.of(null, "level"), java.util.Map.of("settings", "text", "level", "integer"))),
                SqlStatements.parse("CREATE TABLE level (settings text, level integer, CONSTRAINT action CHECK (level > 0))"));
        assertEquals(List.of(new Operation.Truncate(Operation.Table.of(null, "settings"), "\"settings\"", false)),
                SqlStatements.parse("TRUNCATE settings"));
        assertEquals(List.of(new Operation.DropTable(Operation.Table.of(null, "settings"), "\"settings\"")), SqlStatements.parse("DROP TABLE settings"));
        // a quoted name keeps its case; what PostgreSQL would refuse stays unreadable
        assertEquals(List.of(new Operation.DropColumn(account, "Level", "account", "\"Level\"")),
                SqlStatements.parse("ALTER TABLE account DROP COLUMN \"Level\""));
        assertTrue(SqlStatements.parse("CREATE INDEX ix ON account (lower((name)::text)").get(0) instanceof Operation.Unparseable);
        assertTrue(SqlStatements.parse("ALTER TABLE account DROP COLUMN level level").get(0) instanceof Operation.Unparseable);
        assertTrue(SqlStatements.parse("CREATE INDEX ix ON account lower(name)").get(0) instanceof Operation.Unparseable);
    }

    /** What autogenerate asks the lint before adding a column with a default (the lock-safe form when it fills every row). */
    @Test
    void aDefaultFillsEveryRowWhenTheLintWouldFlagItsAdd() {
        assertEquals("a default that calls gen_random_uuid() (volatile)", LockRules.fillsEveryRow("uuid", "gen_random_uuid()"));
        assertTrue(LockRules.fillsEveryRow("text", "generate_unique_changeme()").contains("maybe volatile"));
        assertEquals(null, LockRules.fillsEveryRow("integer", "0"));
        assertEquals(null, LockRules.fillsEveryRow("timestamp with time zone", "now()"));
        // SQL's value functions with a precision read as calls, and are as stable as now()
        assertEquals(null, LockRules.fillsEveryRow("timestamp(3) without time zone", "CURRENT_TIMESTAMP(3)"));
        assertEquals(null, LockRules.fillsEveryRow("time(0) with time zone", "CURRENT_TIME(0)"));
        assertEquals("a default that calls clock_timestamp() (volatile)", LockRules.fillsEveryRow("timestamp with time zone", "clock_timestamp()"));
        assertEquals(null, LockRules.fillsEveryRow("character varying(20)", "'active'::character varying"));
    }

    @Test
    void rawSqlIsReadAsSqlNotAsText() {
        // words in comments and strings are not statements
        assertEquals(List.of(new Operation.Other()), SqlStatements.parse("SELECT 'DROP TABLE account' -- CREATE INDEX CONCURRENTLY"));
        assertTrue(SqlStatements.parse("/* ALTER TABLE account RENAME TO x */ CREATE INDEX ix ON account (id)").get(0)
                instanceof Operation.CreateIndex index && !index.concurrently());
        assertEquals(List.of("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$", "SELECT f()"),
                SqlTokens.statements("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$; SELECT f();"));
        assertTrue(SqlStatements.parse("ALTER TABLE \"User\" ADD CONSTRAINT c CHECK (x > 0) NOT VALID").get(0)
                instanceof Operation.AddConstraint c && c.notValid() && c.table().name().equals("User"));
        assertTrue(SqlStatements.parse("ALTER TABLE account ADD COLUMN n text DEFAULT 'clock_timestamp()'").get(0)
                instanceof Operation.AddColumn c && c.fills() == null, "a string is no function call");
        assertTrue(SqlStatements.parse("ALTER TABLE account ALTER COLUMN email SET DATA TYPE text").get(0) instanceof Operation.AlterType);
        assertTrue(SqlStatements.parse("ALTER TABLE account ADD CONSTRAINT 'broken").get(0) instanceof Operation.Unparseable);
    }

    /**
     * Rollbacks run last to first, so a rollback may SET NOT NULL by a check that a later changeset's rollback
     * added and its own validated; the same rollbacks in the other order set it with no check to use, and are flagged.
     */
    @Test
    void aRollbackKnowsWhatTheRollbacksAfterItRestored(@TempDir Path dir) throws Exception {
        String table = changeSet("0001-account", "author: a", "comment: c",
                "changes: [{createTable: {tableName: account, columns: [{column: {name: email, type: TEXT}}]}}]",
                "rollback: [{dropTable: {tableName: account}}]");
        String setAgain = changeSet("0002-set-again", "author: a", "comment: c", "changes: [{empty: {}}]",
                "rollback: [{sql: {sql: ALTER TABLE account VALIDATE CONSTRAINT ck}},"
                        + " {addNotNullConstraint: {tableName: account, columnName: email, columnDataType: TEXT}},"
                        + " {sql: {sql: ALTER TABLE account DROP CONSTRAINT ck}}]");
        String check = changeSet("0003-check", "author: a", "comment: c", "changes: [{empty: {}}]",
                "rollback: [{sql: {sql: ALTER TABLE account ADD CONSTRAINT ck CHECK (email IS NOT NULL) NOT VALID}}]");
        Files.writeString(dir.resolve("in-order.yaml"), table + setAgain.substring("databaseChangeLog:\n".length())
                + check.substring("databaseChangeLog:\n".length()));
        Files.writeString(dir.resolve("out-of-order.yaml"), table + check.substring("databaseChangeLog:\n".length())
                + setAgain.substring("databaseChangeLog:\n".length()));

        assertEquals(List.of(), ChangelogLint.lintAlone("in-order.yaml", new DirectoryResourceAccessor(dir)).stream().map(Finding::line).toList());
        List<String> flagged = ChangelogLint.lintAlone("out-of-order.yaml", new DirectoryResourceAccessor(dir)).stream()
                .map(Finding::line).toList();
        assertEquals(1, flagged.size(), String.join("\n", flagged));
        assertTrue(flagged.get(0).startsWith("out-of-order.yaml, changeset 0002-set-again: adding-not-nullable-field: its rollback: "),
                flagged.get(0));
    }

    @Test
    void styleRulesNameTheFileAndTheChangeset(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("changes"));
        Files.writeString(dir.resolve("master.yaml"), "databaseChangeLog:\n"
                + "  - include: {file: changes/0001-good.yaml, relativeToChangelogFile: true}\n"
                + "  - include: {file: changes/0002-bad.yaml, relativeToChangelogFile: true}\n");
        Files.writeString(dir.resolve("changes/0001-good.yaml"), changeSet("0001-good", "author: a", "comment: c",
                "changes: [{createTable: {tableName: t, columns: [{column: {name: id, type: INTEGER}}]}}]",
                "rollback: [{dropTable: {tableName: t}}]"));
        Files.writeString(dir.resolve("changes/0002-bad.yaml"), changeSet("0001-good", "author: ''", "runOnChange: true",
                "changes: [{sql: {sql: 'DROP TABLE t'}}]"));
        Files.writeString(dir.resolve("changes/0003-forgotten.yaml"), changeSet("0003-forgotten", "author: a", "comment: c",
                "runAlways: true", "changes: [{sql: {sql: SELECT 1}}]", "rollback: [{empty: {}}]"));
        Files.writeString(dir.resolve("changes/0004-broken.yaml"), "databaseChangeLog:\n  - changeSet: {id: x\n");

        List<String> problems = ChangelogLint.lint("master.yaml", new DirectoryResourceAccessor(dir)).stream().map(Finding::line).toList();
        String all = String.join("\n", problems);
        for (String expected : List.of(
                "changes/0002-bad.yaml, changeset 0001-good: unique-changeset-id: repeats the id of a changeset in changes/0001-good.yaml",
                "changes/0002-bad.yaml, changeset 0001-good: require-author: has no author",
                "changes/0002-bad.yaml, changeset 0001-good: require-comment: has no comment",
                "changes/0002-bad.yaml, changeset 0001-good: require-explicit-rollback: has no rollback",
                "changes/0002-bad.yaml, changeset 0001-good: ban-run-always: uses runOnChange",
                "changes/0002-bad.yaml, changeset 0001-good: ban-raw-sql-drop: DROP TABLE t drops a table or a column in raw SQL",
                "changes/0003-forgotten.yaml: changelog-file-not-included: is not included by master.yaml, so it never runs",
                "changes/0004-broken.yaml: unreadable-changelog: cannot be read: ")) {
            assertTrue(all.contains(expected), "missing «" + expected + "» in:\n" + all);
        }
        assertTrue(problems.stream().noneMatch(p -> p.startsWith("changes/0001-good.yaml")), all);
        assertEquals(8, problems.size(), all);
    }

    @Test
    void numbersMustNotRepeatAndIncludesMustRiseAndAChangesetMustChangeSomething(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("changes"));
        Files.writeString(dir.resolve("master.yaml"), "databaseChangeLog:\n"
                + "  - include: {file: changes/0001-a.yaml, relativeToChangelogFile: true}\n"
                + "  - include: {file: changes/0003-c.yaml, relativeToChangelogFile: true}\n"
                + "  - include: {file: changes/0002-b.yaml, relativeToChangelogFile: true}\n"
                + "  - include: {file: changes/0003-d.yaml, relativeToChangelogFile: true}\n");
        for (String name : List.of("0001-a", "0002-b", "0003-c", "0003-d")) {
            Files.writeString(dir.resolve("changes/" + name + ".yaml"), changeSet(name, "author: a", "comment: c",
                    name.equals("0003-d") ? "changes: []" : "changes: [{sql: {sql: SELECT 1}}]", "rollback: [{sql: {sql: SELECT 1}}]"));
        }
        assertEquals(List.of(
                "changes/0003-d.yaml, changeset 0003-d: empty-changeset: " + Rule.EMPTY_CHANGESET.blocks + ". Safe way: "
                        + Rule.EMPTY_CHANGESET.safeWay + ".",
                "changes/0003-d.yaml: duplicate-changeset-number: has number 0003, as changes/0003-c.yaml does: two branches each added"
                        + " a changeset with that number. Safe way: " + Rule.DUPLICATE_CHANGESET_NUMBER.safeWay + ".",
                "changes/0002-b.yaml: includes-out-of-order: is included after changes/0003-c.yaml, yet its number is lower: databases"
                        + " apply the master's order, so the numbers mislead. Safe way: " + Rule.INCLUDES_OUT_OF_ORDER.safeWay + "."),
                ChangelogLint.lint("master.yaml", new DirectoryResourceAccessor(dir)).stream().map(Finding::line).toList());
    }

    @Test
    void statementsOnTypesAloneLockNoTable() {
        assertEquals(List.of(new Operation.Other()), SqlStatements.parse("DROP TYPE public.course_level"));
        assertEquals(List.of(new Operation.Other()), SqlStatements.parse("ALTER TYPE course_level ADD VALUE 'expert' AFTER 'advanced'"));
        // CASCADE drops the columns of that type: read, for the data-loss guard, which counts their values
        assertEquals(List.of(new Operation.DropTypeCascade("course_level"), new Operation.DropTypeCascade("public.\"Mood\"")),
                SqlStatements.parse("DROP TYPE IF EXISTS course_level, public.\"Mood\" CASCADE"));
        assertEquals(List.of(new Operation.DropOwned("cnlearn_app")), SqlStatements.parse("DROP OWNED BY cnlearn_app"));
    }

    /** A materialized view is new in the changeset that makes it, as a table is: its index there waits for nobody; later it does. */
    @Test
    void anIndexOnAMaterializedViewIsSafeOnlyWhereTheViewIsMade(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("changes"));
        Files.writeString(dir.resolve("master.yaml"), "databaseChangeLog:\n"
                + "  - include: {file: changes/0001-made.yaml, relativeToChangelogFile: true}\n"
                + "  - include: {file: changes/0002-later.yaml, relativeToChangelogFile: true}\n");
        Files.writeString(dir.resolve("changes/0001-made.yaml"), changeSet("0001-made", "author: a", "comment: c",
                "changes: [{sql: {sql: 'CREATE MATERIALIZED VIEW stats AS SELECT 1 AS n'}}, {sql: {sql: 'CREATE UNIQUE INDEX ix_stats ON stats (n)'}}]",
                "rollback: [{sql: {sql: 'DROP MATERIALIZED VIEW stats'}}]"));
        Files.writeString(dir.resolve("changes/0002-later.yaml"), changeSet("0002-later", "author: a", "comment: c",
                "changes: [{sql: {sql: 'CREATE INDEX ix_stats_later ON stats (n)'}}]", "rollback: [{sql: {sql: 'DROP INDEX ix_stats_later'}}]"));
        List<String> findings = ChangelogLint.lint("master.yaml", new DirectoryResourceAccessor(dir)).stream().map(Finding::line).toList();
        assertEquals(1, findings.size(), String.join("\n", findings));
        assertTrue(findings.get(0).startsWith("changes/0002-later.yaml, changeset 0002-later: require-concurrent-index-creation: CREATE INDEX"
                + " ix_stats_later ON stats (n)"), findings.get(0));
    }

    private static String changeSet(String id, String... lines) {
        StringBuilder yaml = new StringBuilder("databaseChangeLog:\n  - changeSet:\n      id: " + id + "\n");
        for (String line : lines) {
            yaml.append("      ").append(line).append('\n');
        }
        return yaml.toString();
    }

    /**
     * What the lint calls a change in place is what PostgreSQL does in place, both ways: each type change run
     * as Liquibase's modifyDataType writes it (with its USING cast), and the table's storage file compared.
     */
    @Test
    void aTypeChangePassesAsInPlaceExactlyWherePostgresRewritesNothing() throws Exception {
        List<String[]> changes = List.of(new String[] {"varchar(100)", "VARCHAR(200)"}, new String[] {"character varying(100)", "TEXT"},
                new String[] {"varchar(100)", "VARCHAR(50)"}, new String[] {"text", "VARCHAR(10)"},
                new String[] {"numeric(10,2)", "NUMERIC(14, 2)"}, new String[] {"numeric(10,2)", "NUMERIC"},
                new String[] {"numeric(10,2)", "NUMERIC(10, 3)"}, new String[] {"bit varying(8)", "VARBIT(16)"},
                new String[] {"varbit(8)", "VARBIT(4)"}, new String[] {"integer", "BIGINT"},
                new String[] {"character varying(10)[]", "VARCHAR(20)[]"}, new String[] {"numeric(10,2)[]", "NUMERIC(12, 2)[]"});
        List<String> lint = new java.util.ArrayList<>();
        List<String> postgres = new java.util.ArrayList<>();
        try (TestDatabase db = TestServer.get().createDatabase("lint_in_place")) {
            for (String[] change : changes) {
                db.execute("DROP TABLE IF EXISTS widened; CREATE TABLE widened (value " + change[0] + "); INSERT INTO widened VALUES (NULL)");
                long before = db.count("SELECT pg_relation_filenode('widened')");
                db.execute("ALTER TABLE widened ALTER COLUMN value TYPE " + change[1] + " USING (value::" + change[1] + ")");
                boolean inPlace = before == db.count("SELECT pg_relation_filenode('widened')");
                postgres.add(change[0] + " to " + change[1] + (inPlace ? ": in place" : ": rewrites"));
                lint.add(change[0] + " to " + change[1] + (LockRules.widens(change[0], change[1]) ? ": in place" : ": rewrites"));
            }
        }
        assertEquals(postgres, lint);
        assertEquals(5, postgres.stream().filter(line -> line.endsWith(": in place")).count(), postgres.toString());
    }
}
