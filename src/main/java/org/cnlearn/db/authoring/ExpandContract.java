package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.connection.JdbcQueries;
import org.cnlearn.db.phases.Phase;
import org.cnlearn.db.phases.VerifiedCopy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.cnlearn.db.authoring.ChangeNodes.change;
import static org.cnlearn.db.authoring.ChangeNodes.concurrently;
import static org.cnlearn.db.authoring.ChangeNodes.plain;
import static org.cnlearn.db.authoring.ChangeNodes.sql;
import static org.cnlearn.db.authoring.ChangeNodes.table;
import static org.cnlearn.db.authoring.ChangeNodes.with;

/**
 * A column renamed (its type changed too, if the desired schema says so) on a live table while the old and the
 * new application versions both run: expand adds the new column, a trigger that keeps the two in step on every
 * insert and update from either side, and fills the rows there are in batches, each committed, under a short
 * lock timeout with retries; contract, after the rollout, drops the trigger, its function and the old column
 * (with its indexes), which the data-loss guard lets through without the flag only where every row's values
 * agree ({@link VerifiedCopy}). The new column's indexes are the desired schema's, built CONCURRENTLY by
 * {@link IndexPlan} between the two, and so are its check constraints, added NOT VALID and validated by
 * {@link ConstraintPlan}; contract's rollback adds the old column's back NOT VALID and validates them once it is filled. A
 * NOT NULL column's copy is made NOT NULL in contract, through a validated check. A column the trigger cannot keep in
 * step alone (a default or a NOT NULL that changes too, a key, a view or anything else that depends on it; for a type
 * change, a check too) is renamed in place, and the reason said.
 */
final class ExpandContract {

    /** The check constraints on a column (parameters: its table twice, its name), from FROM on. */
    private static final String CHECKS_OF_COLUMN = "FROM pg_constraint WHERE contype = 'c' AND conrelid = to_regclass(?)"
            + " AND conkey @> ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?)]";

    /** The changesets before the rollout (expand) and after it (contract). */
    record Phased(List<ChangePlan.Planned> expand, List<ChangePlan.Planned> contract) {
    }

    private final CatalogObject old;
    /** The new column's name as it is given, and as SQL writes it. */
    private final String to;
    private final String newName;
    private final String newType;
    private final List<CatalogObject> oldIndexes;
    /** The old column's check constraints as ALTER TABLE adds them NOT VALID, and the statements that validate those that were valid. */
    private final List<String> oldChecks;
    private final List<String> oldChecksValidated;
    /** For a type change, the name the copy takes when contract drops the old column (the old one's); null for a rename. */
    private final String swappedTo;

    private ExpandContract(CatalogObject old, String to, String newName, String newType, List<CatalogObject> oldIndexes, String swappedTo,
                           List<String> oldChecks, List<String> oldChecksValidated) {
        this.old = old;
        this.oldChecks = oldChecks;
        this.oldChecksValidated = oldChecksValidated;
        this.swappedTo = swappedTo;
        this.to = to;
        this.newName = newName;
        this.newType = newType;
        this.oldIndexes = oldIndexes;
    }

