package forms

import (
	"fmt"
	"net/url"
	"sync"
	"testing"
)

// TestConcurrentUse shares one compiled form between goroutines that
// decode, validate, bind and summarise; run with -race.
func TestConcurrentUse(t *testing.T) {
	f := roomBooking(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				post := fullPost()
				post.Set("attendees", fmt.Sprint(g*25+i))
				post.Set("equipment.2.item", "tables")
				post.Set("equipment.2.quantity", "x")
				res, err := f.Decode(-1, nil, Post{Values: post})
				if err != nil {
					errs <- err
					return
				}
				got := keys(f.Merge(res.Errors, f.Validate(res.Data)))
				want := []string{"/equipment/2/quantity type"}
				if n := g*25 + i; n < 1 || n > 200 {
					want = []string{"/attendees minimum", want[0]}
					if n > 200 {
						want[0] = "/attendees maximum"
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					errs <- fmt.Errorf("goroutine %d: errors %v, want %v", g, got, want)
					return
				}
				p := f.Bind(1, res.Data, res.Errors, "en")
				p.Fields[0].Label = "mutated" // copies only
				_ = f.Summary(res.Data, "fr")
				_ = f.ValidatePage(g%3, res.Data)
				_, _ = f.Decode(1, res.Data, Post{Values: url.Values{"_action": {"add:/equipment"}}})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assertEqual(t, "form unchanged", f.Pages()[1].Fields[0].Label, "Date de l'événement")
}
