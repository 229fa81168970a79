package integrations

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/jobs"
)

// maxResponseBytes bounds what is read of an answer.
const maxResponseBytes = 1 << 20

// userAgent identifies Guichet to business applications.
const userAgent = "Guichet-Integrations/1"

// conn is how to reach a business application: the connection settings
// of the current version of an integration, with its secret resolved
// once per delivery or poll run.
type conn struct {
	def    *builder.Integration
	client *http.Client
	secret string // auth secret value ("" for none)
	// redact hides the secret in what the application answers.
	redact redactor
}

// connect resolves the integration's secret.
func (s *Service) connect(ctx context.Context, ci *compiled) (*conn, error) {
	c := &conn{def: ci.def, client: s.clients[ci.def.Internal]}
	if a := ci.def.Auth; a != nil && a.Kind != builder.AuthNone && a.Kind != "" {
		v, err := s.secrets.Get(ctx, a.Secret)
		if err != nil {
			return nil, err
		}
		c.secret = v
		c.redact = newRedactor(a, v)
	}
	return c, nil
}

// answer is a business application's answer.
type answer struct {
	status   int
	header   http.Header
	body     []byte
	duration time.Duration
	// redact hides the secret of the request in what is quoted of the
	// answer (error messages, kept on jobs and shown to admins).
	redact redactor
}

// quote is the start of the answer's body, for an error message, without
// the secret.
func (a *answer) quote() string { return excerpt([]byte(a.redact.text(string(a.body)))) }

// CallError is a failed call to a business application, classified:
// Retryable calls (network errors, timeouts, 5xx, 408, 429, malformed
// answers) are tried again later, others are not. Its message is meant
// for admins: it names the status and starts the answer's body.
type CallError struct {
	Status     int // 0 when no answer came
	Retryable  bool
	RetryAfter time.Duration // asked by the application (Retry-After)
	Msg        string
	Err        error
}

func (e *CallError) Error() string { return e.Msg }
func (e *CallError) Unwrap() error { return e.Err }

// request sends one request. deliveryID is the Standard Webhooks message
// id and the Idempotency-Key: the same across retries of one delivery.
func (c *conn) request(ctx context.Context, method, url string, body []byte, deliveryID string) (*answer, error) {
	a, _, err := c.exchange(ctx, method, url, body, deliveryID)
	return a, err
}

// exchange is request that also returns the headers it sent (nil when
// the request could not be built), for the admins' test calls. The
// answer comes with the error of a status that is not 2xx, and of an
// answer larger than maxResponseBytes (its body cut there).
func (c *conn) exchange(ctx context.Context, method, url string, body []byte, deliveryID string) (*answer, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, c.def.RequestTimeout())
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, nil, &CallError{Msg: fmt.Sprintf("bad request URL %q: %v", url, err), Err: err}
	}
	for k, v := range c.def.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Idempotency-Key", deliveryID)
	if a := c.def.Auth; a != nil {
		switch a.Kind {
		case builder.AuthBearer:
			req.Header.Set("Authorization", "Bearer "+c.secret)
		case builder.AuthBasic:
			req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(a.Username+":"+c.secret)))
		case builder.AuthSignature:
			now := time.Now()
			req.Header.Set(HeaderID, deliveryID)
			req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
			req.Header.Set(HeaderSignature, Sign(c.secret, deliveryID, now, body))
		}
	}
	start := time.Now()
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, req.Header, networkError(method, url, err, c.def.RequestTimeout())
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, req.Header, networkError(method, url, err, c.def.RequestTimeout())
	}
	a := &answer{status: resp.StatusCode, header: resp.Header, body: b, duration: time.Since(start), redact: c.redact}
	if len(b) > maxResponseBytes {
		a.body = b[:maxResponseBytes]
		return a, req.Header, &CallError{Status: resp.StatusCode, Msg: fmt.Sprintf("%s %s: the answer is larger than %d bytes", method, url, maxResponseBytes)}
	}
	shown := *a // the error message quotes the answer: without the secret
	shown.body = []byte(c.redact.text(string(a.body)))
	return a, req.Header, classify(method, url, &shown)
}

// networkError classifies an error without answer: retryable, except an
// address refused by the SSRF protection.
func networkError(method, url string, err error, timeout time.Duration) error {
	var blocked *BlockedError
	if errors.As(err, &blocked) {
		return &CallError{Msg: fmt.Sprintf("%s %s: %v", method, url, blocked), Err: blocked}
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return &CallError{Retryable: true, Msg: fmt.Sprintf("%s %s: no answer within %s", method, url, timeout), Err: err}
	}
	return &CallError{Retryable: true, Msg: fmt.Sprintf("%s %s: %v", method, url, err), Err: err}
}

// classify turns an HTTP status into an error: nil for 2xx; 408, 429 and
// 5xx are retryable (honouring Retry-After); other statuses are not.
func classify(method, url string, a *answer) error {
	if a.status >= 200 && a.status < 300 {
		return nil
	}
	msg := fmt.Sprintf("%s %s: %d %s", method, url, a.status, http.StatusText(a.status))
	if ex := excerpt(a.body); ex != "" {
		msg += ": " + ex
	}
	switch {
	case a.status == http.StatusRequestTimeout || a.status == http.StatusTooManyRequests || a.status >= 500:
		return &CallError{Status: a.status, Retryable: true, RetryAfter: retryAfter(a.header.Get("Retry-After"), time.Now()), Msg: msg}
	case a.status >= 300 && a.status < 400:
		msg += " (redirected to " + a.header.Get("Location") + ": set the integration's URL to the final address)"
	}
	return &CallError{Status: a.status, Msg: msg}
}

