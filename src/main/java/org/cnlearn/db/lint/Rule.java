package org.cnlearn.db.lint;

/**
 * The changelog rules: the lock-safety rules (squawk's names, and one of this project's own), then
 * the project's style rules. Each says what breaking it does and the safe way; docs/lint.md is
 * these texts.
 */
public enum Rule {

    REQUIRE_CONCURRENT_INDEX_CREATION("require-concurrent-index-creation",
            "`createIndex` or `CREATE INDEX` without `CONCURRENTLY`", true,
            "takes a SHARE lock on %s: every INSERT, UPDATE and DELETE waits until the whole index is built",
            "CREATE INDEX CONCURRENTLY, alone in a changeset with runInTransaction: false (its rollback: DROP INDEX CONCURRENTLY)"),
    BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION("ban-concurrent-index-creation-in-transaction",
            "`CONCURRENTLY` (an index built or dropped, a reindex) in a changeset without `runInTransaction: false`", false,
            "fails at deploy time: PostgreSQL refuses CONCURRENTLY inside a transaction, and Liquibase runs a changeset in one"
                    + " unless it says runInTransaction: false",
            "runInTransaction: false on the changeset, with the statement alone in it"),
    ADDING_REQUIRED_FIELD("adding-required-field",
            "a new `NOT NULL` column without a default", true,
            "fails on %s as soon as it has a row (no value for them), under an ACCESS EXCLUSIVE lock",
            "add the column nullable or with a constant default, backfill it in batches, then make it NOT NULL the safe way"
                    + " (adding-not-nullable-field)"),
    ADDING_NOT_NULLABLE_FIELD("adding-not-nullable-field",
            "`addNotNullConstraint` or `SET NOT NULL`, where no validated `CHECK (col IS NOT NULL)` stands in for the scan", true,
            "takes an ACCESS EXCLUSIVE lock on %s and scans every row: reads and writes wait for the whole scan",
            "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; in a later changeset VALIDATE CONSTRAINT c (reads and writes"
                    + " go on); then SET NOT NULL, which uses the valid check instead of a scan, and DROP CONSTRAINT c"),
    CHANGING_COLUMN_TYPE("changing-column-type",
            "`modifyDataType` or `ALTER COLUMN … TYPE`, but for the changes PostgreSQL makes in place: a `varchar` widened (or"
                    + " made `text`), a `numeric`'s precision raised at the same scale, a `varbit` widened", true,
            "takes an ACCESS EXCLUSIVE lock on %s and rewrites it and its indexes: reads and writes wait for the rewrite",
            "expand and contract, which `cnlearn:revision -Ddesired` writes for a column with no index, check or key:"
                    + " add a column of the new type, keep both in step, backfill in batches, then drop the old column and give the copy its name after"
                    + " the rollout (widening a varchar, or varchar to text, raising a numeric's precision at"
                    + " the same scale, or widening a varbit needs no rewrite and passes)"),
    RENAMING_COLUMN("renaming-column",
            "`renameColumn` or `RENAME COLUMN`, but for a swap in one changeset: a copy given the name of the column dropped"
                    + " before it (or, in a rollback, a column renamed and its name added again after it)", true,
            "breaks the application versions still running during the deploy, which use the old name of a column of %s",
            "expand and contract, which `cnlearn:revision -Drename=TABLE.OLD:NEW` writes for a column with no key or view on"
                    + " it: add the new column, keep both in step, backfill, move the readers, drop the old column after the rollout"),
    RENAMING_TABLE("renaming-table",
            "`renameTable` or `RENAME TO`", true,
            "breaks the application versions still running during the deploy, which use the old name of %s",
            "expand and contract: create the new table (or a view under the new name), move readers and writers, retire the old"
                    + " name in a later release"),
    DISALLOWED_UNIQUE_CONSTRAINT("disallowed-unique-constraint",
            "`addUniqueConstraint`, `addPrimaryKey` or `ADD … UNIQUE / PRIMARY KEY` without `USING INDEX`", true,
            "takes an ACCESS EXCLUSIVE lock on %s while it builds the unique index: reads and writes wait for the build",
            "CREATE UNIQUE INDEX CONCURRENTLY (its own changeset, runInTransaction: false), then ADD CONSTRAINT … UNIQUE USING"
                    + " INDEX (or PRIMARY KEY USING INDEX), which only attaches it"),
    CONSTRAINT_MISSING_NOT_VALID("constraint-missing-not-valid",
            "a foreign key or a check added without `validate: false` / `NOT VALID`", true,
            "checks every row of %s while holding a lock that makes writes (for a check constraint, reads too) wait",
            "add it NOT VALID (validate: false on addForeignKeyConstraint), then VALIDATE CONSTRAINT in a later changeset:"
                    + " its lock lets reads and writes go on"),
    ADDING_FIELD_WITH_DEFAULT("adding-field-with-default",
            "a new column whose default fills every row: a volatile default (`gen_random_uuid()`, `clock_timestamp()`, `random()`), a serial or identity, a stored generated column. A constant default, or a stable one such as `now()`, passes", true,
            "rewrites %s under an ACCESS EXCLUSIVE lock to fill every row: reads and writes wait for the rewrite",
            "add the column without a default (a constant default is fine), set the default for new rows with ALTER COLUMN …"
                    + " SET DEFAULT, and backfill existing rows in batches"),
    NON_ATOMIC_CHANGESET("non-atomic-changeset",
            "a `runInTransaction: false` changeset (or rollback) with more than one statement", false,
            "runs outside a transaction (runInTransaction: false) with %s statements: a failure after the first leaves it"
                    + " half-applied, and the next update starts it again from the top",
            "one changeset per statement that needs runInTransaction: false; everything else in ordinary changesets"),
    EXPAND_BREAKS_OLD_VERSION("expand-breaks-old-version",
            "a changeset labelled `expand` that drops or renames a table or a column, adds a `NOT NULL` column without a default,"
                    + " or sets `NOT NULL`", true,
            "runs before the rollout, while the old version still works on %s as it was: its statements on what was dropped,"
                    + " renamed or made required fail until its last replica is gone",
            "in expand, only what the old version can live with (a new table, a nullable column or one with a default, an index"
                    + " built CONCURRENTLY); the drop, the rename or the NOT NULL in a changeset labelled contract, applied after the"
                    + " rollout (docs/deploying.md)"),
    CONTRACT_BEFORE_EXPAND("contract-before-expand",
            "a changeset labelled `contract` placed before one labelled `expand` that changes the same column, or creates, drops"
                    + " or renames the same table (changes to other columns of a table do not depend on their order)", false,
            "runs after %s at a deploy in two phases, but before it at a plain update, which keeps the changelog's order: one"
                    + " changelog, two orders, and two schemas or a failure",
            "each change's contract changesets after its expand changesets in the master changelog (the contract in a new file,"
                    + " included last)"),

