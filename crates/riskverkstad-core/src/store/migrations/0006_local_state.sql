-- What belongs to this installation's copy of the database and is never exchanged or
-- audited as a record: when a restore from backup was last tested, the idle time after which
-- the app locks. One row per key.
CREATE TABLE local_state (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
