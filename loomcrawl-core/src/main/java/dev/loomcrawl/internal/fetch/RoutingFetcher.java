package dev.loomcrawl.internal.fetch;

import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/** Sends what goes direct (http and https without a proxy) over {@link Http1Client}, the rest over {@link JdkHttpFetcher} (made lazily). */
final class RoutingFetcher implements HttpFetcher {

    private final FetchSettings settings;
    private final Http1Client http1;
    private volatile JdkHttpFetcher jdk;
    private volatile boolean closed;

    RoutingFetcher(FetchSettings settings) {
        this.settings = settings;
        this.http1 = new Http1Client(settings);
    }

    @Override
    public FetchResponse get(String url) throws IOException, InterruptedException {
        if (settings.proxy() == null) {
            return http1.get(url);
        }
        return jdk().get(url);
    }

    @Override
    public FetchResponse head(String url) throws IOException, InterruptedException {
        if (settings.proxy() == null) {
            return http1.head(url);
        }
        return jdk().head(url);
    }

    /** The fetcher through the proxy, made on first use; its TLS context is made (reading files) before the lock. */
    private JdkHttpFetcher jdk() throws IOException, InterruptedException {
        JdkHttpFetcher j = jdk;
        if (j == null) {
            SSLContext tls;
            try {
                tls = settings.tls().jdkContext();
            } catch (GeneralSecurityException | IllegalStateException e) {
                throw new SSLException("no TLS implementation: " + e.getMessage(), e);
            }
            synchronized (this) {
                if (closed) {
                    throw new IOException("fetcher closed");
                }
                j = jdk;
                if (j == null) {
                    j = new JdkHttpFetcher(settings, tls);
                    jdk = j;
                }
            }
        }
        return j;
    }

    @Override
    public void close() {
        http1.close();
        JdkHttpFetcher j;
        synchronized (this) {
            closed = true;
            j = jdk;
        }
        if (j != null) {
            j.close();
        }
    }
}
