package org.cnlearn.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * updateSQL in this JVM, while no other test class runs: Liquibase keeps one executor registry per
 * JVM, which every update clears as it ends, so an update ending in another class took updateSQL's
 * logging executor away mid-run ("No executor found for name 'logging'"), and could have let it run
 * its statements for real.
 */
@Isolated
class UpdateSqlTest {

    @Test
    void everyGeneratedStatementQuotesUser() throws Exception {
        try (TestDatabase db = TestServer.get().createDatabase("quoting")) {
            String sql = Migrations.updateSql(db);
            String code = sql.replaceAll("--[^\n]*", "").replaceAll("'(?:[^']|'')*'", "''");
            Matcher bare = Pattern.compile("(?<![\"\\w])user(?![\"\\w])", Pattern.CASE_INSENSITIVE).matcher(code);
            assertTrue(code.contains("\"user\""), "updateSQL does not create \"user\":\n" + sql);
            assertTrue(!bare.find(), "unquoted user in updateSQL near: " + (bare.hitEnd() ? "" : code.substring(Math.max(0, bare.start() - 40), Math.min(code.length(), bare.end() + 40))));
        }
    }
}
