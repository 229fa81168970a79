package backoffice

import (
	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

func mailboxItem(m store.MailboxMessage) web.MailboxItem {
	return web.MailboxItem{ID: m.ID, At: m.CreatedAt, To: m.Recipient, Subject: m.Subject, Body: m.Body}
}

// showMailbox lists the dev mailbox (messages that would have gone out by
// SMTP) and shows the selected one.
func (h *Handler) showMailbox(c *fiber.Ctx) error {
	ms, err := store.MailboxMessages(c.UserContext(), h.db.Read, 200)
	if err != nil {
		return err
	}
	page := web.MailboxPage{}
	for _, m := range ms {
		page.Items = append(page.Items, mailboxItem(m))
	}
	// The mailbox template links each message to "?id=<ID>".
	id := c.Query("id")
	if id == "" {
		id = c.Params("id")
	}
	if id != "" {
		m, err := store.MailboxMessageByID(c.UserContext(), h.db.Read, id)
		if err != nil {
			return err
		}
		it := mailboxItem(*m)
		page.Selected = &it
	}
	return h.pages.Render(c, fiber.StatusOK, "mailbox", web.T(httpx.Lang(c), "mailbox.title"), false, page)
}
