package integrations

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks (https://www.standardwebhooks.com) headers: each
// message has an id (the same across retries of one message), a Unix
// timestamp, and signatures "v1,<base64 HMAC-SHA256 of id.timestamp.body>"
// separated by spaces (several during a key rotation).
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// Tolerance is how far a webhook's timestamp may be from now, either way.
const Tolerance = 5 * time.Minute

// Errors of Verify; their messages are sent to the caller.
var (
	ErrMissingHeaders = errors.New("missing webhook-id, webhook-timestamp or webhook-signature header (Standard Webhooks)")
	ErrTimestamp      = errors.New("webhook-timestamp is not a Unix time within 5 minutes of now: check the sender's clock, or this is a replay")
	ErrSignature      = errors.New("no webhook-signature matches: the secret differs, or the body was changed on the way")
)

// signingKey returns the HMAC key of a secret: the base64 after "whsec_"
// in the Standard Webhooks form, otherwise the secret's bytes.
func signingKey(secret string) []byte {
	if b64, ok := strings.CutPrefix(secret, "whsec_"); ok {
		if key, err := base64.StdEncoding.DecodeString(b64); err == nil && len(key) > 0 {
			return key
		}
	}
	return []byte(secret)
}

// Sign returns the webhook-signature of a message.
func Sign(secret, id string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, signingKey(secret))
	fmt.Fprintf(mac, "%s.%d.", id, ts.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify checks a message's headers against the secret: the timestamp
// within Tolerance of now, and one of the v1 signatures valid (compared
// in constant time).
func Verify(secret, id, timestamp, signatures string, body []byte, now time.Time) error {
	if id == "" || timestamp == "" || signatures == "" {
		return ErrMissingHeaders
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > Tolerance || d < -Tolerance {
		return ErrTimestamp
	}
	want := []byte(Sign(secret, id, time.Unix(sec, 0), body))
	for _, sig := range strings.Fields(signatures) {
		if strings.HasPrefix(sig, "v1,") && hmac.Equal([]byte(sig), want) {
			return nil
		}
	}
	return ErrSignature
}
