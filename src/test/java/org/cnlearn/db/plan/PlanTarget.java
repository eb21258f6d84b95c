package org.cnlearn.db.plan;

import org.cnlearn.db.MavenRun;
import org.cnlearn.db.Migrations;
import org.cnlearn.db.TestDatabase;
import org.cnlearn.db.TestServer;
import org.cnlearn.db.catalog.CatalogObject;
import org.cnlearn.db.catalog.SchemaCatalog;
import org.cnlearn.db.connection.ConnectionSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * The plan's target, as the issue sets it: "user" holding 200,000 rows (analyzed, as autovacuum leaves a
 * table), 0001 applied, and a project whose changelog adds two pending changesets (src/test/resources/plan);
 * reached as a role that may only read.
 */
final class PlanTarget implements AutoCloseable {

    static final int ROWS = 200_000;
    private static final String READER_PASSWORD = "plan-reader-secret";

    final TestDatabase db;
    final String reader;
    final Path project;

    private PlanTarget(TestDatabase db, String reader, Path project) {
        this.db = db;
        this.reader = reader;
        this.project = project;
    }

    static PlanTarget create(Path folder) throws Exception {
        TestDatabase db = TestServer.get().createDatabase("plan");
        Migrations.update(db);
        db.execute("INSERT INTO \"user\" (full_name, email, hashed_password, is_active, is_superuser)"
                + " SELECT 'name ' || g, 'user' || g || '@example.org', 'x', g % 2 = 0, false FROM generate_series(1, " + ROWS + ") g");
        db.execute("ANALYZE \"user\"");
        String reader = db.name() + "_reader";
        db.execute("CREATE ROLE " + reader + " LOGIN PASSWORD '" + READER_PASSWORD + "'");
        db.execute("GRANT pg_read_all_data TO " + reader);
        return new PlanTarget(db, reader, project(folder, "0002-user-id-bigint.yaml", "0003-index-user-is-active.yaml"));
    }

    /** A copy of the project (MavenRun.projectCopy) whose master adds these changeset files of src/test/resources/plan, in this order. */
    static Path project(Path folder, String... pending) throws IOException {
        MavenRun.projectCopy(folder);
        StringBuilder master = new StringBuilder(Files.readString(folder.resolve(Migrations.CHANGELOG)));
        for (String file : pending) {
            Files.writeString(folder.resolve("db-changelog/changes").resolve(file), Migrations.resource("plan/" + file));
            master.append("  - include:\n      file: changes/").append(file).append("\n      relativeToChangelogFile: true\n");
        }
        Files.writeString(folder.resolve(Migrations.CHANGELOG), master);
        return folder;
    }

    /** The reader's connection settings. */
    ConnectionSettings asReader() {
        return ConnectionSettings.explicit(db.url(), reader, READER_PASSWORD);
    }

    /** The reader's settings as the environment gives them to the goals. */
    java.util.Map<String, String> readerEnvironment() {
        return java.util.Map.of(ConnectionSettings.URL_VARIABLE, db.url(), ConnectionSettings.USERNAME_VARIABLE, reader,
                ConnectionSettings.PASSWORD_VARIABLE, READER_PASSWORD);
    }

    /** What the plan must leave as it was: the schema, the history and the rows. */
    String state() throws Exception {
        List<CatalogObject> schema;
        try (Connection connection = db.connect()) {
            schema = SchemaCatalog.read(connection);
        }
        return schema + "\n" + db.appliedChangesets() + "\n" + db.count("SELECT count(*) FROM \"user\"");
    }

    /** Locks anyone holds on the target's tables now, and sessions of the reader still open. */
    long leftBehind() throws Exception {
        return db.count("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database()"
                + " AND l.locktype = 'relation' AND l.pid <> pg_backend_pid()")
                + db.count("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + reader + "'");
    }

    @Override
    public void close() {
        db.close();
        TestServer.get().dropRole(reader);
    }
}
