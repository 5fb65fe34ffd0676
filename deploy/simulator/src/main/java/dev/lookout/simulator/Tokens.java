package dev.lookout.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's tokenizer: a CJK character is one token, any other run of non-whitespace characters (a word,
 * including its punctuation) is one token. Whitespace belongs to the token that follows it.
 */
final class Tokens {

    private Tokens() {
    }

    static boolean isCjk(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN
                || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || script == Character.UnicodeScript.HANGUL;
    }

    static boolean containsCjk(String text) {
        return text.codePoints().anyMatch(Tokens::isCjk);
    }

    static int count(String text) {
        int tokens = 0;
        for (int at = nextEnd(text, 0); at > 0; at = nextEnd(text, at)) {
            tokens++;
        }
        return tokens;
    }

    /**
     * The text cut into pieces of one token each (leading whitespace included); joined they give back the text.
     * Trailing whitespace stays with the last piece.
     */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int end = nextEnd(text, 0); end > 0; end = nextEnd(text, end)) {
            pieces.add(text.substring(start, end));
            start = end;
        }
        if (start < text.length()) {
            if (pieces.isEmpty()) {
                pieces.add(text.substring(start));
            } else {
                pieces.set(pieces.size() - 1, pieces.get(pieces.size() - 1) + text.substring(start));
            }
        }
        return pieces;
    }

    /** The first {@code max} tokens of the text, or the text itself when it has no more than that. */
    static String truncate(String text, int max) {
        int end = 0;
        for (int i = 0; i < max; i++) {
            int next = nextEnd(text, end);
            if (next < 0) {
                return text;
            }
            end = next;
        }
        return nextEnd(text, end) < 0 ? text : text.substring(0, end);
    }

    /** End index of the token that starts after any whitespace at {@code from}, or -1 when no token is left. */
    private static int nextEnd(String text, int from) {
        int at = from;
        while (at < text.length() && Character.isWhitespace(text.codePointAt(at))) {
            at += Character.charCount(text.codePointAt(at));
        }
        if (at >= text.length()) {
            return -1;
        }
        int first = text.codePointAt(at);
        at += Character.charCount(first);
        if (isCjk(first)) {
            return at;
        }
        while (at < text.length()) {
            int cp = text.codePointAt(at);
            if (Character.isWhitespace(cp) || isCjk(cp)) {
                break;
            }
            at += Character.charCount(cp);
        }
        return at;
    }
}
