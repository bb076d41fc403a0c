-- Undo finds the user action that the newest audit entries belong to (same time, actor and
-- action) without reading their before/after JSON.
CREATE INDEX audit_log_group ON audit_log(at, actor, action, seq);
