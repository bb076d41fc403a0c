-- Frozen decisions (arkivlagen): the PDF of a decision is stored once, addressed by its
-- SHA-256, and never changes; the decision record names it.
CREATE TABLE decision_document (
    sha256    TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bytes     BLOB NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TRIGGER decision_document_no_update BEFORE UPDATE ON decision_document
BEGIN
    SELECT RAISE(ABORT, 'ett arkiverat beslutsdokument ändras aldrig');
END;
CREATE TRIGGER decision_document_no_delete BEFORE DELETE ON decision_document
BEGIN
    SELECT RAISE(ABORT, 'ett arkiverat beslutsdokument tas aldrig bort');
END;

ALTER TABLE decision ADD COLUMN document_sha256 TEXT REFERENCES decision_document(sha256);
-- The key figures of a lägesbild, for the trend in the next one (JSON).
ALTER TABLE decision ADD COLUMN key_figures TEXT;

-- A frozen decision keeps what was decided and what its document shows; only its state may
-- move on, from beslutad to ersatt (when a newer version is decided).
CREATE TRIGGER decision_frozen_update BEFORE UPDATE ON decision
WHEN OLD.document_sha256 IS NOT NULL AND (
    NEW.document_sha256 IS NOT OLD.document_sha256 OR NEW.kind IS NOT OLD.kind
    OR NEW.title IS NOT OLD.title OR NEW.version IS NOT OLD.version
    OR NEW.system_id IS NOT OLD.system_id OR NEW.forvaltning_id IS NOT OLD.forvaltning_id
    OR NEW.summary IS NOT OLD.summary OR NEW.diarienummer IS NOT OLD.diarienummer
    OR NEW.decided_by IS NOT OLD.decided_by OR NEW.presented_by IS NOT OLD.presented_by
    OR NEW.decided_on IS NOT OLD.decided_on OR NEW.valid_until IS NOT OLD.valid_until
    OR NEW.outcome IS NOT OLD.outcome OR NEW.conditions IS NOT OLD.conditions
    OR NEW.key_figures IS NOT OLD.key_figures
    OR (NEW.state IS NOT OLD.state AND NOT (OLD.state = 'beslutad' AND NEW.state = 'ersatt')))
BEGIN
    SELECT RAISE(ABORT, 'ett fattat beslut ändras inte; fatta ett nytt beslut');
END;
CREATE TRIGGER decision_frozen_delete BEFORE DELETE ON decision
WHEN OLD.document_sha256 IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'ett fattat beslut tas inte bort');
END;
CREATE INDEX decision_subject ON decision(kind, system_id, forvaltning_id, version);
-- One archived version per number and subject (the transaction already ensures it).
CREATE UNIQUE INDEX decision_frozen_version ON decision(
    kind, ifnull(system_id, ''), CASE WHEN system_id IS NULL THEN ifnull(forvaltning_id, '') END, version)
WHERE document_sha256 IS NOT NULL;
