package org.cnlearn.db.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import liquibase.command.CommandResultsBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * A report as data (-Dcnlearn.format=json, the launcher's --format=json; docs/ci.md): one JSON object that
 * opens with {@code "report"} (which report: status, validate, plan…) and {@code "version"}, then the report's
 * own fields. Written with Jackson's streaming writer.
 */
public final class JsonDocument {

    /** The shapes' version: raised when a field changes meaning or goes, not when one is added. */
    public static final int VERSION = 1;

    /** Writes a report's own fields. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private JsonDocument() {
    }

    /** The report, pretty-printed, ending with a line break. */
    public static String of(String report, Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("report", report);
            json.writeNumberField("version", VERSION);
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    /** The document on a Liquibase command's output: standard output, for the goals and the launcher. */
    public static void write(CommandResultsBuilder results, String document) throws IOException {
        OutputStream out = results.getOutputStream() != null ? results.getOutputStream() : System.out;
        out.write(document.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A field holding a list of strings. */
    public static void strings(JsonGenerator json, String field, Collection<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
