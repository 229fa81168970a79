package jobs

import (
	"testing"
	"time"
)

// Instances started at different moments name the same tick, so that
// the unique key (schedule, tick) makes one job per period.
func TestAlignedTick(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		spec string
		now  []string // firings of different instances in one period
		want string
	}{
		{"@every 1h", []string{"2026-01-05T08:00:00Z", "2026-01-05T08:17:03.2Z", "2026-01-05T08:59:59.9Z"}, "2026-01-05T08:00:00Z"},
		{"@every 5m", []string{"2026-01-05T08:05:00Z", "2026-01-05T08:07:41Z", "2026-01-05T08:09:59Z"}, "2026-01-05T08:05:00Z"},
		{"0 8 * * 1-5", []string{"2026-01-05T08:00:00.001Z", "2026-01-05T08:00:01.2Z", "2026-01-05T08:00:59Z"}, "2026-01-05T08:00:00Z"},
		{"@hourly", []string{"2026-01-05T09:00:00.5Z", "2026-01-05T09:00:02Z"}, "2026-01-05T09:00:00Z"},
		{"CRON_TZ=Europe/Zurich 30 7 * * *", []string{"2026-01-05T06:30:00.3Z", "2026-01-05T07:30:00.3+01:00"}, "2026-01-05T06:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			sched, err := ParseSpec(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			for _, now := range tt.now {
				if got := alignedTick(sched, at(now)); !got.Equal(at(tt.want)) || got.Location() != time.UTC {
					t.Errorf("firing at %s: tick %s, want %s UTC", now, got, tt.want)
				}
			}
		})
	}
}