// excerpt returns the start of an answer's body for messages.
func excerpt(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(s[cut]) { // not in the middle of a character
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// maxRetryAfter caps what Retry-After may ask.
const maxRetryAfter = 24 * time.Hour

// retryAfter parses Retry-After: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return min(time.Duration(n)*time.Second, maxRetryAfter)
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfter)
	}
	return 0
}

// backoff is the delay before attempt+1 under the integration's retry
// policy: initial doubling per attempt up to max, with ±25 % jitter.
func backoff(in *builder.Integration, attempt int) time.Duration {
	_, initial, maximum := in.Retries()
	d := initial
	for i := 1; i < attempt && d < maximum; i++ {
		d *= 2
	}
	d = min(d, maximum)
	return time.Duration(float64(d) * (0.75 + rand.Float64()*0.5))
}

// retryLater wraps a retryable error for the job queue: the next attempt
// comes after the policy's backoff, or after Retry-After when later.
func retryLater(in *builder.Integration, attempt int, err error) error {
	d := backoff(in, attempt)
	var ce *CallError
	if errors.As(err, &ce) && ce.RetryAfter > d {
		d = ce.RetryAfter
	}
	return &jobs.RetryAfterError{After: d, Err: err}
}

// permanent marks an error that retrying cannot fix: the job is kept as
// dead, with its error, until an admin retries it.
func permanent(err error) error { return fmt.Errorf("%w: %w", jobs.ErrPermanent, err) }

// mask replaces secrets in what is shown to admins.
const mask = "••••"

// redactor replaces with mask every form the secret of an integration
// may take in what a business application answers, longest first: the
// value, its base64, the base64 of username:value (basic auth), the key
// material of a Standard Webhooks secret (the base64 after whsec_ and
// the key itself), each also as JSON escapes it. An application may echo
// the Authorization header it got, or print its configuration.
type redactor []string

// newRedactor returns the redactor of secret value used by auth a.
func newRedactor(a *builder.IntegrationAuth, value string) redactor {
	if value == "" {
		return nil
	}
	raw := []string{value}
	b64 := func(s string) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			raw = append(raw, enc.EncodeToString([]byte(s)))
		}
	}
	b64(value)
	if a != nil && a.Kind == builder.AuthBasic {
		b64(a.Username + ":" + value)
	}
	if a != nil && a.Kind == builder.AuthSignature {
		if enc, ok := strings.CutPrefix(value, "whsec_"); ok {
			raw = append(raw, enc)
			if key, err := base64.StdEncoding.DecodeString(enc); err == nil && len(key) > 0 {
				raw = append(raw, string(key))
				b64(string(key))
			}
		}
	}
	if q := url.QueryEscape(value); q != value {
		raw = append(raw, q)
	}
	var forms redactor
	for _, f := range raw {
		forms = append(forms, f)
		forms = append(forms, jsonEscapes(f)...)
	}
	slices.SortFunc(forms, func(x, y string) int { return len(y) - len(x) })
	return slices.Compact(forms)
}

// jsonEscapes returns how JSON encoders may write s inside a string:
// Go's (<, > and & escaped or not), with / escaped (PHP), with every
// non-ASCII character escaped (PHP, Python).
func jsonEscapes(s string) []string {
	var out []string
	for _, html := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		if enc.Encode(s) != nil {
			continue
		}
		e := strings.TrimSuffix(b.String(), "\n")
		e = e[1 : len(e)-1]
		out = append(out, e, strings.ReplaceAll(e, "/", `\/`), asciiEscape(e), asciiEscape(strings.ReplaceAll(e, "/", `\/`)))
	}
	return slices.DeleteFunc(out, func(e string) bool { return e == s })
}

// asciiEscape writes the non-ASCII characters of a JSON string's content
// as \uXXXX escapes (UTF-16 surrogate pairs beyond the BMP).
func asciiEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, "\\u%04x\\u%04x", r1, r2)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

// text returns s with every form of the secret masked.
func (r redactor) text(s string) string {
	for _, f := range r {
		s = strings.ReplaceAll(s, f, mask)
	}
	return s
}

// cut is text for s cut short: it also masks the end of s when it is the
// start (four bytes or more) of a form of the secret.
func (r redactor) cut(s string) string {
	s = r.text(s)
	cut := len(s)
	for _, f := range r {
		for i := max(0, len(s)-len(f)+1); i <= len(s)-4 && i < cut; i++ {
			if strings.HasPrefix(f, s[i:]) {
				cut = i
				break
			}
		}
	}
	if cut < len(s) {
		return s[:cut] + mask
	}
	return s
}

// header returns h, one line per name, masked.
func (r redactor) header(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		out[r.text(k)] = r.text(strings.Join(vs, ", "))
	}
	return out
}
