package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.CatalogObject.Kind;
import org.cnlearn.db.catalog.Difference;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.scratch.ScratchDatabases;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Renames: those the author said (-Drename), done on a scratch copy of what the changelog builds ("renamed"),
 * each with its changeset; and the question asked, before anything is written, where a table or column gone
 * and another new may be one renamed.
 */
final class Renaming {

    /** The renames' changesets: those that go first in the file, and the contracts, which go last. */
    record Renamed(List<ChangePlan.Planned> first, List<ChangePlan.Planned> last) {

        static Renamed none() {
            return new Renamed(List.of(), List.of());
        }

        boolean isEmpty() {
            return first.isEmpty() && last.isEmpty();
        }

        Renamed and(Renamed more) {
            List<ChangePlan.Planned> first = new ArrayList<>(this.first);
            first.addAll(more.first);
            List<ChangePlan.Planned> last = new ArrayList<>(this.last);
            last.addAll(more.last);
            return new Renamed(first, last);
        }
    }

    private Renaming() {
    }

    /**
     * Tables first, then columns (a column of a renamed table named by its new name), on a copy "renamed" of
     * "changelog". A column is renamed by expand and contract ({@link ExpandContract}) where it can be, else in place.
     */
    static Renamed apply(Renames renames, ScratchDatabases scratch, List<CatalogObject> built, List<CatalogObject> wanted,
                         DesiredSchema desired) throws SQLException {
        List<ChangePlan.Planned> renamed = new ArrayList<>();
        List<ChangePlan.Planned> contracts = new ArrayList<>();
        scratch.copy("changelog", "renamed");
        List<Renames.Rename> columns = new ArrayList<>();
        List<Renames.TableRename> tables = new ArrayList<>(renames.tables());
        for (Renames.Rename rename : renames.columns()) {
            // schema.table:new names a table when the changelog builds no such column, and that table
            if (find(built, rename, rename.from()) == null && rename.asTable() != null
                    && built.stream().anyMatch(rename.asTable()::is)) {
                tables.add(rename.asTable());
            } else {
                columns.add(rename);
            }
        }
        try (Connection connection = scratch.connect("renamed"); Statement statement = connection.createStatement()) {
            for (Renames.TableRename rename : tables) {
                CatalogObject table = renamedTable(rename, built, wanted, desired);
                renamed.add(TablePlan.rename(table, rename.to()));
                statement.execute("ALTER TABLE " + table.qualifiedName() + " RENAME TO " + quoted(rename.to()));
            }
            List<CatalogObject> tablesRenamed = tables.isEmpty() ? built : SchemaCatalog.read(connection);
            for (Renames.Rename rename : columns) {
                CatalogObject column = renamedColumn(rename, tablesRenamed, wanted, desired);
                CatalogObject target = find(wanted, rename, rename.to());
                String inPlace = ExpandContract.inPlaceBecause(connection, column, target, wanted);
                if (inPlace != null) {
                    renamed.add(ColumnPlan.rename(column, rename.to(), inPlace));
                    statement.execute("ALTER TABLE " + column.qualifiedTable() + " RENAME COLUMN " + column.name() + " TO "
                            + quoted(rename.to()));
                    continue;
                }
                ExpandContract phased = ExpandContract.of(connection, tablesRenamed, column, rename.to(), target.column().type());
                ExpandContract.Phased phases = phased.phases();
                renamed.addAll(phases.expand());
                contracts.addAll(phases.contract());
                for (String simulated : phased.onScratch()) {
                    statement.execute(simulated);
                }
            }
        }
        return new Renamed(renamed, contracts);
    }

