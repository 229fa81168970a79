package mail

import (
	"errors"

	gomail "github.com/wneessen/go-mail"
)

// codeAuthRequired is the reply to MAIL FROM when the relay wants AUTH
// first (RFC 4954): our configuration lacks a user, not the message.
const codeAuthRequired = 530

// IsPermanent reports whether err, returned by [Sender.Send] or [Render],
// will come back on every retry, so that the mail job may stop early. It is
// true for:
//
//   - a 5xx reply of the relay to MAIL FROM, RCPT TO or DATA (550 no such
//     mailbox, 552 message too big, 554 rejected as spam…);
//   - an invalid message ([ErrInvalidMessage]: bad address, no recipient…);
//   - a template that does not parse or render ([*TemplateError]).
//
// Everything else is temporary: network errors, timeouts, 4xx replies (451,
// greylisting), cancellation, and failures of the session rather than of
// the message — TLS, certificate, a 5xx reply to the greeting or to AUTH,
// 530 "authentication required". Those come from the relay or from our
// configuration, every pending message would fail alike, and they go away
// once an operator fixes them.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrInvalidMessage) {
		return true
	}
	var te *TemplateError
	if errors.As(err, &te) {
		return true
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false // not from the SMTP transaction: connecting, TLS, AUTH, context
	}
	switch se.Reason {
	case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
		return true // the message itself cannot be sent
	case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		code := se.ErrorCode()
		return code >= 500 && code < 600 && code != codeAuthRequired
	}
	return false
}
