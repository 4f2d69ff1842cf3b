package dev.loomcrawl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loomcrawl.crawl.StopReason;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The records of a cluster's results topic. Each is keyed by the site's id and carries two headers: {@code type}
 * and {@code attempt} (one owner's run of the site, a random id). The types:
 * <ul>
 *   <li>{@code page}: one entry of the site's journal ({@code CrawlStore.journal}), a fetched page as its store
 *       recorded it: the checkpoint that a new owner of the site restores, so pages published are recalled, not
 *       requested again;</li>
 *   <li>{@code output}: a piece of the site's output (jsonl with {@code site}: a crawl's records, or a check's
 *       rows), at most
 *       {@value #CHUNK} bytes, in order;</li>
 *   <li>{@code done}: the site finished; a JSON object ({@link Done}) with its summary and how many output pieces
 *       before it, of the same attempt, make its output.</li>
 * </ul>
 * An attempt's pieces and its done record are written in one transaction, so a reader that sees the done record
 * sees every piece. The first done record of a site is its result; a later one (a second attempt that overlapped
 * a fenced owner's) is ignored.
 */
final class ResultRecords {

    static final String PAGE = "page";
    static final String OUTPUT = "output";
    static final String DONE = "done";
    /** The largest piece of a site's output in one record. */
    static final int CHUNK = 512 << 10;

    private ResultRecords() {}

    /**
     * A site's end, as its done record says it.
     *
     * @param result how it went ({@code CLEAN}, {@code START_FAILED}, {@code CUT_SHORT})
     * @param problem why it did not finish cleanly, or {@code null}
     * @param chunks how many output pieces of the attempt make its output
     * @param recalled pages restored from the journal of earlier attempts
     * @param failing for a check, its failing links (by its {@code --fail-on}); 0 for a crawl
     */
    record Done(String id, String url, String attempt, String worker, String result, String problem, long pages,
                long errors, long bytes, String stopReason, long elapsedMillis, int chunks, long recalled,
                long failing) {

        /** The end of a site that gives no output: its options did not parse, or it failed on its worker. */
        static Done without(String id, String url, String attempt, String worker, ManySites.Result result,
                            String problem, StopReason stopReason) {
            return new Done(id, url, attempt, worker, result.name(), problem, 0, 0, 0, stopReason.name(), 0, 0, 0, 0);
        }

        byte[] toJson() {
            ObjectNode o = SiteRecord.JSON.createObjectNode();
            o.put("id", id);
            o.put("url", url);
            o.put("attempt", attempt);
            o.put("worker", worker);
            o.put("result", result);
            o.put("problem", problem);
            o.put("pages", pages);
            o.put("errors", errors);
            o.put("bytes", bytes);
            o.put("stop_reason", stopReason);
            o.put("elapsed_ms", elapsedMillis);
            o.put("chunks", chunks);
            o.put("recalled", recalled);
            o.put("failing", failing);
            return o.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Reads a done record; {@code IllegalArgumentException} when it is not one. */
        static Done fromJson(byte[] value) {
            try {
                JsonNode o = SiteRecord.JSON.readTree(value);
                return new Done(o.get("id").asText(), o.get("url").asText(), o.get("attempt").asText(),
                        o.get("worker").asText(), o.get("result").asText(), o.get("problem").isNull() ? null
                        : o.get("problem").asText(), o.get("pages").asLong(), o.get("errors").asLong(),
                        o.get("bytes").asLong(), o.get("stop_reason").asText(), o.get("elapsed_ms").asLong(),
                        o.get("chunks").asInt(), o.get("recalled").asLong(),
                        o.get("failing").asLong());
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("not a done record: " + e.getMessage());
            }
        }
    }

    /** The value of header {@code name}, or {@code null}. */
    static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
