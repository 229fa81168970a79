package runtime_test

import (
	"testing"
	"time"

	"github.com/guichet/guichet/server/runtime"
)

// utc is a shorthand for a UTC instant.
func utc(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, time.UTC)
}

// TestDueDate checks deadlines in Zurich: calendar and working days, a
// deadline on a weekend moved to Monday, the day counted in Zurich (not
// UTC), and the end of day across the changes to summer time (29 March
// 2026) and back (25 October 2026). CET is UTC+1, CEST UTC+2, so the end
// of a day is 22:59:59 UTC in winter and 21:59:59 UTC in summer.
func TestDueDate(t *testing.T) {
	tests := []struct {
		name    string
		from    time.Time
		days    int
		working bool
		want    time.Time
	}{
		{"10 days from a Monday", utc(2026, 11, 23, 9, 0, 0), 10, false, utc(2026, 12, 3, 22, 59, 59)},
		{"calendar days ending on a Saturday move to Monday", utc(2026, 11, 23, 9, 0, 0), 5, false, utc(2026, 11, 30, 22, 59, 59)},
		{"calendar days ending on a Sunday move to Monday", utc(2026, 11, 23, 9, 0, 0), 6, false, utc(2026, 11, 30, 22, 59, 59)},
		{"calendar days ending on a Friday stay", utc(2026, 11, 23, 9, 0, 0), 4, false, utc(2026, 11, 27, 22, 59, 59)},
		{"0 days is the end of today", utc(2026, 11, 24, 9, 0, 0), 0, false, utc(2026, 11, 24, 22, 59, 59)},
		{"0 days on a Saturday is Monday", utc(2026, 11, 28, 9, 0, 0), 0, false, utc(2026, 11, 30, 22, 59, 59)},
		{"15 days, the OCF's delay", utc(2026, 11, 24, 9, 0, 0), 15, false, utc(2026, 12, 9, 22, 59, 59)},
		{"5 working days from a Monday", utc(2026, 11, 23, 9, 0, 0), 5, true, utc(2026, 11, 30, 22, 59, 59)},
		{"10 working days from a Monday", utc(2026, 11, 23, 9, 0, 0), 10, true, utc(2026, 12, 7, 22, 59, 59)},
		{"1 working day from a Friday", utc(2026, 11, 27, 9, 0, 0), 1, true, utc(2026, 11, 30, 22, 59, 59)},
		{"1 working day from a Saturday", utc(2026, 11, 28, 9, 0, 0), 1, true, utc(2026, 11, 30, 22, 59, 59)},
		{"1 working day from a Sunday", utc(2026, 11, 29, 9, 0, 0), 1, true, utc(2026, 11, 30, 22, 59, 59)},
		{"0 working days on a Sunday", utc(2026, 11, 29, 9, 0, 0), 0, true, utc(2026, 11, 30, 22, 59, 59)},
		{"3 working days from a Wednesday", utc(2026, 11, 25, 9, 0, 0), 3, true, utc(2026, 11, 30, 22, 59, 59)},
		{"late Sunday evening in UTC is Monday in Zurich", utc(2026, 11, 22, 23, 30, 0), 1, false, utc(2026, 11, 24, 22, 59, 59)},
		{"late evening in UTC is the next day in Zurich (summer)", utc(2026, 6, 30, 22, 30, 0), 1, false, utc(2026, 7, 2, 21, 59, 59)},
		{"just before midnight in Zurich is still today", utc(2026, 6, 30, 21, 59, 0), 1, false, utc(2026, 7, 1, 21, 59, 59)},
		// Summer time starts on Sunday 29 March 2026 at 02:00.
		{"winter deadline before the change", utc(2026, 3, 23, 9, 0, 0), 4, false, utc(2026, 3, 27, 22, 59, 59)},
		{"weekend of the change moves to Monday in summer time", utc(2026, 3, 25, 10, 0, 0), 3, false, utc(2026, 3, 30, 21, 59, 59)},
		{"calendar days across the change", utc(2026, 3, 26, 10, 0, 0), 5, false, utc(2026, 3, 31, 21, 59, 59)},
		{"working days across the change", utc(2026, 3, 27, 12, 0, 0), 2, true, utc(2026, 3, 31, 21, 59, 59)},
		{"from the night of the change", utc(2026, 3, 29, 0, 30, 0), 1, false, utc(2026, 3, 30, 21, 59, 59)},
		// Winter time is back on Sunday 25 October 2026 at 03:00.
		{"summer deadline before the change", utc(2026, 10, 19, 9, 0, 0), 4, false, utc(2026, 10, 23, 21, 59, 59)},
		{"weekend of the change back moves to Monday in winter time", utc(2026, 10, 22, 9, 0, 0), 3, false, utc(2026, 10, 26, 22, 59, 59)},
		{"working days across the change back", utc(2026, 10, 23, 9, 0, 0), 1, true, utc(2026, 10, 26, 22, 59, 59)},
		{"from the night of the change back", utc(2026, 10, 25, 0, 30, 0), 2, false, utc(2026, 10, 27, 22, 59, 59)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runtime.DueDate(tt.from, tt.days, tt.working)
			if !got.Equal(tt.want) {
				t.Errorf("DueDate(%v, %d, %v) = %v (%v in Zurich), want %v (%v in Zurich)", tt.from, tt.days, tt.working,
					got, got.In(runtime.Zurich), tt.want, tt.want.In(runtime.Zurich))
			}
			if got.Location() != time.UTC {
				t.Errorf("DueDate returned %v in %v, want UTC", got, got.Location())
			}
			if wd := got.In(runtime.Zurich).Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("deadline on a %v", wd)
			}
		})
	}
}

func TestEndOfDay(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"winter", utc(2026, 1, 15, 12, 0, 0), utc(2026, 1, 15, 22, 59, 59)},
		{"summer", utc(2026, 7, 15, 12, 0, 0), utc(2026, 7, 15, 21, 59, 59)},
		{"day of the change to summer time (23 hours)", utc(2026, 3, 29, 12, 0, 0), utc(2026, 3, 29, 21, 59, 59)},
		{"day of the change back (25 hours)", utc(2026, 10, 25, 12, 0, 0), utc(2026, 10, 25, 22, 59, 59)},
		{"UTC evening that is already tomorrow in Zurich", utc(2026, 3, 28, 23, 30, 0), utc(2026, 3, 29, 21, 59, 59)},
		{"the last second itself", utc(2026, 10, 25, 22, 59, 59), utc(2026, 10, 25, 22, 59, 59)},
		{"a time in another zone", time.Date(2026, 10, 25, 23, 30, 0, 0, time.FixedZone("UTC-5", -5*3600)), utc(2026, 10, 26, 22, 59, 59)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := runtime.EndOfDay(tt.in); !got.Equal(tt.want) {
				t.Errorf("EndOfDay(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
