package builder

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Integration connects the dossiers of an api scenario to a business
// application (seed 003, scenario 4): dossiers are pushed to it, and it
// updates them back by calling a signed webhook or by being polled on a
// schedule. Secrets are never part of the definition: Auth and Webhook
// name secrets that admins store, encrypted, through the admin API.
//
// An integration runs only when it is enabled and has a URL; otherwise it
// pushes nothing, accepts no webhook and polls nothing, and it does not
// keep the procedure from being published (a preset can ship one that an
// admin completes later).
//
// Which version counts: whether a change of a dossier is pushed, and the
// body it sends, follow the version the dossier was submitted on, like
// its form and pipeline; where and how requests go (URL, auth, headers,
// timeout, retries) follow the procedure's current version at the time
// of sending, so that fixing a URL and publishing helps deliveries that
// are waiting. Webhooks and polls use the current version.
//
// Example:
//
//	{"id": "sig", "enabled": true, "url": "https://voirie.example.ch/api",
//	 "auth": {"kind": "signature", "secret": "voirie-signature"},
//	 "push": {"on": [{"event": "dossier.submitted"}], "path": "/signalements",
//	          "body": "{\"reference\": reference, \"category\": data.category}",
//	          "response": {"externalId": "response.id"}},
//	 "webhook": {"secret": "voirie-webhook",
//	             "dossier": {"by": "externalId", "value": "payload.id"},
//	             "update": {"transitions": [{"if": "payload.status == 'resolu'", "transition": "resoudre"}]}},
//	 "poll": {"schedule": "@every 15m", "path": "/signalements/{external_id}",
//	          "update": {"message": "response.comment ?? ''"}}}
type Integration struct {
	ID    string `json:"id"`
	Label string `json:"label,omitempty"`
	// Enabled turns the integration on; it also needs URL.
	Enabled bool `json:"enabled"`
	// URL is the business application's base URL; push and poll paths
	// are appended to it.
	URL string `json:"url"`
	// Internal allows calls to private, loopback and link-local addresses
	// (a business application inside the administration's network).
	// Without it such calls are refused (SSRF protection).
	Internal bool             `json:"internal,omitempty"`
	Auth     *IntegrationAuth `json:"auth,omitempty"`
	// Headers are sent with every request (no secrets here: use Auth).
	Headers map[string]string `json:"headers,omitempty"`
	// Timeout bounds each request ("10s", the default; at most 60s).
	Timeout string       `json:"timeout,omitempty"`
	Retry   *RetryPolicy `json:"retry,omitempty"`
	Push    *Push        `json:"push,omitempty"`
	Webhook *Webhook     `json:"webhook,omitempty"`
	Poll    *Poll        `json:"poll,omitempty"`
}

// The authentication kinds of an integration's requests.
const (
	AuthNone   = "none"
	AuthBearer = "bearer" // Authorization: Bearer <secret>
	AuthBasic  = "basic"  // Authorization: Basic <username:secret>
	// AuthSignature signs each request following Standard Webhooks:
	// webhook-id, webhook-timestamp and webhook-signature headers, an
	// HMAC-SHA256 of "id.timestamp.body" with the secret.
	AuthSignature = "signature"
)

// IntegrationAuth says how requests to the business application prove
// where they come from.
type IntegrationAuth struct {
	Kind string `json:"kind"`
	// Secret names a stored secret: the token, the password or the
	// signing key ("whsec_" followed by base64, or any text).
	Secret   string `json:"secret,omitempty"`
	Username string `json:"username,omitempty"`
}

// RetryPolicy spaces the attempts of a delivery: Initial, then doubling
// up to Max, each with ±25 % jitter, for Attempts attempts in all.
type RetryPolicy struct {
	Attempts int    `json:"attempts,omitempty"` // default 12
	Initial  string `json:"initial,omitempty"`  // default "10s"
	Max      string `json:"max,omitempty"`      // default "1h"
}

// Push sends a dossier to the business application when it is submitted
// or enters a state.
type Push struct {
	On []PushTrigger `json:"on"`
	// Method is POST (the default), PUT or PATCH.
	Method string `json:"method,omitempty"`
	// Path is appended to the integration's URL; it may name the dossier
	// with {reference}, {external_id} and {dossier_id}.
	Path string `json:"path,omitempty"`
	// Body is an expression building the JSON body from the dossier:
	// {"name": data.last_name, "ref": reference}.
	Body string `json:"body"`
	// Response maps the business application's answer back into the
	// dossier (its own id, a state…); the expressions see response.
	Response *UpdateMapping `json:"response,omitempty"`
}

// PushTrigger is an event that pushes the dossier: dossier.submitted, or
// dossier.entered (of State, or of any state when State is empty).
type PushTrigger struct {
	Event string `json:"event"`
	State string `json:"state,omitempty"`
}

// Webhook is the endpoint /hooks/{slug}.{id} through which the business
// application updates dossiers. Calls are signed following Standard
// Webhooks with the secret named Secret.
type Webhook struct {
	Secret  string        `json:"secret"`
	Dossier DossierMatch  `json:"dossier"`
	Update  UpdateMapping `json:"update"`
}

