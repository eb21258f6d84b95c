package org.cnlearn.db.authoring;

import org.cnlearn.db.connection.JdbcQueries;

import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.catalog.ViewShapes;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.PostgresVersions;
import org.cnlearn.db.lint.SqlTokens;
import org.cnlearn.db.report.FailureReport;
import org.cnlearn.db.scratch.ScratchDatabases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema an author wants (-Ddesired): a DDL file, such as what SQLAlchemy's
 * {@code metadata.create_all()} runs or {@code pg_dump --schema-only} writes, built on a scratch
 * database; or a {@code jdbc:postgresql:} URL of a database that has it already, which is only read.
 * Either is then read through {@link SchemaCatalog}, as the changelog's side is.
 */
final class DesiredSchema {

    /**
     * What a catalog comparison does not cover (owners, privileges, an extension's comment, which only
     * its owner, the superuser here, may set), and what psql, not the server, reads.
     */
    private static final Pattern LEFT_OUT = Pattern.compile(
            "(?is)^(?:ALTER\\s+\\S+(?:\\s+\\S+)??\\s+.*\\s+OWNER\\s+TO\\s+.*|GRANT\\s.*|REVOKE\\s.*|ALTER\\s+DEFAULT\\s+PRIVILEGES\\s.*"
                    + "|CREATE\\s+SCHEMA\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?public|COMMENT\\s+ON\\s+EXTENSION\\s.*)$");

    private final String given;
    private final Path file;
    private final ConnectionSettings url;

    private DesiredSchema(String given, Path file, ConnectionSettings url) {
        this.given = given;
        this.file = file;
        this.url = url;
    }

    /** The -Ddesired value: a file (from the project's folder) or a URL; either must be there. A password in the URL is warned about. */
    static DesiredSchema of(Project project, String given, Consumer<String> warn) {
        String value = given.strip();
        if (ConnectionSettings.looksLikeUrl(value)) {
            ConnectionSettings url;
            try {
                url = ConnectionSettings.ofUrl(value, "-Ddesired");
            } catch (SQLException e) {
                throw new AuthoringFailure(e.getMessage().replace("Nothing was changed.", "Or give a DDL file instead."
                        + " Nothing was written."));
            }
            if (url.passwordWarning() != null) {
                warn.accept(url.passwordWarning());
            }
            return new DesiredSchema(value, null, url);
        }
        Path file = project.basedir().resolve(value).normalize();
        if (Files.isDirectory(file)) {
            throw new AuthoringFailure("-Ddesired=" + value + " is a folder (" + file + "): give the DDL file of the schema you want,"
                    + " such as SQLAlchemy's create_all() or pg_dump --schema-only writes (docs/authoring.md#autogenerate). Nothing was written.");
        }
        if (!Files.isRegularFile(file)) {
            throw new AuthoringFailure("-Ddesired=" + value + ": no such file (" + file + "). Give the DDL of the schema you want"
                    + " (docs/authoring.md#autogenerate), or a PostgreSQL URL. Nothing was written.");
        }
        return new DesiredSchema(value, file, null);
    }

    /** How messages name it: the file as given, or the URL without its password. */
    String name() {
        return url != null ? ConnectionSettings.redact(given) : given;
    }

    /** The PostgreSQL major to build the changelog's side on: the desired database's own, or the embedded default. */
    int major() throws SQLException {
        if (url == null) {
            return PostgresVersions.requested(System.getProperties());
        }
        int major;
        try (Connection connection = url.open()) {
            major = connection.getMetaData().getDatabaseMajorVersion();
        }
        List<Integer> supported = PostgresVersions.supported(System.getProperties());
        if (!supported.contains(major)) {
            throw new AuthoringFailure(name() + " runs PostgreSQL " + major + ", and the changelog's side is built on the same major,"
                    + " which this project does not embed (it supports PostgreSQL " + PostgresVersions.range(supported) + ")."
                    + " Dump its schema (pg_dump --schema-only) and give the file instead. Nothing was written.");
        }
        return major;
    }

    /** Its catalog: read from the URL, or from a scratch database the file was run on. */
    List<CatalogObject> read(ScratchDatabases scratch, String database) throws SQLException, IOException {
        if (url != null) {
            try (Connection connection = url.open()) {
                connection.setReadOnly(true);
                return SchemaCatalog.read(connection);
            }
        }
        scratch.createOwnedBy(database, ROLE);
        try (Connection asRole = scratch.connect(database, ROLE); Connection asSuperuser = scratch.connect(database)) {
            run(asRole, asSuperuser);
        }
        // a new session: the file may have set a search path, and names are read as the changelog's side reads them
        try (Connection connection = scratch.connect(database)) {
            return SchemaCatalog.read(connection);
        }
    }

    /** Its views' columns and what they read ({@link #read} first: from the same database). */
    ViewShapes views(ScratchDatabases scratch, String database) throws SQLException {
        try (Connection connection = open(scratch, database)) {
            return ViewShapes.read(connection);
        }
    }

    /** A connection to the desired schema once read: the database at the URL, or the scratch database the file was run in. */
    Connection open(ScratchDatabases scratch, String database) throws SQLException {
        return url != null ? url.open() : scratch.connect(database);
    }

