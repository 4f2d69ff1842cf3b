package dev.loomcrawl.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made at test time, in memory, with the JDK alone: a root (EC P-256 by default, see
 * {@link KeyType}), intermediates under it, and the leaf certificates they sign for test servers (valid, expired, or
 * for another host). Certificates are written as DER by
 * hand, because the JDK has no public API that issues one; the JDK's own {@link CertificateFactory} parses each
 * back, so a malformed one fails at once.
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.create("loomcrawl test CA");
 * SiteServer server = SiteServer.startHttps(ca.serverContext(ca.issue(Leaf.forLoopback())));
 * crawl with ca.clientContext(), or with ca.pem() written to a file for --ca-cert
 * }</pre>
 */
public final class CertificateAuthority {

    private static final String PASSWORD = "changeit";
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xffffffffL);

    /**
     * What a leaf certificate says.
     *
     * @param dnsNames the host names it is valid for
     * @param ipAddresses the IP addresses it is valid for
     * @param notBefore the start of its validity
     * @param notAfter the end of its validity
     */
    public record Leaf(List<String> dnsNames, List<String> ipAddresses, Instant notBefore, Instant notAfter) {
        public Leaf {
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
        }

        /** Valid for 127.0.0.1 and localhost, from a day ago for a year. */
        public static Leaf forLoopback() {
            Instant now = Instant.now();
            return new Leaf(List.of("localhost"), List.of("127.0.0.1"), now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(365)));
        }

        /** Valid for 127.0.0.1 and localhost, but expired yesterday. */
        public static Leaf expired() {
            Instant now = Instant.now();
            return new Leaf(List.of("localhost"), List.of("127.0.0.1"), now.minus(Duration.ofDays(30)),
                    now.minus(Duration.ofDays(1)));
        }

        /** Valid now, but for another host only. */
        public static Leaf forHost(String dnsName) {
            Instant now = Instant.now();
            return new Leaf(List.of(dnsName), List.of(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
        }
    }

    /** A certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {}

    /**
     * The keys of an authority and of the leaves it issues, and how it signs: P-256 with SHA-256 by default; P-384
     * with SHA-384, and RSA-2048 with SHA-256, as public chains often have.
     */
    public enum KeyType {
        P256("EC", "secp256r1", "SHA256withECDSA", Der.seq(Der.oid("1.2.840.10045.4.3.2"))),
        P384("EC", "secp384r1", "SHA384withECDSA", Der.seq(Der.oid("1.2.840.10045.4.3.3"))),
        RSA2048("RSA", null, "SHA256withRSA", Der.seq(Der.oid("1.2.840.113549.1.1.11"), new byte[] {0x05, 0x00}));

        private final String keyAlgorithm;
        private final String curve;
        private final String signature;
        private final byte[] algorithmIdentifier;

        KeyType(String keyAlgorithm, String curve, String signature, byte[] algorithmIdentifier) {
            this.keyAlgorithm = keyAlgorithm;
            this.curve = curve;
            this.signature = signature;
            this.algorithmIdentifier = algorithmIdentifier;
        }

        KeyPair newKeys() throws GeneralSecurityException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            if (curve == null) {
                generator.initialize(2048);
            } else {
                generator.initialize(new ECGenParameterSpec(curve));
            }
            return generator.generateKeyPair();
        }
    }

    private final String name;
    private final KeyType keyType;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private Path pemFile;

    private CertificateAuthority(String name, KeyType keyType, KeyPair keys, X509Certificate certificate) {
        this.name = name;
        this.keyType = keyType;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new root certificate, valid from a day ago for ten years, with the common name {@code name}; P-256 keys. */
    public static CertificateAuthority create(String name) {
        return create(name, KeyType.P256);
    }

    /** As {@link #create(String)}, with keys and signatures of {@code keyType}, the leaves it issues too. */
    public static CertificateAuthority create(String name, KeyType keyType) {
        try {
            KeyPair keys = keyType.newKeys();
            Instant now = Instant.now();
            byte[] subject = Der.name(name);
            byte[] extensions = Der.seq(Der.extension("2.5.29.19", true, Der.seq(Der.bool(true))), // CA
                    Der.extension("2.5.29.15", true, Der.bitString(new byte[] {0x06}, 1))); // keyCertSign, cRLSign
            X509Certificate root = sign(keyType, keys.getPrivate(), subject, subject, keys, now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(3650)), extensions);
            return new CertificateAuthority(name, keyType, keys, root);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate authority", e);
        }
    }

    /**
     * An intermediate authority named {@code name}: its certificate is signed by this authority, valid from a day
     * ago for ten years, and it issues leaves of its own ({@link #certificate()} is then the intermediate's).
     */
    public CertificateAuthority intermediate(String name) {
        try {
            KeyPair intermediateKeys = keyType.newKeys();
            Instant now = Instant.now();
            byte[] extensions = Der.seq(Der.extension("2.5.29.19", true, Der.seq(Der.bool(true))), // CA
                    Der.extension("2.5.29.15", true, Der.bitString(new byte[] {0x06}, 1))); // keyCertSign, cRLSign
            X509Certificate certificate = sign(keyType, keys.getPrivate(), Der.name(this.name), Der.name(name),
                    intermediateKeys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), extensions);
            return new CertificateAuthority(name, keyType, intermediateKeys, certificate);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test intermediate authority", e);
        }
    }

    /** Issues a leaf certificate for a TLS server, signed by this authority. */
    public Issued issue(Leaf leaf) {
        try {
            KeyPair leafKeys = keyType.newKeys();
            ByteArrayOutputStream names = new ByteArrayOutputStream();
            for (String dns : leaf.dnsNames()) {
                names.writeBytes(Der.tagged(0x82, dns.getBytes(StandardCharsets.US_ASCII)));
            }
            for (String ip : leaf.ipAddresses()) {
                names.writeBytes(Der.tagged(0x87, InetAddress.getByName(ip).getAddress()));
            }
            String common = leaf.dnsNames().isEmpty() ? leaf.ipAddresses().getFirst() : leaf.dnsNames().getFirst();
            byte[] extensions = Der.seq(
                    Der.extension("2.5.29.19", true, Der.seq()), // not a CA
                    Der.extension("2.5.29.15", true, Der.bitString(new byte[] {(byte) 0x80}, 7)), // digitalSignature
                    Der.extension("2.5.29.37", false, Der.seq(Der.oid("1.3.6.1.5.5.7.3.1"))), // serverAuth
                    Der.extension("2.5.29.17", false, Der.tagged(0x30, names.toByteArray())));
            X509Certificate cert = sign(keyType, keys.getPrivate(), Der.name(name), Der.name(common), leafKeys,
                    leaf.notBefore(), leaf.notAfter(), extensions);
            return new Issued(cert, leafKeys.getPrivate());
        } catch (GeneralSecurityException | UnknownHostException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    /** This authority's certificate: the root's, or an {@linkplain #intermediate intermediate's}. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** This authority's certificate as PEM, as {@code --ca-cert} and curl's {@code --cacert} read it. */
    public String pem() {
        return pem(certificate);
    }

    /**
     * This authority's certificate in a PEM file of its own, made on first call and deleted when the JVM exits: what
     * {@code --ca-cert} and {@code CrawlerBuilder.trustCertificates} take.
     */
    public synchronized Path pemFile() {
        if (pemFile == null) {
            try {
                pemFile = Files.createTempFile("loomcrawl-ca-", ".pem");
                pemFile.toFile().deleteOnExit();
                Files.writeString(pemFile, pem(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pemFile;
    }

    /** A certificate as PEM. */
    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server's TLS context presenting {@code leaf} with this authority's certificate as its chain. */
    public SSLContext serverContext(Issued leaf) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", leaf.key(), PASSWORD.toCharArray(), new Certificate[] {leaf.certificate(), certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a server TLS context", e);
        }
    }

    /** A client's TLS context that trusts this authority alone. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a client TLS context", e);
        }
    }

    private static X509Certificate sign(KeyType issuerType, PrivateKey issuerKey, byte[] issuer, byte[] subject,
                                        KeyPair subjectKeys, Instant notBefore, Instant notAfter, byte[] extensions)
            throws GeneralSecurityException {
        byte[] algorithm = issuerType.algorithmIdentifier;
        byte[] tbs = Der.seq(
                Der.tagged(0xa0, Der.integer(BigInteger.TWO)), // v3
                Der.integer(BigInteger.valueOf(SERIALS.incrementAndGet())),
                algorithm, issuer,
                Der.seq(Der.time(notBefore), Der.time(notAfter)),
                subject,
                subjectKeys.getPublic().getEncoded(), // SubjectPublicKeyInfo
                Der.tagged(0xa3, extensions));
        Signature signer = Signature.getInstance(issuerType.signature);
        signer.initSign(issuerKey);
        signer.update(tbs);
        byte[] certificate = Der.seq(tbs, algorithm, Der.bitString(signer.sign(), 0));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    /** The few DER encodings a certificate needs. */
    private static final class Der {
        private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

        static byte[] tagged(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
            out.write(tag);
            int n = content.length;
            if (n < 0x80) {
                out.write(n);
            } else if (n < 0x100) {
                out.write(0x81);
                out.write(n);
            } else if (n < 0x10000) {
                out.write(0x82);
                out.write(n >> 8);
                out.write(n);
            } else {
                out.write(0x83);
                out.write(n >> 16);
                out.write(n >> 8);
                out.write(n);
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        static byte[] seq(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return tagged(0x30, out.toByteArray());
        }

        static byte[] integer(BigInteger value) {
            return tagged(0x02, value.toByteArray());
        }

        static byte[] bool(boolean value) {
            return tagged(0x01, new byte[] {(byte) (value ? 0xff : 0)});
        }

        static byte[] bitString(byte[] bits, int unusedBits) {
            byte[] content = new byte[bits.length + 1];
            content[0] = (byte) unusedBits;
            System.arraycopy(bits, 0, content, 1, bits.length);
            return tagged(0x03, content);
        }

        static byte[] octets(byte[] content) {
            return tagged(0x04, content);
        }

        static byte[] oid(String dotted) {
            String[] arcs = dotted.split("\\.");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
            for (int i = 2; i < arcs.length; i++) {
                long arc = Long.parseLong(arcs[i]);
                int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
                for (int g = groups - 1; g >= 0; g--) {
                    int b = (int) (arc >> (7 * g)) & 0x7f;
                    out.write(g == 0 ? b : b | 0x80);
                }
            }
            return tagged(0x06, out.toByteArray());
        }

        static byte[] time(Instant instant) {
            return tagged(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII)); // UTCTime, years 1950-2049
        }

        /** A distinguished name with a common name alone. */
        static byte[] name(String commonName) {
            return seq(tagged(0x31, seq(oid("2.5.4.3"), tagged(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
        }

        static byte[] extension(String oid, boolean critical, byte[] value) {
            return critical ? seq(oid(oid), bool(true), octets(value)) : seq(oid(oid), octets(value));
        }
    }
}
