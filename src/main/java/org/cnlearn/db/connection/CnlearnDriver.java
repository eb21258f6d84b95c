package org.cnlearn.db.connection;

import org.cnlearn.db.settings.ReportFormat;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver the Liquibase plugin is configured with. It accepts the placeholder
 * {@value #FROM_ENVIRONMENT}, which {@link ConnectionSettings} resolves, the drift reference
 * {@value DriftReference#LIKE_TARGET}, and plain PostgreSQL URLs; every connection is opened by
 * {@link ConnectionSettings#open}.
 */
public final class CnlearnDriver implements Driver {

    /** The URL the pom gives the plugin: "wherever the environment says". */
    public static final String FROM_ENVIRONMENT = "jdbc:cnlearn:from-environment";

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        ConnectionSettings settings;
        if (FROM_ENVIRONMENT.equals(url)) {
            settings = ConnectionSettings.fromEnvironment(info);
        } else if (DriftReference.LIKE_TARGET.equals(url)) {
            settings = DriftReference.likeTarget();
        } else {
            settings = ConnectionSettings.reference(url, info, System.getProperties());
        }
        if (settings.passwordWarning() != null) {
            printOnce(settings.passwordWarning());
        }
        if (!FROM_ENVIRONMENT.equals(url)) {
            Connection connection = settings.open();
            if (!settings.isEmbedded()) {
                SessionCheck.refuseTransactionPooling(settings, connection, settings.source()); // a reference may be read-only
            }
            return connection;
        }
        // the database a goal works on; which goal is not known here, so a goal that writes is refused a
        // read-only target later, before its first change (safety/LockedChangeLogHistoryService)
        Connection connection = settings.openTarget(false);
        if (!settings.isEmbedded()) {
            printOnce(settings.nameTarget(connection)); // the embedded default names itself when it starts
        }
        return connection;
    }

    /**
     * A line printed once a run, however many times the goal connects: each goal loads this class anew,
     * so the mark is a system property. The key is the line, so another target gets its own.
     */
    private static void printOnce(String line) {
        String key = "cnlearn.printed." + line.hashCode();
        if (System.getProperty(key) == null) {
            System.setProperty(key, "true");
            ReportFormat.messages().println(line);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && (FROM_ENVIRONMENT.equals(url) || DriftReference.LIKE_TARGET.equals(url)
                || PostgresUrl.isPostgres(url));
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
