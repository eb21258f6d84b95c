package org.cnlearn.db.launcher;

import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.safety.InFlight;
import org.postgresql.PGConnection;
import sun.misc.Signal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A run stopped by a signal (SIGTERM from a deploy's supervisor, Ctrl-C, a closed terminal): bin/cnlearn-db
 * execs Java, so the signal reaches this JVM, which closes the migration's connection (PostgreSQL rolls
 * back what the session did not commit), asks the database what stayed, and says so in one line before
 * it exits with 128 + the signal's number, as a shell reports a signal.
 */
final class Stop {

    /** How long to wait for PostgreSQL to end the closed session (it checks every second: ConnectionSettings). */
    private static final long SESSION_END_SECONDS = 15;

    private static volatile boolean requested;
    private static volatile ConnectionSettings settings;
    private static volatile Connection connection;
    private static volatile int backend;
    private static volatile boolean writes;
    private static volatile boolean finished;

    private Stop() {
    }

    /** Handles SIGTERM, SIGINT and SIGHUP from now on, saying what it stopped on {@code err}. */
    static void install(PrintStream err) {
        for (String name : List.of("TERM", "INT", "HUP")) {
            try {
                Signal.handle(new Signal(name), signal -> stop(signal, err));
            } catch (IllegalArgumentException e) {
                // the JVM keeps that signal for itself (-Xrs, say): its default stands
            }
        }
    }

    /**
     * The stream, silent once a stop was asked for: what the command prints after its connection was
     * closed under it (Liquibase's summary, its failure) is not the story; the stop's one line is.
     */
    static PrintStream quietAfterStop(PrintStream stream) {
        return new PrintStream(new FilterOutputStream(stream) {
            @Override
            public void write(int b) throws IOException {
                if (!requested) {
                    out.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (!requested) {
                    out.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** The command's connection, which a stop closes and then asks about. */
    static void watch(ConnectionSettings target, Connection open, boolean commandWrites) {
        settings = target;
        writes = commandWrites;
        try {
            backend = open.unwrap(PGConnection.class).getBackendPID();
        } catch (SQLException e) {
            backend = 0;
        }
        connection = open;
    }

    /** The command is done (its connection closed): a stop now only ends what follows it. */
    static void commandFinished() {
        finished = true;
        connection = null;
    }

    /** A signal came: the command's failure, which follows from its closed connection, is not reported. */
    static boolean requested() {
        return requested;
    }

    /** The main thread, once its command returned after a stop: it waits for the stop to end the JVM. */
    static void awaitExit() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // the signal's thread ends the JVM
            }
        }
    }

    private static synchronized void stop(Signal signal, PrintStream err) {
        if (requested) {
            return;
        }
        requested = true;
        String by = "Stopped by SIG" + signal.getName();
        String line;
        try {
            line = by + account();
        } catch (RuntimeException e) {
            line = by + ": " + e.getMessage();
        }
        err.println("[cnlearn-db] " + line);
        err.flush();
        Runtime.getRuntime().exit(128 + signal.getNumber());
    }

    /** What the stop left, in the words after "Stopped by SIGTERM". */
    private static String account() {
        Connection open = connection;
        if (finished) {
            return " after the command finished: what it did stays done.";
        }
        if (open == null) {
            return " before it connected: nothing was changed.";
        }
        try {
            open.abort(Runnable::run); // the socket closes now: nothing more of this run can commit
        } catch (SQLException | RuntimeException e) {
            // closing it is all we can do
        }
        InFlight.Changeset changeset = InFlight.current();
        int applied = InFlight.applied();
        int rolledBack = InFlight.rolledBack();
        if (changeset == null) {
            return !writes || applied + rolledBack == 0 ? ": nothing was changed."
                    : " between changesets: " + before(applied, rolledBack, "") + ", and none is half-done. " + next(rolledBack > 0);
        }
        String before = before(applied, rolledBack, " before it");
        String what = (changeset.rollback() ? "the rollback of changeset " : "changeset ") + changeset.id();
        Boolean recorded;
        String unconfirmed = null;
        try {
            recorded = recorded(changeset);
        } catch (SQLException | RuntimeException e) {
            recorded = null;
            unconfirmed = e.getMessage();
        }
        if (recorded == null) {
            return " in the middle of " + what + ": its connection was closed, and PostgreSQL rolls back what a closed session did"
                    + " not commit, but the database could not be asked what stayed (" + unconfirmed + "). Run status to see.";
        }
        boolean done = changeset.rollback() != recorded;
        if (done) {
            return " as " + what + " committed: it is done and recorded; " + before + ". " + next(changeset.rollback());
        }
        String kept = changeset.inTransaction() ? "PostgreSQL rolled it back with its transaction, so nothing of it is "
                + (changeset.rollback() ? "undone: the changeset stays applied and recorded" : "applied or recorded")
                : "it runs outside a transaction (runInTransaction: false), so what it did before the stop stays, unrecorded:"
                        + " check it";
        return " in the middle of " + what + ": " + kept + "; " + before + ". " + next(changeset.rollback());
    }

    /** What to do next: an update may simply run again; a rollback by count would count from where it stopped. */
    private static String next(boolean rollingBack) {
        return rollingBack ? "Run history to see what stays applied before you roll back again." : "Run update again to apply the rest.";
    }

    private static String before(int applied, int rolledBack, String when) {
        if (applied == 0 && rolledBack == 0) {
            return "nothing" + when + " was changed by this run";
        }
        return applied > 0 ? (applied == 1 ? "the changeset this run applied" + when + " stays applied"
                : "the " + applied + " changesets this run applied" + when + " stay applied")
                : (rolledBack == 1 ? "the changeset this run rolled back" + when + " stays rolled back"
                : "the " + rolledBack + " changesets this run rolled back" + when + " stay rolled back");
    }

    /** Once the closed session has ended on the server: whether the changeset's history row is there. */
    private static Boolean recorded(InFlight.Changeset changeset) throws SQLException {
        try (Connection asking = settings.open()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SESSION_END_SECONDS);
            try (PreparedStatement alive = asking.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
                alive.setInt(1, backend);
                while (backend != 0 && count(alive) > 0) {
                    if (System.nanoTime() > deadline) {
                        throw new SQLException("its session, PostgreSQL pid " + backend + ", had not ended after " + SESSION_END_SECONDS + " s");
                    }
                    sleep();
                }
            }
            try (PreparedStatement row = asking.prepareStatement("SELECT count(*) FROM " + changeset.historyTable()
                    + " WHERE id = ? AND author = ? AND filename = ?")) {
                row.setString(1, changeset.id());
                row.setString(2, changeset.author());
                row.setString(3, changeset.file());
                return count(row) > 0;
            }
        }
    }

    private static long count(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
