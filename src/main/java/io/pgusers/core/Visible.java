package io.pgusers.core;

/**
 * Text as a person may safely read it. Role and database names are whatever their creators typed: a newline
 * would start a forged row of a table, a carriage return or an ANSI escape would rewrite the terminal, a
 * zero-width or other invisible character would make a lookalike of another name. {@link #escape} shows each
 * such character as an escape ({@code \n}, {@code \u200b}), and a backslash as {@code \\}, so that what is
 * shown is one line and tells every name from every other. (JSON stays exact: its own escaping is enough.)
 */
public final class Visible {
    private Visible() {
    }

    /** {@code text} on one line, its invisible and control characters escaped; null stays null. */
    public static String escape(String text) {
        if (text == null || !needsEscaping(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isInvisible(c)) {
                        out.append(c > 0xFFFF ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Whether {@link #escape} would change {@code text}. */
    public static boolean needsEscaping(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c == '\\' || isInvisible(c)) {
                return true;
            }
            i += Character.charCount(c);
        }
        return false;
    }

    /**
     * Whether {@code c} shows nothing, or something other than itself: controls (C0, DEL, C1), format
     * characters (zero-width spaces and joiners, bidirectional overrides, the soft hyphen), line and
     * paragraph separators, every space but the ASCII one, combining marks (variation selectors among them),
     * the fillers that render as blanks, lone surrogates, private-use and unassigned code points.
     */
    public static boolean isInvisible(int c) {
        if (c == ' ') {
            return false;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
                 Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800 || c == 0x180E;
        };
    }
}