    /**
     * Why the column cannot be renamed by expand and contract (null: it can), read from {@code connection}'s
     * catalog, where it still has its old name: what depends on the column besides a plain index of it alone.
     */
    static String inPlaceBecause(Connection connection, CatalogObject column, CatalogObject wanted, List<CatalogObject> desired)
            throws SQLException {
        if (column.column().notNull() != wanted.column().notNull()) {
            return "its NOT NULL changes too, and expand and contract is written here only for a column that keeps it as it is";
        }
        if (column.definition().contains(" generated always as ") || wanted.definition().contains(" generated always as ")) {
            return "it is a generated column, which no trigger may write";
        }
        if (!java.util.Objects.equals(column.column().defaultValue(), wanted.column().defaultValue())) {
            return "its default changes too, and expand and contract is written here only for a column that keeps it as it is";
        }
        List<String> dependents = JdbcQueries.strings(connection, "SELECT pg_describe_object(d.classid, d.objid, d.objsubid)"
                + " FROM pg_depend d LEFT JOIN pg_index i ON d.classid = 'pg_class'::regclass AND i.indexrelid = d.objid"
                // PostgreSQL 18 keeps a column's NOT NULL as a constraint of its own, which goes with the column
                + " LEFT JOIN pg_constraint c ON d.classid = 'pg_constraint'::regclass AND c.oid = d.objid"
                // its own default goes with it (another column's generation expression does not)
                + " LEFT JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND ad.oid = d.objid"
                + " WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass(?) AND d.deptype IN ('n', 'a')"
                + " AND d.refobjsubid = (SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?)"
                + " AND NOT (i.indexrelid IS NOT NULL AND i.indnatts = 1 AND i.indexprs IS NULL AND i.indpred IS NULL)"
                + " AND c.contype IS DISTINCT FROM 'n' AND ad.adnum IS DISTINCT FROM d.refobjsubid"
                // a check goes with the old column, and the desired schema's is built on the new one (a rename only)
                + (desired == null ? "" : " AND c.contype IS DISTINCT FROM 'c'")
                + " ORDER BY 1", column.qualifiedTable(), column.qualifiedTable(), plain(column.name()));
        if (!dependents.isEmpty()) {
            return String.join(", ", dependents) + " depends on it";
        }
        if (desired != null) {
            List<String> kept = JdbcQueries.strings(connection, "SELECT quote_ident(conname) " + CHECKS_OF_COLUMN + " ORDER BY 1",
                    column.qualifiedTable(), column.qualifiedTable(), plain(column.name()));
            kept.removeIf(name -> desired.stream().noneMatch(o -> o.kind() == CatalogObject.Kind.CHECK_CONSTRAINT
                    && o.schema().equals(column.schema()) && o.table().equals(wanted.table()) && o.name().equals(name)));
            if (!kept.isEmpty()) {
                return "its check constraint " + String.join(", ", kept) + " keeps its name, which the old column's holds until contract";
            }
        }
        return null;
    }

    /** Renaming {@code column} to {@code to}, of type {@code newType}; its indexes those of {@code catalog} that {@code connection} says are its. */
    static ExpandContract of(Connection connection, List<CatalogObject> catalog, CatalogObject column, String to, String newType)
            throws SQLException {
        List<String> names = JdbcQueries.strings(connection, "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_index i"
                + " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE i.indrelid = to_regclass(?) AND i.indnatts = 1 AND a.attname = ?",
                column.qualifiedTable(), plain(column.name()));
        List<CatalogObject> indexes = catalog.stream().filter(o -> o.kind() == CatalogObject.Kind.INDEX && names.contains(o.qualifiedName()))
                .toList();
        String table = column.qualifiedTable();
        List<String> restored = JdbcQueries.strings(connection, "SELECT 'ALTER TABLE ' || ? || ' ADD CONSTRAINT ' || quote_ident(conname) || ' '"
                + " || pg_get_constraintdef(oid) || CASE WHEN convalidated THEN ' NOT VALID' ELSE '' END " + CHECKS_OF_COLUMN
                + " ORDER BY conname",
                table, table, table, plain(column.name()));
        List<String> validated = JdbcQueries.strings(connection, "SELECT 'ALTER TABLE ' || ? || ' VALIDATE CONSTRAINT ' || quote_ident(conname) "
                + CHECKS_OF_COLUMN + " AND convalidated ORDER BY conname", table, table, table, plain(column.name()));
        return new ExpandContract(column, to, quoted(connection, to), newType, indexes, null, restored, validated);
    }

