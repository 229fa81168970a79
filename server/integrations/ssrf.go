package integrations

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/guichet/guichet/builder"
)

// BlockedError is a connection refused by the SSRF protection: the
// business application's address is private, loopback or link-local and
// the integration is not marked internal, or it is a cloud metadata
// endpoint (refused even to internal integrations).
type BlockedError struct {
	Address string // ip:port actually dialled
	Reason  string // "loopback", "private"…, ReasonMetadata
}

// ReasonMetadata is the Reason of a BlockedError for a cloud metadata
// endpoint.
const ReasonMetadata = "cloud metadata"

func (e *BlockedError) Error() string {
	if e.Reason == ReasonMetadata {
		return fmt.Sprintf("refused to connect to %s: it is a cloud instance metadata endpoint, which no integration may call, internal or not (\"internal\": true allows the administration's private networks, not the metadata of the server Guichet runs on)",
			e.Address)
	}
	return fmt.Sprintf("refused to connect to %s: it is a %s address; mark the integration as internal (\"internal\": true) if the business application really is inside the network",
		e.Address, e.Reason)
}

// guard is the net.Dialer Control function of integrations that are not
// internal: it refuses blocked addresses and metadata endpoints. It sees
// the address being connected to, after DNS resolution, so a host name
// that resolves (or is rebound) to an internal address is refused too.
func guard(_, address string, _ syscall.RawConn) error {
	return control(address, false)
}

// guardInternal is the Control function of internal integrations: they
// may reach private addresses, never the metadata endpoints.
func guardInternal(_, address string, _ syscall.RawConn) error {
	return control(address, true)
}

func control(address string, internal bool) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return &BlockedError{Address: address, Reason: "unparsable"}
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return &BlockedError{Address: address, Reason: "unparsable"}
	}
	if builder.IsMetadataAddress(ip) {
		return &BlockedError{Address: address, Reason: ReasonMetadata}
	}
	if internal {
		return nil
	}
	if why := builder.BlockedAddress(ip); why != "" {
		return &BlockedError{Address: address, Reason: why}
	}
	return nil
}

// newClient returns the HTTP client of integrations that are internal or
// not. It uses no proxy (a proxy would hide the address really reached),
// follows no redirect (a redirected push must not change method or host
// silently), and keeps connections alive for polls.
func newClient(internal bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: guard}
	if internal {
		d.Control = guardInternal
	}
	t := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          512,
		MaxIdleConnsPerHost:   MaxConcurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: builder.MaxIntegrationTimeout,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: t, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// MaxConcurrency is the most requests in flight toward one business
// application from one instance.
const MaxConcurrency = builder.MaxPollConcurrency
