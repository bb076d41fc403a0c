-- Recurring controls, time-limited exceptions, the baseline and extra requirements, and the
-- free-text parts of the systemsäkerhetsplan (issue #20).
ALTER TABLE requirement ADD COLUMN baseline INTEGER NOT NULL DEFAULT 0;

CREATE TABLE control_kind (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    interval_months INTEGER NOT NULL,
    requirement_codes TEXT NOT NULL,
    figures     TEXT NOT NULL,
    builtin     INTEGER NOT NULL
);

CREATE TABLE control (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    kind_id     TEXT NOT NULL REFERENCES control_kind(id),
    title       TEXT NOT NULL,
    system_id   TEXT REFERENCES system(id),
    forvaltning_id TEXT REFERENCES forvaltning(id),
    interval_months INTEGER NOT NULL,
    responsible_id TEXT REFERENCES person(id),
    method      TEXT NOT NULL,
    requirement_codes TEXT NOT NULL,
    first_due   TEXT NOT NULL,
    ended_on    TEXT
);
CREATE INDEX control_system ON control(system_id);

CREATE TABLE control_run (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    control_id  TEXT NOT NULL REFERENCES control(id),
    done_on     TEXT NOT NULL,
    done_by     TEXT NOT NULL,
    method      TEXT NOT NULL,
    result      TEXT NOT NULL,
    findings    TEXT NOT NULL,
    note        TEXT NOT NULL,
    accounts_reviewed INTEGER,
    accounts_removed INTEGER,
    restore_hours INTEGER
);
CREATE INDEX control_run_control ON control_run(control_id);

CREATE TABLE exception (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    system_id   TEXT NOT NULL REFERENCES system(id),
    requirement_id TEXT NOT NULL REFERENCES requirement(id),
    reason      TEXT NOT NULL,
    compensating TEXT NOT NULL,
    probability INTEGER,
    consequence INTEGER,
    approved_by TEXT REFERENCES person(id),
    approved_as TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    withdrawn_on TEXT
);
CREATE INDEX exception_system ON exception(system_id);

CREATE TABLE extra_requirement (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    system_id   TEXT NOT NULL REFERENCES system(id),
    requirement_id TEXT NOT NULL REFERENCES requirement(id),
    source      TEXT NOT NULL,
    note        TEXT NOT NULL
);
CREATE INDEX extra_requirement_system ON extra_requirement(system_id);

CREATE TABLE security_plan (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    system_id   TEXT NOT NULL REFERENCES system(id),
    access_profiles TEXT NOT NULL,
    logging     TEXT NOT NULL,
    backup      TEXT NOT NULL,
    continuity  TEXT NOT NULL,
    organisation TEXT NOT NULL,
    other       TEXT NOT NULL
);
CREATE UNIQUE INDEX security_plan_system ON security_plan(system_id);
