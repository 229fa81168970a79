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
// the integration is not marked internal.
type BlockedError struct {
	Address string // ip:port actually dialled
	Reason  string // "loopback", "private"…
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("refused to connect to %s: it is a %s address; mark the integration as internal (\"internal\": true) if the business application really is inside the network",
		e.Address, e.Reason)
}

// guard is a net.Dialer Control function refusing blocked addresses. It
// sees the address being connected to, after DNS resolution, so a host
// name that resolves (or is rebound) to an internal address is refused
// too.
func guard(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return &BlockedError{Address: address, Reason: "unparsable"}
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return &BlockedError{Address: address, Reason: "unparsable"}
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
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !internal {
		d.Control = guard
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
