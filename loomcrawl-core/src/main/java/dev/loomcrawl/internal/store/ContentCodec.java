package dev.loomcrawl.internal.store;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageContent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A page's extracted content as the {@code contents} table keeps it: its fields in a fixed order (each string as a
 * length and UTF-8 bytes, -1 for null; the fetch time in epoch milliseconds), deflated. Stateless.
 */
final class ContentCodec {

    private static final int VERSION = 1;

    private ContentCodec() {}

    static byte[] encode(PageContent c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(c.body().length() / 3 + 64);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater))) {
            out.writeByte(VERSION);
            out.writeByte(c.format().ordinal());
            for (String s : new String[] {c.title(), c.description(), c.lang(), c.canonical(), c.author(),
                    c.published(), c.siteName(), c.body(), c.reason()}) {
                write(out, s);
            }
            out.writeInt(c.words());
            out.writeLong(c.fetched() == null ? Long.MIN_VALUE : c.fetched().toEpochMilli());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    static PageContent decode(byte[] blob) {
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(blob)))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IOException("content of an unknown version " + version);
            }
            int ordinal = in.readByte();
            if (ordinal < 0 || ordinal >= ContentFormat.values().length) {
                throw new IOException("content of an unknown format " + ordinal);
            }
            ContentFormat format = ContentFormat.values()[ordinal];
            String title = read(in);
            String description = read(in);
            String lang = read(in);
            String canonical = read(in);
            String author = read(in);
            String published = read(in);
            String siteName = read(in);
            String body = read(in);
            String reason = read(in);
            int words = in.readInt();
            long fetched = in.readLong();
            return new PageContent(format, title, description, lang, canonical, author, published, siteName, body,
                    words, reason, fetched == Long.MIN_VALUE ? null : Instant.ofEpochMilli(fetched));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string as the store's codecs write it: its UTF-8 length and bytes, -1 for null. */
    static void write(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String read(DataInputStream in) throws IOException {
        int n = in.readInt();
        return n < 0 ? null : new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
