package org.cnlearn.db.lint;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CheckConstraint;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.create.table.ForeignKeyIndex;
import net.sf.jsqlparser.statement.create.table.Index;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.truncate.Truncate;
import org.cnlearn.db.lint.Operation.Table;
import org.cnlearn.db.lint.SqlTokens.Token;
import org.cnlearn.db.lint.SqlTokens.Type;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL statement, parsed by JSqlParser, as the {@link Operation}s the rules look at.
 *
 * <p>JSqlParser 5.4 was measured on PostgreSQL migration statements before relying on it
 * (docs/lint.md). It reads the ordinary DDL, but not three of PostgreSQL's clauses
 * that the safe recipes use: a constraint's {@code NOT VALID}, {@code UNIQUE … USING INDEX}, and
 * {@code SET DATA TYPE}. Those are found among the statement's tokens ({@link SqlTokens}), noted,
 * and left out of the text JSqlParser parses. A statement it refuses is read once more as
 * {@link ReadableToJSqlParser} writes it (an index's keys, names it takes for keywords); one it still
 * cannot parse is reported, never passed.
 */
final class SqlStatements {

    /** Built-in functions that return a new value per row: a default calling one fills every row. */
    private static final Set<String> VOLATILE = Set.of("random", "clock_timestamp", "timeofday", "gen_random_uuid", "uuidv4",
            "uuidv7", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "nextval", "setseed", "txid_current",
            "pg_current_xact_id", "random_normal");
    /** Built-in functions that are stable or immutable: PostgreSQL evaluates such a default once, with no rewrite. */
    private static final Set<String> NOT_VOLATILE = Set.of("now", "statement_timestamp", "transaction_timestamp", "current_setting",
            "lower", "upper", "concat", "coalesce", "date_trunc", "timezone", "to_timestamp", "to_date", "make_date",
            "make_timestamp", "make_timestamptz", "make_interval", "jsonb_build_object", "jsonb_build_array", "json_build_object",
            "json_build_array", "to_jsonb", "array", "current_schema", "length", "abs", "round", "trim", "replace", "format",
            // SQL's value functions, written with a precision as calls: CURRENT_TIMESTAMP(3) is now() to the millisecond
            "current_timestamp", "current_time", "localtimestamp", "localtime");
    private static final Set<String> SERIAL_TYPES = Set.of("serial", "serial4", "bigserial", "serial8", "smallserial", "serial2");
    private static final Pattern NOT_NULL_CHECK = Pattern.compile("^\\(*\\s*\"?([A-Za-z_][A-Za-z0-9_]*)\"?\\s+IS\\s+NOT\\s+NULL\\s*\\)*$",
            Pattern.CASE_INSENSITIVE);

    private SqlStatements() {
    }

    /** What the statement does; an Unparseable operation when it cannot be read. */
    static List<Operation> parse(String sql) {
        List<Token> tokens;
        try {
            tokens = SqlTokens.tokenize(sql);
        } catch (IllegalArgumentException e) {
            return List.of(new Operation.Unparseable(e.getMessage()));
        }
        if (tokens.isEmpty()) {
            return List.of();
        }
        if (needsNoTransaction(tokens)) {
            List<Operation> operations = new ArrayList<>();
            operations.add(new Operation.Concurrently());
            if (tokens.get(0).is("CREATE")) {
                operations.addAll(parsed(sql, List.of()));
            }
            return operations;
        }
        List<Operation> byName = dropsByName(tokens);
        if (byName != null) {
            return byName;
        }
        if (locksNoTable(tokens)) {
            return List.of(new Operation.Other());
        }
        if (tokens.get(0).is("DO")) {
            return List.of(new Operation.Unparseable("a DO block runs statements no linter can see"));
        }
        List<ActionFlags> flags = new ArrayList<>();
        String text = sql;
        if (tokens.size() > 2 && tokens.get(0).is("ALTER") && tokens.get(1).is("TABLE")) {
            text = normalizeAlterTable(sql, tokens, flags);
        }
        return parsed(text, flags);
    }

    /**
     * DROP TYPE / DOMAIN … CASCADE and DROP OWNED BY, which JSqlParser cannot read (or reads as something
     * else), told from their words: the names, as written, up to CASCADE or RESTRICT. Null for any other.
     */
    private static List<Operation> dropsByName(List<Token> tokens) {
        if (tokens.size() < 3 || !tokens.get(0).is("DROP")) {
            return null;
        }
        boolean cascade = tokens.stream().anyMatch(t -> t.is("CASCADE"));
        if ((tokens.get(1).is("TYPE") || tokens.get(1).is("DOMAIN")) && cascade) {
            return names(tokens, 2).stream().map(name -> (Operation) new Operation.DropTypeCascade(name)).toList();
        }
        if (tokens.get(1).is("OWNED") && tokens.get(2).is("BY")) {
            return names(tokens, 3).stream().map(name -> (Operation) new Operation.DropOwned(name)).toList();
        }
        return null;
    }

    /** The comma-separated names from the token at {@code from} (after IF EXISTS), up to CASCADE or RESTRICT. */
    private static List<String> names(List<Token> tokens, int from) {
        int i = from;
        if (i + 1 < tokens.size() && tokens.get(i).is("IF") && tokens.get(i + 1).is("EXISTS")) {
            i += 2;
        }
        List<String> names = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (; i < tokens.size() && !tokens.get(i).is("CASCADE") && !tokens.get(i).is("RESTRICT"); i++) {
            if (tokens.get(i).text().equals(",")) {
                names.add(name.toString());
                name.setLength(0);
            } else {
                name.append(tokens.get(i).text());
            }
        }
        if (name.length() > 0) {
            names.add(name.toString());
        }
        return names;
    }

    /**
     * What JSqlParser cannot read but this lint can tell from its words, because it reads or locks no
     * table: dropping a type or domain (without CASCADE, which would drop the columns of that type), and
     * adding or renaming an enum's label, or renaming a type.
     */
    private static boolean locksNoTable(List<Token> tokens) {
        if (tokens.size() < 3) {
            return false;
        }
        if (tokens.get(0).is("DROP") && (tokens.get(1).is("TYPE") || tokens.get(1).is("DOMAIN"))) {
            return tokens.stream().noneMatch(t -> t.is("CASCADE"));
        }
        if (tokens.get(0).is("ALTER") && tokens.get(1).is("TYPE")) {
            for (int i = 2; i + 1 < tokens.size(); i++) {
                if (tokens.get(i).is("ADD") && tokens.get(i + 1).is("VALUE")
                        || tokens.get(i).is("RENAME") && (tokens.get(i + 1).is("TO") || tokens.get(i + 1).is("VALUE"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The PostgreSQL clauses JSqlParser lacks, per ALTER TABLE action. */
    private record ActionFlags(boolean notValid, boolean usingIndex) {
    }

    private static List<Operation> parsed(String text, List<ActionFlags> flags) {
        Statement statement;
        try {
            statement = CCJSqlParserUtil.parse(text);
        } catch (JSQLParserException e) {
            statement = readAgain(text);
            if (statement == null) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                return List.of(new Operation.Unparseable("JSqlParser: " + firstLine(cause.getMessage()).replaceFirst("^[\\w.]+Exception: ", "")));
            }
        }
        if (statement instanceof UnsupportedStatement) {
            return List.of(new Operation.Unparseable("JSqlParser does not know this kind of statement"));
        }
        if (statement instanceof CreateTable create) {
            Map<String, String> types = new LinkedHashMap<>();
            if (create.getColumnDefinitions() != null) {
                for (ColumnDefinition column : create.getColumnDefinitions()) {
                    types.put(Table.fold(column.getColumnName()), column.getColDataType().toString().toLowerCase(Locale.ROOT));
                }
            }
            return List.of(new Operation.CreateTable(table(create.getTable()), types));
        }
        if (statement instanceof CreateView view && view.isMaterialized()) {
            return List.of(new Operation.CreateMaterializedView(table(view.getView())));
        }
        if (statement instanceof CreateIndex create) {
            boolean unique = create.getIndex().getType() != null && create.getIndex().getType().toUpperCase(Locale.ROOT).contains("UNIQUE");
            return List.of(new Operation.CreateIndex(table(create.getTable()), create.isConcurrently(), unique));
        }
        if (statement instanceof Drop drop) {
            List<net.sf.jsqlparser.schema.Table> names = drop.getNames() != null ? drop.getNames() : List.of(drop.getName());
            boolean cascade = drop.getParameters() != null && drop.getParameters().stream().anyMatch("CASCADE"::equalsIgnoreCase);
            if ("TABLE".equalsIgnoreCase(drop.getType())) {
                return names.stream().map(name -> (Operation) new Operation.DropTable(table(name), name.getFullyQualifiedName())).toList();
            }
            if ("SCHEMA".equalsIgnoreCase(drop.getType()) && cascade) {
                return names.stream().map(name -> (Operation) new Operation.DropSchemaCascade(name.getFullyQualifiedName())).toList();
            }
            if ("EXTENSION".equalsIgnoreCase(drop.getType()) && cascade) {
                return names.stream().map(name -> (Operation) new Operation.DropExtensionCascade(name.getFullyQualifiedName())).toList();
            }
            return List.of(new Operation.Other());
        }
        if (statement instanceof Truncate truncate) {
            return truncate.getTables().stream()
                    .map(name -> (Operation) new Operation.Truncate(table(name), name.getFullyQualifiedName(), truncate.getCascade())).toList();
        }
        if (statement instanceof Alter alter) {
            return alterOperations(alter, flags);
        }
        return List.of(new Operation.Other());
    }

    private static List<Operation> alterOperations(Alter alter, List<ActionFlags> flags) {
        Table table = table(alter.getTable());
        List<Operation> operations = new ArrayList<>();
        List<AlterExpression> expressions = alter.getAlterExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            AlterExpression e = expressions.get(i);
            ActionFlags flag = i < flags.size() ? flags.get(i) : new ActionFlags(false, false);
            AlterOperation op = e.getOperation();
            if (op == AlterOperation.ADD && e.getColDataTypeList() != null) {
                for (AlterExpression.ColumnDataType column : e.getColDataTypeList()) {
                    operations.add(addColumn(table, column));
                }
            } else if (op == AlterOperation.ADD && e.getIndex() != null) {
                operations.add(addConstraint(table, e.getIndex(), flag));
            } else if (op == AlterOperation.ALTER && e.getColDataTypeList() != null) {
                for (AlterExpression.ColumnDataType column : e.getColDataTypeList()) {
                    operations.add(new Operation.AlterType(table, Table.fold(column.getColumnName()),
                            column.getColDataType().toString().toLowerCase(Locale.ROOT).replace(" (", "(")));
                }
            } else if (op == AlterOperation.ALTER && e.getColumnSetNotNullList() != null) {
                for (AlterExpression.ColumnSetNotNull column : e.getColumnSetNotNullList()) {
                    operations.add(new Operation.SetNotNull(table, Table.fold(column.getColumnName())));
                }
            } else if (op == AlterOperation.RENAME) {
                operations.add(new Operation.RenameColumn(table, Table.fold(e.getColumnOldName()), Table.fold(e.getColumnName())));
            } else if (op == AlterOperation.RENAME_TABLE) {
                operations.add(new Operation.RenameTable(table, Table.fold(e.getNewTableName())));
            } else if (op == AlterOperation.DROP && e.getColumnName() != null) {
                operations.add(new Operation.DropColumn(table, Table.fold(e.getColumnName()), alter.getTable().getFullyQualifiedName(),
                        e.getColumnName()));
            } else if (e.getOptionalSpecifier() != null && e.getOptionalSpecifier().toUpperCase(Locale.ROOT).startsWith("VALIDATE CONSTRAINT ")) {
                operations.add(new Operation.ValidateConstraint(table, Table.fold(e.getOptionalSpecifier().substring(20).trim())));
            } else {
                operations.add(new Operation.Other());
            }
        }
        return operations;
    }

    private static Operation addColumn(Table table, AlterExpression.ColumnDataType column) {
        String type = column.getColDataType().toString().toLowerCase(Locale.ROOT).replace(" (", "(");
        List<String> specs = column.getColumnSpecs() == null ? List.of() : column.getColumnSpecs();
        List<Token> words = SqlTokens.tokenize(String.join(" ", specs));
        boolean notNull = false;
        boolean hasDefault = false;
        String fills = SERIAL_TYPES.contains(type) ? "a " + type + " (a sequence default)" : null;
        String inline = null;
        for (int i = 0; i < words.size(); i++) {
            Token word = words.get(i);
            if (word.is("NOT") && i + 1 < words.size() && words.get(i + 1).is("NULL")) {
                notNull = true;
            } else if (word.is("DEFAULT")) {
                hasDefault = true;
                String volatility = volatility(words.subList(i + 1, words.size()));
                if (volatility != null && fills == null) {
                    fills = "a default that calls " + volatility;
                }
            } else if (word.is("GENERATED")) {
                String rest = String.join(" ", specs).toUpperCase(Locale.ROOT);
                fills = rest.contains("IDENTITY") ? "an identity" : "a stored generated value";
            } else if (inline == null && (word.is("REFERENCES") || word.is("CHECK") || word.is("UNIQUE") || word.is("PRIMARY"))) {
                inline = word.is("PRIMARY") ? "PRIMARY KEY" : word.text().toUpperCase(Locale.ROOT);
            }
        }
        return new Operation.AddColumn(table, Table.fold(column.getColumnName()), type, notNull, hasDefault || fills != null, fills, inline);
    }

    /** The first function a default expression calls that is, or may be, volatile (null: none). */
    private static String volatility(List<Token> expression) {
        int depth = 0;
        for (int i = 0; i < expression.size(); i++) {
            Token token = expression.get(i);
            if (token.type() == Type.SYMBOL && token.text().equals("(")) {
                depth++;
            } else if (token.type() == Type.SYMBOL && token.text().equals(")")) {
                depth--;
            } else if (depth == 0 && token.type() == Type.WORD && (token.is("NOT") || token.is("NULL") || token.is("CONSTRAINT")
                    || token.is("CHECK") || token.is("REFERENCES") || token.is("PRIMARY") || token.is("UNIQUE")
                    || token.is("GENERATED") || token.is("COLLATE"))) {
                return null;
            }
            boolean call = token.type() == Type.WORD && i + 1 < expression.size() && expression.get(i + 1).text().equals("(");
            if (call) {
                String name = token.text().toLowerCase(Locale.ROOT);
                if (VOLATILE.contains(name)) {
                    return name + "() (volatile)";
                }
                if (!NOT_VOLATILE.contains(name)) {
                    return name + "() (maybe volatile: not a built-in this lint knows to be stable)";
                }
            }
        }
        return null;
    }

    private static Operation addConstraint(Table table, Index index, ActionFlags flag) {
        String name = index.getName() == null ? null : Table.fold(index.getName());
        if (index instanceof CheckConstraint check) {
            Matcher notNull = NOT_NULL_CHECK.matcher(check.getExpression().toString());
            return new Operation.AddConstraint(table, name, Operation.ConstraintKind.CHECK, flag.notValid(), false,
                    notNull.matches() ? notNull.group(1).toLowerCase(Locale.ROOT) : null);
        }
        if (index instanceof ForeignKeyIndex) {
            return new Operation.AddConstraint(table, name, Operation.ConstraintKind.FOREIGN_KEY, flag.notValid(), false, null);
        }
        String type = index.getType() == null ? "" : index.getType().toUpperCase(Locale.ROOT);
        Operation.ConstraintKind kind = type.contains("PRIMARY") ? Operation.ConstraintKind.PRIMARY_KEY : Operation.ConstraintKind.UNIQUE;
        return new Operation.AddConstraint(table, name, kind, flag.notValid(), flag.usingIndex(), null);
    }

    /** The statement as JSqlParser reads it once written as it can ({@link ReadableToJSqlParser}); null when it still cannot. */
    private static Statement readAgain(String text) {
        String readable = ReadableToJSqlParser.namesQuoted(text);
        List<Token> tokens = SqlTokens.tokenize(readable);
        if (tokens.size() > 2 && tokens.get(0).is("CREATE") && (tokens.get(1).is("INDEX") || tokens.get(2).is("INDEX"))) {
            readable = ReadableToJSqlParser.indexKeyedOnOneColumn(readable);
        }
        if (readable.equals(text)) {
            return null;
        }
        try {
            return CCJSqlParserUtil.parse(readable);
        } catch (JSQLParserException e) {
            return null;
        }
    }

    private static Table table(net.sf.jsqlparser.schema.Table table) {
        return Table.of(table.getSchemaName(), table.getName());
    }

    /** CREATE/DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY, DETACH PARTITION … CONCURRENTLY. */
    private static boolean needsNoTransaction(List<Token> tokens) {
        boolean concurrently = tokens.stream().anyMatch(t -> t.is("CONCURRENTLY"));
        if (!concurrently) {
            return false;
        }
        Token first = tokens.get(0);
        boolean index = tokens.size() > 1 && (tokens.get(1).is("INDEX") || (tokens.get(1).is("UNIQUE") && tokens.size() > 2 && tokens.get(2).is("INDEX")));
        return ((first.is("CREATE") || first.is("DROP")) && index) || first.is("REINDEX")
                || (first.is("ALTER") && tokens.stream().anyMatch(t -> t.is("DETACH")));
    }

    /**
     * ALTER TABLE's text without NOT VALID, USING INDEX name and SET DATA, with each action's flags noted
     * in order (actions are the comma-separated parts at the top level, after the table's name).
     */
    private static String normalizeAlterTable(String sql, List<Token> tokens, List<ActionFlags> flags) {
        List<Object[]> replace = new ArrayList<>(); // {start, end, replacement}
        int depth = 0;
        int actionStart = actionsStart(tokens);
        List<List<Token>> actions = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (int i = actionStart; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.text().equals("(")) {
                depth++;
            } else if (token.text().equals(")")) {
                depth--;
            }
            if (depth == 0 && token.text().equals(",")) {
                actions.add(current);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        actions.add(current);
        for (List<Token> action : actions) {
            boolean notValid = false;
            boolean usingIndex = false;
            int size = action.size();
            if (size >= 2 && action.get(size - 2).is("NOT") && action.get(size - 1).is("VALID")) {
                notValid = true;
                replace.add(new Object[] {action.get(size - 2).start(), action.get(size - 1).end(), ""});
            }
            for (int i = 0; i + 2 < action.size(); i++) {
                if (action.get(i).is("USING") && action.get(i + 1).is("INDEX")) {
                    usingIndex = true;
                    Token index = action.get(i + 2);
                    // "UNIQUE USING INDEX ix" has no column list of its own: JSqlParser reads "UNIQUE (ix)" instead
                    boolean noColumns = i > 0 && (action.get(i - 1).is("UNIQUE") || action.get(i - 1).is("KEY"));
                    replace.add(new Object[] {action.get(i).start(), index.end(), noColumns ? "(" + index.text() + ")" : ""});
                    continue;
                }
                if (action.get(i).is("SET") && action.get(i + 1).is("DATA") && action.get(i + 2).is("TYPE")) {
                    replace.add(new Object[] {action.get(i).start(), action.get(i + 1).end(), ""});
                }
            }
            flags.add(new ActionFlags(notValid, usingIndex));
        }
        StringBuilder text = new StringBuilder(sql);
        replace.sort((a, b) -> (int) b[0] - (int) a[0]);
        for (Object[] span : replace) {
            text.replace((int) span[0], (int) span[1], (String) span[2]);
        }
        return text.toString();
    }

    /** The index of the first token after ALTER TABLE [IF EXISTS] [ONLY] name [*]. */
    private static int actionsStart(List<Token> tokens) {
        int i = 2;
        if (i + 1 < tokens.size() && tokens.get(i).is("IF") && tokens.get(i + 1).is("EXISTS")) {
            i += 2;
        }
        if (i < tokens.size() && tokens.get(i).is("ONLY")) {
            i++;
        }
        i++; // the name
        while (i + 1 < tokens.size() && tokens.get(i).text().equals(".")) {
            i += 2;
        }
        if (i < tokens.size() && tokens.get(i).text().equals("*")) {
            i++;
        }
        return i;
    }

    private static String firstLine(String message) {
        String line = message == null ? "unknown error" : message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("unknown error");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