    /**
     * A type change that would rewrite the table, made by expand and contract: a copy of the new type
     * ({@code column_new}) kept in step while the old and new versions both write the column, which contract
     * drops and gives its name to the copy in one transaction. Null where it cannot be: the column has an index
     * (its copy's would need a name of its own until then), or {@code column_new} is taken.
     */
    static ExpandContract retype(Connection connection, CatalogObject column, String newType) throws SQLException {
        String copy = plain(column.name()) + "_new";
        boolean taken = JdbcQueries.bool(connection, "SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?)",
                column.qualifiedTable(), copy);
        boolean indexed = JdbcQueries.bool(connection, "SELECT EXISTS (SELECT FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = to_regclass(?) AND a.attname = ?)", column.qualifiedTable(),
                plain(column.name()));
        if (taken || copy.length() > 63 || indexed) {
            return null;
        }
        return new ExpandContract(column, copy, quoted(connection, copy), newType, List.of(), plain(column.name()), List.of(), List.of());
    }

    /** {@code name} as SQL writes it, quoted where PostgreSQL would need it to be. */
    private static String quoted(Connection connection, String name) throws SQLException {
        return JdbcQueries.single(connection, "SELECT quote_ident(?)", rs -> rs.getString(1), name);
    }

    /** What the scratch copy does in place of the rename, so that what is left to plan is what follows the expand. */
    List<String> onScratch() {
        String table = old.qualifiedTable();
        List<String> statements = new ArrayList<>(List.of("ALTER TABLE " + table + " ADD COLUMN " + newName + " " + newType));
        if (defaultValue() != null) {
            statements.add(setDefault(newName));
        }
        if (old.column().notNull()) {
            statements.add("UPDATE " + table + " SET " + newName + " = CAST(" + old.name() + " AS " + newType + ")");
            statements.add("ALTER TABLE " + table + " ALTER COLUMN " + newName + " SET NOT NULL");
        }
        statements.add("ALTER TABLE " + table + " DROP COLUMN " + old.name());
        if (swappedTo != null) {
            statements.add("ALTER TABLE " + old.qualifiedTable() + " RENAME COLUMN " + newName + " TO " + old.name());
        }
        return statements;
    }

