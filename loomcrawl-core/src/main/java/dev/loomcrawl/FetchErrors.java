package dev.loomcrawl;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Turns a transport failure into the short reason recorded on a page. */
final class FetchErrors {

    private FetchErrors() {}

    static String reason(IOException e) {
        return switch (e) {
            case SocketTimeoutException t -> "timeout";
            case HttpTimeoutException t -> "timeout";
            case ConnectException c -> "connection refused";
            case UnknownHostException u -> "unknown host";
            case NoRouteToHostException n -> "no route to host";
            case SSLException s -> "tls error: " + s.getMessage();
            case EOFException eof -> "connection closed";
            case SocketException s when s.getMessage() != null
                    && s.getMessage().toLowerCase(Locale.ROOT).contains("reset") -> "connection reset";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
