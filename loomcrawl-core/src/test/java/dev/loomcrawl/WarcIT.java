package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.CertificateAuthority;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.WarcDigest;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTargetRecord;
import org.netpreserve.jwarc.WarcTruncationReason;
import org.netpreserve.jwarc.Warcinfo;

/** WARC archives read back with jwarc: what the server sent, byte for byte, with valid digests, per-record gzip. */
class WarcIT {

    private FaultServer server;
    private final Map<String, byte[]> sent = new HashMap<>();

    private static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @BeforeEach
    void start() throws Exception {
        server = routed(FaultServer.start());
    }

    /** A gzipped home page, a plain one, a chunked one and one of 3 MB. */
    private FaultServer routed(FaultServer server) throws Exception {
        byte[] compressed = gzip("<a href=/plain>plain</a><a href=/chunked>chunked</a><a href=/big>big</a>");
        sent.put("/", compressed);
        server.route("/", Fault.serve(new Resource(200, "text/html", compressed, Map.of("Content-Encoding", "gzip"))));
        sent.put("/plain", "<p>plain page".getBytes(StandardCharsets.UTF_8));
        server.route("/plain", Fault.serve(Resource.html("<p>plain page")));
        server.route("/chunked", (request, socket, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\n<p>ch\r\n7\r\nunked!!\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return true;
        });
        server.route("/big", Fault.hugeBody(3L << 20));
        return server;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A record read back: its type, target, truncation, whether it has a payload digest, and its block. */
    private record Archived(String type, String target, WarcTruncationReason truncated, boolean payloadDigest,
                            byte[] block) {
        HttpResponse http() throws Exception {
            return HttpResponse.parse(Channels.newChannel(new ByteArrayInputStream(block)));
        }
    }

    /** Reads every record, checking each declared block digest against the block's SHA-1. */
    private static List<Archived> read(Path file) throws Exception {
        List<Archived> records = new ArrayList<>();
        try (WarcReader reader = new WarcReader(file)) {
            for (WarcRecord r : reader) {
                byte[] block = r.body().stream().readAllBytes();
                String target = r instanceof WarcTargetRecord t ? t.target() : null;
                boolean payload = r instanceof WarcResponse resp && resp.payloadDigest().isPresent();
                if (!(r instanceof Warcinfo)) {
                    assertThat(r.blockDigest()).as("a block digest on %s", r.type()).isPresent();
                    assertThat(r.blockDigest().get().base32()).as("the block digest of %s %s", r.type(), target)
                            .isEqualTo(new WarcDigest(sha1(block)).base32());
                }
                records.add(new Archived(r.type(), target, r.truncated(), payload, block));
            }
        }
        return records;
    }

    private static MessageDigest sha1(byte[] block) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-1");
        digest.update(block);
        return digest;
    }

