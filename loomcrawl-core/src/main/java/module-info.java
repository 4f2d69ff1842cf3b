/**
 * loomcrawl, the library: a fast, polite, concurrent crawler of one site.
 *
 * <p>Five packages make its API: {@link dev.loomcrawl} (the {@code Crawler} and {@code LinkChecker} with their
 * builders), {@code dev.loomcrawl.crawl} (what a crawl reports and the contracts it calls: pages, summary, sink,
 * inspector, stop reasons, stall reports, the clock), {@code dev.loomcrawl.check} (a check's report and verdicts),
 * {@code dev.loomcrawl.store} (the crawl's state on disk, its lifecycle and reads) and {@code dev.loomcrawl.output}
 * (the output and report formats). Everything under {@code dev.loomcrawl.internal} is the engine and may change at
 * any time.
 */
module dev.loomcrawl {
    requires java.management;
    requires java.net.http;
    requires java.sql;
    requires jdk.management;
    requires crawler.commons;
    requires jwarc;
    requires org.jsoup;
    requires org.xerial.sqlitejdbc;

    exports dev.loomcrawl;
    exports dev.loomcrawl.check;
    exports dev.loomcrawl.crawl;
    exports dev.loomcrawl.output;
    exports dev.loomcrawl.store;
}
