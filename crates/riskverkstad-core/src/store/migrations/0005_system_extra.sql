-- What a department records about a system beyond the register's fields (the columns of its
-- Excel list without a field here): a JSON list of {name, value}, in the order they came.
ALTER TABLE system ADD COLUMN extra TEXT NOT NULL DEFAULT '[]';