    /** Over https too, where the records hold the HTTP/1.1 bytes as decrypted. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http", "https"})
    void everyExchangeIsArchivedAsTheServerSentIt(String scheme, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.warc.gz");
        CrawlerBuilder crawler = Crawler.builder().respectRobots(false).maxBodyBytes(1 << 20).warc(file, 1L << 30);
        if (scheme.equals("https")) {
            server.close();
            CertificateAuthority ca = CertificateAuthority.create("loomcrawl test CA");
            server = routed(FaultServer.startTls(ca.serverContext(ca.issue(CertificateAuthority.Leaf.forLoopback()))));
            crawler.trustCertificates(List.of(ca.pemFile()));
        }
        assertThat(server.baseUrl()).startsWith(scheme + "://");
        crawler.build().crawl(server.url("/"), p -> { });
        List<Archived> records = read(file);
        assertThat(records.getFirst().type()).isEqualTo("warcinfo");
        Map<String, Archived> responses = new HashMap<>();
        for (Archived r : records) {
            if (r.type().equals("response")) {
                responses.put(r.target().substring(server.baseUrl().length()), r);
            }
        }
        assertThat(responses).containsOnlyKeys("/", "/plain", "/chunked", "/big");
        assertThat(records).filteredOn(r -> r.type().equals("request")).hasSize(4);
        assertThat(records).filteredOn(r -> r.type().equals("metadata")).hasSize(4);

        HttpResponse home = responses.get("/").http();
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.headers().first("Content-Encoding")).contains("gzip");
        assertThat(home.body().stream().readAllBytes()).as("the body as sent, still gzipped").isEqualTo(sent.get("/"));
        assertThat(responses.get("/").payloadDigest()).isTrue();
        assertThat(responses.get("/plain").http().body().stream().readAllBytes()).isEqualTo(sent.get("/plain"));
        HttpResponse chunked = responses.get("/chunked").http();
        assertThat(chunked.headers().first("Transfer-Encoding")).contains("chunked");
        assertThat(new String(chunked.bodyDecoded().stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("<p>chunked!!");
        assertThat(responses.get("/big").truncated()).isEqualTo(WarcTruncationReason.LENGTH);
        // truncated: the head as sent (Content-Length 3 MB) and the body as far as it was read: the 1 MB limit and
        // what the last socket read brought beyond it
        byte[] big = responses.get("/big").block();
        String head = new String(big, 0, Math.min(big.length, 512), StandardCharsets.ISO_8859_1);
        assertThat(head).contains("Content-Length: " + (3L << 20));
        assertThat(big.length - (head.indexOf("\r\n\r\n") + 4)).isBetween(1 << 20, (1 << 20) + 16384);

        String outlinks = records.stream().filter(r -> r.type().equals("metadata") && r.target().equals(server.url("/")))
                .map(r -> new String(r.block(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
        assertThat(outlinks).contains("outlink: " + server.url("/plain"), "outlink: " + server.url("/big"));

        // gzip per record: every record starts a gzip member
        byte[] bytes = Files.readAllBytes(file);
        try (WarcReader reader = new WarcReader(file)) {
            for (WarcRecord r : reader) {
                long at = reader.position();
                assertThat(bytes[(int) at] & 0xff).isEqualTo(0x1f);
                assertThat(bytes[(int) at + 1] & 0xff).isEqualTo(0x8b);
            }
        }
    }

    @Test
    void overJavaNetHttpTheExchangeIsRebuiltWithTheBodyAsSent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jdk.warc.gz");
        Crawler.builder().respectRobots(false).maxBodyBytes(1 << 20).proxy(java.net.ProxySelector.of(null))
                .warc(file, 1L << 30).build().crawl(server.url("/"), p -> { });
        Map<String, Archived> responses = new HashMap<>();
        for (Archived r : read(file)) {
            if (r.type().equals("response")) {
                responses.put(r.target().substring(server.baseUrl().length()), r);
            }
        }
        assertThat(responses).containsKeys("/", "/plain", "/chunked");
        assertThat(responses.get("/").http().body().stream().readAllBytes()).isEqualTo(sent.get("/"));
        assertThat(new String(responses.get("/chunked").http().body().stream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("<p>chunked!!");
    }

    @Test
    void robotsTxtAndSitemapsAreArchivedToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("robots.warc.gz");
        Crawler.builder().sitemaps(true).warc(file, 1L << 30).build().crawl(server.url("/plain"), p -> { });
        assertThat(read(file)).filteredOn(r -> r.type().equals("response")).extracting(Archived::target)
                .contains(server.url("/robots.txt"), server.url("/sitemap.xml"), server.url("/plain"));
    }

    @Test
    void filesRotateAtTheSizeLimitEachWithItsWarcinfo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.warc.gz");
        Crawler.builder().respectRobots(false).maxBodyBytes(1 << 20).warc(file, 2_000).build().crawl(server.url("/"), p -> { });
        List<Path> files;
        try (var listing = Files.list(dir)) {
            files = listing.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("site.warc.gz", "site-00001.warc.gz");
        int responses = 0;
        for (Path f : files) {
            List<Archived> records = read(f);
            assertThat(records.getFirst().type()).isEqualTo("warcinfo");
            responses += (int) records.stream().filter(r -> r.type().equals("response")).count();
        }
        assertThat(responses).isEqualTo(4);
    }
}
