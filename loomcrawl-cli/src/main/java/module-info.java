/**
 * loomcrawl's command line: {@code crawl}, {@code check}, {@code report}, {@code extract}, {@code demo}, the
 * cluster's {@code worker}, {@code submit} and {@code results} (on Kafka), and their options, over the library's API
 * alone.
 */
module dev.loomcrawl.cli {
    requires dev.loomcrawl;
    requires loomcrawl.picocli;
    requires loomcrawl.testkit;
    requires com.fasterxml.jackson.dataformat.toml;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires kafka.clients;

    opens dev.loomcrawl.cli to loomcrawl.picocli;
}
