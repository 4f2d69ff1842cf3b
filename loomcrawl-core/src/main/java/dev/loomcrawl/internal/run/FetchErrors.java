package dev.loomcrawl.internal.run;

import dev.loomcrawl.internal.fetch.AddressGuard;
import dev.loomcrawl.internal.fetch.TlsTrust;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Turns a transport failure into the short reason recorded on a page, and tells whether it may pass. */
final class FetchErrors {

    private FetchErrors() {}

    static String reason(IOException e) {
        return switch (e) {
            case SocketTimeoutException t when t.getMessage() != null && t.getMessage().endsWith("timeout") ->
                    t.getMessage();
            case SocketTimeoutException t -> "timeout";
            case HttpConnectTimeoutException t -> "connect timeout";
            case HttpTimeoutException t -> "first byte timeout";
            case AddressGuard.RefusedAddress r -> r.getMessage();
            case ConnectException c -> "connection refused";
            case UnknownHostException u -> "unknown host";
            case NoRouteToHostException n -> "no route to host";
            case SSLException s -> tlsReason(s);
            case EOFException eof -> eof.getMessage() == null ? "connection closed" : eof.getMessage();
            case SocketException s when isReset(s) -> "connection reset";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    /** A server that answered a TLS handshake with something else: plain http, most often, on an https URL. */
    static final String NOT_TLS = "tls: the server does not speak TLS (plain http on an https URL?)";

    /**
     * A TLS failure in words: {@code tls: untrusted certificate}, {@code tls: certificate expired},
     * {@code tls: hostname mismatch}, {@code tls: protocol version}, {@link #NOT_TLS},
     * {@code tls: handshake failure (...)}, ...
     */
    static String tlsReason(SSLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof CertificateExpiredException || t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "tls: certificate expired";
            }
            if (t instanceof CertificateNotYetValidException || t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return "tls: certificate not yet valid";
            }
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                return "tls: certificate revoked";
            }
            if (message.startsWith(TlsTrust.UNREADABLE_ROOTS)) {
                return "tls: " + message; // the JDK's trust store (javax.net.ssl.trustStore and its password)
            }
            if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
                return "tls: hostname mismatch";
            }
            if (message.contains("PKIX path building failed") || message.contains("unable to find valid certification path")
                    || t instanceof CertPathValidatorException) {
                return "tls: untrusted certificate";
            }
            if (message.contains("Unsupported or unrecognized SSL message") || message.contains("plaintext connection?")
                    || message.contains("Unable to parse TLS packet header")
                    || message.contains(":WRONG_VERSION_NUMBER")) {
                return NOT_TLS;
            }
            if (message.contains("protocol_version") || message.contains("not accepted by client preferences")
                    || message.contains("No appropriate protocol") || message.contains("PROTOCOL_VERSION")
                    || message.contains(":UNSUPPORTED_PROTOCOL")) {
                return "tls: protocol version";
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : nativeReason(e.getMessage());
        return e instanceof SSLHandshakeException ? "tls: handshake failure (" + message + ")" : "tls: " + message;
    }

    /**
     * The reason in a message of the native TLS engine: the name after {@code OPENSSL_internal:} in words, an alert
     * in the JDK's words ({@code SSLV3_ALERT_HANDSHAKE_FAILURE} is {@code Received fatal alert: handshake_failure});
     * any other message on one line, without the engine's memory addresses, so that a run's output does not depend
     * on where memory was.
     */
    static String nativeReason(String message) {
        int at = message.lastIndexOf(NATIVE_REASON);
        if (at < 0) {
            return message.replaceAll("ssl=0x[0-9a-fA-F]+:\\s*", "").replaceAll("\\s+", " ").strip();
        }
        int start = at + NATIVE_REASON.length();
        int end = start;
        while (end < message.length()
                && (Character.isLetterOrDigit(message.charAt(end)) || message.charAt(end) == '_')) {
            end++;
        }
        String reason = message.substring(start, end).toLowerCase(Locale.ROOT);
        for (String alert : List.of("sslv3_alert_", "tlsv1_alert_")) {
            if (reason.startsWith(alert)) {
                return "Received fatal alert: " + reason.substring(alert.length());
            }
        }
        return reason.replace('_', ' ');
    }

    /** What precedes the reason in the native engine's error strings (BoringSSL's, through Conscrypt). */
    private static final String NATIVE_REASON = "OPENSSL_internal:";

    /**
     * Whether the failure may pass if the request is made again: refused, reset or closed connections and
     * timeouts. Unknown hosts, TLS and protocol errors will not.
     */
    static boolean isTransient(IOException e) {
        return switch (e) {
            case SocketTimeoutException t -> true;
            case HttpTimeoutException t -> true;
            case AddressGuard.RefusedAddress r -> false;
            case ConnectException c -> true;
            case EOFException eof -> true;
            case SocketException s -> isReset(s) || s.getMessage() != null
                    && s.getMessage().toLowerCase(Locale.ROOT).contains("broken pipe");
            default -> false;
        };
    }

    /** Whether an HTTP status is worth another try: 408, 429, 502, 503, 504. */
    static boolean isTransient(int status) {
        return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
    }

    private static boolean isReset(SocketException s) {
        return s.getMessage() != null && s.getMessage().toLowerCase(Locale.ROOT).contains("reset");
    }
}
