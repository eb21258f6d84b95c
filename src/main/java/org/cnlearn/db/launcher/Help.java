package org.cnlearn.db.launcher;

/** --help and --version. */
final class Help {

    private Help() {
    }

    static String text(String command) {
        String usage = command == null || !Arguments.COMMANDS.containsKey(command) ? "cnlearn-db COMMAND [OPTIONS]"
                : "cnlearn-db " + command + " [OPTIONS]";
        return """
                Usage: %s

                CNLearn's database migrations (Liquibase 4.33 with cnlearn-db's safety checks), as a deploy runs them:
                the commands and flags are Liquibase's CLI's; ./mvnw liquibase:<goal> in a checkout does the same.

                Commands:
                  update                        apply every pending changeset
                  update-sql [--output-file=F]  print the SQL update would run (to F, or standard output); changes nothing
                  changelog-sync                baseline a database built before this changelog: record each pending changeset
                                                as applied where its tables exist exactly as it builds them; builds nothing,
                                                and refuses a changeset it cannot find in place (docs/tasks.md)
                  status [--verbose]            list the pending changesets, each by name (--verbose, as Liquibase's CLI
                                                takes it, changes nothing: the list is always full)
                  history                       list the applied changesets
                  rollback-count --count=N      roll back the last N changesets
                  rollback --tag=T              roll back the changesets applied after tag T
                  tag --tag=T                   tag the current state, for a later rollback --tag=T
                  validate                      check the changelog: the lock-safety lint, and the applied checksums
                  plan --scratch-url=URL        what each pending changeset will lock, rewrite and scan on the database,
                                                traced on a copy of its schema made on URL (a server of its major where
                                                the role may create databases; dropped after); the database is only read.
                                                --format=json|markdown, --risky-rows=N (default 100000)
                  startup-cache                 for image builds: run every command once on an EMPTY scratch database
                                                (LIQUIBASE_COMMAND_URL) and record the start-up cache of this Java
                diff is not here: drift detection needs an embedded reference PostgreSQL, which this distribution does
                not ship; run ./mvnw liquibase:diff from a checkout.

                The database (never a default: with none given, every command refuses):
                  LIQUIBASE_COMMAND_URL         jdbc:postgresql://host:5432/database   (or --url=...), or the
                                                application's own postgresql://user:password@host:5432/database
                  LIQUIBASE_COMMAND_USERNAME    the role                               (or --username=...)
                  LIQUIBASE_COMMAND_PASSWORD    its password, from a secret store      (--password=... works, and warns)
                  or PostgreSQL's password file (~/.pgpass, PGPASSFILE) and service file (PGSERVICEFILE, ?service=name)

                Options:
                  --allow-data-loss             update, rollback-count and rollback: let them drop, or empty, a table or
                                                column that holds rows
                  --label-filter=LABELS         update, update-sql, status and the rollbacks: only the changesets with these
                                                Liquibase labels, and those with none (expand before a rollout, contract after)
                  --lock-timeout=DURATION       how long one statement waits for a table lock (default 30s;
                                                also CNLEARN_LOCK_TIMEOUT)
                  --lock-wait-seconds=N         how long to wait for another migration to finish (default 300)
                  --format=json                 status, history, validate, update and the rollbacks: the report as JSON, alone on
                                                standard output; every message on standard error (docs/ci.md)
                  --log-level=LEVEL             off, severe, warning (default), info or fine (fine: stack traces too)
                  --help, --version
                Every command and option, with its default and its variable: docs/reference.md

                Exit status: 0 done; 1 failed or refused (the message says what was and was not changed);
                2 a command line that cannot run; 128 + N stopped by signal N (143: SIGTERM), saying what stayed.
                Start-up cache: CNLEARN_DB_STARTUP_CACHE=auto|use|off, CNLEARN_DB_CACHE_DIR; JAVA_OPTS (docs/deploying.md).
                """.formatted(usage);
    }

    static String version() {
        String own = Main.class.getPackage().getImplementationVersion();
        return "cnlearn-db " + (own != null ? own : "(unpackaged)") + " (Liquibase " + liquibase.util.LiquibaseUtil.getBuildVersion()
                + ", PostgreSQL JDBC " + org.postgresql.util.DriverInfo.DRIVER_VERSION + ", Java " + System.getProperty("java.version") + ")";
    }
}
