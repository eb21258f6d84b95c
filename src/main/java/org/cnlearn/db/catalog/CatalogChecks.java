package org.cnlearn.db.catalog;

/**
 * SQL that counts whether a database has one object, with PostgreSQL's same deparsers as
 * {@link SchemaCatalog}: 1 when it has it (as described), 0 when not. Preconditions of captured
 * drift use them, so a capture applies where its objects are missing and is only recorded where
 * they exist already.
 */
public final class CatalogChecks {

    private CatalogChecks() {
    }

    /** Counts the object by its name alone. */
    public static String exists(CatalogObject object) {
        return switch (object.kind()) {
            case SCHEMA -> "SELECT count(*) FROM pg_namespace WHERE nspname = " + literal(CatalogObject.unquote(object.schema()));
            case EXTENSION -> "SELECT count(*) FROM pg_extension WHERE extname = " + literal(CatalogObject.unquote(object.name()));
            case TYPE -> "SELECT count(*) FROM pg_type WHERE oid = to_regtype(" + literal(object.qualifiedName()) + ")";
            case TABLE, SEQUENCE, VIEW, MATERIALIZED_VIEW, INDEX ->
                    "SELECT count(*) FROM pg_class WHERE oid = to_regclass(" + literal(object.qualifiedName()) + ")";
            case FUNCTION, PROCEDURE, AGGREGATE ->
                    "SELECT count(*) FROM pg_proc WHERE oid = to_regprocedure(" + literal(object.qualifiedName()) + ")";
            case COLUMN -> "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass(" + literal(object.qualifiedTable())
                    + ") AND attname = " + literal(CatalogObject.unquote(object.name())) + " AND NOT attisdropped";
            case TRIGGER -> "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(" + literal(object.qualifiedTable())
                    + ") AND tgname = " + literal(CatalogObject.unquote(object.name()));
            default -> "SELECT count(*) FROM pg_constraint WHERE conrelid = to_regclass(" + literal(object.qualifiedTable())
                    + ") AND conname = " + literal(CatalogObject.unquote(object.name()));
        };
    }

    /** Counts the object with exactly this definition. */
    public static String matches(CatalogObject object) {
        return switch (object.kind()) {
            case COLUMN -> exists(object) + " AND format_type(atttypid, atttypmod) = "
                    + literal(object.column().type().replaceFirst(" COLLATE .*$", "")) + " AND attnotnull = " + object.column().notNull()
                    + " AND pg_get_expr((SELECT adbin FROM pg_attrdef WHERE adrelid = attrelid AND adnum = attnum), attrelid)"
                    + (object.column().defaultValue() == null ? " IS NULL" : " = " + literal(object.column().defaultValue()));
            case INDEX -> "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass(" + literal(object.qualifiedName())
                    + ") AND pg_get_indexdef(indexrelid) = " + literal(object.ddl());
            case VIEW, MATERIALIZED_VIEW -> exists(object) + " AND pg_get_viewdef(oid, true) = " + literal(object.definition());
            case FUNCTION, PROCEDURE -> exists(object) + " AND rtrim(pg_get_functiondef(oid), E'\\n') = " + literal(object.definition());
            case TRIGGER -> exists(object) + " AND pg_get_triggerdef(oid, true) = "
                    + literal(object.definition().replaceFirst(" \\(disabled\\)$", ""));
            case SEQUENCE -> "SELECT count(*) FROM pg_sequence WHERE seqrelid = to_regclass(" + literal(object.qualifiedName())
                    + ") AND format_type(seqtypid, NULL) || ' start ' || seqstart || ' increment ' || seqincrement || ' min ' || seqmin"
                    + " || ' max ' || seqmax || ' cache ' || seqcache || CASE WHEN seqcycle THEN ' cycle' ELSE '' END = "
                    + literal(object.definition());
            case TABLE -> exists(object) + " AND relpersistence = " + literal(object.definition().startsWith("unlogged") ? "u" : "p");
            case PRIMARY_KEY, UNIQUE_CONSTRAINT, FOREIGN_KEY, CHECK_CONSTRAINT, EXCLUSION_CONSTRAINT ->
                    exists(object) + " AND pg_get_constraintdef(oid, true) = " + literal(object.definition());
            default -> exists(object);
        };
    }

    /** A SQL string literal. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