    /**
     * The file's statements, one by one, as psql runs them, as {@value #ROLE}: an ordinary role that owns
     * only its database, so that COPY … TO PROGRAM, a role or a language of the server's, another
     * database, are refused with PostgreSQL's reason (it ran them as a superuser). Its CREATE EXTENSION
     * lines are run as the superuser, as read (name, schema, version, CASCADE; the extension's own script
     * comes from the server), unless the extension is an untrusted language, whose functions run with
     * the server's rights. The first statement that fails is named, with the server's words.
     */
    private void run(Connection connection, Connection superuser) throws IOException, SQLException {
        List<String> statements;
        try {
            statements = statements(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AuthoringFailure("-Ddesired=" + given + " is not a text file of SQL (its bytes are not UTF-8 text): give the DDL"
                    + " of the schema you want, such as SQLAlchemy's create_all() or pg_dump --schema-only writes. Nothing was written.");
        } catch (IllegalArgumentException e) {
            throw new AuthoringFailure(given + " cannot be read as SQL: " + e.getMessage() + ". Nothing was written.");
        }
        connection.setAutoCommit(true);
        int n = 0;
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                n++;
                if (LEFT_OUT.matcher(sql).matches()) {
                    continue;
                }
                try {
                    Matcher extension = CREATE_EXTENSION.matcher(sql);
                    if (extension.matches()) {
                        createExtension(superuser, extension, n, sql);
                    } else if (sql.regionMatches(true, 0, "CREATE EXTENSION", 0, 16)) {
                        throw new AuthoringFailure(given + ", statement " + n + " (" + summary(sql) + "): a CREATE EXTENSION this"
                                + " goal cannot read: write it as CREATE EXTENSION [IF NOT EXISTS] name [WITH SCHEMA s] [VERSION v]"
                                + " [CASCADE]. Nothing was written.");
                    } else {
                        statement.execute(sql);
                    }
                } catch (SQLException e) {
                    throw refused(n, sql, e);
                }
            }
        }
        if (n == 0) {
            throw new AuthoringFailure(given + " holds no SQL statement: give the DDL of the whole schema you want. Nothing was written.");
        }
    }

    /** The role the desired schema's SQL runs as, on the throwaway server. */
    static final String ROLE = "cnlearn_desired";

    /** CREATE EXTENSION, as pg_dump and people write it: name, schema, version, CASCADE, and nothing else. */
    private static final Pattern CREATE_EXTENSION = Pattern.compile("(?is)CREATE\\s+EXTENSION\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
            + "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)(?:\\s+WITH)?(?:\\s+SCHEMA\\s+(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*))?"
            + "(?:\\s+VERSION\\s+('(?:[^']|'')*'|[\\w.]+))?(\\s+CASCADE)?\\s*");

    /** An extension of a CREATE EXTENSION line, created by the superuser from its parts alone; an untrusted language is refused. */
    private void createExtension(Connection superuser, Matcher extension, int n, String sql) throws SQLException {
        String name = identifier(extension.group(1));
        StringBuilder create = new StringBuilder("CREATE EXTENSION IF NOT EXISTS ").append(quoted(name));
        if (extension.group(2) != null) {
            create.append(" SCHEMA ").append(quoted(identifier(extension.group(2))));
        }
        if (extension.group(3) != null) {
            String version = extension.group(3).startsWith("'") ? extension.group(3).substring(1, extension.group(3).length() - 1)
                    .replace("''", "'") : extension.group(3);
            create.append(" VERSION '").append(version.replace("'", "''")).append('\'');
        }
        if (extension.group(4) != null) {
            create.append(" CASCADE");
        }
        boolean autoCommit = superuser.getAutoCommit();
        superuser.setAutoCommit(false);
        try (Statement statement = superuser.createStatement()) {
            statement.execute(create.toString());
            List<String> untrusted = JdbcQueries.strings(superuser, "SELECT l.lanname FROM pg_language l JOIN pg_depend d ON d.classid ="
                    + " 'pg_language'::regclass AND d.objid = l.oid AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'"
                    + " WHERE NOT l.lanpltrusted");
            if (!untrusted.isEmpty()) {
                superuser.rollback();
                throw new AuthoringFailure(given + ", statement " + n + " (" + summary(sql) + "): " + String.join(", ", untrusted)
                        + " is an untrusted language, whose functions run with the server's rights; the desired schema's SQL runs"
                        + " as an ordinary role, which may not use it. Leave it out of the file. Nothing was written.");
            }
            superuser.commit();
        } catch (SQLException e) {
            superuser.rollback();
            throw e;
        } finally {
            superuser.setAutoCommit(autoCommit);
        }
    }

    private static String identifier(String written) {
        return written.startsWith("\"") ? written.substring(1, written.length() - 1).replace("\"\"", "\"") : written.toLowerCase(java.util.Locale.ROOT);
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A statement PostgreSQL refused, in its words (without its severity), and what to do. */
    private AuthoringFailure refused(int n, String sql, SQLException e) {
        String reason = FailureReport.serverReason(e);
        boolean privilege = "42501".equals(e.getSQLState());
        return new AuthoringFailure(given + ", statement " + n + " (" + summary(sql) + "): PostgreSQL refused it: " + reason
                + (privilege ? " (the desired schema's SQL runs as an ordinary role that owns only its database: a schema's DDL needs"
                + " no more)" : "") + ". Fix the file (or dump it again) and run again. Nothing was written.");
    }

    /** The statements of a DDL file, without psql's own commands (pg_dump writes \restrict, \connect…). */
    static List<String> statements(String text) {
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            sql.append(line.stripLeading().startsWith("\\") ? "" : line).append('\n');
        }
        return SqlTokens.statements(sql.toString());
    }

    private static String summary(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() > 100 ? line.substring(0, 97) + "…" : line;
    }
}