    /** The changesets of each phase. */
    Phased phases() {
        String oldName = old.name();
        String pair = VerifiedCopy.declare(plain(oldName), to);
        Map<String, Object> added = new LinkedHashMap<>();
        added.put("name", to);
        added.put("type", newType);
        Map<String, Object> restored = new LinkedHashMap<>();
        restored.put("name", plain(oldName));
        restored.put("type", old.column().type());

        List<ChangePlan.Planned> expand = new ArrayList<>();
        expand.add(new ChangePlan.Planned("add column " + newName + " beside " + old.qualifiedName() + ", kept in step with it by a"
                + " trigger on every insert and update, from either side, and the procedure that copies one into the other; " + pair, true,
                List.of(change("addColumn", with(table(old), "columns", List.of(Map.of("column", added)))), sql(syncFunction()),
                        sql(syncTrigger()), sql(copyProcedure())),
                List.of(sql(dropProcedure()), sql(dropTrigger()), sql(dropFunction()), change("dropColumn", with(table(old), "columnName", to))),
                null, Phase.EXPAND.label()));
        // outside a transaction, so that each batch commits; nothing to undo: the values go with the column
        expand.add(new ChangePlan.Planned("copy column " + old.qualifiedName() + " into " + newName + " on the rows there are, in batches"
                + " each committed, under a short lock timeout with retries", false, List.of(sql("CALL " + procedure() + "(true)")),
                List.of(change("empty", new LinkedHashMap<>())), null, Phase.EXPAND.label()));

        List<ChangePlan.Planned> contract = new ArrayList<>();
        if (defaultValue() != null) {
            // not in expand: a default the new column took there would hide the old version's values from the trigger
            contract.add(new ChangePlan.Planned("give column " + newName + " of " + old.qualifiedTable() + " the default of "
                    + old.qualifiedName() + ", now that only the new version writes", true, List.of(sql(setDefault(newName))),
                    List.of(sql("ALTER TABLE " + old.qualifiedTable() + " ALTER COLUMN " + newName + " DROP DEFAULT")), null,
                    Phase.CONTRACT.label()));
        }
        if (old.column().notNull()) {
            contract.addAll(notNull());
        }
        if (!oldChecksValidated.isEmpty()) {
            contract.add(new ChangePlan.Planned("nothing; its rollback validates the check constraints of column " + old.qualifiedName()
                    + ", back and filled", true, List.of(change("empty", new LinkedHashMap<>())),
                    oldChecksValidated.stream().<Object>map(ChangeNodes::sql).toList(), null, Phase.CONTRACT.label()));
        }
        // the old column's indexes first, so that a rollback builds them again once its values are back
        for (CatalogObject index : oldIndexes) {
            contract.add(new ChangePlan.Planned("drop index " + index.qualifiedName() + " of column " + old.qualifiedName() + " concurrently",
                    false, List.of(sql("DROP INDEX CONCURRENTLY " + index.qualifiedName())), List.of(sql(concurrently(index.ddl()))), null,
                    Phase.CONTRACT.label()));
        }
        // nothing forward; its rollback runs after the next changeset's has added the old column again, and fills it
        contract.add(new ChangePlan.Planned("nothing; its rollback copies " + newName + " back into " + old.qualifiedName()
                + ", in batches each committed", false, List.of(change("empty", new LinkedHashMap<>())),
                List.of(sql("CALL " + procedure() + "(false)")), null, Phase.CONTRACT.label()));
        List<Object> drop = new ArrayList<>(List.of(sql(dropTrigger()), sql(dropFunction()), sql(dropProcedure()),
                change("dropColumn", with(table(old), "columnName", plain(oldName)))));
        List<Object> restore = new ArrayList<>(List.of(change("addColumn", with(table(old), "columns", List.of(Map.of("column", restored))))));
        if (defaultValue() != null) {
            restore.add(sql(setDefault(old.name())));
        }
        // its checks NOT VALID (every row's value is null until the next rollback fills it, and the one after validates them)
        oldChecks.forEach(check -> restore.add(sql(check)));
        restore.addAll(List.of(sql(syncFunction()), sql(syncTrigger()), sql(copyProcedure())));
        if (swappedTo != null) {
            drop.add(change("renameColumn", with(table(old), "oldColumnName", to, "newColumnName", swappedTo)));
            restore.add(0, change("renameColumn", with(table(old), "oldColumnName", swappedTo, "newColumnName", to)));
        }
        contract.add(new ChangePlan.Planned("drop the trigger, its function, the procedure and column " + old.qualifiedName()
                + ", where every row's " + newName + " holds its value" + (swappedTo == null ? "" : ", and give " + newName + " its name")
                + "; " + pair, true, drop, restore, null, Phase.CONTRACT.label()));
        return new Phased(expand, contract);
    }

