package adminapi

import (
	"time"

	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/adminapi/sample"
)

// sampleData gives every field of f a plausible value (package sample,
// shared with the integrations' test calls).
func sampleData(f *forms.Form, now time.Time) map[string]any { return sample.Data(f, now) }
