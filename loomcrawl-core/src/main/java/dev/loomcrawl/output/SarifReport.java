package dev.loomcrawl.output;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.LinkTarget;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.Version;
import dev.loomcrawl.internal.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;

/**
 * SARIF 2.1.0, for code-scanning dashboards: one rule per verdict, one result per listed target (level
 * {@code error} when its verdict fails, {@code note} otherwise), located at its first link, with up to
 * {@value CheckFormat#FAILURE_LINKS} more of its links as related locations.
 */
final class SarifReport {

    private SarifReport() {}

    static void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out) throws IOException {
        StringBuilder b = new StringBuilder(4096);
        b.append("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{")
                .append("\"tool\":{\"driver\":{\"name\":\"loomcrawl\",\"version\":");
        Json.string(b, Version.current());
        b.append(",\"rules\":[");
        Verdict[] verdicts = Verdict.values();
        for (int i = 0; i < verdicts.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":");
            Json.string(b, verdicts[i].label());
            b.append(",\"shortDescription\":{\"text\":");
            Json.string(b, "Link verdict: " + verdicts[i].label());
            b.append("}}");
        }
        b.append("]}},");
        if (report.partial()) {
            b.append("\"invocations\":[{\"executionSuccessful\":false,\"exitCodeDescription\":");
            Json.string(b, CheckFormat.partial(report));
            b.append("}],");
        }
        b.append("\"results\":[");
        boolean first = true;
        for (LinkTarget t : report.targets(CheckFormat.listed(failing, shown), failing)) {
            b.append(first ? "" : ",").append("{\"ruleId\":");
            first = false;
            Json.string(b, t.verdict().label());
            b.append(",\"ruleIndex\":").append(t.verdict().ordinal());
            b.append(",\"level\":\"").append(failing.contains(t.verdict()) ? "error" : "note").append("\",\"message\":{\"text\":");
            Json.string(b, t.target() + ": " + CheckFormat.message(t));
            b.append("},\"locations\":[");
            location(b, t.links().getFirst(), -1);
            b.append("]");
            List<LinkCheck> more = t.links().subList(1, Math.min(CheckFormat.FAILURE_LINKS + 1, t.links().size()));
            if (!more.isEmpty()) {
                b.append(",\"relatedLocations\":[");
                for (int i = 0; i < more.size(); i++) {
                    b.append(i == 0 ? "" : ",");
                    location(b, more.get(i), i + 1);
                }
                b.append("]");
            }
            b.append("}");
        }
        b.append("]}]}\n");
        out.write(b.toString());
    }

    private static void location(StringBuilder b, LinkCheck l, int id) {
        b.append("{");
        if (id >= 0) {
            b.append("\"id\":").append(id).append(",");
        }
        b.append("\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
        Json.string(b, l.source());
        b.append("},\"region\":{\"startLine\":").append(Math.max(1, l.line())).append("}},\"message\":{\"text\":");
        Json.string(b, l.element() + " \"" + l.href() + "\"" + (l.text().isEmpty() ? "" : " (" + l.text() + ")"));
        b.append("}}");
    }
}
