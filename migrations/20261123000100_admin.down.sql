{{if eq .JSON "JSONB"}}
ALTER TABLE procedure_versions ALTER COLUMN definition TYPE JSONB USING definition::jsonb;

--bun:split

ALTER TABLE procedures ALTER COLUMN draft TYPE JSONB USING draft::jsonb;

--bun:split
{{end}}
ALTER TABLE procedures DROP COLUMN draft_revision;