// The ways a webhook names its dossier.
const (
	MatchReference  = "reference"  // the dossier's reference (SV-2026-00012)
	MatchExternalID = "externalId" // the business application's id, stored from a push response
)

// DossierMatch finds the dossier a webhook call is about: Value is an
// expression over payload giving its reference or external id.
type DossierMatch struct {
	By    string `json:"by"`
	Value string `json:"value"`
}

// Poll asks the business application about each eligible dossier on a
// schedule.
type Poll struct {
	// Schedule is a standard cron expression or a descriptor ("@every
	// 10m", "@hourly", "CRON_TZ=Europe/Zurich 0 7 * * 1-5").
	Schedule string `json:"schedule"`
	// Path is appended to the integration's URL for each dossier and
	// names it with {reference}, {external_id} or {dossier_id}. Dossiers
	// without an external id are skipped when it uses {external_id}.
	Path string `json:"path"`
	// States limits polling to dossiers in these states; by default every
	// dossier that is not closed is polled.
	States []string `json:"states,omitempty"`
	// Concurrency is how many requests are in flight at once (default 4,
	// at most 64); RatePerSecond caps how many start each second (default
	// 10, at most 10000).
	Concurrency   int           `json:"concurrency,omitempty"`
	RatePerSecond float64       `json:"ratePerSecond,omitempty"`
	Update        UpdateMapping `json:"update"`
}

// UpdateMapping turns what the business application says into a change
// of the dossier. Every part is optional; a part that changes nothing is
// no change, so an unchanged answer writes nothing.
type UpdateMapping struct {
	// ExternalID is an expression giving the business application's id
	// of the dossier, stored and usable as {external_id}.
	ExternalID string `json:"externalId,omitempty"`
	// Transitions are tried in order: the first whose condition holds and
	// that is possible from the dossier's state fires, through the
	// pipeline (its rules and messages follow).
	Transitions []MappedTransition `json:"transitions,omitempty"`
	// Set sets top-level fields of the dossier's data.
	Set []MappedField `json:"set,omitempty"`
	// Message is an expression giving a public message for the applicant,
	// shown on the tracking page ("" for none). The same message twice in
	// a row is shown once.
	Message string `json:"message,omitempty"`
}

// MappedTransition fires Transition when If holds (always when empty).
type MappedTransition struct {
	If         string `json:"if,omitempty"`
	Transition string `json:"transition"`
}

// MappedField sets Field to the value of the expression Value.
type MappedField struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// Defaults and bounds of an integration's settings.
const (
	DefaultIntegrationTimeout = 10 * time.Second
	MaxIntegrationTimeout     = 60 * time.Second
	DefaultRetryAttempts      = 12
	DefaultRetryInitial       = 10 * time.Second
	DefaultRetryMax           = time.Hour
	DefaultPollConcurrency    = 4
	MaxPollConcurrency        = 64
	DefaultPollRate           = 10.0
	MaxPollRate               = 10000.0
)

// IntegrationKey names an integration across procedures: its procedure's
// slug and its id, "signalement-voirie.sig". Webhooks are received at
// /hooks/{key}.
func IntegrationKey(slug, id string) string { return slug + "." + id }

// Active reports whether the integration sends, receives and polls: it is
// enabled and has a URL.
func (i *Integration) Active() bool {
	return i != nil && i.Enabled && strings.TrimSpace(i.URL) != ""
}

// RequestTimeout returns the timeout of one request.
func (i *Integration) RequestTimeout() time.Duration {
	if d, err := time.ParseDuration(i.Timeout); err == nil && d > 0 {
		return min(d, MaxIntegrationTimeout)
	}
	return DefaultIntegrationTimeout
}

// Retries returns the retry policy with its defaults filled in.
func (i *Integration) Retries() (attempts int, initial, maximum time.Duration) {
	attempts, initial, maximum = DefaultRetryAttempts, DefaultRetryInitial, DefaultRetryMax
	if r := i.Retry; r != nil {
		if r.Attempts > 0 {
			attempts = r.Attempts
		}
		if d, err := time.ParseDuration(r.Initial); err == nil && d > 0 {
			initial = d
		}
		if d, err := time.ParseDuration(r.Max); err == nil && d > 0 {
			maximum = d
		}
	}
	return attempts, initial, max(initial, maximum)
}

// Limits returns the poll's concurrency and rate with their defaults.
func (p *Poll) Limits() (concurrency int, perSecond float64) {
	concurrency, perSecond = DefaultPollConcurrency, DefaultPollRate
	if p.Concurrency > 0 {
		concurrency = min(p.Concurrency, MaxPollConcurrency)
	}
	if p.RatePerSecond > 0 {
		perSecond = min(p.RatePerSecond, MaxPollRate)
	}
	return concurrency, perSecond
}

// Fires reports whether the push is triggered by event (entering state).
func (p *Push) Fires(event, state string) bool {
	for _, t := range p.On {
		if t.Event == event && (t.State == "" || t.State == state) {
			return true
		}
	}
	return false
}

// The placeholders of push and poll paths.
var pathPlaceholders = []string{"reference", "external_id", "dossier_id"}

