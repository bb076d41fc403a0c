-- Who may change what in an exchange (docs/bundle-format.md, version 2).

-- A trusted key's authority: a department ('avdelning') changes only what it made and what
-- belongs to its förvaltningar; a central office ('central') relays every installation's
-- changes. Keys trusted before roles existed become departments without förvaltningar: the
-- safe choice, which the receiver widens (a central office's key is set to 'central').
ALTER TABLE trusted_key ADD COLUMN role TEXT NOT NULL DEFAULT 'avdelning' CHECK (role IN ('avdelning', 'central'));
-- The förvaltningar (names, as a JSON array) a department's key answers for.
ALTER TABLE trusted_key ADD COLUMN forvaltningar TEXT NOT NULL DEFAULT '[]';
-- Who compared the fingerprint with the sender, and when; and when the trust ends.
ALTER TABLE trusted_key ADD COLUMN compared_by TEXT;
ALTER TABLE trusted_key ADD COLUMN compared_at TEXT;
ALTER TABLE trusted_key ADD COLUMN expires_on TEXT;

-- The förvaltningar (names, JSON array) a sender's bundles have touched: a bundle touching
-- another is warned about.
ALTER TABLE peer ADD COLUMN forvaltningar_seen TEXT NOT NULL DEFAULT '[]';

-- Installations' keys as learnt: from a sender's own bundle, or vouched for by a central
-- office. An installation id is bound to one key; a bundle or an attestation that claims the
-- id with another key is refused.
CREATE TABLE installation_key (
    installation_id TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    learnt_from     TEXT NOT NULL,
    learnt_at       TEXT NOT NULL
) WITHOUT ROWID;

-- Change attestations: an installation's signed list of the record versions it made. Kept
-- as signed, so that a relay passes them on unchanged. A batch's body can be megabytes: the
-- references to it go to its integer id, checked without reading the body.
CREATE TABLE attestation_batch (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,
    installation_id TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    body            TEXT NOT NULL,
    signature       TEXT NOT NULL
);

-- Per record: which batch attests each installation's newest change of it (the batch holds
-- the content hash). This is what an export passes on.
CREATE TABLE attestation (
    record_table    TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    installation_id TEXT NOT NULL,
    n               INTEGER NOT NULL,
    batch_id        INTEGER NOT NULL REFERENCES attestation_batch(id),
    PRIMARY KEY (record_table, record_id, installation_id)
) WITHOUT ROWID;

-- Who made each version of a record that an import wrote, and who sent it: the history shows
-- it beside the import's audit entry (same record, same time). The newest is the record's
-- current version while the record still has the vector it was received with (a local
-- change moves the vector).
CREATE TABLE received_change (
    record_table TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    versions     TEXT NOT NULL,
    maker        TEXT,
    maker_name   TEXT NOT NULL,
    sender_name  TEXT NOT NULL,
    sender_fingerprint TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (record_table, record_id, received_at)
) WITHOUT ROWID;

-- Records for which the receiver lets one sender's out-of-scope changes through, as
-- conflicts to settle (never as automatic changes).
CREATE TABLE exchange_allowance (
    record_table       TEXT NOT NULL,
    record_id          TEXT NOT NULL,
    sender_fingerprint TEXT NOT NULL,
    allowed_at         TEXT NOT NULL,
    allowed_by         TEXT NOT NULL,
    PRIMARY KEY (record_table, record_id, sender_fingerprint)
) WITHOUT ROWID;

-- Who made the "theirs" of a conflict (installation name; empty when not proven).
ALTER TABLE conflict ADD COLUMN theirs_maker TEXT NOT NULL DEFAULT '';
