package org.cnlearn.db.connection;

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
 * {@value ScratchServer#LIKE_TARGET}, and plain PostgreSQL URLs; every connection is opened by
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
        } else if (ScratchServer.LIKE_TARGET.equals(url)) {
            settings = ScratchServer.likeTarget();
        } else {
            settings = ConnectionSettings.reference(url, info, System.getProperties());
        }
        warnOnce(settings.commandLineWarning());
        Connection connection = settings.open();
        if (settings.isEmbedded()) {
            return connection; // this project's own server (the default, or drift's reference): nothing to check
        }
        if (FROM_ENVIRONMENT.equals(url)) {
            SessionCheck.refuseUnfitTarget(settings, connection, settings.source()); // the database a goal migrates
        } else {
            SessionCheck.refuseTransactionPooling(settings, connection, settings.source()); // a reference may be read-only
        }
        return connection;
    }

    /** A run prints a warning once, however many connections it opens (each goal loads this class anew). */
    private static void warnOnce(String warning) {
        if (warning != null && System.getProperty(WARNED_PROPERTY) == null) {
            System.setProperty(WARNED_PROPERTY, "true");
            System.out.println(warning);
        }
    }

    private static final String WARNED_PROPERTY = "cnlearn.password-warning.printed";

    @Override
    public boolean acceptsURL(String url) {
        return url != null && (FROM_ENVIRONMENT.equals(url) || ScratchServer.LIKE_TARGET.equals(url)
                || url.startsWith(ConnectionSettings.POSTGRESQL_PREFIX));
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
