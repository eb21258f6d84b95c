package org.cnlearn.db.connection;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The URL forms people paste, read without a database: libpq's (the application's own), with or without jdbc:, and pgJDBC's. */
class PostgresUrlTest {

    @Test
    void theApplicationsOwnUrlGivesHostDatabaseUserAndPassword() {
        for (String url : new String[] {"postgresql://app:S3cr3t@db.internal:5432/cnlearn", "jdbc:postgresql://app:S3cr3t@db.internal:5432/cnlearn",
                "postgres://app:S3cr3t@db.internal:5432/cnlearn"}) {
            PostgresUrl parsed = PostgresUrl.parse(url);
            assertEquals("jdbc:postgresql://db.internal:5432/cnlearn", parsed.jdbcUrl(), url);
            assertEquals("app", parsed.user(), url);
            assertEquals("S3cr3t", parsed.password(), url);
        }
    }

    @Test
    void aPasswordWithCharactersAUrlReservesIsReadWhetherEscapedOrNot() {
        assertEquals("p@ss/w?rd", PostgresUrl.parse("postgresql://app:p%40ss%2Fw%3Frd@h/db").password());
        assertEquals("p@ss/w:rd", PostgresUrl.parse("postgresql://app:p@ss/w:rd@h:5432/db").password());
        assertEquals("jdbc:postgresql://h:5432/db", PostgresUrl.parse("postgresql://app:p@ss/w:rd@h:5432/db").jdbcUrl());
        assertEquals("50%off+", PostgresUrl.parse("postgresql://app:50%off+@h/db").password(), "libpq's decoding: a lone % stays, + is a plus");
    }

