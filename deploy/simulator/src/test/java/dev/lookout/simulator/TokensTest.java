package dev.lookout.simulator;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokensTest {

    @Test
    void wordsAndCjkCharactersAreTokens() {
        assertEquals(4, Tokens.count("Hello, how are you?"));
        assertEquals(6, Tokens.count("我的退款到账"));
        assertEquals(6, Tokens.count("订单 order #12 到了"));
        assertEquals(0, Tokens.count("   "));
    }

    @Test
    void truncateKeepsTheFirstTokens() {
        assertEquals("Hello, how", Tokens.truncate("Hello, how are you?", 2));
        assertEquals("我的退", Tokens.truncate("我的退款到账", 3));
        assertEquals("Hello, how are you?", Tokens.truncate("Hello, how are you?", 4));
        assertEquals("Hello, how are you?", Tokens.truncate("Hello, how are you?", 40));
    }

    @Test
    void piecesJoinBackToTheText() {
        String text = "  Hi there，您好！ ok ";
        List<String> pieces = Tokens.pieces(text);
        assertEquals(text, String.join("", pieces));
        assertEquals(Tokens.count(text), pieces.size());
    }
}
