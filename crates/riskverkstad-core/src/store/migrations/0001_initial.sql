-- Riskverkstad schema version 1.
-- Migrations are only ever appended (0002_…, 0003_…); this file never changes once released.
-- Every record table starts with the common columns id, origin, revision, created_at,
-- updated_at; the rest are named as the fields of the record type in model.rs. Lists and
-- nested values are JSON text; dates are ISO 8601 text; booleans 0/1.

CREATE TABLE installation (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE organisation (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    name        TEXT NOT NULL,
    org_number  TEXT
);

CREATE TABLE forvaltning (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisation(id),
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    kind        TEXT NOT NULL
);

CREATE TABLE unit (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    forvaltning_id TEXT NOT NULL REFERENCES forvaltning(id),
    name        TEXT NOT NULL
);

CREATE TABLE person (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT,
    title       TEXT,
    forvaltning_id TEXT REFERENCES forvaltning(id),
    unit_id     TEXT REFERENCES unit(id)
);

CREATE TABLE external_party (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    org_number  TEXT
);

CREATE TABLE system (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    name        TEXT NOT NULL,
    aliases     TEXT NOT NULL,
    description TEXT NOT NULL,
    category    TEXT NOT NULL,
    forvaltning_id TEXT NOT NULL REFERENCES forvaltning(id),
    unit_id     TEXT REFERENCES unit(id),
    pm3_object  TEXT,
    lifecycle   TEXT NOT NULL,
    in_operation_since TEXT,
    decommission_on TEXT,
    supplier_id TEXT REFERENCES external_party(id),
    contract_end TEXT,
    notice_period_months INTEGER,
    security_requirements_in_contract INTEGER,
    operation_form TEXT,
    data_location TEXT,
    personal_data INTEGER,
    sensitive_personal_data INTEGER,
    dpia_done   INTEGER,
    processor_agreement INTEGER,
    business_critical INTEGER NOT NULL,
    samhallsviktig INTEGER NOT NULL,
    samhallsviktig_reason TEXT,
    nis2        TEXT NOT NULL,
    sakerhetsskydd INTEGER NOT NULL,
    rto_hours   INTEGER,
    rpo_hours   INTEGER,
    backup_frequency TEXT,
    restore_tested_on TEXT,
    mfa         INTEGER,
    logging     INTEGER,
    system_security_plan INTEGER,
    last_review_on TEXT,
    last_review_by TEXT REFERENCES person(id)
);
CREATE INDEX system_forvaltning ON system(forvaltning_id);

CREATE TABLE information_set (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    forvaltning_id TEXT REFERENCES forvaltning(id),
    personal_data INTEGER,
    sensitive_personal_data INTEGER
);

CREATE TABLE role_assignment (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES person(id),
    role        TEXT NOT NULL,
    system_id   TEXT REFERENCES system(id),
    information_set_id TEXT REFERENCES information_set(id),
    CHECK ((system_id IS NULL) <> (information_set_id IS NULL))
);
CREATE INDEX role_assignment_system ON role_assignment(system_id);
CREATE INDEX role_assignment_information_set ON role_assignment(information_set_id);
CREATE INDEX role_assignment_person ON role_assignment(person_id);

CREATE TABLE dependency (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    system_id   TEXT NOT NULL REFERENCES system(id),
    depends_on_system_id TEXT REFERENCES system(id),
    depends_on_party_id TEXT REFERENCES external_party(id),
    kind        TEXT NOT NULL,
    description TEXT,
    CHECK ((depends_on_system_id IS NULL) <> (depends_on_party_id IS NULL))
);
CREATE INDEX dependency_system ON dependency(system_id);
CREATE INDEX dependency_target ON dependency(depends_on_system_id);

CREATE TABLE system_information_set (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    system_id   TEXT NOT NULL REFERENCES system(id),
    information_set_id TEXT NOT NULL REFERENCES information_set(id),
    UNIQUE (system_id, information_set_id)
);
CREATE INDEX system_information_set_set ON system_information_set(information_set_id);

CREATE TABLE method_version (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    number      INTEGER NOT NULL UNIQUE,
    note        TEXT NOT NULL,
    definition  TEXT NOT NULL
);

CREATE TABLE classification (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    information_set_id TEXT NOT NULL REFERENCES information_set(id),
    method_version_id TEXT NOT NULL REFERENCES method_version(id),
    status      TEXT NOT NULL,
    assessments TEXT NOT NULL,
    participants TEXT NOT NULL,
    classified_on TEXT NOT NULL,
    decided_by  TEXT REFERENCES person(id),
    decided_on  TEXT
);
CREATE INDEX classification_information_set ON classification(information_set_id);

CREATE TABLE protection_raise (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    system_id   TEXT NOT NULL REFERENCES system(id),
    aspect      TEXT NOT NULL,
    level       INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    motivering  TEXT NOT NULL,
    decided_by  TEXT REFERENCES person(id),
    decided_on  TEXT NOT NULL,
    method_version_id TEXT NOT NULL REFERENCES method_version(id)
);
CREATE INDEX protection_raise_system ON protection_raise(system_id);

CREATE TABLE requirement (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    aspect      TEXT NOT NULL,
    min_level   INTEGER NOT NULL,
    iso_controls TEXT NOT NULL,
    builtin     INTEGER NOT NULL
);

CREATE TABLE requirement_status (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    system_id   TEXT NOT NULL REFERENCES system(id),
    requirement_id TEXT NOT NULL REFERENCES requirement(id),
    status      TEXT NOT NULL,
    how         TEXT NOT NULL,
    assessed_on TEXT,
    UNIQUE (system_id, requirement_id)
);

CREATE TABLE threat (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    description TEXT NOT NULL,
    aspects     TEXT NOT NULL,
    orsak       TEXT NOT NULL,
    handelse    TEXT NOT NULL,
    konsekvens  TEXT NOT NULL,
    builtin     INTEGER NOT NULL
);

CREATE TABLE risk_analysis (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    title       TEXT NOT NULL,
    scope       TEXT NOT NULL,
    analysed_on TEXT NOT NULL,
    participants TEXT NOT NULL,
    system_id   TEXT REFERENCES system(id),
    process     TEXT,
    method_version_id TEXT NOT NULL REFERENCES method_version(id)
);
CREATE INDEX risk_analysis_system ON risk_analysis(system_id);

CREATE TABLE risk (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    analysis_id TEXT NOT NULL REFERENCES risk_analysis(id),
    threat_id   TEXT REFERENCES threat(id),
    title       TEXT NOT NULL,
    orsak       TEXT NOT NULL,
    handelse    TEXT NOT NULL,
    konsekvens  TEXT NOT NULL,
    aspects     TEXT NOT NULL,
    probability INTEGER NOT NULL,
    consequence INTEGER NOT NULL,
    treatment   TEXT,
    treatment_description TEXT NOT NULL,
    residual_probability INTEGER,
    residual_consequence INTEGER,
    owner_id    TEXT REFERENCES person(id),
    accepted_by TEXT REFERENCES person(id),
    accepted_as TEXT,
    accepted_on TEXT,
    acceptance_reason TEXT
);
CREATE INDEX risk_analysis_id ON risk(analysis_id);

CREATE TABLE action (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    system_id   TEXT REFERENCES system(id),
    responsible_id TEXT REFERENCES person(id),
    due_on      TEXT,
    status      TEXT NOT NULL,
    completed_on TEXT
);
CREATE INDEX action_system ON action(system_id);

CREATE TABLE action_link (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    action_id   TEXT NOT NULL REFERENCES action(id),
    risk_id     TEXT REFERENCES risk(id),
    requirement_id TEXT REFERENCES requirement(id),
    CHECK ((risk_id IS NULL) <> (requirement_id IS NULL))
);
CREATE INDEX action_link_action ON action_link(action_id);
CREATE INDEX action_link_risk ON action_link(risk_id);

CREATE TABLE decision (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    system_id   TEXT REFERENCES system(id),
    forvaltning_id TEXT REFERENCES forvaltning(id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    summary     TEXT NOT NULL,
    state       TEXT NOT NULL,
    diarienummer TEXT,
    decided_by  TEXT REFERENCES person(id),
    presented_by TEXT REFERENCES person(id),
    decided_on  TEXT,
    valid_until TEXT,
    outcome     TEXT,
    conditions  TEXT NOT NULL
);
CREATE INDEX decision_system ON decision(system_id);

-- Deletions, kept so that they can travel to other installations.
CREATE TABLE tombstone (
    record_table TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    origin      TEXT NOT NULL,
    deleted_at  TEXT NOT NULL,
    PRIMARY KEY (record_table, record_id)
);

-- Append-only, hash-chained log of every write.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    operation   TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    record_table TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    before      TEXT,
    after       TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log(record_id);