    UNPARSEABLE_SQL("unparseable-sql",
            "SQL the lint cannot parse (a `DO` block, say), so cannot check", false,
            "cannot be parsed, so it cannot be checked: %s",
            "write it so PostgreSQL's grammar (and this lint's parser) can read it, or waive it with the reason it is safe"),
    REQUIRE_AUTHOR("require-author",
            "a changeset without an `author`", false, "has no author", "author: who to ask about it"),
    REQUIRE_COMMENT("require-comment",
            "a changeset without a `comment`", false, "has no comment", "comment: why the change is made"),
    REQUIRE_EXPLICIT_ROLLBACK("require-explicit-rollback",
            "a changeset with changes but no `rollback:`", false, "has no rollback",
            "a rollback: that undoes it exactly (Liquibase's derived rollbacks are not reviewed)"),
    UNIQUE_CHANGESET_ID("unique-changeset-id",
            "two changesets with one `id`", false, "repeats the id of a changeset in %s", "a new id: NNNN-what-it-does"),
    EMPTY_CHANGESET("empty-changeset",
            "a changeset with no changes, such as the file `cnlearn:revision` writes before you fill it in", false,
            "has no changes: update would record it as applied and change nothing, and the change written later would never run",
            "write its changes: and the rollback: that undoes them exactly (./mvnw cnlearn:revision writes a new file empty),"
                    + " then ./mvnw cnlearn:check"),
    DUPLICATE_CHANGESET_NUMBER("duplicate-changeset-number",
            "two changeset files of one number (`0002-…` twice)", false,
            "has number %s, as %s does: two branches each added a changeset with that number",
            "renumber the one not yet applied anywhere: git mv it to the next free number (the one ./mvnw cnlearn:revision"
                    + " would take), make its id the new file name, and change its include in the master changelog"),
    INCLUDES_OUT_OF_ORDER("includes-out-of-order",
            "a master changelog that includes a file after one of a higher number", false,
            "is included after %s, yet its number is lower: databases apply the master's order, so the numbers mislead",
            "keep the master changelog's includes in number order; a changeset applied somewhere keeps its place, so"
                    + " renumber the newer file instead"),
    BAN_RUN_ALWAYS("ban-run-always",
            "`runAlways` or `runOnChange` on a changeset", false, "uses %s: a changeset runs once", "a new changeset for each change"),
    BAN_RAW_SQL_DROP("ban-raw-sql-drop",
            "`DROP TABLE` or `ALTER TABLE … DROP COLUMN` in an `sql` or `sqlFile` change", false,
            "drops a table or a column in raw SQL: the data-loss guard counts its rows only where it can read the statement,"
                    + " and reviewers look for dropTable and dropColumn",
            "dropTable or dropColumn, whose rows the data-loss guard always counts"),
    CHANGELOG_FILE_NOT_INCLUDED("changelog-file-not-included",
            "a changelog file beside the master that no include reaches", false, "is not included by %s, so it never runs",
            "an include of it in the master changelog, or delete it"),
    UNREADABLE_CHANGELOG("unreadable-changelog",
            "a changelog file Liquibase cannot parse (broken YAML, an include of a missing file)", false, "cannot be read: %s", "fix the file where the message says"),
    INVALID_WAIVER("invalid-waiver",
            "a `lint-waiver(…)` that names no rule of the lint, or gives no reason", false, "has a waiver that %s",
            "lint-waiver(rule-name): the reason it is safe here, with a rule of docs/lint.md");

    public final String id;
    /** What it catches, in the changelog's terms (Markdown: docs/lint.md shows it as it is). */
    public final String catches;
    /** A lock-safety rule that applies only to live tables (those that exist before the changeset runs). */
    public final boolean liveTablesOnly;
    /** What breaking it does; %s is the table (or the detail the rule names). */
    public final String blocks;
    public final String safeWay;

    Rule(String id, String catches, boolean liveTablesOnly, String blocks, String safeWay) {
        this.catches = catches;
        this.id = id;
        this.liveTablesOnly = liveTablesOnly;
        this.blocks = blocks;
        this.safeWay = safeWay;
    }

    /** Whether a changeset's lint-waiver can waive it: the rules about files, and about waivers, are fixed in the files. */
    public boolean waivable() {
        return switch (this) {
            case DUPLICATE_CHANGESET_NUMBER, INCLUDES_OUT_OF_ORDER, CHANGELOG_FILE_NOT_INCLUDED, UNREADABLE_CHANGELOG, INVALID_WAIVER -> false;
            default -> true;
        };
    }

    public static Rule byId(String id) {
        for (Rule rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        return null;
    }
}
