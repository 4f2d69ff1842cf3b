package dev.loomcrawl.cli;

import static dev.loomcrawl.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code loomcrawl check}: verdicts, every report format parsed back, exit codes. */
class CheckCommandTest {

    private FaultServer site;
    private FaultServer stub;



    @BeforeEach
    void start() throws Exception {
        site = FaultServer.start();
        stub = FaultServer.start();
        String ext = "http://localhost:" + stub.port();
        site.serve(Map.of(
                "/", Resource.html("<!doctype html>\n<a href=/ok>Fine, \"quoted\"</a>\n<a href=/missing>Gone</a>\n"
                        + "<a href=/ok#nowhere>Nowhere</a>\n<a href=/private>Private</a>\n<a href=" + ext + "/page>Stub</a>\n"
                        + "<a href=/moved>Moved</a>"),
                "/ok", Resource.html("<p id=here>ok <a href=/>home</a>"),
                "/moved", Resource.redirect(302, "/ok"),
                "/private", Resource.of(403, "text/html", "no".getBytes())));
        stub.route("/page", Fault.refusingHead(Fault.serve(Resource.html("stub"))));
    }

    @AfterEach
    void stop() {
        site.close();
        stub.close();
    }

    @Test
    void brokenLinksFailTheCheckWithExitCode5AndTheTextReportSaysWhere() {
        Run r = run("check", site.url("/"));
        assertThat(r.code()).isEqualTo(5);
        String home = site.url("/");
        assertThat(r.out()).isEqualTo("""
                7 links on 2 pages: 2 failing (broken 1, broken-anchor 1); ok 3, redirected 1, blocked 1

                Failing: 2 targets, 2 links

                broken 404  %1$smissing  (1 link)
                  %1$s line 3  /missing  "Gone"

                broken-anchor 200  %1$sok#nowhere  (1 link; no id or name 'nowhere')
                  %1$s line 4  /ok#nowhere  "Nowhere"

                Not failing: 2 targets, 2 links

                redirected 200  %1$smoved  (1 link; %1$smoved -> %1$sok)
                  %1$s line 7  /moved  "Moved"

                blocked 403  %1$sprivate  (1 link)
                  %1$s line 5  /private  "Private"
                """.formatted(home));
        assertThat(r.err()).contains("loomcrawl: 7 links on 2 pages: 2 failing");
    }

    @Test
    void anOutputThatCannotBeWrittenStopsTheRunBeforeItChangesAnything(@TempDir Path dir) throws Exception {
        Path kept = dir.resolve("kept.jsonl");
        Files.writeString(kept, "an earlier report\n");
        Path state = dir.resolve("state");
        for (Path unwritable : List.of(dir.resolve("no-such-dir").resolve("r.csv"), dir)) {
            Run r = run("check", site.url("/"), "--state", state.toString(), "--format", "jsonl", "-o", kept.toString(),
                    "--format", "csv", "-o", unwritable.toString());
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).startsWith("loomcrawl: cannot write output file '" + unwritable + "': ").hasLineCount(1);
            assertThat(kept).as("the writable output is not emptied").hasContent("an earlier report");
            assertThat(state).as("no state is created").doesNotExist();
            assertThat(site.requestLog()).as("nothing is requested").isEmpty();
        }
        Run crawl = run("crawl", site.url("/"), "--state", state.toString(), "--warc",
                dir.resolve("missing").resolve("site.warc.gz").toString());
        assertThat(crawl.code()).isEqualTo(4);
        assertThat(state).doesNotExist();

