-- How critical a dependency is to the system that depends (municipal registers grade it:
-- "Helt verksamhetskritiskt" … "Ej verksamhetskritiskt"); NULL where nobody said.
ALTER TABLE dependency ADD COLUMN criticality TEXT;
