package dev.loomcrawl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One site submitted to a cluster, as a record of the sites topic: a JSON object with {@code v} (1), {@code id}
 * (unique: the submission's id and the site's index in it), {@code submission}, {@code submitted_ms}, {@code index},
 * {@code url} (the normalized start URL), {@code command} ({@code crawl} or {@code check}) and {@code args}, the site's own options
 * as command-line words ({@code --max-pages 100}), which a worker puts after its own. The record's key is the URL's
 * authority (host and port), so every site of a host goes to one partition.
 */
record SiteRecord(String id, String submission, long submittedMillis, int index, String url, String command,
                  List<String> args) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Submission order: by submission time, then submission, then place in the submission. */
    static final Comparator<SiteRecord> SUBMITTED = Comparator.comparingLong(SiteRecord::submittedMillis)
            .thenComparing(SiteRecord::submission).thenComparingInt(SiteRecord::index);

    SiteRecord {
        args = List.copyOf(args);
        if (!command.equals("crawl") && !command.equals("check")) {
            throw new IllegalArgumentException("command must be crawl or check; was '" + command + "'");
        }
    }

    /**
     * The record's key: the authority of its URL, host and port (when the URL gives one), in lower case, as the
     * site's name is {@code HOST[_PORT]} elsewhere.
     */
    String key() {
        String authority = URI.create(url).getRawAuthority();
        return authority == null ? url : authority.toLowerCase(Locale.ROOT);
    }

    byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", 1);
        o.put("id", id);
        o.put("submission", submission);
        o.put("submitted_ms", submittedMillis);
        o.put("index", index);
        o.put("url", url);
        o.put("command", command);
        ArrayNode a = o.putArray("args");
        args.forEach(a::add);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a record of the sites topic.
     *
     * @throws IllegalArgumentException naming what is wrong, when it is not a site record of version 1
     */
    static SiteRecord fromJson(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("an empty record");
        }
        JsonNode o;
        try {
            o = JSON.readTree(value);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (o.path("v").asInt(-1) != 1) {
            throw new IllegalArgumentException("not a site record of version 1 (\"v\": " + o.get("v") + ")");
        }
        List<String> args = new ArrayList<>();
        JsonNode a = o.path("args");
        if (!a.isMissingNode() && !a.isArray()) {
            throw new IllegalArgumentException("\"args\" must be an array of strings");
        }
        for (JsonNode n : a) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException("\"args\" must be an array of strings");
            }
            args.add(n.asText());
        }
        String url = text(o, "url");
        String start = SiteList.of(List.of(url), null, null).getFirst().start();
        if (start == null || !start.equals(url)) {
            throw new IllegalArgumentException("\"url\" is not a normalized http(s) URL: " + url);
        }
        if (!o.path("submitted_ms").isIntegralNumber() || !o.path("index").isInt()) {
            throw new IllegalArgumentException("\"submitted_ms\" and \"index\" must be integers");
        }
        return new SiteRecord(text(o, "id"), text(o, "submission"), o.get("submitted_ms").asLong(),
                o.get("index").asInt(), url, text(o, "command"), args);
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string");
        }
        return n.asText();
    }
}