    @Test
    void libpqsParametersBecomePgjdbcsAndAnUnknownOneIsRefused() {
        PostgresUrl parsed = PostgresUrl.parse("postgresql://h1:5432,h2:5433/db?sslmode=require&application_name=deploy"
                + "&target_session_attrs=read-write&connect_timeout=5&user=u&password=pw");
        assertEquals("jdbc:postgresql://h1:5432,h2:5433/db?sslmode=require&ApplicationName=deploy&targetServerType=primary&connectTimeout=5",
                parsed.jdbcUrl());
        assertEquals("u", parsed.user());
        assertEquals("pw", parsed.password());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("postgresql://h/db?frobnicate=1"));
        assertTrue(refused.getMessage().contains("frobnicate="), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("postgresql:///cnlearn"), "a Unix socket");
        assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("postgresql://h/db?port=5433"));
    }

    @Test
    void pgjdbcsOwnUrlStaysAsItWasWithoutItsUserAndPassword() {
        PostgresUrl parsed = PostgresUrl.parse("jdbc:postgresql://h/db?ssl=false&password=in%2Furl&user=u&connectTimeout=5");
        assertEquals("jdbc:postgresql://h/db?ssl=false&connectTimeout=5", parsed.jdbcUrl());
        assertEquals("in/url", parsed.password());
        assertEquals("u", parsed.user());
        assertEquals("jdbc:postgresql://?service=cnlearn", PostgresUrl.parse("jdbc:postgresql://?service=cnlearn").jdbcUrl());
        assertEquals("jdbc:postgresql:cnlearn", PostgresUrl.parse("jdbc:postgresql:cnlearn").jdbcUrl());
    }

    @Test
    void redactHidesEveryFormsUserInfo() {
        assertEquals("postgresql://***@h:5432/db", PostgresUrl.redact("postgresql://app:S3cr3t@h:5432/db"));
        assertEquals("(jdbc:postgresql://***@h/db)", PostgresUrl.redact("(jdbc:postgresql://app:p@ss/w@h/db)"));
        assertEquals("mysql://***@h/db", PostgresUrl.redact("mysql://root:pw@h/db"));
        assertEquals("jdbc:postgresql://h/db?password=***", PostgresUrl.redact("jdbc:postgresql://h/db?password=x"));
    }

    /** The goals' and the launcher's resolution: the URL's user and password win, and a password in it is warned about once. */
    @Test
    void theApplicationsUrlInTheEnvironmentWorksAndWarns() throws SQLException {
        ConnectionSettings settings = ConnectionSettings.resolve(Map.of("LIQUIBASE_COMMAND_URL", "postgresql://app:Env-Url-Secret-1@h:5432/db",
                "LIQUIBASE_COMMAND_USERNAME", "other"), new Properties(), new Properties());
        assertEquals("jdbc:postgresql://h:5432/db", settings.url());
        assertEquals("app", settings.username());
        assertEquals("Env-Url-Secret-1", settings.password());
        assertTrue(settings.passwordWarning().startsWith("[cnlearn-db] Warning: the database password is inside LIQUIBASE_COMMAND_URL: "),
                settings.passwordWarning());
        assertFalse(settings.passwordWarning().contains("Env-Url-Secret-1"));
        ConnectionSettings deploy = ConnectionSettings.forDeploy(Map.of(), "postgresql://app:Cli-Url-Secret-2@h/db", null, null);
        assertTrue(deploy.passwordWarning().contains("on the command line (a password inside --url)"), deploy.passwordWarning());
    }

    @Test
    void aUrlThatCannotBeUsedIsRefusedWithoutItsPassword() {
        SQLException refused = assertThrows(SQLException.class, () -> ConnectionSettings.resolve(
                Map.of("LIQUIBASE_COMMAND_URL", "postgresql://app:Refused-Secret-3@/db"), new Properties(), new Properties()));
        assertTrue(refused.getMessage().startsWith("LIQUIBASE_COMMAND_URL cannot be used: it names no host"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("Nothing was changed."), refused.getMessage());
        assertFalse(refused.getMessage().contains("Refused-Secret-3"), refused.getMessage());
    }

    /** What the driver says back (a host it could not find, say) is masked wherever it is printed. */
    @Test
    void aPasswordOnceGivenIsMaskedInAnyMessageAndFailure() {
        ConnectionSettings.explicit("postgresql://app:Masked-Secret-4@h/db", null, null);
        assertEquals("unknown host app:***@h", Secrets.mask("unknown host app:Masked-Secret-4@h"));
        Throwable failure = new RuntimeException("wrapped", new SQLException("unknown host app:Masked-Secret-4@h", "08001"));
        Throwable masked = Secrets.mask(failure);
        assertEquals("java.sql.SQLException: unknown host app:***@h", masked.getCause().getMessage());
        assertEquals("08001", ((SQLException) masked.getCause()).getSQLState());
        assertEquals(failure.getStackTrace().length, masked.getStackTrace().length);
        Throwable clean = new RuntimeException("nothing secret");
        assertTrue(clean == Secrets.mask(clean), "a failure without a secret is left as it is");
        assertNull(System.getProperty("cnlearn.secrets.mask"), "the registry is no string property: nothing lists it");
    }

    /** A developer's short password ("test", "postgres") is masked where a password is said back, and nowhere else. */
    @Test
    void aShortPasswordIsMaskedWhereAPasswordIsSaidBackOnly() {
        ConnectionSettings.explicit("postgresql://app:tEst@h/db", null, null);
        assertEquals("unknown host app:***@h", Secrets.mask("unknown host app:tEst@h"));
        assertEquals("jdbc:postgresql://h/db?password=***&ssl=true", Secrets.mask("jdbc:postgresql://h/db?password=tEst&ssl=true"));
        assertEquals("password '***'", Secrets.mask("password 'tEst'"));
        assertEquals("Changeset typo (src/tEst/resources/x.yaml) failed; the tEst database", Secrets.mask(
                "Changeset typo (src/tEst/resources/x.yaml) failed; the tEst database"), "a word that is also the password is no password said back");
    }
}
