package org.cnlearn.db.launcher;

import liquibase.resource.DirectoryResourceAccessor;
import org.cnlearn.db.connection.ConnectionSettings;
import org.cnlearn.db.plan.Plan;
import org.cnlearn.db.scratch.ScratchDatabases;
import org.cnlearn.db.settings.ReportFormat;
import org.cnlearn.db.settings.SettingValue;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code cnlearn-db plan --scratch-url=URL}: the goal's plan (docs/ci.md#plan) where the application deploys. The
 * distribution ships no PostgreSQL, so the copy of the target's schema is made on the server the URL names (of the
 * target's major; its role may create databases), in databases named cnlearn_scratch_…, dropped when the plan ends.
 * The target is only read.
 */
final class PlanCommand {

    private PlanCommand() {
    }

    static void run(Arguments arguments, ConnectionSettings target, Path lib, PrintStream messages, PrintStream out) throws Exception {
        ConnectionSettings scratch = ConnectionSettings.ofUrl(arguments.get("scratch-url").strip(), "--scratch-url");
        if (scratch.passwordWarning() != null) {
            messages.println(scratch.passwordWarning());
        }
        ReportFormat form = ReportFormat.of("--format", arguments.get("format"));
        long riskyRows = arguments.has("risky-rows") ? SettingValue.rows("--risky-rows", arguments.get("risky-rows")) : Plan.DEFAULT_RISKY_ROWS;
        Plan.run(target, major -> ScratchDatabases.on(scratch, "--scratch-url", major), new DirectoryResourceAccessor(lib),
                LiquibaseCommands.CHANGELOG, form, riskyRows, messages::println, text -> {
                    out.print(text);
                    out.flush();
                });
    }
}
