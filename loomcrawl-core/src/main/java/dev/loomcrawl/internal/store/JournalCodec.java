package dev.loomcrawl.internal.store;

import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.internal.links.LinkOccurrence;
import dev.loomcrawl.internal.links.PageOccurrences;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One entry of a store's journal ({@code CrawlStore.journal}): a fetched page as the store records it (the page,
 * its links' texts, the URLs followed from it, its content as {@link ContentCodec} keeps it), or a page's link
 * occurrences. The fields go in a fixed order after a version and a kind byte; each string is a length and UTF-8
 * bytes, -1 for null. Stateless.
 */
final class JournalCodec {

    private static final int VERSION = 1;
    private static final int PAGE = 1;
    private static final int OCCURRENCES = 2;

    /** A decoded entry: a page ({@code occurrences} null) or a page's occurrences ({@code page} null). */
    record Entry(PageResult page, List<String> texts, List<String> followed, String pageUrl,
                 PageOccurrences occurrences) {}

    private JournalCodec() {}

    static byte[] page(PageResult p, List<String> texts, List<String> followed) {
        return write(out -> {
            out.writeByte(PAGE);
            ContentCodec.write(out, p.url());
            out.writeInt(p.status());
            ContentCodec.write(out, p.contentType());
            out.writeLong(p.bytes());
            out.writeLong(p.fetchMillis());
            ContentCodec.write(out, p.redirect());
            ContentCodec.write(out, p.error());
            strings(out, p.links());
            out.writeBoolean(p.truncated());
            out.writeInt(p.attempts());
            out.writeBoolean(p.noindex());
            out.writeBoolean(p.nofollow());
            strings(out, p.nofollowLinks());
            strings(out, texts);
            strings(out, followed);
            byte[] content = p.content() == null ? null : ContentCodec.encode(p.content());
            out.writeInt(content == null ? -1 : content.length);
            if (content != null) {
                out.write(content);
            }
        });
    }

    static byte[] occurrences(String pageUrl, PageOccurrences o) {
        return write(out -> {
            out.writeByte(OCCURRENCES);
            ContentCodec.write(out, pageUrl);
            out.writeInt(o.links().size());
            for (LinkOccurrence l : o.links()) {
                ContentCodec.write(out, l.href());
                ContentCodec.write(out, l.url());
                ContentCodec.write(out, l.fragment());
                ContentCodec.write(out, l.text());
                out.writeInt(l.line());
                ContentCodec.write(out, l.element());
                out.writeBoolean(l.resource());
            }
            strings(out, List.copyOf(o.anchors()));
        });
    }

    /**
     * Reads an entry.
     *
     * @throws IllegalArgumentException when the bytes are not an entry of this version
     */
    static Entry decode(byte[] entry) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("a journal entry of an unknown version " + version);
            }
            int kind = in.readUnsignedByte();
            if (kind == PAGE) {
                String url = string(in);
                int status = in.readInt();
                String contentType = string(in);
                long bytes = in.readLong();
                long fetchMillis = in.readLong();
                String redirect = string(in);
                String error = string(in);
                List<String> links = strings(in);
                boolean truncated = in.readBoolean();
                int attempts = in.readInt();
                boolean noindex = in.readBoolean();
                boolean nofollow = in.readBoolean();
                List<String> nofollowLinks = strings(in);
                List<String> texts = strings(in);
                List<String> followed = strings(in);
                int n = in.readInt();
                byte[] content = n < 0 ? null : in.readNBytes(n);
                if (url == null || links == null || nofollowLinks == null || texts == null || followed == null
                        || (content != null && content.length != n)) {
                    throw new IllegalArgumentException("a journal entry cut short");
                }
                PageResult page = new PageResult(url, -1, null, status, contentType, bytes, fetchMillis, redirect,
                        error, links, truncated, attempts, noindex, nofollow, nofollowLinks, null, null,
                        content == null ? null : ContentCodec.decode(content));
                return new Entry(page, texts, followed, null, null);
            }
            if (kind == OCCURRENCES) {
                String pageUrl = string(in);
                int n = in.readInt();
                if (pageUrl == null || n < 0 || n > entry.length) {
                    throw new IllegalArgumentException("a journal entry cut short");
                }
                List<LinkOccurrence> links = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    links.add(new LinkOccurrence(string(in), string(in), string(in), string(in), in.readInt(),
                            string(in), in.readBoolean()));
                }
                Set<String> anchors = new LinkedHashSet<>(strings(in));
                return new Entry(null, null, null, pageUrl, new PageOccurrences(links, anchors));
            }
            throw new IllegalArgumentException("a journal entry of an unknown kind " + kind);
        } catch (IOException | UncheckedIOException | NullPointerException e) {
            throw new IllegalArgumentException("a journal entry cut short or damaged", e);
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < -1 || n > in.available()) {
            throw new IOException("a string longer than the entry");
        }
        return n < 0 ? null : new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void strings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            ContentCodec.write(out, s);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("a list longer than the entry");
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(string(in));
        }
        return list;
    }
}
