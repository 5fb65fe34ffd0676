package dev.lookout.platform.outbox;

import java.util.List;

/** The outbox table as the relay sees it: claim a batch of unpublished rows, then mark them published. */
public interface OutboxStore {

    /**
     * Claims up to {@code limit} unpublished rows, oldest first, in a new transaction that holds them until the claim
     * is closed; concurrent claims (other relays, other instances) skip them.
     */
    Claim claim(int limit);

    /** A batch of claimed rows and the transaction holding them. */
    interface Claim extends AutoCloseable {

        List<OutboxMessage> messages();

        /** Marks every claimed row published and commits. */
        void markPublished();

        /** Ends the claim; unless {@link #markPublished()} committed, the rows stay unpublished. */
        @Override
        void close();
    }
}
