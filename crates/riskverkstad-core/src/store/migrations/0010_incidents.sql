-- Incidents (issue #19): the incident, what it touched and what came of it, the recipients of
-- reports (data the organisation edits) and the reports sent. Times of an incident are kept
-- as RFC 3339 instants in Swedish time ("2026-11-27T16:00:00+01:00").
CREATE TABLE incident (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    forvaltning_id TEXT REFERENCES forvaltning(id),
    occurred_at TEXT,
    detected_at TEXT,
    known_at    TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    handler_id  TEXT REFERENCES person(id),
    aspects     TEXT NOT NULL,
    consequence INTEGER,
    threat_id   TEXT REFERENCES threat(id),
    cause       TEXT NOT NULL,
    supplier_id TEXT REFERENCES external_party(id),
    personal_data_breach TEXT NOT NULL,
    personal_data_categories TEXT NOT NULL,
    people_affected INTEGER,
    subjects_informed_on TEXT,
    significant INTEGER NOT NULL,
    significance_reasoning TEXT NOT NULL,
    impact      TEXT NOT NULL,
    cross_border TEXT NOT NULL,
    indicators  TEXT NOT NULL,
    measures    TEXT NOT NULL,
    root_cause  TEXT NOT NULL,
    lessons     TEXT NOT NULL,
    status      TEXT NOT NULL,
    closed_on   TEXT
);
CREATE INDEX incident_known ON incident(known_at);

CREATE TABLE incident_link (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incident(id),
    system_id   TEXT REFERENCES system(id),
    information_set_id TEXT REFERENCES information_set(id),
    risk_id     TEXT REFERENCES risk(id),
    action_id   TEXT REFERENCES action(id),
    CHECK ((system_id IS NOT NULL) + (information_set_id IS NOT NULL) + (risk_id IS NOT NULL) + (action_id IS NOT NULL) = 1)
);
CREATE INDEX incident_link_incident ON incident_link(incident_id);
CREATE INDEX incident_link_system ON incident_link(system_id);

CREATE TABLE recipient (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    name        TEXT NOT NULL,
    receives    TEXT NOT NULL,
    address     TEXT NOT NULL,
    note        TEXT NOT NULL
);

CREATE TABLE incident_report (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incident(id),
    kind        TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES recipient(id),
    reference   TEXT NOT NULL,
    note        TEXT NOT NULL
);
CREATE INDEX incident_report_incident ON incident_report(incident_id);
