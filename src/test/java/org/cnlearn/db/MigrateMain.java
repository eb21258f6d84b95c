package org.cnlearn.db;

import org.cnlearn.db.connection.CnlearnDriver;
import org.cnlearn.db.connection.PostgresVersions;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.resource.DirectoryResourceAccessor;

import java.util.HashMap;
import java.util.Map;

/**
 * A plain java process driving the same Liquibase code as the Maven goals (same driver, placeholder
 * URL, extensions), for tests that need many real processes: it starts faster than Maven.
 * Usage: MigrateMain command [changelog]; the connection comes from the environment.
 */
public final class MigrateMain {

    private MigrateMain() {
    }

    public static void main(String[] args) {
        String command = args[0];
        String changelog = args.length > 1 ? args[1] : Migrations.CHANGELOG;
        try {
            Map<String, Object> values = new HashMap<>();
            values.put(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(Migrations.PROJECT_DIR));
            values.put("liquibase.analytics.enabled", false);
            Scope.child(values, () -> new CommandScope(command)
                    .addArgumentValue("url", CnlearnDriver.FROM_ENVIRONMENT)
                    .addArgumentValue("driver", CnlearnDriver.class.getName())
                    .addArgumentValue("changelogFile", changelog)
                    .execute());
        } catch (Throwable e) {
            System.err.println("FAILED: " + Migrations.messages(e).replace('\n', ' '));
            System.exit(1);
        }
        System.exit(0);
    }

    /** Starts one such process. */
    public static Process start(Map<String, String> env, String... arguments) throws java.io.IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "-Dbasedir=" + Migrations.PROJECT_DIR,
                "-Dcnlearn.changelog=" + Migrations.CHANGELOG,
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", "")));
        for (String property : java.util.List.of(PostgresVersions.REQUESTED_PROPERTY, PostgresVersions.SUPPORTED_PROPERTY, PostgresVersions.BINARIES_PROPERTY)) {
            command.add("-D" + property + "=" + System.getProperty(property));
        }
        for (String argument : arguments) {
            if (argument.startsWith("-D")) {
                command.add(argument);
            }
        }
        command.add(MigrateMain.class.getName());
        for (String argument : arguments) {
            if (!argument.startsWith("-D")) {
                command.add(argument);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("LIQUIBASE_") || name.equals("CI"));
        builder.environment().putAll(env);
        return builder.start();
    }
}
