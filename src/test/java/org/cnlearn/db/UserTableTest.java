package org.cnlearn.db;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserTableTest {

    private static final List<String> ALEMBIC_SHAPE = Migrations.expectedLines("expected/user-table.txt");

    @Test
    void updateBuildsTheUserTableOfTheAlembicRevision() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("shape")) {
            Migrations.update(db);
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
        }
    }

    @Test
    void alembicRevisionDdlReadsAsTheSameShape() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("alembic")) {
            db.execute(Migrations.resource("alembic/1b40d5775cd1-upgrade.sql"));
            assertEquals(ALEMBIC_SHAPE, db.userTableShape());
        }
    }

    @Test
    void insertsGetIdsAndEmailsStayUnique() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("rows")) {
            Migrations.update(db);
            db.execute("INSERT INTO \"user\" (full_name, email) VALUES ('Ada', 'ada@example.org'), ('Bo', 'bo@example.org')");
            assertEquals(2, db.count("SELECT max(id) FROM \"user\""));
            Exception duplicate = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> db.execute("INSERT INTO \"user\" (email) VALUES ('ada@example.org')"));
            assertTrue(duplicate.getMessage().contains("ix_user_email"), duplicate.getMessage());
        }
    }
}
