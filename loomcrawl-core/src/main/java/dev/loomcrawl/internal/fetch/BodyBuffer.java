package dev.loomcrawl.internal.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/** A growable byte buffer with a hard limit, and the content decodings both clients share. Not thread-safe. */
final class BodyBuffer {

    /** The content codings {@link #toResponse} decodes, as requested in Accept-Encoding. */
    static final String ACCEPT_ENCODING = "gzip, deflate";

    private final int limit;
    private byte[] bytes;
    private int length;
    private boolean truncated;

    BodyBuffer(int limit, int expected) {
        this.limit = limit;
        this.bytes = new byte[Math.clamp(expected, 0, limit)];
    }

    /** Appends up to the limit; returns false once the limit is passed (the rest is dropped). */
    boolean append(byte[] src, int off, int len) {
        int room = limit - length;
        int take = Math.min(room, len);
        if (length + take > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(length + take, Math.max(8192, bytes.length * 2))));
        }
        System.arraycopy(src, off, bytes, length, take);
        length += take;
        if (take < len) {
            truncated = true;
        }
        return !truncated;
    }

    /** The bytes as received, before any content decoding. */
    byte[] raw() {
        return Arrays.copyOf(bytes, length);
    }

    boolean truncated() {
        return truncated;
    }

    void markTruncated() {
        truncated = true;
    }

    /**
     * The response for this body, decoded per {@code Content-Encoding} (gzip, deflate; identity otherwise), with the
     * decoded size held to the same limit so that a compression bomb stops there.
     */
    FetchResponse toResponse(int status, Headers headers) throws IOException {
        String encoding = headers.first("Content-Encoding");
        if (encoding == null || length == 0) {
            return new FetchResponse(status, headers, bytes, length, truncated);
        }
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        InputStream decoded = switch (e) {
            case "gzip", "x-gzip" -> new GZIPInputStream(new ByteArrayInputStream(bytes, 0, length));
            case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(bytes, 0, length), new Inflater(!isZlib()));
            default -> null;
        };
        if (decoded == null) {
            return new FetchResponse(status, headers, bytes, length, truncated);
        }
        BodyBuffer out = new BodyBuffer(limit, length * 4);
        out.truncated = truncated;
        byte[] chunk = new byte[16384];
        try (InputStream in = decoded) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (!out.append(chunk, 0, n)) {
                    break;
                }
            }
        } catch (IOException ex) {
            if (!(ex.getCause() instanceof DataFormatException) && !truncated) {
                throw ex;
            }
            out.markTruncated(); // a body cut at the limit ends mid-stream
        }
        return new FetchResponse(status, headers, out.bytes, out.length, out.truncated);
    }

    /** "deflate" is meant to be zlib-wrapped, but some servers send raw deflate. */
    private boolean isZlib() {
        return length >= 2 && (bytes[0] & 0x0f) == 8 && (((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff)) % 31 == 0;
    }
}
