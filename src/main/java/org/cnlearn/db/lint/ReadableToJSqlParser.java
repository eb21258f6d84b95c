package org.cnlearn.db.lint;

import org.cnlearn.db.lint.SqlTokens.Token;
import org.cnlearn.db.lint.SqlTokens.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A statement PostgreSQL reads but JSqlParser 5.4 does not, written again so that it does, with everything
 * the rules look at kept. Used only when JSqlParser refuses the statement as written (measured in
 * docs/lint.md):
 * <ul>
 * <li>It reads an index's keys only as columns or calls of columns: {@code lower((name)::text)} or
 * {@code (score)::numeric} stop it. The keys decide nothing a rule looks at (the index locks its table
 * the same way), so the index is read as keyed on one column, with nothing after its keys.</li>
 * <li>It takes about 490 of its own keywords as no name at all in some places, among them names that
 * PostgreSQL accepts unquoted ({@code level}, {@code settings}, {@code action}, {@code created}) in
 * {@code DROP COLUMN}, {@code RENAME COLUMN}, {@code CREATE TABLE}'s columns, or as a table's name. Where
 * PostgreSQL's grammar has a name, a bare word is written quoted and folded to lower case, as PostgreSQL
 * folds it, so it names the same object.</li>
 * </ul>
 */
final class ReadableToJSqlParser {

    /** Words that open a table constraint in CREATE TABLE or ALTER TABLE … ADD, where no column name comes. */
    private static final List<String> TABLE_CONSTRAINT = List.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE");

    private ReadableToJSqlParser() {
    }

    /** CREATE [UNIQUE] INDEX … ON table [USING method] (keys) …, as the same up to its keys, keyed on one column. */
    static String indexKeyedOnOneColumn(String sql) {
        List<Token> tokens = SqlTokens.tokenize(sql);
        int on = indexOf(tokens, 0, "ON");
        for (int i = on < 0 ? tokens.size() : on + 1; i < tokens.size(); i++) {
            if (symbol(tokens.get(i), "(")) {
                return closing(tokens, i) < 0 ? sql : sql.substring(0, tokens.get(i).start()) + "(x)";
            }
        }
        return sql;
    }

    /** The statement with the bare words where PostgreSQL's grammar has a table's, column's or constraint's name quoted. */
    static String namesQuoted(String sql) {
        List<Token> tokens = SqlTokens.tokenize(sql);
        List<Token> names = new ArrayList<>();
        if (tokens.size() > 2 && tokens.get(0).is("ALTER") && tokens.get(1).is("TABLE")) {
            int i = skip(tokens, 2, "IF", "EXISTS");
            i = skip(tokens, i, "ONLY");
            i = name(tokens, i, names);
            if (i < tokens.size() && symbol(tokens.get(i), "*")) {
                i++;
            }
            for (List<Token> action : topLevelParts(tokens, i, tokens.size())) {
                actionNames(action, names);
            }
        } else if (tokens.size() > 2 && tokens.get(0).is("CREATE") && indexOf(tokens, 0, "INDEX") >= 0
                && indexOf(tokens, 0, "INDEX") <= 2) {
            int on = indexOf(tokens, 0, "ON");
            if (on > 0) {
                name(tokens, skip(tokens, on + 1, "ONLY"), names);
            }
        } else if (tokens.get(0).is("CREATE") && indexOf(tokens, 0, "TABLE") >= 0 && indexOf(tokens, 0, "TABLE") <= 3) {
            int i = skip(tokens, indexOf(tokens, 0, "TABLE") + 1, "IF", "NOT", "EXISTS");
            i = name(tokens, i, names);
            if (i < tokens.size() && symbol(tokens.get(i), "(") && closing(tokens, i) > 0) {
                for (List<Token> element : topLevelParts(tokens, i + 1, closing(tokens, i))) {
                    if (element.isEmpty()) {
                        continue;
                    }
                    if (element.get(0).is("CONSTRAINT") && element.size() > 1) {
                        names.add(element.get(1));
                    } else if (TABLE_CONSTRAINT.stream().noneMatch(element.get(0)::is)) {
                        names.add(element.get(0));
                    }
                }
            }
        } else if (tokens.size() > 2 && tokens.get(0).is("DROP") && tokens.get(1).is("TABLE")
                || tokens.size() > 1 && tokens.get(0).is("TRUNCATE")) {
            int i = tokens.get(0).is("DROP") ? skip(tokens, 2, "IF", "EXISTS") : skip(tokens, 1, "TABLE");
            while (i < tokens.size()) {
                i = name(tokens, skip(tokens, i, "ONLY"), names);
                if (i < tokens.size() && symbol(tokens.get(i), "*")) {
                    i++;
                }
                if (i >= tokens.size() || !symbol(tokens.get(i), ",")) {
                    break;
                }
                i++;
            }
        }
        StringBuilder text = new StringBuilder(sql);
        for (int n = names.size() - 1; n >= 0; n--) {
            Token word = names.get(n);
            if (word.type() == Type.WORD) {
                text.replace(word.start(), word.end(), "\"" + word.text().toLowerCase(Locale.ROOT) + "\"");
            }
        }
        return text.toString();
    }

