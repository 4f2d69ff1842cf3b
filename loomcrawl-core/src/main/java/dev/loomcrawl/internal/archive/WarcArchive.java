package dev.loomcrawl.internal.archive;

import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.internal.fetch.FetchResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcDigest;
import org.netpreserve.jwarc.WarcMetadata;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTruncationReason;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;

/**
 * A WARC 1.1 archive of a crawl, written with jwarc: a {@code warcinfo} record at the head of each file, then for
 * each fetched URL a {@code request}, its {@code response} (the bytes as exchanged, with block and payload
 * digests; {@code WARC-Truncated: length} when the body was cut at the size limit) and a {@code metadata} record
 * listing its outlinks. Every record is gzipped on its own. A file that reaches {@code maxBytes} is closed and the
 * next one opened ({@code site.warc.gz}, {@code site-00001.warc.gz}, ...).
 *
 * <p>Fetching threads hand records over a queue to the archive's one writer thread, so no fetch waits for the
 * disk and records are never interleaved. A write failure stops the archiving and is reported by {@link #close()}.
 */
public final class WarcArchive implements AutoCloseable {

    /** One fetch to archive. */
    private record Capture(String url, Instant date, FetchResponse response, List<String> outlinks) {}

    private static final Capture END = new Capture("", Instant.EPOCH, null, List.of());

    private final Path first;
    private final long maxBytes;
    private final String software;
    private final Ticker clock;
    private final LinkedBlockingQueue<Capture> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile IOException failure;
    private WarcWriter warc; // owned by the writer thread
    private int fileNumber;

    /**
     * Opens the first file.
     *
     * @param file the first file, such as {@code site.warc.gz}
     * @param maxBytes the size at which a file is closed and the next opened
     * @param software the {@code software} field of the warcinfo records, such as {@code loomcrawl/0.1.0}
     * @param clock the crawl's clock, which dates each capture
     * @throws UncheckedIOException when the file cannot be written
     */
    public WarcArchive(Path file, long maxBytes, String software, Ticker clock) {
        this.clock = clock;
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the WARC size limit must be positive, was " + maxBytes);
        }
        this.first = file;
        this.maxBytes = maxBytes;
        this.software = software;
        try {
            open(file);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
            throw new UncheckedIOException("cannot write WARC file '" + file + "': " + why, e);
        }
        this.writer = Thread.ofVirtual().name("loomcrawl-warc").start(this::drain);
    }

    /** Archives one fetch; any thread. Responses without raw bytes are skipped. */
    public void record(String url, FetchResponse response, List<String> outlinks) {
        if (response.raw() != null && failure == null) {
            queue.add(new Capture(url, clock.instant(), response, List.copyOf(outlinks)));
        }
    }

    private void drain() {
        while (true) {
            Capture c;
            try {
                c = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (c == END) {
                return;
            }
            if (failure == null) {
                try {
                    write(c);
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
    }

    private void open(Path file) throws IOException {
        warc = new WarcWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), WarcCompression.GZIP);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("software", List.of(software));
        fields.put("format", List.of("WARC File Format 1.1"));
        fields.put("conformsTo", List.of("https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"));
        warc.write(new Warcinfo.Builder().filename(file.getFileName().toString()).fields(fields).build());
    }

    private void write(Capture c) throws IOException {
        FetchResponse.Raw raw = c.response().raw();
        URI target = URI.create(c.url());
        WarcRequest request = new WarcRequest.Builder(target).date(c.date())
                .body(MediaType.HTTP_REQUEST, raw.request()).blockDigest(sha1(raw.request(), 0, raw.request().length))
                .build();
        byte[] block = raw.response();
        WarcResponse.Builder response = new WarcResponse.Builder(target).date(c.date()).concurrentTo(request.id())
                .body(MediaType.HTTP_RESPONSE, block).blockDigest(sha1(block, 0, block.length));
        int bodyStart = headEnd(block);
        String transfer = c.response().headers().first("Transfer-Encoding");
        if (bodyStart > 0 && transfer == null) { // a chunked body's payload is not its bytes as transferred
            response.payloadDigest(sha1(block, bodyStart, block.length - bodyStart));
        }
        if (c.response().truncated()) {
            response.truncated(WarcTruncationReason.LENGTH);
        }
        WarcResponse built = response.build();
        warc.write(request);
        warc.write(built);
        StringBuilder outlinks = new StringBuilder();
        c.outlinks().forEach(link -> outlinks.append("outlink: ").append(link).append("\r\n"));
        byte[] fields = outlinks.toString().getBytes(StandardCharsets.UTF_8);
        warc.write(new WarcMetadata.Builder().targetURI(target).date(c.date()).concurrentTo(built.id())
                .body(MediaType.parse("application/warc-fields"), fields).blockDigest(sha1(fields, 0, fields.length))
                .build());
        if (warc.position() >= maxBytes) {
            warc.close();
            open(next());
        }
    }

    /** {@code site.warc.gz} is followed by {@code site-00001.warc.gz}, and so on. */
    private Path next() {
        fileNumber++;
        String name = first.getFileName().toString();
        int dot = name.indexOf(".warc");
        String stem = dot < 0 ? name : name.substring(0, dot);
        String suffix = dot < 0 ? "" : name.substring(dot);
        return first.resolveSibling(String.format("%s-%05d%s", stem, fileNumber, suffix));
    }

    /** Where the body starts in an HTTP message: after the blank line; 0 when there is none. */
    private static int headEnd(byte[] message) {
        for (int i = 3; i < message.length; i++) {
            if (message[i] == '\n' && message[i - 1] == '\r' && message[i - 2] == '\n' && message[i - 3] == '\r') {
                return i + 1;
            }
        }
        return 0;
    }

    private static WarcDigest sha1(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            digest.update(bytes, offset, length);
            return new WarcDigest(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is in every JDK", e);
        }
    }

    /**
     * Writes what is queued, closes the file, and waits for the writer thread.
     *
     * @throws UncheckedIOException when a write failed
     */
    @Override
    public void close() {
        queue.add(END);
        dev.loomcrawl.internal.engine.Join.uninterruptibly(writer);
        try {
            warc.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new UncheckedIOException("cannot write WARC file: " + failure.getMessage(), failure);
        }
    }
}
