package org.cnlearn.db.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The reference of drift detection when none is given ({@value #LIKE_TARGET}): an empty database on a
 * throwaway embedded PostgreSQL of the same major version as the target (the database the goals migrate),
 * so that PostgreSQL's deparsers describe both the same way; liquibase:diff builds the changelog's schema
 * there. The server and its data go when the JVM exits. (The scratch databases of the author's goals are
 * {@code scratch.ScratchDatabases}.)
 */
public final class DriftReference {

    /** The URL pom.xml gives the diff goal as its reference when none is given. */
    public static final String LIKE_TARGET = "jdbc:cnlearn:scratch-like-target";
    /** Set to the real URL once the scratch database exists, so the drift steps can tell it from a reference of the user's. */
    public static final String URL_PROPERTY = "cnlearn.scratch.url";

    private DriftReference() {
    }

    static ConnectionSettings likeTarget() throws SQLException {
        ConnectionSettings target = ConnectionSettings.fromEnvironment(new Properties());
        int major;
        try (Connection connection = target.open()) {
            major = connection.getMetaData().getDatabaseMajorVersion();
        }
        if (!PostgresVersions.supported(System.getProperties()).contains(major)) {
            throw new SQLException("The target runs PostgreSQL " + major + ", and drift detection builds its reference on the"
                    + " same major, which this project does not embed (it supports PostgreSQL "
                    + PostgresVersions.range(PostgresVersions.supported(System.getProperties())) + "). Compare with a reference"
                    + " database of your own instead: -Dliquibase.referenceUrl=jdbc:postgresql://…", "08001");
        }
        ThrowawayServer server = ThrowawayServer.start(major, null); // stopped and removed when the JVM exits
        ConnectionSettings scratch = ConnectionSettings.explicit(server.jdbcUrl("postgres", "postgres"), "postgres", null)
                .from(ConnectionSettings.EMBEDDED);
        System.setProperty(URL_PROPERTY, scratch.url());
        return scratch;
    }

    /** True when the URL (with or without its parameters) is the scratch database's (its URL as {@link #URL_PROPERTY} has it). */
    public static boolean isScratch(String url, String scratch) {
        return url != null && scratch != null && withoutParameters(url).equals(withoutParameters(scratch));
    }

    private static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
