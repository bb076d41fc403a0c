-- Whether an incident is suspected to be caused by a deliberate or unlawful act: the early
-- warning to CERT-SE asks it. Incidents recorded before this are "vet_ej" (not yet known).
ALTER TABLE incident ADD COLUMN malicious TEXT NOT NULL DEFAULT 'vet_ej';
