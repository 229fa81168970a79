package integrations

import "net/http"

// NewClient exposes the outgoing HTTP client to the tests.
func NewClient(internal bool) *http.Client { return newClient(internal) }
