package dev.lookout.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The deterministic "model": the reply is a pure function of (model, last user message, variation), where variation
 * is the request seed when temperature > 0 and 0 otherwise. See {@link CheckpointDrift} for how checkpoints drift.
 */
final class Replies {

    static final String ECHO_MARKER = "<<echo>>";

    private enum Drift { REWORDED, MORE_DETAIL, LESS_DETAIL }

    /** The assistant's reply: content plus reasoning (null unless the model thinks). */
    record Reply(String content, String reasoning) {
    }

    Reply reply(ModelSpec model, String prompt, boolean echo, long variation) {
        Phrasebook book = Phrasebook.of(prompt);
        String reasoning = model.think() ? String.format(book.reasoning, book.excerpt(prompt)) : null;
        String content = echo ? prompt : String.join(book.separator, sentences(book, model.step(), prompt, variation));
        return new Reply(content, reasoning);
    }

    private List<String> sentences(Phrasebook book, int step, String prompt, long variation) {
        String excerpt = book.excerpt(prompt);
        SplittableRandom base = new SplittableRandom(Hashing.hash("base", prompt, variation));
        int opener = base.nextInt(book.openers.size());
        List<String> bodies = twoOf(book.bodies, base);
        String closer = book.closers.get(base.nextInt(book.closers.size()));
        if (!CheckpointDrift.changes(prompt, step)) {
            return compose(book.openers.get(opener), excerpt, bodies, List.of(), closer);
        }
        SplittableRandom drift = new SplittableRandom(Hashing.hash("drift", prompt, step, variation));
        List<String> phrases = phrases(book, prompt, step);
        switch (Drift.values()[drift.nextInt(Drift.values().length)]) {
            case REWORDED -> {
                int other = (opener + 1 + drift.nextInt(book.openers.size() - 1)) % book.openers.size();
                String otherCloser = book.closers.get(drift.nextInt(book.closers.size()));
                return compose(book.openers.get(other), excerpt, twoOf(book.bodies, drift), phrases, otherCloser);
            }
            case MORE_DETAIL -> {
                List<String> more = new ArrayList<>(bodies);
                more.addAll(twoOf(book.details, drift).subList(0, 1 + drift.nextInt(2)));
                return compose(book.openers.get(opener), excerpt, more, phrases, closer);
            }
            default -> {
                return compose(book.openers.get(opener), excerpt, bodies.subList(0, 1), phrases, null);
            }
        }
    }

    private static List<String> phrases(Phrasebook book, String prompt, int step) {
        int count = CheckpointDrift.phraseCount(prompt, step);
        int first = (int) Long.remainderUnsigned(Hashing.hash("phrase", prompt), book.phraseSentences.size());
        List<String> phrases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            phrases.add(book.phraseSentences.get((first + i) % book.phraseSentences.size()));
        }
        return phrases;
    }

    private static List<String> compose(String opener, String excerpt, List<String> bodies, List<String> phrases,
                                        String closer) {
        List<String> sentences = new ArrayList<>(bodies.size() + phrases.size() + 2);
        sentences.add(String.format(opener, excerpt));
        sentences.addAll(bodies);
        sentences.addAll(phrases);
        if (closer != null) {
            sentences.add(closer);
        }
        return sentences;
    }

    private static List<String> twoOf(List<String> bank, SplittableRandom random) {
        int first = random.nextInt(bank.size());
        int second = (first + 1 + random.nextInt(bank.size() - 1)) % bank.size();
        return List.of(bank.get(first), bank.get(second));
    }
}
