package adminapi

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/robfig/cron/v3"
)

// cronRequest asks when a schedule fires next.
type cronRequest struct {
	Spec  string     `json:"spec"`
	Count int        `json:"count"`
	From  *time.Time `json:"from"`
}

func (r *cronRequest) validate() error {
	if strings.TrimSpace(r.Spec) == "" {
		return invalid("/spec", "write a cron expression, such as \"0 8 * * 1-5\" or \"@daily\"")
	}
	if r.Count == 0 {
		r.Count = 5
	}
	if r.Count < 1 || r.Count > 50 {
		return invalid("/count", "count must be between 1 and 50")
	}
	return nil
}

// nextCronTimes reads a schedule as the job scheduler does (standard cron,
// descriptors, CRON_TZ=) and lists its next times.
func (h *Handler) nextCronTimes(c *fiber.Ctx) error {
	var in cronRequest
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	sched, err := cron.ParseStandard(in.Spec)
	if err != nil {
		return invalid("/spec", "%s", err.Error())
	}
	loc := time.Local // the scheduler's zone, unless CRON_TZ says otherwise
	if spec, ok := sched.(*cron.SpecSchedule); ok {
		loc = spec.Location
	}
	t := h.now()
	if in.From != nil {
		t = *in.From
	}
	next := []time.Time{}
	for range in.Count {
		if t = sched.Next(t); t.IsZero() {
			break // never again (30 February)
		}
		next = append(next, t.In(loc))
	}
	zone := loc.String()
	if zone == "Local" {
		zone, _ = h.now().In(loc).Zone()
	}
	return c.JSON(fiber.Map{"spec": in.Spec, "timezone": zone, "next": next})
}
