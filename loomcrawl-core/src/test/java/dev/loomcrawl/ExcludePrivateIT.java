package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * --exclude-private end to end, on loopback, a refused range that is harmless to reach if the guard fails: the site
 * (its own host exempt) links to and redirects to "localhost", another server on loopback, which must never be
 * asked anything.
 */
@Timeout(60)
class ExcludePrivateIT {

    private FaultServer site;
    private FaultServer internal;

    @BeforeEach
    void start() throws Exception {
        site = FaultServer.start();
        internal = FaultServer.start();
        String inside = "http://localhost:" + internal.port();
        site.serve(Map.of(
                "/", Resource.html("<a href=" + inside + "/admin>admin</a>\n<a href=/jump>jump</a>\n<a href=/ok>ok</a>"),
                "/jump", Resource.redirect(302, inside + "/metadata"),
                "/ok", Resource.html("ok")));
        internal.serve(Map.of("/admin", Resource.html("secret"), "/metadata", Resource.html("token")));
    }

    @AfterEach
    void stop() {
        site.close();
        internal.close();
    }

    @Test
    void aCheckNeverAsksAnInternalAddressAndCallsSuchLinksExcluded() {
        CheckReport report = LinkChecker.builder()
                .crawler(Crawler.builder().concurrency(4).retries(2).excludePrivate(true).build())
                .build().check(site.url("/"));
        assertThat(internal.requestLog()).as("nothing reached the internal server").isEmpty();
        assertThat(report.links()).extracting(LinkCheck::text, LinkCheck::verdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple("admin", Verdict.EXCLUDED),
                org.assertj.core.groups.Tuple.tuple("jump", Verdict.EXCLUDED),
                org.assertj.core.groups.Tuple.tuple("ok", Verdict.OK));
        assertThat(report.links().getFirst().detail())
                .isEqualTo("not requested: private address (loopback 127.0.0.1, --exclude-private)");
        assertThat(report.links().get(1).detail()).contains("/jump -> ", "/metadata: not requested: private address");
    }

    @Test
    void withoutTheOptionTheSameLinksReachTheInternalServer() {
        CheckReport open = LinkChecker.builder().crawler(Crawler.builder().concurrency(4).build()).build()
                .check(site.url("/"));
        assertThat(open.links()).extracting(LinkCheck::verdict).containsExactly(Verdict.OK, Verdict.REDIRECTED, Verdict.OK);
        assertThat(internal.requestLog()).as("the guard was what kept them out").isNotEmpty();
    }
}
