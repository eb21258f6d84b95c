package org.cnlearn.db.launcher;

import org.cnlearn.db.WarmJvm;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The JVM that keeps the deploy launcher warm for the tests whose point is what a command does, not how
 * bin/cnlearn-db starts Java ({@link Distribution#launch}): started on the distribution's lib/ as the script
 * starts it, it runs each command as {@link Main#main} would, with the test's environment, its own system
 * properties and the two streams captured, one command at a time ({@link WarmJvm}).
 */
public final class WarmLauncherMain {

    private WarmLauncherMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        WarmJvm.serve(request -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
            // what the code prints straight to System.out, as a process's would, goes with the command's output
            System.setOut(printed);
            System.setErr(errors);
            try {
                int status = WarmJvm.isolated(request.env(), WarmLauncherMain.class.getClassLoader(), () -> {
                    System.setProperty(Main.HOME_PROPERTY, request.folder());
                    return Main.run(request.arguments(), System.getenv(), printed, errors);
                }, errors);
                return new WarmJvm.Answer(status, out.toByteArray(), err.toByteArray());
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
        });
    }
}
