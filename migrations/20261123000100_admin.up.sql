-- Admin API: a revision counter on drafts, so that a save can refuse to
-- overwrite a newer one (If-Match).
ALTER TABLE procedures ADD COLUMN draft_revision INTEGER NOT NULL DEFAULT 0;
{{- /*
Procedure documents keep the text their author wrote on PostgreSQL too:
JSONB sorts object keys, which reorders the fields of forms (a schema's
"properties" order is the form's order) and hides reorderings from the
diff of versions; JSON keeps the text as it is. SQLite stores TEXT.
*/}}
{{if eq .JSON "JSONB"}}
--bun:split

ALTER TABLE procedures ALTER COLUMN draft TYPE JSON USING draft::text::json;

--bun:split

ALTER TABLE procedure_versions ALTER COLUMN definition TYPE JSON USING definition::text::json;
{{end}}
