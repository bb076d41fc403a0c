-- The audit log keeps what changed instead of whole records (issue #21: it was most of the
-- file). Entries written from here on are format 2:
--   insert  the SHA-256 of the record as created (state), no copy of it;
--   update  the changed fields before and after, and the SHA-256 of the record after;
--   delete  the whole record before, so that undo can bring it back.
-- Their prev_hash is left empty: it is the previous entry's hash, which the chain holds
-- already. Entries written before stay format 1, whole records, checked as they were.
ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN state TEXT;

-- Undo finds a user action's first entry by walking back from its last one while time, actor
-- and action stay the same (its entries are contiguous, written in one transaction); the index
-- on them was a tenth of the file.
DROP INDEX audit_log_group;
