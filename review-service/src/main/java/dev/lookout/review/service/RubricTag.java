package dev.lookout.review.service;

/** One rubric tag: a stable id (votes store it) and its label in English and Chinese (either may be null). */
public record RubricTag(String id, Label label) {

    public record Label(String en, String zh) {
        /** "zh / en" as the old config wrote it, or the one label there is. */
        public String combined() {
            if (en != null && zh != null) {
                return zh + " / " + en;
            }
            return en != null ? en : zh;
        }
    }

    /** Whether a tag as a client sent it names this tag: its id, either label, or the old combined label. */
    public boolean matches(String given) {
        return given != null && (given.equals(id) || given.equals(label.en()) || given.equals(label.zh())
                || given.equals(label.combined()));
    }
}
