// bench/run's helper: prints "PostgreSQL <server_version>" of the database the goals would use
// (LIQUIBASE_COMMAND_URL, else the embedded default), through the project's own driver.
import org.cnlearn.db.connection.CnlearnDriver;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

public class ServerVersion {
    public static void main(String[] args) throws Exception {
        try (Connection connection = new CnlearnDriver().connect(CnlearnDriver.FROM_ENVIRONMENT, new Properties());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            System.out.println("PostgreSQL " + rs.getString(1));
        }
    }
}
