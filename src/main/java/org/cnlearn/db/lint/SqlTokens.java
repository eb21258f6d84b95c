package org.cnlearn.db.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's lexical structure, enough to split a script into statements and to find words
 * outside strings and comments: quoted identifiers, string constants (E'' too), dollar-quoted
 * strings, line and nested block comments. The grammar is JSqlParser's ({@link SqlStatements}).
 */
public final class SqlTokens {

    enum Type { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, SYMBOL, SEMICOLON }

    record Token(Type type, String text, int start, int end) {
        boolean is(String word) {
            return type == Type.WORD && text.equalsIgnoreCase(word);
        }
    }

    private SqlTokens() {
    }

    /** The tokens; an unterminated string, identifier or comment is an error that names where it starts. */
    static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0;
                do {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (depth > 0 && i < n);
                if (depth > 0) {
                    throw new IllegalArgumentException("a /* comment that never ends (at character " + (start + 1) + ")");
                }
            } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
                boolean escapes = c != '\'';
                i += escapes ? 2 : 1;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("a string that never ends (at character " + (start + 1) + ")");
                    }
                    char d = sql.charAt(i);
                    if (escapes && d == '\\') {
                        i += 2;
                    } else if (d == '\'' && i + 1 < n && sql.charAt(i + 1) == '\'') {
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else {
                        i++;
                    }
                }
                tokens.add(new Token(Type.STRING, sql.substring(start, i), start, i));
            } else if (c == '"') {
                i = sql.indexOf('"', i + 1);
                while (i >= 0 && i + 1 < n && sql.charAt(i + 1) == '"') {
                    i = sql.indexOf('"', i + 2);
                }
                if (i < 0) {
                    throw new IllegalArgumentException("a quoted identifier that never ends (at character " + (start + 1) + ")");
                }
                i++;
                tokens.add(new Token(Type.QUOTED_IDENTIFIER, sql.substring(start, i), start, i));
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                if (close < 0) {
                    throw new IllegalArgumentException("a " + tag + " string that never ends (at character " + (start + 1) + ")");
                }
                i = close + tag.length();
                tokens.add(new Token(Type.STRING, sql.substring(start, i), start, i));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new Token(Type.WORD, sql.substring(start, i), start, i));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Type.NUMBER, sql.substring(start, i), start, i));
            } else if (c == ';') {
                i++;
                tokens.add(new Token(Type.SEMICOLON, ";", start, i));
            } else {
                i++;
                tokens.add(new Token(Type.SYMBOL, String.valueOf(c), start, i));
            }
        }
        return tokens;
    }

    /** "$$" or "$tag$" starting at i, else null (a positional parameter such as $1 is not one). */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, j + 1);
        }
        return null;
    }

    /** The statements of a script, each as its text (without the semicolon), empty ones left out. */
    public static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        int from = 0;
        for (Token token : tokenize(sql)) {
            if (token.type() == Type.SEMICOLON) {
                add(statements, sql.substring(from, token.start()));
                from = token.end();
            }
        }
        add(statements, sql.substring(from));
        return statements;
    }

    private static void add(List<String> statements, String statement) {
        if (!tokenize(statement).isEmpty()) {
            statements.add(statement.strip());
        }
    }
}
