package org.cnlearn.db.lint;

/** What a statement does, in the terms the lock-safety rules need. */
sealed interface Operation {

    /** The table it works on (the records that have one answer with it), or null. */
    default Table table() {
        return null;
    }

    /** A table, schema-qualified ("public" when the statement names none), as PostgreSQL folds names. */
    record Table(String schema, String name) {
        static Table of(String schema, String name) {
            return new Table(schema == null ? "public" : fold(schema), fold(name));
        }

        /** Unquoted names fold to lower case; quoted ones stay as written. */
        static String fold(String identifier) {
            if (identifier.length() > 1 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
                return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
            }
            return identifier.toLowerCase();
        }

        @Override
        public String toString() {
            return quote(schema) + "." + quote(name);
        }

        private static String quote(String identifier) {
            return identifier.matches("[a-z_][a-z0-9_]*") && !identifier.equals("user") ? identifier : "\"" + identifier.replace("\"", "\"\"") + "\"";
        }
    }

    record CreateTable(Table table, java.util.Map<String, String> columnTypes) implements Operation {
    }

    /** A materialized view made (and filled) by the statement: new, as a new table is, so nothing waits on its indexes. */
    record CreateMaterializedView(Table table) implements Operation {
    }

    record CreateIndex(Table table, boolean concurrently, boolean unique) implements Operation {
    }

    /**
     * A column added: {@code fills} says why every row gets a value computed for it (a volatile default,
     * an identity, a stored generated column), or is null; {@code inlineConstraint} is a REFERENCES,
     * CHECK, UNIQUE or PRIMARY KEY written in the column's definition, or null.
     */
    record AddColumn(Table table, String column, String type, boolean notNull, boolean hasDefault, String fills,
                     String inlineConstraint) implements Operation {
    }

    record SetNotNull(Table table, String column) implements Operation {
    }

    record AlterType(Table table, String column, String newType) implements Operation {
    }

    enum ConstraintKind { CHECK, FOREIGN_KEY, UNIQUE, PRIMARY_KEY }

    /** {@code notNullColumn}: the column when the constraint is CHECK (column IS NOT NULL). */
    record AddConstraint(Table table, String name, ConstraintKind kind, boolean notValid, boolean usingIndex,
                         String notNullColumn) implements Operation {
    }

    record ValidateConstraint(Table table, String name) implements Operation {
    }

    record RenameColumn(Table table, String from, String to) implements Operation {
    }

    record RenameTable(Table table, String to) implements Operation {
    }

    /** {@code written}: the table as the statement names it, which PostgreSQL resolves as the statement would. */
    record DropTable(Table table, String written) implements Operation {
    }

    record DropColumn(Table table, String column, String writtenTable, String writtenColumn) implements Operation {
    }

    /** One table a TRUNCATE empties; with CASCADE, the tables whose foreign keys point at it are emptied too. */
    record Truncate(Table table, String written, boolean cascade) implements Operation {
    }

    /** DROP SCHEMA … CASCADE: every table in it goes (without CASCADE PostgreSQL drops only an empty schema). */
    record DropSchemaCascade(String written) implements Operation {
    }

    /** DROP TYPE or DOMAIN … CASCADE: every column of that type goes. */
    record DropTypeCascade(String written) implements Operation {
    }

    /** DROP EXTENSION … CASCADE: every column of the extension's types goes. */
    record DropExtensionCascade(String written) implements Operation {
    }

    /** DROP OWNED BY a role: every table it owns in this database goes. */
    record DropOwned(String role) implements Operation {
    }

    /** A statement PostgreSQL refuses inside a transaction block (CREATE/DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY). */
    record Concurrently() implements Operation {
    }

    /** Anything else: no lock-safety rule is about it. */
    record Other() implements Operation {
    }

    record Unparseable(String reason) implements Operation {
    }
}
