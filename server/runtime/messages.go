package runtime

import (
	"context"
	"encoding/json"
	"fmt"

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
		tpl, ok := messageTemplate(c.Def, p.Kind)
		if !ok {
			return fmt.Errorf("%w: no %q template in %s v%d", jobs.ErrPermanent, p.Kind, c.Def.Slug, c.Version)
		}
		var data map[string]any
		if err := json.Unmarshal(d.Data, &data); err != nil {
			return fmt.Errorf("%w: dossier data: %v", jobs.ErrPermanent, err)
		}
		subject, body, err := mail.Render(tpl, builder.MessageData{
			Reference: d.Reference, Procedure: c.Def.Title, TrackingURL: e.TrackingURL(d.TrackingToken), Data: data,
		})
		if err != nil {
			return fmt.Errorf("%w: render %s: %v", jobs.ErrPermanent, p.Kind, err)
		}
		m := &mail.Message{ID: p.MessageID, From: from, To: []string{d.ApplicantEmail}, Subject: subject,
			Body: body, Kind: p.Kind, DossierID: d.ID}
		if err := sender.Send(ctx, m); err != nil {
			return err
		}
		details, _ := json.Marshal(map[string]any{"message_id": p.MessageID, "kind": p.Kind, "to": d.ApplicantEmail, "subject": subject})
		ev := &store.Event{ID: store.NewID(), DossierID: d.ID, At: e.now().UTC(), Kind: store.EventMessageSent,
			Actor: "system", Public: true, Details: details}
		return e.batch.Do(ctx, func(ctx context.Context, tx bun.Tx) error {
			return store.InsertEvents(ctx, tx, []*store.Event{ev})
		})
	}
}

func messageTemplate(def *builder.Procedure, kind string) (builder.Template, bool) {
	switch kind {
	case "ack":
		t := def.Messages.Ack
		return t, t.Subject != "" || t.Body != ""
	}
	return builder.Template{}, false
}
