package dev.loomcrawl.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** TLS failures in words, whichever engine spoke TLS. */
class FetchErrorsTest {

    private static final String NATIVE = "Read error: ssl=0x7fa0d81270f8: Failure in SSL library, usually a "
            + "protocol error\nerror:1000042e:SSL routines:OPENSSL_internal:%s (/__w/boringssl/ssl/tls_record.cc:491)";

    @Test
    void theNativeEnginesReasonIsTakenOutOfItsErrorString() {
        assertThat(FetchErrors.tlsReason(new SSLHandshakeException(NATIVE.formatted("TLSV1_ALERT_PROTOCOL_VERSION"))))
                .isEqualTo("tls: protocol version");
        assertThat(FetchErrors.tlsReason(new SSLHandshakeException(NATIVE.formatted("UNSUPPORTED_PROTOCOL"))))
                .isEqualTo("tls: protocol version");
        assertThat(FetchErrors.tlsReason(new SSLHandshakeException(NATIVE.formatted("SSLV3_ALERT_HANDSHAKE_FAILURE"))))
                .as("as the JDK says it")
                .isEqualTo("tls: handshake failure (Received fatal alert: handshake_failure)");
        assertThat(FetchErrors.tlsReason(new SSLException("Read error: ssl=0x7fa0d81270f8: Failure in SSL library, "
                + "usually a protocol error")))
                .isEqualTo("tls: Read error: Failure in SSL library, usually a protocol error");
        assertThat(FetchErrors.tlsReason(new SSLException(NATIVE.formatted("DECRYPTION_FAILED_OR_BAD_RECORD_MAC"))))
                .isEqualTo("tls: decryption failed or bad record mac");
    }

    @Test
    void theJdksMessagesKeepTheirWordsOnOneLine() {
        assertThat(FetchErrors.tlsReason(new SSLHandshakeException("Received fatal alert: protocol_version")))
                .isEqualTo("tls: protocol version");
        assertThat(FetchErrors.tlsReason(new SSLHandshakeException("Received fatal alert: handshake_failure")))
                .isEqualTo("tls: handshake failure (Received fatal alert: handshake_failure)");
        assertThat(FetchErrors.tlsReason(new SSLException("Tag mismatch\nat record 3")))
                .isEqualTo("tls: Tag mismatch at record 3");
    }

    @Test
    void aServerThatDoesNotSpeakTlsIsSaidAsSuchByEitherEngine() {
        String notTls = "tls: the server does not speak TLS (plain http on an https URL?)";
        assertThat(FetchErrors.tlsReason(new SSLException("Unsupported or unrecognized SSL message"))).isEqualTo(notTls);
        assertThat(FetchErrors.tlsReason(new SSLException("Unrecognized SSL message, plaintext connection?")))
                .isEqualTo(notTls);
        assertThat(FetchErrors.tlsReason(new SSLException("Unrecognized record version (D)TLS10 , plaintext connection?")))
                .isEqualTo(notTls);
        assertThat(FetchErrors.tlsReason(new SSLHandshakeException("Unable to parse TLS packet header")))
                .isEqualTo(notTls);
        assertThat(FetchErrors.tlsReason(new SSLHandshakeException(NATIVE.formatted("WRONG_VERSION_NUMBER"))))
                .isEqualTo(notTls);
    }

    @Test
    void aTrustStoreThatCannotBeReadIsSaidAsSuch() {
        SSLHandshakeException e = new SSLHandshakeException("handshake failed");
        e.initCause(new CertificateException("cannot read the trusted roots: keystore password was incorrect"));
        assertThat(FetchErrors.tlsReason(e)).isEqualTo("tls: cannot read the trusted roots: keystore password was incorrect");
    }
}
