package dev.loomcrawl.cli;

import dev.loomcrawl.Crawler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sites of a run, in the order given: the start URLs on the command line, then those of {@code --sites FILE}
 * (one a line; blank lines and lines starting with {@code #} are skipped; {@code -} reads stdin). A line that is
 * not an http(s) URL, or names a site listed before, is kept as a site that fails with its reason, so that one bad
 * line never stops the others.
 */
final class SiteList {

    /**
     * One site of the list.
     *
     * @param index its place in the list, from 0
     * @param where where it was given: {@code FILE:LINE}, or {@code argument N}
     * @param given the text as given
     * @param start the normalized start URL, or {@code null} when the text is not one
     * @param problem why the site is not crawled, or {@code null}
     */
    record Site(int index, String where, String given, String start, String problem) {
        /** The start URL, or the text as given when it is not one: the site's name in outputs and messages. */
        String name() {
            return start != null ? start : given;
        }
    }

    private SiteList() {}

    /**
     * The sites of {@code urls} and then of {@code file}.
     *
     * @param stdin read when {@code file} is {@code -}
     * @throws Refused with {@link ExitCode#USAGE} when the file cannot be read, is not UTF-8 text, or the list is empty
     */
    static List<Site> of(List<String> urls, Path file, InputStream stdin) {
        List<Site> sites = new ArrayList<>();
        Map<String, String> listed = new HashMap<>();
        for (int i = 0; i < urls.size(); i++) {
            add(sites, listed, "argument " + (i + 1), urls.get(i));
        }
        if (file != null) {
            String name = file.toString().equals("-") ? "stdin" : file.toString();
            byte[] bytes;
            try {
                bytes = file.toString().equals("-") ? stdin.readAllBytes() : Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new Refused("cannot read the site list " + name + ": no such file", ExitCode.USAGE);
            } catch (IOException e) {
                throw new Refused("cannot read the site list " + name + ": " + (e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()), ExitCode.USAGE);
            }
            int lines = 0;
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            for (int from = 0; from < bytes.length; ) {
                int to = from;
                while (to < bytes.length && bytes[to] != '\n') {
                    to++;
                }
                lines++;
                String line;
                try {
                    line = utf8.decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
                } catch (CharacterCodingException e) {
                    throw new Refused("the site list " + name + " is not UTF-8 text, at line " + lines, ExitCode.USAGE);
                }
                if (line.indexOf('\0') >= 0) {
                    throw new Refused("the site list " + name + " is not text: line " + lines + " holds a NUL byte",
                            ExitCode.USAGE);
                }
                String text = (lines == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    add(sites, listed, name + ":" + lines, text);
                }
                from = to + 1;
            }
            if (sites.size() == urls.size()) {
                throw new Refused("the site list " + name + " holds no start URL (" + lines + " line"
                        + (lines == 1 ? "" : "s") + ", all blank or # comments)", ExitCode.USAGE);
            }
        }
        return sites;
    }

    private static void add(List<Site> sites, Map<String, String> listed, String where, String given) {
        String start = Crawler.normalize(given);
        String problem = null;
        if (start == null) {
            problem = "invalid URL: it must be an absolute http or https URL";
        } else if (listed.containsKey(start)) {
            problem = "listed before, at " + listed.get(start);
        } else {
            listed.put(start, where);
        }
        sites.add(new Site(sites.size(), where, given, start, problem));
    }
}
