package runtime

import "time"

// Now returns the engine's current time (its clock, set by tests), so
// that pages tell "overdue" by the same clock as the inbox's filter.
func (e *Engine) Now() time.Time { return e.now() }
