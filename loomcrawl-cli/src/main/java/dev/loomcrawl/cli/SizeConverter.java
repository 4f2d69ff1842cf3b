package dev.loomcrawl.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads sizes written like {@code 500000}, {@code 512KB}, {@code 5MB} or {@code 1GB} (powers of 1024; {@code KiB} too). */
final class SizeConverter implements CommandLine.ITypeConverter<Integer> {

    private static final Pattern FORM = Pattern.compile("(\\d{1,10})\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

    @Override
    public Integer convert(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a size; write it like 500000, 512KB, 5MB or 1GB");
        }
        long n = Long.parseLong(m.group(1));
        long bytes = switch (m.group(2).isEmpty() ? ' ' : m.group(2).charAt(0)) {
            case 'k' -> n << 10;
            case 'm' -> n << 20;
            case 'g' -> n << 30;
            default -> n;
        };
        if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
            throw new CommandLine.TypeConversionException("'" + value + "' must be between 1 byte and 2GB");
        }
        return (int) bytes;
    }
}
