package org.cnlearn.db.connection;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which PostgreSQL majors the goals accept; the build passes the list (pom.xml, pg.majors) to this JVM too. */
class PostgresVersionsTest {

    private static Properties asking(String major) {
        Properties system = new Properties();
        system.setProperty(PostgresVersions.SUPPORTED_PROPERTY, System.getProperty(PostgresVersions.SUPPORTED_PROPERTY));
        system.setProperty(PostgresVersions.REQUESTED_PROPERTY, major);
        return system;
    }

    @Test
    void theSupportedMajorsAreFifteenToEighteenAndEveryOneHasItsBinaries() throws SQLException {
        List<Integer> supported = PostgresVersions.supported(System.getProperties());
        assertEquals(List.of(15, 16, 17, 18), supported);
        for (int major : supported) {
            assertEquals(major, PostgresVersions.requested(asking(Integer.toString(major))));
            PostgresVersions.binaries(major, System.getProperties()); // throws when the build did not copy them
        }
    }

    @Test
    void endOfLifeMajorsAreRefusedWithTheSupportedRange() {
        for (String major : List.of("13", "14")) {
            SQLException refused = assertThrows(SQLException.class, () -> PostgresVersions.requested(asking(major)));
            assertEquals("-Dpg.version: PostgreSQL " + major + " is past its end of life and gets no more fixes. This project"
                    + " supports PostgreSQL 15 to 18 (docs/configuration.md#supported-postgresql-versions); leave -Dpg.version out for 18,"
                    + " the default.", refused.getMessage());
        }
        SQLException future = assertThrows(SQLException.class, () -> PostgresVersions.requested(asking("19")));
        assertTrue(future.getMessage().startsWith("-Dpg.version: PostgreSQL 19 is not supported yet."), future.getMessage());
        SQLException garbage = assertThrows(SQLException.class, () -> PostgresVersions.requested(asking("18.1")));
        assertTrue(garbage.getMessage().startsWith("-Dpg.version: 18.1 is not a PostgreSQL major version."), garbage.getMessage());
    }

    @Test
    void anUnsupportedMajorIsRefusedEvenWithADatabaseUrl() {
        Properties system = asking("13");
        SQLException refused = assertThrows(SQLException.class, () -> ConnectionSettings.resolve(
                Map.of(ConnectionSettings.URL_VARIABLE, "jdbc:postgresql://h/db"), system, new Properties()));
        assertTrue(refused.getMessage().contains("PostgreSQL 13 is past its end of life"), refused.getMessage());
    }

    @Test
    void theMajorIsReadFromAnyServerVersion() {
        assertEquals(18, PostgresVersions.majorOf("18.6"));
        assertEquals(15, PostgresVersions.majorOf("15.20 (Debian 15.20-0+deb12u1)"));
    }
}
