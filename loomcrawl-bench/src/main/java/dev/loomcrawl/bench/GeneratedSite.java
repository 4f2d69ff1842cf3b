package dev.loomcrawl.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A site of any size that costs the server no memory: page {@code /p/I} is made when asked for, and links to its
 * parent and to pages {@code 4I+1} to {@code 4I+4} below {@code pages}, so every page is reachable from
 * {@code /p/0} and the link depth is about log4 of the size. For the memory benchmark of a 1,000,000-page crawl.
 * Serves on 127.0.0.1 until the process is stopped.
 */
final class GeneratedSite {

    private GeneratedSite() {}

    static void serve(int port, long pages) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> answer(exchange, pages));
        server.start();
        System.out.println("serving " + pages + " pages at http://127.0.0.1:" + port + "/p/0");
    }

    private static void answer(HttpExchange exchange, long pages) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            long i = -1;
            if (path.startsWith("/p/")) {
                try {
                    i = Long.parseLong(path.substring(3));
                } catch (NumberFormatException e) {
                    i = -1;
                }
            }
            if (i < 0 || i >= pages) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            StringBuilder html = new StringBuilder(256).append("<!doctype html><title>page ").append(i)
                    .append("</title><p>Generated page ").append(i).append(".</p>\n<a href=/p/").append(i / 4).append(">up</a>");
            for (long c = 4 * i + 1; c <= 4 * i + 4 && c < pages; c++) {
                html.append(" <a href=/p/").append(c).append(">page ").append(c).append("</a>");
            }
            byte[] body = html.append('\n').toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
