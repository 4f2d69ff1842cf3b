package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the cluster's topics hold, and which options go where. */
class ClusterRecordsTest {

    @Test
    void aSiteRecordReadsBackAndIsKeyedByItsAuthority() {
        SiteRecord r = new SiteRecord("s1-0", "s1", 42, 0, "http://Example.ORG:8080/", "crawl",
                List.of("--max-pages", "5", "--include", "a\"b"));
        SiteRecord normalized = new SiteRecord("s1-0", "s1", 42, 0, "http://example.org:8080/", "crawl", r.args());
        assertThat(SiteRecord.fromJson(normalized.toJson())).isEqualTo(normalized);
        assertThat(r.key()).isEqualTo("example.org:8080");
        assertThat(new SiteRecord("i", "s", 1, 0, "https://example.org/", "crawl", List.of()).key())
                .isEqualTo("example.org");
    }

    @Test
    void siteRecordsAreInSubmissionOrder() {
        List<SiteRecord> sites = new ArrayList<>(List.of(
                new SiteRecord("b-0", "b", 2, 0, "http://h/", "crawl", List.of()),
                new SiteRecord("a-1", "a", 1, 1, "http://h/", "crawl", List.of()),
                new SiteRecord("a-0", "a", 1, 0, "http://h/", "crawl", List.of())));
        sites.sort(SiteRecord.SUBMITTED);
        assertThat(sites).extracting(SiteRecord::id).containsExactly("a-0", "a-1", "b-0");
    }

    @Test
    void aRecordThatIsNotASiteSaysWhy() {
        String ok = "\"id\":\"i\",\"submission\":\"s\",\"submitted_ms\":1,\"index\":0,\"command\":\"crawl\"";
        assertThatThrownBy(() -> read("{not json")).hasMessageStartingWith("not JSON: ");
        assertThatThrownBy(() -> read("[1]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> read("{\"v\":2}")).hasMessage("not a site record of version 1 (\"v\": 2)");
        assertThatThrownBy(() -> read("{\"v\":1," + ok + ",\"url\":\"ftp://h/\"}"))
                .hasMessage("\"url\" is not a normalized http(s) URL: ftp://h/");
        assertThatThrownBy(() -> read("{\"v\":1," + ok + ",\"url\":\"http://h\"}"))
                .hasMessage("\"url\" is not a normalized http(s) URL: http://h");
        assertThatThrownBy(() -> read("{\"v\":1," + ok + ",\"url\":\"http://h/\",\"args\":[1]}"))
                .hasMessage("\"args\" must be an array of strings");
        assertThatThrownBy(() -> read("{\"v\":1,\"url\":\"http://h/\"}"))
                .hasMessage("\"submitted_ms\" and \"index\" must be integers");
        assertThatThrownBy(() -> read("{\"v\":1," + ok.replace("\"id\":\"i\"", "\"id\":\"\"") + ",\"url\":\"http://h/\"}"))
                .hasMessage("\"id\" must be a non-empty string");
        assertThatThrownBy(() -> read("{\"v\":1," + ok.replace("crawl", "mine") + ",\"url\":\"http://h/\"}"))
                .hasMessage("command must be crawl or check; was 'mine'");
        assertThatThrownBy(() -> SiteRecord.fromJson(null)).hasMessage("an empty record");
    }

    @Test
    void aDoneRecordReadsBack() {
        ResultRecords.Done d = new ResultRecords.Done("s-1", "http://h/", "att", "1@vm", "CLEAN", null, 10, 1, 999,
                "COMPLETED", 1234, 2, 3, 1);
        assertThat(ResultRecords.Done.fromJson(d.toJson())).isEqualTo(d);
        assertThatThrownBy(() -> ResultRecords.Done.fromJson("{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("not a done record");
    }

    @Test
    void aSitesOptionsTravelAsTheWordsGivenAndAWorkersAreRefused() {
        CommandLine cli = new CommandLine(new SubmitCommand());
        cli.parseArgs("--kafka", "h:1", "--max-pages", "5", "--include", "a", "--subdomains", "--include", "b",
                "--content", "markdown", "-H", "X-A: 1", "http://h/");
        assertThat(ClusterOptions.words(cli, ClusterOptions.SITE, java.util.Set.of("--sites"), "submit"))
                .containsExactly("--max-pages=5", "--include=a", "--include=b", "--subdomains", "--content=markdown",
                        "--header=X-A: 1");
        CommandLine worker = new CommandLine(new SubmitCommand());
        worker.parseArgs("--kafka", "h:1", "--timeout", "5s", "http://h/");
        assertThatThrownBy(() -> ClusterOptions.words(worker, ClusterOptions.SITE, java.util.Set.of(), "submit"))
                .hasMessage("--timeout is a worker's option: give it to loomcrawl worker, not to submit");
        CommandLine state = new CommandLine(new SubmitCommand());
        state.parseArgs("--kafka", "h:1", "--warc", "x.warc.gz", "http://h/");
        assertThatThrownBy(() -> ClusterOptions.words(state, ClusterOptions.SITE, java.util.Set.of(), "submit"))
                .hasMessage("--warc is not an option of a cluster's sites or workers");
    }

    private static SiteRecord read(String json) {
        return SiteRecord.fromJson(json.getBytes(StandardCharsets.UTF_8));
    }
}
