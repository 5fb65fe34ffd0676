package dev.lookout.review.service;

/** A vote seen from the candidate: the screen position is mapped back through the item's stored side. */
public enum Outcome {
    WIN, LOSS, TIE, BOTH_BAD;

    public static Outcome of(Choice choice, Side candidateSide) {
        return switch (choice) {
            case TIE -> TIE;
            case BOTH_BAD -> BOTH_BAD;
            case A -> candidateSide == Side.A ? WIN : LOSS;
            case B -> candidateSide == Side.B ? WIN : LOSS;
        };
    }
}