    /** The names in one ALTER TABLE action: a column's or constraint's, and a new name after RENAME … TO. */
    private static void actionNames(List<Token> action, List<Token> names) {
        if (action.size() < 2) {
            return;
        }
        Token verb = action.get(0);
        int i = 1;
        if (verb.is("DROP") || verb.is("ALTER") || verb.is("VALIDATE")) {
            i = skip(action, skip(action, i, "COLUMN"), "CONSTRAINT");
            i = skip(action, i, "IF", "EXISTS");
            add(action, i, names);
        } else if (verb.is("RENAME")) {
            if (action.get(1).is("TO")) {
                add(action, 2, names);
                return;
            }
            i = skip(action, skip(action, i, "COLUMN"), "CONSTRAINT");
            add(action, i, names);
            if (i + 2 < action.size() && action.get(i + 1).is("TO")) {
                add(action, i + 2, names);
            }
        } else if (verb.is("ADD")) {
            if (action.get(1).is("CONSTRAINT")) {
                add(action, 2, names);
            } else if (TABLE_CONSTRAINT.stream().noneMatch(action.get(1)::is)) {
                add(action, skip(action, skip(action, i, "COLUMN"), "IF", "NOT", "EXISTS"), names);
            }
        }
    }

    private static void add(List<Token> tokens, int i, List<Token> names) {
        if (i < tokens.size()) {
            names.add(tokens.get(i));
        }
    }

    /** A possibly qualified name from i (its words added to names); the index after it. */
    private static int name(List<Token> tokens, int i, List<Token> names) {
        while (i < tokens.size()) {
            Token part = tokens.get(i);
            if (part.type() != Type.WORD && part.type() != Type.QUOTED_IDENTIFIER) {
                return i;
            }
            names.add(part);
            i++;
            if (i < tokens.size() && symbol(tokens.get(i), ".")) {
                i++;
            } else {
                return i;
            }
        }
        return i;
    }

    /** i moved past the words, if they come there in that order. */
    private static int skip(List<Token> tokens, int i, String... words) {
        for (int w = 0; w < words.length; w++) {
            if (i + w >= tokens.size() || !tokens.get(i + w).is(words[w])) {
                return i;
            }
        }
        return i + words.length;
    }

    private static int indexOf(List<Token> tokens, int from, String word) {
        for (int i = from; i < tokens.size(); i++) {
            if (tokens.get(i).is(word)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the parenthesis that closes the one at open; -1 when none does. */
    private static int closing(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (symbol(tokens.get(i), "(")) {
                depth++;
            } else if (symbol(tokens.get(i), ")") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The tokens from .. to, split at the commas outside parentheses. */
    private static List<List<Token>> topLevelParts(List<Token> tokens, int from, int to) {
        List<List<Token>> parts = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (int i = from; i < to; i++) {
            Token token = tokens.get(i);
            if (symbol(token, "(")) {
                depth++;
            } else if (symbol(token, ")")) {
                depth--;
            }
            if (depth == 0 && symbol(token, ",")) {
                parts.add(current);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        parts.add(current);
        return parts;
    }

    private static boolean symbol(Token token, String text) {
        return token.type() == Type.SYMBOL && token.text().equals(text);
    }
}
