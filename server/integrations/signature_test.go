package integrations_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/guichet/guichet/server/integrations"
)

// The example of the Standard Webhooks specification.
const (
	specSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specBody   = `{"test": 2432232314}`
	specSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var specTime = time.Unix(1614265330, 0)

func TestWebhookSignatureStandard(t *testing.T) {
	if got := integrations.Sign(specSecret, specID, specTime, []byte(specBody)); got != specSig {
		t.Fatalf("Sign = %s, want %s", got, specSig)
	}
	ts := strconv.FormatInt(specTime.Unix(), 10)
	tests := []struct {
		name       string
		id, ts     string
		signatures string
		body       string
		now        time.Time
		want       error
	}{
		{"valid", specID, ts, specSig, specBody, specTime, nil},
		{"one of several (rotation)", specID, ts, "v1,bm9wZQ== " + specSig, specBody, specTime, nil},
		{"4 minutes late", specID, ts, specSig, specBody, specTime.Add(4 * time.Minute), nil},
		{"6 minutes late", specID, ts, specSig, specBody, specTime.Add(6 * time.Minute), integrations.ErrTimestamp},
		{"6 minutes early", specID, ts, specSig, specBody, specTime.Add(-6 * time.Minute), integrations.ErrTimestamp},
		{"timestamp not a number", specID, "yesterday", specSig, specBody, specTime, integrations.ErrTimestamp},
		{"body changed", specID, ts, specSig, `{"test": 2432232315}`, specTime, integrations.ErrSignature},
		{"id changed", "msg_other", ts, specSig, specBody, specTime, integrations.ErrSignature},
		{"other scheme", specID, ts, "v1a," + specSig[3:], specBody, specTime, integrations.ErrSignature},
		{"missing signature", specID, ts, "", specBody, specTime, integrations.ErrMissingHeaders},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := integrations.Verify(specSecret, tt.id, tt.ts, tt.signatures, []byte(tt.body), tt.now)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}
