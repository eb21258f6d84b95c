package org.cnlearn.db.connection;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A PostgreSQL URL as people write it, made into what pgJDBC reads, with the user and the password
 * taken out of it (so the URL can be shown):
 * <ul>
 * <li>pgJDBC's own, {@code jdbc:postgresql://host:5432/db?user=…&password=…};</li>
 * <li>libpq's, which the application's SQLAlchemy URL is, {@code postgresql://user:password@host:5432/db}
 * ({@code postgres://} too), with or without {@code jdbc:} in front. pgJDBC has no user-info part: given
 * one, it would take {@code user:password@host} for a host name, and say it back in its error.</li>
 * </ul>
 * libpq's parameters whose pgJDBC name differs are translated; a parameter neither knows is refused,
 * never dropped in silence.
 */
record PostgresUrl(String jdbcUrl, String user, String password) {

    static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final Pattern LIBPQ_PREFIX = Pattern.compile("^(?:jdbc:)?postgres(?:ql)?://", Pattern.CASE_INSENSITIVE);
    /** One host or several (host:port,host:port), IPv6 literals in brackets: what may follow a user-info's '@'. */
    private static final Pattern HOSTS = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:,%]*");
    /** Any scheme's user-info (mysql://root:pw@host too), up to the last '@' that a host follows, for messages. */
    private static final Pattern USER_INFO = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.\\-]*://)[^\\s]*@(?=[A-Za-z0-9._\\-\\[\\]:,%]*(?:[/?\\s\"'),;]|$))");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("([?&;])password=([^&;\\s]*)", Pattern.CASE_INSENSITIVE);

    /** libpq's parameters by pgJDBC's names, where they differ. */
    private static final Map<String, String> LIBPQ_NAMES = Map.of(
            "application_name", "ApplicationName",
            "connect_timeout", "connectTimeout",
            "target_session_attrs", "targetServerType",
            "channel_binding", "channelBinding",
            "gssencmode", "gssEncMode",
            "sslnegotiation", "sslNegotiation",
            "keepalives", "tcpKeepAlive");
    /** libpq's target_session_attrs values as pgJDBC's targetServerType says them. */
    private static final Map<String, String> SESSION_ATTRS = Map.of("any", "any", "read-write", "primary", "primary", "primary",
            "read-only", "secondary", "standby", "secondary", "prefer-standby", "preferSecondary");
    private static final Set<String> PGJDBC_NAMES = Stream.of(org.postgresql.PGProperty.values())
            .map(org.postgresql.PGProperty::getName).collect(Collectors.toUnmodifiableSet());

    /** A URL this class reads: pgJDBC's, or libpq's with or without jdbc: in front. */
    static boolean isPostgres(String url) {
        return url != null && (url.startsWith(JDBC_PREFIX) || LIBPQ_PREFIX.matcher(url).find());
    }

    /**
     * The URL as pgJDBC reads it, and the user and password it held (null when it held none).
     *
     * @throws IllegalArgumentException why it cannot be used, in words that never hold its password
     */
    static PostgresUrl parse(String url) {
        Matcher libpq = LIBPQ_PREFIX.matcher(url);
        if (!libpq.find()) {
            if (!url.startsWith(JDBC_PREFIX)) {
                throw new IllegalArgumentException("it is not a PostgreSQL URL");
            }
            return fromJdbc(url); // jdbc:postgresql:db, jdbc:postgresql://?service=…
        }
        String rest = url.substring(libpq.end());
        int at = userInfoEnd(rest);
        boolean jdbc = url.regionMatches(true, 0, "jdbc:", 0, 5);
        if (at < 0 && jdbc && url.startsWith("jdbc:postgresql://")) {
            return fromJdbc(url); // pgJDBC's own form, as before
        }
        String user = null;
        String password = null;
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            user = emptyToNull(percentDecode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            password = colon < 0 ? null : emptyToNull(percentDecode(userInfo.substring(colon + 1)));
            if (password != null) {
                // as typed too (percent-encoded), before anything can fail and say it: no message shows either
                Secrets.add(userInfo.substring(colon + 1));
                Secrets.add(password);
            }
            rest = rest.substring(at + 1);
        }
        int pathStart = firstOf(rest, '/', '?');
        String hosts = rest.substring(0, pathStart);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("it names no host (libpq would use a Unix socket, which pgJDBC does not): give"
                    + " host:port, as in postgresql://user@localhost:5432/cnlearn");
        }
        if (!HOSTS.matcher(hosts).matches() || hosts.contains("%")) {
            throw new IllegalArgumentException("its host part is not a host name, address or list of them");
        }
        String tail = rest.substring(pathStart);
        int query = tail.indexOf('?');
        String database = query < 0 ? tail : tail.substring(0, query);
        database = database.startsWith("/") ? database.substring(1) : database;
        List<String> parameters = new ArrayList<>();
        if (query >= 0) {
            for (String pair : tail.substring(query + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                switch (name) {
                    case "user" -> user = requireOnce(user, percentDecode(value), "the user");
                    case "password" -> {
                        Secrets.add(value);
                        password = requireOnce(password, percentDecode(value), "the password");
                    }
                    case "dbname" -> {
                        if (!database.isEmpty()) {
                            throw new IllegalArgumentException("it names the database twice, in its path and in dbname=");
                        }
                        database = value;
                    }
                    case "host", "hostaddr", "port" -> throw new IllegalArgumentException("it gives " + name + "= as a parameter:"
                            + " write the host and port in the URL itself, postgresql://user@host:5432/cnlearn");
                    default -> parameters.add(translate(name, value));
                }
            }
        }
        String jdbcUrl = "jdbc:postgresql://" + hosts + "/" + database + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
        return new PostgresUrl(jdbcUrl, user, password);
    }

    /** pgJDBC's URL: a password= and user= come out of it, so that the URL can be shown. */
    private static PostgresUrl fromJdbc(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return new PostgresUrl(url, null, null);
        }
        String user = null;
        String password = null;
        List<String> kept = new ArrayList<>();
        for (String pair : url.substring(query + 1).split("[&;]")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            String value = pair.substring(name.length() + (pair.contains("=") ? 1 : 0));
            if (name.equalsIgnoreCase("password")) {
                Secrets.add(value);
                password = emptyToNull(URLDecoder.decode(value, StandardCharsets.UTF_8));
            } else if (name.equals("user")) {
                user = emptyToNull(URLDecoder.decode(value, StandardCharsets.UTF_8));
            } else if (!pair.isEmpty()) {
                kept.add(pair);
            }
        }
        return new PostgresUrl(url.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept)), user, password);
    }

    /**
     * Where the user-info ends (its '@'), or -1: the last '@' that a host list and then the database's '/'
     * follow (so a password may hold an unescaped '/', '?' or '@'); else the last '@' before the path.
     */
    private static int userInfoEnd(String rest) {
        for (int i = rest.lastIndexOf('@'); i >= 0; i = rest.lastIndexOf('@', i - 1)) {
            String after = rest.substring(i + 1);
            int end = firstOf(after, '/', '?');
            if (end > 0 && end < after.length() && after.charAt(end) == '/' && HOSTS.matcher(after.substring(0, end)).matches()) {
                return i;
            }
        }
        int authorityEnd = firstOf(rest, '/', '?');
        return authorityEnd == 0 ? -1 : rest.lastIndexOf('@', authorityEnd - 1);
    }

    private static String translate(String name, String value) {
        String pgjdbc = LIBPQ_NAMES.get(name);
        if (pgjdbc == null) {
            if (PGJDBC_NAMES.contains(name)) {
                return name + "=" + value; // the same name in both (sslmode, sslrootcert, options, service…), or pgJDBC's own
            }
            throw new IllegalArgumentException("its parameter " + name + "= is neither libpq's nor pgJDBC's, as far as cnlearn-db"
                    + " knows: leave it out, or give pgJDBC's name for it (docs/configuration.md#url-forms)");
        }
        String translated = value;
        if (name.equals("target_session_attrs")) {
            translated = SESSION_ATTRS.get(value);
            if (translated == null) {
                throw new IllegalArgumentException("target_session_attrs=" + value + " is not one of " + SESSION_ATTRS.keySet());
            }
        } else if (name.equals("keepalives")) {
            translated = value.equals("0") ? "false" : "true";
        }
        return pgjdbc + "=" + translated;
    }

    private static String requireOnce(String before, String now, String what) {
        if (before != null && !before.equals(now)) {
            throw new IllegalArgumentException("it gives " + what + " twice, differently");
        }
        return emptyToNull(now);
    }

    /** libpq's decoding: %XX only ('+' is a plus); a '%' not followed by two hex digits stays as it is. */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int end = i + Character.charCount(text.codePointAt(i));
                bytes.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static int firstOf(String text, char a, char b) {
        int first = text.length();
        int i = text.indexOf(a);
        if (i >= 0) {
            first = i;
        }
        i = text.indexOf(b);
        if (i >= 0 && i < first) {
            first = i;
        }
        return first;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The text with every URL's password parameter and user-info hidden. */
    static String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = PASSWORD_PARAMETER.matcher(text).replaceAll("$1password=" + Secrets.HIDDEN);
        return USER_INFO.matcher(redacted).replaceAll("$1" + Secrets.HIDDEN + "@");
    }
}
