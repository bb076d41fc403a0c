-- Follow-up through the year (uppföljning): requirement assessments with their evidence and
-- assessor, actions with a progress note and the condition they fulfil, risk analyses with a
-- status and the analysis they were redone from, risks marked for review after a redo, and a
-- fastställd classification that no longer changes.

ALTER TABLE requirement_status ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE requirement_status ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE requirement_status ADD COLUMN evidence_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE requirement_status ADD COLUMN assessed_by TEXT REFERENCES person(id);

ALTER TABLE action ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE action ADD COLUMN decision_id TEXT REFERENCES decision(id);
CREATE INDEX action_decision ON action(decision_id);

-- Analyses made before statuses were kept were finished workshops.
ALTER TABLE risk_analysis ADD COLUMN status TEXT NOT NULL DEFAULT 'klar';
ALTER TABLE risk_analysis ADD COLUMN based_on TEXT REFERENCES risk_analysis(id);

ALTER TABLE risk ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;

-- A fastställd classification is the information owner's decision: what was decided (levels,
-- motivations, participants, dates, who) is kept as decided, and a new classification starts
-- from it. The record itself may still go with its information set (a deleted system, an
-- undone creation); its bookkeeping (revision, origin) may still move.
CREATE TRIGGER classification_decided_update BEFORE UPDATE ON classification
WHEN OLD.status = 'faststalld' AND (
    NEW.status IS NOT OLD.status
    OR NEW.information_set_id IS NOT OLD.information_set_id
    OR NEW.method_version_id IS NOT OLD.method_version_id
    OR NEW.assessments IS NOT OLD.assessments
    OR NEW.participants IS NOT OLD.participants
    OR NEW.classified_on IS NOT OLD.classified_on
    OR NEW.decided_by IS NOT OLD.decided_by
    OR NEW.decided_on IS NOT OLD.decided_on)
BEGIN
    SELECT RAISE(ABORT, 'en fastställd klassning ändras inte; gör en ny klassning utifrån den');
END;
