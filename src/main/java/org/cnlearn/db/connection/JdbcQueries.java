package org.cnlearn.db.connection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A query's rows read the one way, as Flyway's JdbcTemplate reads them: the statement prepared with its
 * parameters, each row mapped, everything closed. Callers write the SQL and what a row means, not the loop.
 */
public final class JdbcQueries {

    /** What one row means. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    private JdbcQueries() {
    }

    /** Every row of the query, mapped. */
    public static <T> List<T> list(Connection connection, String sql, Row<T> row, Object... parameters) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(row.map(rs));
            }
        }
        return rows;
    }

    /** The first column of every row, as text. */
    public static List<String> strings(Connection connection, String sql, Object... parameters) throws SQLException {
        return list(connection, sql, rs -> rs.getString(1), parameters);
    }

    /** The one row of a query that always returns one (SELECT EXISTS …, SELECT count(*) …), mapped. */
    public static <T> T single(Connection connection, String sql, Row<T> row, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("no row from: " + sql);
            }
            return row.map(rs);
        }
    }

    /** A query's one boolean (SELECT EXISTS …, SELECT pg_try_advisory_lock(?)). */
    public static boolean bool(Connection connection, String sql, Object... parameters) throws SQLException {
        return single(connection, sql, rs -> rs.getBoolean(1), parameters);
    }

    /** A statement run for its effect. */
    public static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.execute();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** An identifier as SQL writes it whatever it holds: in double quotes, its own doubled. */
    public static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