    /**
     * A NOT NULL column's: the new column made NOT NULL once only the new version writes it (until then the old
     * version leaves it to the trigger), without a long lock: a NOT VALID check, then in a later transaction the check
     * validated (reads and writes go on), SET NOT NULL (which uses it) and the check dropped. Then two changesets with
     * nothing forward, whose rollbacks, run after the old column is back and filled, make it NOT NULL again the same way.
     */
    private List<ChangePlan.Planned> notNull() {
        String table = old.qualifiedTable();
        String newCheck = ColumnPlan.notNullCheck(old.table(), to);
        String oldCheck = ColumnPlan.notNullCheck(old.table(), plain(old.name()));
        String addNew = "ALTER TABLE " + table + " ADD CONSTRAINT " + newCheck + " CHECK (" + newName + " IS NOT NULL) NOT VALID";
        String dropNew = "ALTER TABLE " + table + " DROP CONSTRAINT " + newCheck;
        String addOld = "ALTER TABLE " + table + " ADD CONSTRAINT " + oldCheck + " CHECK (" + old.name() + " IS NOT NULL) NOT VALID";
        String dropOld = "ALTER TABLE " + table + " DROP CONSTRAINT " + oldCheck;
        return List.of(
                new ChangePlan.Planned("check that column " + newName + " of " + table + " is not null, for new rows", true,
                        List.of(sql(addNew)), List.of(sql(dropNew)), null, Phase.CONTRACT.label()),
                new ChangePlan.Planned("validate that check on the rows there are, make column " + newName + " NOT NULL by it,"
                        + " and drop the check", true,
                        List.of(sql("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + newCheck),
                                change("addNotNullConstraint", with(table(old), "columnName", to)), sql(dropNew)),
                        List.of(sql(addNew), change("dropNotNullConstraint", with(table(old), "columnName", to))), null,
                        Phase.CONTRACT.label()),
                new ChangePlan.Planned("nothing; its rollback validates the check of column " + old.qualifiedName() + ", makes it NOT NULL"
                        + " by it, and drops the check", true, List.of(change("empty", new LinkedHashMap<>())),
                        List.of(sql("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + oldCheck),
                                change("addNotNullConstraint", with(table(old), "columnName", plain(old.name()))), sql(dropOld)), null,
                        Phase.CONTRACT.label()),
                new ChangePlan.Planned("nothing; its rollback checks that column " + old.qualifiedName() + ", back and filled, is not"
                        + " null, for new rows", true, List.of(change("empty", new LinkedHashMap<>())), List.of(sql(addOld)), null,
                        Phase.CONTRACT.label()));
    }

    /**
     * The trigger's function: on insert, a value in the new column is given to the old one, else the new column takes
     * the old one's (the old version never writes the new column, which has no default until contract; the new version
     * never writes the old one, whose default, if it has one, is no value written); on update, the column that changed
     * gives its value to the other, and the new column's new value is given back only where it is not the old value
     * converted (a copy's own update).
     */
    private String syncFunction() {
        String o = old.name();
        String n = newName;
        return "CREATE FUNCTION " + function() + "() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                + "BEGIN\n"
                + "  IF TG_OP = 'INSERT' THEN\n"
                + "    IF NEW." + n + " IS NULL THEN\n"
                + "      NEW." + n + " := CAST(NEW." + o + " AS " + newType + ");\n"
                + "    ELSE\n"
                + "      NEW." + o + " := CAST(NEW." + n + " AS " + old.column().type() + ");\n"
                + "    END IF;\n"
                + "  ELSIF NEW." + o + " IS DISTINCT FROM OLD." + o + " THEN\n"
                + "    NEW." + n + " := CAST(NEW." + o + " AS " + newType + ");\n"
                + "  ELSIF NEW." + n + " IS DISTINCT FROM OLD." + n + " AND NEW." + n + " IS DISTINCT FROM CAST(NEW." + o + " AS " + newType
                + ") THEN\n"
                + "    NEW." + o + " := CAST(NEW." + n + " AS " + old.column().type() + ");\n"
                + "  END IF;\n"
                + "  RETURN NEW;\n"
                + "END $$";
    }

    /** The old column's default (the new one's too: a rename that changes it is written in place); null if none. */
    private String defaultValue() {
        return old.column().defaultValue();
    }

    private String setDefault(String column) {
        return "ALTER TABLE " + old.qualifiedTable() + " ALTER COLUMN " + column + " SET DEFAULT " + defaultValue();
    }

    private String syncTrigger() {
        return "CREATE TRIGGER " + syncName() + " BEFORE INSERT OR UPDATE OF " + old.name() + ", " + newName + " ON "
                + old.qualifiedTable() + " FOR EACH ROW EXECUTE FUNCTION " + function() + "()";
    }

    private String dropTrigger() {
        return "DROP TRIGGER " + syncName() + " ON " + old.qualifiedTable();
    }

    private String dropFunction() {
        return "DROP FUNCTION " + function() + "()";
    }

    /**
     * The procedure that copies the old column into the new one (true) or back (false), where the one is null and
     * the other not (a value is never overwritten: where both hold one and they differ, the guard refuses the drop): the
     * table's blocks as they were at the start, ten at a time (about a thousand rows), each batch committed, with
     * lock_timeout 500ms for itself and tried again after a lock timeout (a row a writer holds), up to 20 times;
     * then any row still differing, a thousand at a time. Rows written meanwhile the trigger keeps in step.
     */
    private String copyProcedure() {
        String table = old.qualifiedTable();
        String o = old.name();
        String n = newName;
        String toNew = "UPDATE " + table + " SET " + n + " = CAST(" + o + " AS " + newType + ")";
        String toOld = "UPDATE " + table + " SET " + o + " = CAST(" + n + " AS " + old.column().type() + ")";
        String newEmpty = n + " IS NULL AND " + o + " IS NOT NULL";
        String oldEmpty = o + " IS NULL AND " + n + " IS NOT NULL";
        String blocks = "ctid >= format('(%s,0)', first_block)::tid AND ctid < format('(%s,0)', first_block + 10)::tid";
        return "CREATE PROCEDURE " + procedure() + "(into_new boolean) LANGUAGE plpgsql AS $$\n"
                + "DECLARE\n"
                + "  last_block bigint := pg_relation_size('" + table.replace("'", "''") + "'::regclass) / current_setting('block_size')::bigint;\n"
                + "  first_block bigint := 0;\n"
                + "  tries int := 0;\n"
                + "  copied bigint := 1;\n"
                + "BEGIN\n"
                + "  WHILE first_block <= last_block OR copied > 0 LOOP\n"
                + "    BEGIN\n"
                + "      PERFORM set_config('lock_timeout', '500ms', true);\n"
                + "      IF first_block <= last_block AND into_new THEN\n"
                + "        " + toNew + " WHERE " + blocks + " AND " + newEmpty + ";\n"
                + "      ELSIF first_block <= last_block THEN\n"
                + "        " + toOld + " WHERE " + blocks + " AND " + oldEmpty + ";\n"
                + "      ELSIF into_new THEN\n"
                + "        " + toNew + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table + " WHERE " + newEmpty + " LIMIT 1000));\n"
                + "        GET DIAGNOSTICS copied = ROW_COUNT;\n"
                + "      ELSE\n"
                + "        " + toOld + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table + " WHERE " + oldEmpty + " LIMIT 1000));\n"
                + "        GET DIAGNOSTICS copied = ROW_COUNT;\n"
                + "      END IF;\n"
                + "      first_block := first_block + 10;\n"
                + "      tries := 0;\n"
                + "    EXCEPTION WHEN lock_not_available THEN\n"
                + "      tries := tries + 1;\n"
                + "      IF tries >= 20 THEN\n"
                + "        RAISE;\n"
                + "      END IF;\n"
                + "      PERFORM pg_sleep(0.1 * tries);\n"
                + "    END;\n"
                + "    COMMIT;\n"
                + "  END LOOP;\n"
                + "END $$";
    }

    private String dropProcedure() {
        return "DROP PROCEDURE " + procedure() + "(boolean)";
    }

    private String procedure() {
        return old.schema() + "." + ColumnPlan.identifier("cnlearn_copy_" + plain(old.table()) + "_" + plain(old.name()));
    }

    /** cnlearn_sync_TABLE_OLD: the trigger and its function, for as long as the rollout lasts. */
    private String syncName() {
        return ColumnPlan.identifier("cnlearn_sync_" + plain(old.table()) + "_" + plain(old.name()));
    }

    private String function() {
        return old.schema() + "." + syncName();
    }
}