// ExpandPath replaces the placeholders of a path template with the
// values, escaped for a URL path.
func ExpandPath(tpl string, values map[string]string) string {
	for _, name := range pathPlaceholders {
		tpl = strings.ReplaceAll(tpl, "{"+name+"}", url.PathEscape(values[name]))
	}
	return tpl
}

// UsesPlaceholder reports whether a path template names placeholder.
func UsesPlaceholder(tpl, name string) bool { return strings.Contains(tpl, "{"+name+"}") }

// IntegrationEnv is what integration mappings see. Each mapping sees
// only the names that make sense where it runs (see [MappingContext]);
// naming another fails the check.
//
//	dossier.id, dossier.reference, dossier.state, dossier.submitted_at,
//	dossier.closed, dossier.external_id
//	data.<field>      the dossier's data
//	reference         the dossier's reference (short for dossier.reference)
//	external_id       the business application's id of the dossier, or ""
//	event.name, event.state   what caused a push
//	payload           the JSON body of a webhook call
//	response, status  the JSON answer of a push or poll, and its HTTP status
//	now
type IntegrationEnv struct {
	Dossier    IntegrationDossier `expr:"dossier"`
	Data       map[string]any     `expr:"data"`
	Reference  string             `expr:"reference"`
	ExternalID string             `expr:"external_id"`
	Event      IntegrationEvent   `expr:"event"`
	Payload    any                `expr:"payload"`
	Response   any                `expr:"response"`
	Status     int                `expr:"status"`
	Now        time.Time          `expr:"now"`
}

// IntegrationDossier is the dossier in integration mappings.
type IntegrationDossier struct {
	ID          string    `expr:"id"`
	Reference   string    `expr:"reference"`
	State       string    `expr:"state"`
	SubmittedAt time.Time `expr:"submitted_at"`
	Closed      bool      `expr:"closed"`
	ExternalID  string    `expr:"external_id"`
}

// IntegrationEvent is what caused a push.
type IntegrationEvent struct {
	Name  string `expr:"name"`
	State string `expr:"state"`
}

// MappingContext is where a mapping runs, which decides the names it may
// use.
type MappingContext string

// The contexts of integration mappings.
const (
	ContextPushBody     MappingContext = "push.body"
	ContextPushResponse MappingContext = "push.response"
	ContextWebhookMatch MappingContext = "webhook.dossier"
	ContextWebhook      MappingContext = "webhook.update"
	ContextPoll         MappingContext = "poll.update"
)

// contextNames lists the environment names each context may use.
var contextNames = map[MappingContext][]string{
	ContextPushBody:     {"dossier", "data", "reference", "external_id", "event", "now"},
	ContextPushResponse: {"dossier", "data", "reference", "external_id", "event", "response", "status", "now"},
	ContextWebhookMatch: {"payload", "now"},
	ContextWebhook:      {"dossier", "data", "reference", "external_id", "payload", "now"},
	ContextPoll:         {"dossier", "data", "reference", "external_id", "response", "status", "now"},
}

// envNames are all the names of IntegrationEnv.
var envNames = []string{"dossier", "data", "reference", "external_id", "event", "payload", "response", "status", "now"}

// CompileMapping compiles an integration mapping expression (a value, or
// a condition when boolean is set) over [IntegrationEnv].
func CompileMapping(src string, boolean bool) (*vm.Program, error) {
	opts := []expr.Option{expr.Env(IntegrationEnv{})}
	if boolean {
		opts = append(opts, expr.AsBool())
	}
	p, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s", firstLine(err.Error()))
	}
	return p, nil
}

// parseDuration parses a duration of a retry policy or timeout.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf(`write a duration such as "30s", "10m" or "1h"`)
	}
	return d, nil
}

// BlockedAddress says why an outgoing call to ip is refused unless the
// integration is internal ("loopback", "private"…), or "" when it is a
// public address. It is the one rule of SSRF protection, applied to
// literal addresses at publication and to every connection at call time.
func BlockedAddress(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	case sharedAddressSpace.Contains(ip):
		return "shared (carrier-grade NAT)"
	case ip.Is4() && ip.As4()[0] == 0:
		return "reserved"
	}
	return ""
}

// metadataPrefixes are the cloud instance metadata endpoints: AWS, GCP,
// Azure, OpenStack, DigitalOcean, Oracle… (the whole 169.254.169.0/24
// around 169.254.169.254), AWS over IPv6, AWS ECS task metadata, Alibaba
// Cloud. They give the server's own credentials away.
var metadataPrefixes = []netip.Prefix{
	netip.MustParsePrefix("169.254.169.0/24"),
	netip.MustParsePrefix("169.254.170.2/32"),
	netip.MustParsePrefix("fd00:ec2::254/128"),
	netip.MustParsePrefix("100.100.100.200/32"),
}

// IsMetadataAddress says whether ip is a cloud metadata endpoint: calls to
// it are refused even for internal integrations.
func IsMetadataAddress(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	for _, p := range metadataPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// sharedAddressSpace is RFC 6598's 100.64.0.0/10.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")
