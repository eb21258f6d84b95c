package org.cnlearn.db.connection;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;
import org.cnlearn.db.settings.ContinuousIntegration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the connection comes from; resolving opens nothing, so no database is needed here. */
class ConnectionSettingsTest {

    private static final Map<String, String> ENV = Map.of(
            "LIQUIBASE_COMMAND_URL", "jdbc:postgresql://env-host/cnlearn",
            "LIQUIBASE_COMMAND_USERNAME", "env_user",
            "LIQUIBASE_COMMAND_PASSWORD", "env-secret");

    @Test
    void environmentGivesUrlUserAndPassword() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.resolve(ENV, new Properties(), new Properties());
        assertEquals("jdbc:postgresql://env-host/cnlearn", settings.url());
        assertEquals("env_user", settings.username());
        assertEquals("env-secret", settings.password());
    }

    @Test
    void commandLinePropertiesWinOverTheEnvironment() throws SQLException {
        Properties system = new Properties();
        system.setProperty("liquibase.url", "jdbc:postgresql://cli-host/cnlearn");
        system.setProperty("liquibase.password", "cli-secret");
        Properties given = new Properties();
        given.setProperty("user", "cli_user"); // the plugin passes -Dliquibase.username this way
        given.setProperty("password", ""); // and an empty password when none was given
        ConnectionSettings settings = ConnectionSettings.resolve(ENV, system, given);
        assertEquals("jdbc:postgresql://cli-host/cnlearn", settings.url());
        assertEquals("cli_user", settings.username());
        assertEquals("cli-secret", settings.password());
    }

    @Test
    void passwordInsideTheUrlLeavesTheUrlAndWins() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.resolve(
                Map.of("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://h/db?ssl=false&password=in%2Furl&connectTimeout=5",
                        "LIQUIBASE_COMMAND_PASSWORD", "env-secret"), new Properties(), new Properties());
        assertEquals("jdbc:postgresql://h/db?ssl=false&connectTimeout=5", settings.url());
        assertEquals("in/url", settings.password());
        assertFalse(settings.describe().contains("in%2Furl"));
        assertEquals("jdbc:postgresql://h/db", ConnectionSettings.explicit("jdbc:postgresql://h/db?password=x", null, null).url());
        assertEquals("jdbc:postgresql://h/db?a=1", ConnectionSettings.explicit("jdbc:postgresql://h/db?password=x&a=1", null, null).url());
    }

    @Test
    void redactHidesPasswordsAndUserInfo() {
        assertEquals("jdbc:postgresql://h/db?user=u&password=***&ssl=true",
                ConnectionSettings.redact("jdbc:postgresql://h/db?user=u&password=s3cret&ssl=true"));
        assertEquals("jdbc:postgresql://***@h/db", ConnectionSettings.redact("jdbc:postgresql://u:s3cret@h/db"));
    }

    @Test
    void ciWithoutUrlRefusesAndNamesTheVariable() {
        SQLException refused = assertThrows(SQLException.class,
                () -> ConnectionSettings.resolve(Map.of("CI", "true"), new Properties(), new Properties()));
        assertTrue(refused.getMessage().startsWith("LIQUIBASE_COMMAND_URL is not set, and CI is"), refused.getMessage());
        assertTrue(ContinuousIntegration.detected(Map.of("CI", "1")));
        assertTrue(ContinuousIntegration.detected(Map.of("CI", "true")));
        assertFalse(ContinuousIntegration.detected(Map.of("CI", "false")));
        assertFalse(ContinuousIntegration.detected(Map.of("CI", "0")));
        assertFalse(ContinuousIntegration.detected(Map.of("CI", " ")));
        assertFalse(ContinuousIntegration.detected(Map.of()));
    }

    @Test
    void aUrlForAnotherDatabaseIsRefusedWithoutItsPassword() {
        SQLException refused = assertThrows(SQLException.class, () -> ConnectionSettings.resolve(
                Map.of("LIQUIBASE_COMMAND_URL", "jdbc:mysql://h/db?password=s3cret"), new Properties(), new Properties()));
        assertTrue(refused.getMessage().contains("must be a PostgreSQL URL"), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
    }

    @Test
    void aPasswordOnTheCommandLineIsWarnedAboutAndOnlyThere() throws SQLException {
        Properties property = new Properties();
        property.setProperty("liquibase.password", "cli-secret");
        ConnectionSettings fromProperty = ConnectionSettings.resolve(Map.of("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://h/db"), property,
                new Properties());
        assertEquals("cli-secret", fromProperty.password());
        assertTrue(fromProperty.passwordWarning().startsWith("[cnlearn-db] Warning: the database password is on the command line"
                + " (-Dliquibase.password): "), fromProperty.passwordWarning());
        assertFalse(fromProperty.passwordWarning().contains("cli-secret"));

        Properties url = new Properties();
        url.setProperty("liquibase.url", "jdbc:postgresql://h/db?password=in-url");
        assertTrue(ConnectionSettings.resolve(Map.of(), url, new Properties()).passwordWarning()
                .contains("(a password inside -Dliquibase.url)"));

        assertEquals(null, ConnectionSettings.resolve(ENV, new Properties(), new Properties()).passwordWarning(),
                "LIQUIBASE_COMMAND_PASSWORD is no command line");
        assertEquals(null, ConnectionSettings.resolve(Map.of("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://h/db"), new Properties(),
                new Properties()).passwordWarning(), "no password at all (the password file's case)");
    }

    @Test
    void thePluginsStandInPasswordIsNeverUsed() throws SQLException {
        Properties given = new Properties();
        given.setProperty("password", ConnectionSettings.HIDDEN_PASSWORD); // what pom.xml gives the plugin
        assertEquals("env-secret", ConnectionSettings.resolve(ENV, new Properties(), given).password());
        assertEquals(null, ConnectionSettings.resolve(Map.of("LIQUIBASE_COMMAND_URL", "jdbc:postgresql://h/db"), new Properties(),
                given).password(), "no password, so the driver may read the password file");
    }

    @Test
    void aReferenceUrlTakesItsPasswordFromReferencePasswordBehindTheStandIn() throws SQLException {
        Properties fromPlugin = new Properties();
        fromPlugin.setProperty("user", "reader");
        fromPlugin.setProperty("password", ConnectionSettings.HIDDEN_PASSWORD); // what pom.xml gives the plugin
        Properties system = new Properties();
        system.setProperty("liquibase.referencePassword", "ref-secret");
        ConnectionSettings reference = ConnectionSettings.reference("jdbc:postgresql://h/ref", fromPlugin, system);
        assertEquals("ref-secret", reference.password());
        assertTrue(reference.passwordWarning().contains("on the command line (-Dliquibase.referencePassword): ")
                && reference.passwordWarning().contains("Give it in PostgreSQL's password file (~/.pgpass, or PGPASSFILE) instead"),
                reference.passwordWarning());
        assertFalse(reference.passwordWarning().contains("ref-secret"));
        assertEquals(null, ConnectionSettings.reference("jdbc:postgresql://h/ref", fromPlugin, new Properties()).password(),
                "no password, so the driver may read the password file");
        Properties direct = new Properties();
        direct.setProperty("password", "given");
        ConnectionSettings given = ConnectionSettings.reference("jdbc:postgresql://h/ref", direct, system);
        assertEquals("given", given.password(), "a program that gives the driver a password gets that one");
        assertEquals(null, given.passwordWarning(), "nothing came from the command line");
    }

    @Test
    void pomXmlGivesThePluginTheStandIn() throws Exception {
        String pom = java.nio.file.Files.readString(org.cnlearn.db.Migrations.PROJECT_DIR.resolve("pom.xml"));
        assertTrue(pom.contains("<password>" + ConnectionSettings.HIDDEN_PASSWORD + "</password>"), "pom.xml");
        assertTrue(pom.contains("<referencePassword>" + ConnectionSettings.HIDDEN_PASSWORD + "</referencePassword>"), "pom.xml");
    }
}
