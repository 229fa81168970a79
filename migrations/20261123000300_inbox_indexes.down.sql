CREATE INDEX invitations_role ON invitations (procedure_id, role_id, status);

--bun:split

DROP INDEX invitations_visible;

--bun:split

CREATE INDEX dossiers_submitted ON dossiers (submitted_at);

--bun:split

DROP INDEX dossiers_order;

--bun:split

CREATE INDEX dossiers_procedure_submitted ON dossiers (procedure_id, submitted_at);

--bun:split

DROP INDEX dossiers_procedure_order;