    /**
     * The type changes among {@code differences} that would rewrite a table, each made by expand and contract
     * ({@link ExpandContract#retype}) where the column allows it and PostgreSQL casts both ways, on the copy
     * "renamed" (made now unless {@code copied}); the others are left to {@link ColumnPlan}, which refuses them.
     */
    static Renamed retype(List<Difference> differences, ScratchDatabases scratch, boolean copied, DesiredSchema desired) throws SQLException {
        List<Difference> rewriting = ChangePlan.changed(differences, Kind.COLUMN).stream()
                .filter(d -> !d.from().column().type().equals(d.target().column().type())
                        && !org.cnlearn.db.lint.LockRules.widens(d.from().column().type(), d.target().column().type()))
                .toList();
        List<ChangePlan.Planned> first = new ArrayList<>();
        List<ChangePlan.Planned> last = new ArrayList<>();
        for (Difference d : rewriting) {
            String from = d.from().column().type();
            String to = d.target().column().type();
            if (!casts(desired, scratch, from, to) || !casts(desired, scratch, to, from)) {
                continue;
            }
            if (!copied) {
                scratch.copy("changelog", "renamed");
                copied = true;
            }
            try (Connection connection = scratch.connect("renamed"); Statement statement = connection.createStatement()) {
                ExpandContract retyped = ExpandContract.inPlaceBecause(connection, d.from(), d.target(), null) == null
                        ? ExpandContract.retype(connection, d.from(), to) : null;
                if (retyped == null) {
                    continue;
                }
                ExpandContract.Phased phases = retyped.phases();
                first.addAll(phases.expand());
                last.addAll(phases.contract());
                for (String simulated : retyped.onScratch()) {
                    statement.execute(simulated);
                }
            }
        }
        return new Renamed(first, last);
    }

    /** The column a -Drename names: in what the changelog builds under its old name, in the desired schema under its new one. */
    private static CatalogObject renamedColumn(Renames.Rename rename, List<CatalogObject> built, List<CatalogObject> wanted, DesiredSchema desired) {
        CatalogObject old = find(built, rename, rename.from());
        if (old == null) {
            throw new AuthoringFailure("-Drename=" + rename.given() + ": what the changelog builds has no column " + rename.from() + " in table "
                    + rename.schema() + "." + rename.table() + ". Nothing was written.");
        }
        if (find(wanted, rename, rename.to()) == null) {
            throw new AuthoringFailure("-Drename=" + rename.given() + ": " + desired.name() + " has no column " + rename.to() + " in table "
                    + old.qualifiedTable() + ". Nothing was written.");
        }
        if (find(built, rename, rename.to()) != null) {
            throw new AuthoringFailure("-Drename=" + rename.given() + ": table " + old.qualifiedTable() + " has a column " + rename.to()
                    + " already. Nothing was written.");
        }
        return old;
    }

