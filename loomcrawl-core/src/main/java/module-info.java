/**
 * loomcrawl, the library: a fast, polite, concurrent crawler of one site.
 *
 * <p>Four packages make its API: {@link dev.loomcrawl} (the {@code Crawler} and {@code LinkChecker} with their
 * builders, and the {@code CrawlStore} that keeps a crawl's state on disk), {@code dev.loomcrawl.crawl} (what a
 * crawl reports and the contracts it calls: pages, summary, sink, inspector, stop reasons, stall reports, errors,
 * the clock), {@code dev.loomcrawl.check} (a check's report and verdicts) and {@code dev.loomcrawl.output} (the
 * output and report formats). Everything under {@code dev.loomcrawl.internal} is the engine and may change at
 * any time.
 */
module dev.loomcrawl {
    requires java.management;
    requires java.net.http;
    requires java.sql;
    requires jdk.management;
    requires crawler.commons;
    requires jwarc;
    requires static org.conscrypt; // the native TLS engine, where it loads (see NativeTls)
    requires org.jsoup;
    requires org.xerial.sqlitejdbc;

    exports dev.loomcrawl;
    exports dev.loomcrawl.check;
    exports dev.loomcrawl.crawl;
    exports dev.loomcrawl.output;
}