        Run fixed = run("check", site.url("/"), "--state", state.toString(), "--format", "jsonl", "-o", kept.toString());
        assertThat(fixed.code()).as("the next run is not refused for an unfinished one").isEqualTo(5);
    }

    @Test
    void failOnWidensWhatFailsAndACleanSiteIsExitCode0() {
        site.serve(Map.of("/", Resource.html("<a href=/private>p</a>")));
        assertThat(run("check", site.url("/")).code()).isZero();
        assertThat(run("check", site.url("/"), "--fail-on", "blocked,timeout").code()).isEqualTo(5);
    }

    @Test
    void everyFormatParsesBackWithTheSameVerdicts(@TempDir Path dir) throws Exception {
        Path jsonl = dir.resolve("r.jsonl");
        Path csv = dir.resolve("r.csv");
        Path md = dir.resolve("r.md");
        Path junit = dir.resolve("r.xml");
        Run r = run("check", site.url("/"), "--format", "jsonl", "-o", jsonl.toString(), "--format", "csv", "-o",
                csv.toString(), "--format", "markdown", "-o", md.toString(), "--format", "junit", "-o", junit.toString(),
                "--format", "text");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.out()).startsWith("7 links on 2 pages");

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> objects = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            objects.add(json.readTree(line));
        }
        assertThat(objects).extracting(o -> o.get("verdict").asText()).containsExactly(
                "ok", "broken", "broken-anchor", "blocked", "ok", "redirected", "ok");
        JsonNode missing = objects.get(1);
        assertThat(missing.get("source").asText()).isEqualTo(site.url("/"));
        assertThat(missing.get("line").asInt()).isEqualTo(3);
        assertThat(missing.get("text").asText()).isEqualTo("Gone");
        assertThat(missing.get("href").asText()).isEqualTo("/missing");
        assertThat(missing.get("status").asInt()).isEqualTo(404);
        assertThat(missing.get("failing").asBoolean()).isTrue();
        assertThat(objects.get(4).get("external").asBoolean()).isTrue();
        assertThat(objects.get(6).get("source").asText()).isEqualTo(site.url("/ok")).as("the fragment's page");

        List<List<String>> rows = readCsv(Files.readString(csv));
        assertThat(rows.getFirst()).containsExactly("source", "line", "element", "href", "url", "text", "verdict", "status",
                "detail", "external", "failing");
        assertThat(rows).hasSize(8);
        assertThat(rows.get(1)).containsExactly(site.url("/"), "2", "a[href]", "/ok", site.url("/ok"),
                "Fine, \"quoted\"", "ok", "200", "", "false", "false");
        assertThat(rows.get(2).get(6)).isEqualTo("broken");

        assertThat(Files.readString(md)).startsWith("## loomcrawl link check\n\n7 links on 2 pages: 2 failing")
                .contains("| broken | 1 |", "| " + site.url("/missing") + " | **broken** 404 | 1 | " + site.url("/") + " line 3 |  |");

        validate(junit, "junit-ant.xsd"); // throws when invalid
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        Element suites = xml.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        Element suite = (Element) suites.getElementsByTagName("testsuite").item(0);
        // a failing case per failing target, a passing one per page with no failing link (/ok)
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("name")).isEqualTo(site.url("/"));
        NodeList cases = xml.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(3);
        Element broken = (Element) cases.item(0);
        assertThat(broken.getAttribute("classname")).isEqualTo("links");
        assertThat(broken.getAttribute("name")).isEqualTo(site.url("/missing"));
        Element failure = (Element) broken.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("broken");
        assertThat(failure.getAttribute("message")).isEqualTo("broken 404, 1 link");
        assertThat(failure.getTextContent()).contains("line 3", "(Gone)");
        Element clean = (Element) cases.item(2);
        assertThat(clean.getAttribute("classname")).isEqualTo("pages");
        assertThat(clean.getAttribute("name")).isEqualTo(site.url("/ok"));
        assertThat(clean.getElementsByTagName("failure").getLength()).isZero();
    }

    @Test
    void sarifAndSitemapParseBack(@TempDir Path dir) throws Exception {
        Path sarif = dir.resolve("r.sarif");
        Path sitemap = dir.resolve("sitemap.xml");
        Run r = run("check", site.url("/"), "--format", "sarif", "-o", sarif.toString(), "--format", "sitemap", "-o",
                sitemap.toString());
        assertThat(r.code()).isEqualTo(5);
        assertThat(schemaErrors(sarif)).isEmpty();
        Path wrong = dir.resolve("wrong.sarif");
        Files.writeString(wrong, Files.readString(sarif).replace("\"startLine\":3", "\"startLine\":\"three\""));
        assertThat(schemaErrors(wrong)).as("the validator does find mistakes").isNotEmpty();
        JsonNode log = new ObjectMapper().readTree(sarif.toFile());
        assertThat(log.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = log.get("runs").get(0);
        assertThat(run.at("/tool/driver/name").asText()).isEqualTo("loomcrawl");
        List<String> rules = new ArrayList<>();
        run.at("/tool/driver/rules").forEach(rule -> rules.add(rule.get("id").asText()));
        assertThat(rules).contains("broken", "broken-anchor", "blocked", "redirected");
        JsonNode results = run.get("results");
        assertThat(results).hasSize(4); // one per target: broken, broken-anchor, then redirected, blocked
        JsonNode broken = results.get(0);
        assertThat(broken.get("ruleId").asText()).isEqualTo("broken");
        assertThat(rules.get(broken.get("ruleIndex").asInt())).isEqualTo("broken");
        assertThat(broken.get("level").asText()).isEqualTo("error");
        assertThat(broken.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo(site.url("/"));
        assertThat(broken.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(3);
        assertThat(broken.at("/message/text").asText()).contains("/missing", "broken 404");
        assertThat(results.get(3).get("ruleId").asText()).isEqualTo("blocked");
        assertThat(results.get(3).get("level").asText()).as("blocked does not fail by default").isEqualTo("note");

        validate(sitemap, "sitemap.xsd"); // throws when invalid
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document map = factory.newDocumentBuilder().parse(sitemap.toFile());
        Element urlset = map.getDocumentElement();
        assertThat(urlset.getLocalName()).isEqualTo("urlset");
        assertThat(urlset.getNamespaceURI()).isEqualTo("http://www.sitemaps.org/schemas/sitemap/0.9");
        NodeList locs = map.getElementsByTagNameNS("http://www.sitemaps.org/schemas/sitemap/0.9", "loc");
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < locs.getLength(); i++) {
            assertThat(locs.item(i).getParentNode().getLocalName()).isEqualTo("url");
            urls.add(locs.item(i).getTextContent());
        }
        assertThat(urls).containsExactly(site.url("/"), site.url("/ok")).allMatch(u -> u.length() <= 2048);
    }

    /** A page with a link of every verdict, reported in every format: each format says the same. */
    @Test
    void everyVerdictInEveryFormat(@TempDir Path dir) throws Exception {
        String ext = "http://localhost:" + stub.port();
        site.serve(Map.of(
                "/robots.txt", Resource.of(200, "text/plain", "User-agent: *\nDisallow: /secret/\n".getBytes()),
                "/", Resource.html("<p id=top>\n<a href=/ok>ok</a>\n<a href=/moved>redirected</a>\n<a href=/missing>broken</a>\n"
                        + "<a href=/private>blocked</a>\n<a href=/slow>timeout</a>\n<a href=/secret/x>excluded</a>\n"
                        + "<a href='http://[bad'>invalid</a>\n<a href=#nowhere>broken-anchor</a>\n<a href=" + ext + "/page>stub</a>"),
                "/ok", Resource.html("ok"),
                "/moved", Resource.redirect(302, "/ok"),
                "/private", Resource.of(403, "text/html", "no".getBytes())));
        site.route("/slow", Fault.stallBeforeHeaders());
        List<String> expected = List.of("ok", "redirected", "broken", "blocked", "timeout", "excluded", "invalid",
                "broken-anchor", "ok");
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        List<String> args = new ArrayList<>(List.of("check", site.url("/"), "--first-byte-timeout", "300ms", "--retries", "0"));
        for (String format : List.of("jsonl", "csv", "markdown", "junit", "sarif", "html", "text")) {
            Path file = dir.resolve("report." + format);
            files.put(format, file);
            args.addAll(List.of("--format", format, "-o", file.toString()));
        }
        Run r = run(args.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(5);

        List<String> fromJsonl = new ArrayList<>();
        for (String line : Files.readAllLines(files.get("jsonl"))) {
            fromJsonl.add(new ObjectMapper().readTree(line).get("verdict").asText());
        }
        assertThat(fromJsonl).containsExactlyElementsOf(expected);

        List<List<String>> rows = readCsv(Files.readString(files.get("csv")));
        assertThat(rows.subList(1, rows.size()).stream().map(row -> row.get(6)).toList()).containsExactlyElementsOf(expected);
        assertThat(rows.subList(1, rows.size()).stream().map(row -> row.get(1)).toList())
                .containsExactly("2", "3", "4", "5", "6", "7", "8", "9", "10");

        String md = Files.readString(files.get("markdown"));
        for (String v : List.of("redirected", "broken", "blocked", "timeout", "excluded", "invalid", "broken-anchor")) {
            assertThat(md).contains("| " + v + " | 1 |");
        }
        assertThat(md).contains("| ok | 2 |");

        validate(files.get("junit"), "junit-ant.xsd"); // throws when invalid
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(files.get("junit").toFile());
        NodeList cases = junit.getElementsByTagName("testcase");
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            NodeList failure = c.getElementsByTagName("failure");
            outcomes.add(failure.getLength() > 0 ? ((Element) failure.item(0)).getAttribute("type") : "passed");
        }
        // a case per failing target, and none for the one page, which fails; system-out counts the others
        assertThat(outcomes).containsExactly("broken", "invalid", "broken-anchor");
        assertThat(junit.getElementsByTagName("system-out").item(0).getTextContent())
                .isEqualTo("Links neither ok nor failing, not test cases: redirected 1, blocked 1, timeout 1, excluded 1 "
                        + "(the jsonl and csv reports list every link)");

        assertThat(schemaErrors(files.get("sarif"))).isEmpty();
        JsonNode sarif = new ObjectMapper().readTree(files.get("sarif").toFile());
        List<String> ruleIds = new ArrayList<>();
        sarif.at("/runs/0/results").forEach(result -> ruleIds.add(result.get("ruleId").asText()));
        assertThat(ruleIds).containsExactly("broken", "invalid", "broken-anchor", "redirected", "blocked", "timeout");

        org.jsoup.nodes.Document html = org.jsoup.Jsoup.parse(files.get("html").toFile());
        for (String v : expected) {
            assertThat(html.getElementById("count-" + v).text()).isEqualTo(v.equals("ok") ? "2" : "1");
        }
        assertThat(Files.readString(files.get("text"))).contains("9 links on 1 pages: 3 failing (broken 1, invalid 1, broken-anchor 1)");
    }

    /** Validates {@code file} against the published XML schema {@code name}; throws what it finds wrong. */
    private static void validate(Path file, String name) throws Exception {
        javax.xml.validation.SchemaFactory.newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(schema(name).toFile()).newValidator()
                .validate(new javax.xml.transform.stream.StreamSource(file.toFile()));
    }

    /** The published schemas, which ./test fetches (scripts/test-deps.sh). */
    private static Path schema(String name) {
        Path file = Path.of(System.getProperty("loomcrawl.schemas", System.getProperty("user.home") + "/.cache/loomcrawl/schemas"), name);
        assertThat(file).as("the published schema %s; ./test fetches it from npm", name).exists();
        return file;
    }

    /** What the SARIF 2.1.0 JSON schema finds wrong in {@code file}. */
    private static List<String> schemaErrors(Path file) throws Exception {
        com.networknt.schema.Schema sarif = com.networknt.schema.SchemaRegistry
                .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_4)
                .getSchema(Files.readString(schema("sarif-2.1.0.json")));
        return sarif.validate(Files.readString(file), com.networknt.schema.InputFormat.JSON).stream()
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    /** RFC 4180, enough for the report: quoted fields, doubled quotes, CRLF rows. */
    private static List<List<String>> readCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++; // the \n
            } else {
                field.append(c);
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "check http://127.0.0.1:1/ --format pdf | format must be one of text, jsonl, csv, markdown, junit, sarif, sitemap, html",
        "check http://127.0.0.1:1/ --fail-on sometimes | unknown verdict 'sometimes'",
        "check http://127.0.0.1:1/ --format text --format csv | only one --format can go to stdout",
        "check http://127.0.0.1:1/ -o a.txt -o b.txt | --output given 2 times for 1 --format",
        "check not-a-url | invalid URL 'not-a-url'",
    })
    void badInputIsExitCode2(String args, String message) {
        Run r = run(args.split(" "));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("loomcrawl: ").contains(message).doesNotContain("Exception");
    }

    @Test
    void anUnreachableStartIsExitCode3() throws Exception {
        int port;
        try (FaultServer gone = FaultServer.start()) {
            port = gone.port();
        }
        Run r = run("check", "http://127.0.0.1:" + port + "/", "--retries", "0");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("loomcrawl: start URL unreachable: http://127.0.0.1:" + port + "/: connection refused\n");
    }

    @Test
    void noExternalLeavesOtherHostsAlone() {
        Run r = run("check", site.url("/"), "--no-external", "--format", "jsonl");
        assertThat(r.out()).contains("\"href\":\"http://localhost:" + stub.port() + "/page\"")
                .contains("\"verdict\":\"excluded\"");
        assertThat(stub.requestLog()).isEmpty();
    }
}