    /** The table a -Drename names: in what the changelog builds under its old name, in the desired schema under its new one. */
    private static CatalogObject renamedTable(Renames.TableRename rename, List<CatalogObject> built, List<CatalogObject> wanted,
                                              DesiredSchema desired) {
        CatalogObject old = built.stream().filter(rename::is).findFirst().orElse(null);
        if (old == null) {
            throw new AuthoringFailure("-Drename=" + rename.given() + ": what the changelog builds has no table " + rename.from()
                    + " in schema " + rename.schema() + ". Nothing was written.");
        }
        Renames.TableRename target = new Renames.TableRename(rename.schema(), rename.to(), rename.to());
        if (wanted.stream().noneMatch(target::is)) {
            throw new AuthoringFailure("-Drename=" + rename.given() + ": " + desired.name() + " has no table " + rename.to() + " in schema "
                    + rename.schema() + ". Nothing was written.");
        }
        if (built.stream().anyMatch(target::is)) {
            throw new AuthoringFailure("-Drename=" + rename.given() + ": there is a table " + rename.to() + " in schema " + rename.schema()
                    + " already. Nothing was written.");
        }
        return old;
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static CatalogObject find(List<CatalogObject> objects, Renames.Rename rename, String column) {
        return objects.stream().filter(o -> o.kind() == Kind.COLUMN && rename.onTableOf(o) && CatalogObject.unquote(o.name()).equals(column))
                .findFirst().orElse(null);
    }

    /**
     * A column gone from a table and another new in it, of the same type or of one PostgreSQL casts the old
     * type to, may be one column renamed (a drop and an add would lose its data): nothing is written until
     * the author says which. A rename then carries its type change, written as any type change is.
     */
    static void askIfAmbiguous(List<Difference> differences, List<CatalogObject> before, List<CatalogObject> wanted,
                                               DesiredSchema desired, ScratchDatabases scratch) throws SQLException {
        List<String> pairs = new ArrayList<>();
        List<String> renames = new ArrayList<>();
        // a table gone and another new in its schema, with the same columns (names and types): its rows would go
        for (Difference gone : differences) {
            if (gone.kind() != Kind.TABLE || gone.target() != null) {
                continue;
            }
            for (Difference added : differences) {
                if (added.kind() == Kind.TABLE && added.from() == null && added.target().schema().equals(gone.from().schema())
                        && columns(before, gone.from()).equals(columns(wanted, added.target()))) {
                    pairs.add("table " + gone.qualifiedName() + " is not in " + desired.name() + ", and " + added.qualifiedName()
                            + " with the same columns is new");
                    renames.add(("public".equals(gone.from().schema()) ? "" : CatalogObject.unquote(gone.from().schema()) + ".")
                            + CatalogObject.unquote(gone.from().table()) + ":" + CatalogObject.unquote(added.target().table()));
                }
            }
        }
        for (Difference gone : differences) {
            if (gone.kind() != Kind.COLUMN || gone.target() != null) {
                continue;
            }
            for (Difference added : differences) {
                if (added.kind() != Kind.COLUMN || added.from() != null || !added.target().qualifiedTable().equals(gone.from().qualifiedTable())) {
                    continue;
                }
                String oldType = gone.from().column().type();
                String newType = added.target().column().type();
                if (oldType.equals(newType)) {
                    pairs.add("column " + gone.qualifiedName() + " (" + oldType + ") is not in " + desired.name()
                            + ", and " + added.qualifiedName() + " of the same type is new");
                } else if (casts(desired, scratch, oldType, newType)) {
                    pairs.add("column " + gone.qualifiedName() + " (" + oldType + ") is not in " + desired.name()
                            + ", and " + added.qualifiedName() + " (" + newType + ") is new, of a type " + oldType + " casts to");
                } else {
                    continue;
                }
                String table = CatalogObject.unquote(gone.from().table());
                renames.add(("public".equals(gone.from().schema()) ? "" : CatalogObject.unquote(gone.from().schema()) + ".") + table + "."
                        + CatalogObject.unquote(gone.from().name()) + ":" + CatalogObject.unquote(added.target().name()));
            }
        }
        if (!pairs.isEmpty()) {
            throw new AuthoringFailure("Renamed, or dropped and added? " + String.join("; ", pairs) + ". Say which, and run again:"
                    + " -Drename=" + String.join(",", renames) + " renames, and keeps the data (a type change too, where it can be made in"
                    + " place); -DallowDataLoss=true drops the old one, with its data, and adds the new one. Nothing was written.");
        }
    }

    /** A table's columns, in order, each with its type: what a renamed table keeps. */
    private static List<String> columns(List<CatalogObject> objects, CatalogObject table) {
        return objects.stream().filter(o -> o.kind() == Kind.COLUMN && o.qualifiedTable().equals(table.qualifiedName()))
                .map(o -> o.name() + " " + o.column().type()).toList();
    }

    /**
     * Whether PostgreSQL casts one type to the other (an I/O cast to text counts), asked of the desired
     * schema's database and then of the changelog's, since a type may exist in only one of them.
     */
    private static boolean casts(DesiredSchema desired, ScratchDatabases scratch, String from, String to) throws SQLException {
        for (String database : List.of("desired", "changelog")) {
            try (Connection connection = database.equals("desired") ? desired.open(scratch, database) : scratch.connect(database);
                 Statement statement = connection.createStatement()) {
                statement.execute("SELECT CAST(NULL::" + from + " AS " + to + ")");
                return true;
            } catch (SQLException e) {
                if (!"42704".equals(e.getSQLState())) { // undefined_object: a type the other database may have
                    return false;
                }
            }
        }
        return false;
    }
}
