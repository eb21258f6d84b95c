package org.cnlearn.db.connection;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The passwords this run was given, and their masking in any text: a message of the driver's or of
 * Liquibase's may say back what it was given (a host name that held one, say), and every line the
 * goals and the launcher print passes through {@link #mask(String)}.
 * <p>
 * One registry per JVM, whichever class loader asks: the goals load this project's classes twice (the
 * Liquibase plugin's realm connects, Maven's extension realm prints). It lives among the system
 * properties as two functions of the JDK's types, whose {@code toString()} shows nothing.
 */
public final class Secrets {

    private static final String ADD = "cnlearn.secrets.add";
    private static final String MASK = "cnlearn.secrets.mask";
    static final String HIDDEN = "***";

    /**
     * A password this long is masked wherever it stands apart from letters and digits; a shorter one
     * (a developer's "postgres" or "test") only where a password is said back: "user:secret@host",
     * "password=secret", in quotes. Masked anywhere, it took "postgres" out of "as postgres" and "test"
     * out of "src/test/resources", and said nothing true.
     */
    private static final int ANYWHERE = 10;

    private Secrets() {
    }

    /** What a match keeps in front of the secret: its first group that matched ("password=", ":", a quote). */
    private static String before(MatchResult match) {
        for (int group = 1; group <= match.groupCount(); group++) {
            if (match.group(group) != null) {
                return match.group(group);
            }
        }
        return "";
    }

    private static Pattern apart(String secret) {
        return Pattern.compile("(?<![\\p{L}\\p{N}])()" + Pattern.quote(secret) + "(?![\\p{L}\\p{N}])");
    }

    private static Pattern asCredential(String secret) {
        String quoted = Pattern.quote(secret);
        return Pattern.compile("(:)" + quoted + "(?=@)|((?i:password)\\s*[=:]\\s*['\"]?)" + quoted + "(?![\\p{L}\\p{N}])"
                + "|(['\"])" + quoted + "(?=['\"])");
    }

    /** A password (or a user-info) this run was given: never printed from now on. */
    static void add(String secret) {
        if (secret != null && !secret.isEmpty()) {
            adder().accept(secret);
        }
    }

    /** The text with every known secret replaced by {@value #HIDDEN}. */
    public static String mask(String text) {
        return text == null ? null : masker().apply(text);
    }

    /** True when the text holds a known secret. */
    public static boolean holdsSecret(String text) {
        return text != null && !text.equals(mask(text));
    }

    /**
     * The failure as it is when no message in it holds a secret; else a copy whose every message is
     * masked (each cause likewise, with the same stack traces), of the JDK's classes: the original's
     * class name leads its message, as a stack trace would show it.
     */
    public static Throwable mask(Throwable failure) {
        boolean holds = false;
        for (Throwable t = failure; t != null && !holds; t = t.getCause()) {
            holds = holdsSecret(t.toString());
        }
        return holds ? copy(failure, 0) : failure;
    }

    private static Throwable copy(Throwable original, int depth) {
        if (original == null || depth > 20) {
            return null;
        }
        String text = mask(original.toString());
        Throwable cause = copy(original.getCause(), depth + 1);
        Throwable copy = original instanceof SQLException sql ? new SQLException(text, sql.getSQLState(), cause)
                : original instanceof RuntimeException ? new RuntimeException(text, cause) : new Exception(text, cause);
        copy.setStackTrace(original.getStackTrace());
        return copy;
    }

    private static Consumer<String> adder() {
        return registry(ADD);
    }

    private static UnaryOperator<String> masker() {
        return registry(MASK);
    }

    /** One of the registry's two functions, the registry made first if this JVM has none yet. */
    @SuppressWarnings("unchecked")
    private static <T> T registry(String key) {
        if (System.getProperties().get(key) == null) {
            create();
        }
        return (T) System.getProperties().get(key);
    }

    /** The registry, made once per JVM: the first class loader to get here makes both functions, on one set. */
    private static void create() {
        synchronized (System.getProperties()) {
            if (System.getProperties().get(MASK) != null) {
                return;
            }
            Set<String> secrets = ConcurrentHashMap.newKeySet();
            Consumer<String> add = secrets::add;
            UnaryOperator<String> mask = text -> {
                String masked = text;
                // the longest first: a secret may hold a shorter one
                for (String secret : secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
                    masked = (secret.length() >= ANYWHERE ? apart(secret) : asCredential(secret)).matcher(masked)
                            .replaceAll(match -> Matcher.quoteReplacement(before(match) + HIDDEN));
                }
                return masked;
            };
            System.getProperties().put(ADD, add);
            System.getProperties().put(MASK, mask);
        }
    }
}
