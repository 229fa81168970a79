package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/mail"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// SendMessageHandler returns the job handler that renders an applicant
// message from its procedure version's template and hands it to sender,
// then records it on the public timeline. Delivery is at least once: a
// retry after a crash resends with the same Message-ID, which the dev
// mailbox deduplicates and mail clients thread as one.
func (e *Engine) SendMessageHandler(sender mail.Sender, from string) jobs.Handler {
	return func(ctx context.Context, j *jobs.Job) error {
		var p MessagePayload
		if err := j.Decode(&p); err != nil {
			return fmt.Errorf("%w: %v", jobs.ErrPermanent, err)
		}
		d, err := store.DossierByID(ctx, e.db.Read, p.DossierID)
		if err != nil {
			return fmt.Errorf("load dossier %s: %w", p.DossierID, err)
		}
		c, err := e.Version(ctx, d.VersionID)
		if err != nil {
			return err
		}
		tpl, ok := messageTemplate(c, p)
		if !ok {
			return fmt.Errorf("%w: no %q template in %s v%d", jobs.ErrPermanent, p.Template+p.Kind, c.Def.Slug, c.Version)
		}
		var data map[string]any
		if err := json.Unmarshal(d.Data, &data); err != nil {
			return fmt.Errorf("%w: dossier data: %v", jobs.ErrPermanent, err)
		}
		md := builder.MessageData{
			Reference: d.Reference, Procedure: c.Def.Title, TrackingURL: e.TrackingURL(d.TrackingToken), Data: data,
			State: PublicStateLabel(c, d.State, "fr"), DossierURL: strings.TrimRight(e.BaseURL, "/") + "/backoffice/dossiers/" + d.ID,
		}
		to := []string{d.ApplicantEmail}
		if p.Role != "" {
			if md, to, err = e.roleRecipients(ctx, c, d, p.Role, md); err != nil {
				return err
			}
			if len(to) == 0 {
				e.log.Warn("message to a role without members", "dossier_id", d.ID, "role", p.Role)
				return nil
			}
		}
		subject, body, err := mail.Render(tpl, md)
		if err != nil {
			return fmt.Errorf("%w: render %s: %v", jobs.ErrPermanent, p.Kind, err)
		}
		m := &mail.Message{ID: p.MessageID, From: from, To: to, Subject: subject,
			Body: body, Kind: p.Kind, DossierID: d.ID}
		if err := sender.Send(ctx, m); err != nil {
			return err
		}
		details, _ := json.Marshal(map[string]any{"message_id": p.MessageID, "kind": p.Kind, "to": strings.Join(to, ", "),
			"role": p.Role, "subject": subject})
		ev := &store.Event{ID: store.NewID(), DossierID: d.ID, At: e.now().UTC(), Kind: store.EventMessageSent,
			Actor: "system", Public: p.Role == "", Details: details}
		// Recorded with the job's completion: one write fewer per message,
		// and the event exists exactly when the job is done.
		write := func(ctx context.Context, tx bun.Tx) error { return store.InsertEvents(ctx, tx, []*store.Event{ev}) }
		if jobs.OnDone(ctx, write) {
			return nil
		}
		return e.batch.Do(ctx, write)
	}
}

func messageTemplate(c *Compiled, p MessagePayload) (builder.Template, bool) {
	if p.Template != "" {
		if c.Pipeline == nil {
			return builder.Template{}, false
		}
		m, ok := c.Pipeline.Messages[p.Template]
		if !ok {
			return builder.Template{}, false
		}
		return builder.Template{Subject: m.Subject, Body: m.Body}, true
	}
	if p.Kind == "ack" {
		t := c.Def.Messages.Ack
		return t, t.Subject != "" || t.Body != ""
	}
	return builder.Template{}, false
}

// roleRecipients returns the addresses of a role's members and the role's
// details for the template.
func (e *Engine) roleRecipients(ctx context.Context, c *Compiled, d *store.Dossier, role string, md builder.MessageData) (builder.MessageData, []string, error) {
	to, err := store.RoleMemberEmails(ctx, e.db.Read, d.ProcedureID, role)
	if err != nil {
		return md, nil, err
	}
	if r := c.Pipeline.Roles[role]; r != nil {
		md.Role = r.Label
	}
	invs, err := store.Invitations(ctx, e.db.Read, d.ID)
	if err != nil {
		return md, nil, err
	}
	if i := invs[role]; i != nil && i.DueAt != nil {
		md.DueAt = i.DueAt.In(Zurich).Format("02.01.2006")
	}
	return md, to, nil
}
