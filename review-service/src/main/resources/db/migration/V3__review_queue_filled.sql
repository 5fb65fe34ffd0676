-- /api/reviews/next used to re-count the live slots of every item of the project's open batches on each call
-- (O(batch size) per call). An item whose k slots all hold votes can never take a reviewer again (votes are
-- kept, assignments never deleted), so it is marked once and leaves the partial index the queue scans.
-- `filled` is only a pre-filter: the pick still checks the live slots, under the item's row lock.
ALTER TABLE items ADD COLUMN filled boolean NOT NULL DEFAULT false;

UPDATE items i SET filled = true
  FROM batches b
 WHERE b.id = i.batch_id
   AND (SELECT count(*) FROM assignments a WHERE a.item_id = i.id AND a.voted_at IS NOT NULL) >= b.reviews_per_item;

CREATE INDEX items_unfilled_idx ON items (batch_id, position) WHERE NOT filled;
