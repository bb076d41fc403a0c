-- Exchange of signed bundles between departments (docs/bundle-format.md).

-- This installation's department identity: its name and public key. The private key is a
-- file beside the database, never in it.
CREATE TABLE identity (
    singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
    name          TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_sequence INTEGER NOT NULL DEFAULT 0
);

-- Other departments' keys, trusted by name; a revoked key stays listed as revoked.
CREATE TABLE trusted_key (
    fingerprint TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    public_key  TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    revoked_at  TEXT,
    revoked_by  TEXT
);

-- The last bundle imported from each sender: replays are refused by its sequence number.
CREATE TABLE peer (
    fingerprint        TEXT PRIMARY KEY,
    installation_id    TEXT NOT NULL,
    name               TEXT NOT NULL,
    last_sequence      INTEGER NOT NULL,
    last_bundle_sha256 TEXT NOT NULL,
    last_imported_at   TEXT NOT NULL
);

-- Version vectors of records changed on more than their own installation (a record without
-- a row has the vector {origin: revision}).
CREATE TABLE record_version (
    record_table TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    versions     TEXT NOT NULL,
    PRIMARY KEY (record_table, record_id)
) WITHOUT ROWID;

ALTER TABLE tombstone ADD COLUMN versions TEXT;

-- Another installation's id for a record this one already has under its own id (the same
-- municipality, förvaltning, catalogue requirement or threat, or method).
CREATE TABLE id_alias (
    record_table TEXT NOT NULL,
    foreign_id   TEXT NOT NULL,
    local_id     TEXT NOT NULL,
    PRIMARY KEY (record_table, foreign_id)
) WITHOUT ROWID;

-- The same record changed here and there since they last met: kept for a person to settle.
CREATE TABLE conflict (
    id              TEXT PRIMARY KEY,
    record_table    TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    mine            TEXT,
    theirs          TEXT,
    theirs_versions TEXT NOT NULL,
    theirs_origin   TEXT NOT NULL,
    sender_name     TEXT NOT NULL,
    sender_fingerprint TEXT NOT NULL,
    detected_at     TEXT NOT NULL,
    resolved_at     TEXT,
    resolution      TEXT,
    resolved_by     TEXT
);
CREATE UNIQUE INDEX conflict_open ON conflict(record_table, record_id) WHERE resolved_at IS NULL;

-- Method version numbers count per installation: a department's method versions arrive
-- with their own numbers. The table is rebuilt (SQLite cannot drop a constraint) with the
-- same rows; references to it are by name and stay valid.
CREATE TABLE method_version_new (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    number      INTEGER NOT NULL,
    note        TEXT NOT NULL,
    definition  TEXT NOT NULL,
    UNIQUE (origin, number)
);
INSERT INTO method_version_new SELECT id, origin, revision, created_at, updated_at, number, note, definition FROM method_version;
DROP TABLE method_version;
ALTER TABLE method_version_new RENAME TO method_version;
