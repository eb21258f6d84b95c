package org.cnlearn.db.authoring;

import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.connection.PostgresVersions;
import org.cnlearn.db.lint.SqlTokens;
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
import java.util.regex.Pattern;

/**
 * The schema an author wants (-Ddesired): a DDL file, such as what SQLAlchemy's
 * {@code metadata.create_all()} runs or {@code pg_dump --schema-only} writes, built on a scratch
 * database; or a {@code jdbc:postgresql:} URL of a database that has it already, which is only read.
 * Either is then read through {@link SchemaCatalog}, as the changelog's side is.
 */
final class DesiredSchema {

    /** What a catalog comparison does not cover (owners, privileges), and what psql, not the server, reads. */
    private static final Pattern LEFT_OUT = Pattern.compile(
            "(?is)^(?:ALTER\\s+\\S+(?:\\s+\\S+)??\\s+.*\\s+OWNER\\s+TO\\s+.*|GRANT\\s.*|REVOKE\\s.*|ALTER\\s+DEFAULT\\s+PRIVILEGES\\s.*"
                    + "|CREATE\\s+SCHEMA\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?public)$");

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
        scratch.create(database);
        try (Connection connection = scratch.connect(database)) {
            run(connection);
        }
        // a new session: the file may have set a search path, and names are read as the changelog's side reads them
        try (Connection connection = scratch.connect(database)) {
            return SchemaCatalog.read(connection);
        }
    }

    /** The file's statements, one by one, as psql runs them; the first that fails is named, with the server's words. */
    private void run(Connection connection) throws IOException, SQLException {
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
                    statement.execute(sql);
                } catch (SQLException e) {
                    String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("").strip();
                    throw new AuthoringFailure(given + ", statement " + n + " (" + summary(sql) + "): PostgreSQL refused it: "
                            + reason + ". Fix the file (or dump it again) and run again. Nothing was written.");
                }
            }
        }
        if (n == 0) {
            throw new AuthoringFailure(given + " holds no SQL statement: give the DDL of the whole schema you want. Nothing was written.");
        }
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
