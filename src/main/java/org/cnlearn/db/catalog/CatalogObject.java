package org.cnlearn.db.catalog;

/**
 * One object of a database, as {@link SchemaCatalog} reads it. Names are quoted as PostgreSQL
 * needs them ({@code public."user"}). {@code table} is set for a table and what belongs to one;
 * {@code name} is null for a table itself. {@code definition} is what two databases are compared
 * on; {@code ddl} is the statement that creates the object (for a column, its clause in CREATE
 * TABLE; for a table, CREATE TABLE with {@code %s} where the columns go). {@code implied} marks an
 * object another one stands for: the index behind a primary key or unique constraint.
 * {@code column} is set for columns only.
 */
public record CatalogObject(Kind kind, String schema, String table, String name, String definition, boolean implied,
                            String ddl, Column column) {

    /** A column's parts, so one part can be changed alone. {@code defaultValue} is a plain DEFAULT, or null. */
    public record Column(String type, boolean notNull, String defaultValue) {
    }

    /** The kinds, each with the words a person reads. */
    public enum Kind {
        SCHEMA("schema"), EXTENSION("extension"), TYPE("type"), TABLE("table"), COLUMN("column"),
        PRIMARY_KEY("primary key"), UNIQUE_CONSTRAINT("unique constraint"), FOREIGN_KEY("foreign key"),
        CHECK_CONSTRAINT("check constraint"), EXCLUSION_CONSTRAINT("exclusion constraint"), INDEX("index"),
        TRIGGER("trigger"), SEQUENCE("sequence"), VIEW("view"), MATERIALIZED_VIEW("materialized view"),
        FUNCTION("function"), PROCEDURE("procedure"), AGGREGATE("aggregate");

        public final String words;

        Kind(String words) {
            this.words = words;
        }

        public boolean isConstraint() {
            return this == PRIMARY_KEY || this == UNIQUE_CONSTRAINT || this == FOREIGN_KEY || this == CHECK_CONSTRAINT
                    || this == EXCLUSION_CONSTRAINT;
        }
    }

    /** The schema-qualified name: {@code public."user"}, {@code public."user".email}, {@code public.ix_user_email}. */
    public String qualifiedName() {
        if (kind == Kind.SCHEMA) {
            return schema;
        }
        if (kind == Kind.TABLE) {
            return schema + "." + table;
        }
        // an index lives in its schema; a column, constraint or trigger in its table
        if (table != null && kind != Kind.INDEX) {
            return schema + "." + table + "." + name;
        }
        return schema + "." + name;
    }

    /** The table's qualified name, for what belongs to a table. */
    public String qualifiedTable() {
        return schema + "." + table;
    }

    /** What identifies it across two databases: its kind (constraints as one kind) and qualified name. */
    public String key() {
        return (kind.isConstraint() ? "constraint" : kind.name()) + " " + qualifiedName();
    }

    /** A quoted identifier as written in the catalog ({@code "user"}) back to the plain name ({@code user}). */
    public static String unquote(String identifier) {
        if (identifier != null && identifier.length() > 1 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier;
    }
}
