// bench/run's helper: creates (anew) or drops the benchmark's scratch databases on a server, and
// prints the server's version. Usage: ScratchDatabases create|drop SERVER_URL USER NAME...
// (the password, if the server wants one: BENCH_SERVER_PASSWORD, or PostgreSQL's password file)
import org.cnlearn.db.connection.ConnectionSettings;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

public class ScratchDatabases {
    public static void main(String[] args) throws Exception {
        try (Connection connection = ConnectionSettings.explicit(args[1], args[2], System.getenv("BENCH_SERVER_PASSWORD")).open();
             Statement statement = connection.createStatement()) {
            for (int i = 3; i < args.length; i++) {
                if (!args[i].matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("not a plain database name: " + args[i]);
                }
                statement.execute("DROP DATABASE IF EXISTS " + args[i] + " WITH (FORCE)");
                if (args[0].equals("create")) {
                    statement.execute("CREATE DATABASE " + args[i]);
                }
            }
            try (ResultSet rs = statement.executeQuery("SHOW server_version")) {
                rs.next();
                System.out.println("PostgreSQL " + rs.getString(1));
            }
        }
    }
}
