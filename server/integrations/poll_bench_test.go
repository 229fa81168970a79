package integrations_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/integrations"
	"github.com/guichet/guichet/server/store"
)

// benchDossiers is how many open dossiers a benchmarked tick polls.
const benchDossiers = 10_000

// BenchmarkPollTick measures one poll tick over 10,000 open dossiers
// against the fake business application (on loopback, signing every
// request): dossiers per second at the configured concurrency, and, by
// comparison with the same requests sent bare ("http-only"), Guichet's
// overhead per dossier when nothing changed. "changed" gives every
// dossier a new public message each tick (one write transaction per
// dossier). SQLite by default; set GUICHET_BENCH_POSTGRES_URL for
// PostgreSQL.
//
//	go test ./server/integrations -run '^$' -bench PollTick -benchtime 3x
func BenchmarkPollTick(b *testing.B) {
	for _, conc := range []int{4, 16} {
		b.Run(fmt.Sprintf("unchanged/concurrency=%d", conc), func(b *testing.B) { benchTick(b, conc, false) })
	}
	b.Run("changed/concurrency=16", func(b *testing.B) { benchTick(b, 16, true) })
	for _, conc := range []int{4, 16} {
		b.Run(fmt.Sprintf("http-only/concurrency=%d", conc), func(b *testing.B) { benchHTTP(b, conc) })
	}
}

// benchApp returns an app whose road-problem procedure polls fake with
// conc workers, and the references of its open dossiers.
func benchApp(b *testing.B, conc int) (*app.App, *fakeApp, []string) {
	db := apptest.DB{Name: "sqlite"}
	if pg := os.Getenv("GUICHET_BENCH_POSTGRES_URL"); pg != "" {
		db = apptest.DB{Name: "postgres", URL: apptest.FreshPostgres(b, pg)}
	}
	a := apptest.New(b, db, apptest.Options{})
	fake := newFakeApp(b, signingSecret)
	fake.record = false
	c := connect(b, a, fake, func(_ *builder.Procedure, in *builder.Integration) {
		in.Push = nil
		in.Poll.Path = "/by-ref/{reference}"
		in.Poll.States = nil
		in.Poll.Concurrency = conc
		in.Poll.RatePerSecond = builder.MaxPollRate
		in.Timeout = "10s"
	})
	refs := insertDossiers(b, a, c.ProcedureID, c.VersionID, benchDossiers)
	for _, ref := range refs {
		fake.addReport(ref, "recu")
	}
	return a, fake, refs
}

func benchTick(b *testing.B, conc int, changed bool) {
	a, fake, refs := benchApp(b, conc)
	ctx := context.Background()
	tick := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	var polled int
	var elapsed, cpu time.Duration
	for b.Loop() {
		tick = tick.Add(time.Minute)
		cpu0 := cpuTime()
		if changed {
			fake.setComment("Message " + tick.Format(time.TimeOnly))
		}
		start := time.Now()
		if err := a.Integrations.FireTick(ctx, key, tick); err != nil {
			b.Fatal(err)
		}
		for runStatus(a, key, tick) != store.RunDone {
			time.Sleep(20 * time.Millisecond)
		}
		elapsed += time.Since(start)
		cpu += cpuTime() - cpu0
		r := runOf(b, a, key, tick)
		if r.Dossiers != len(refs) || r.Errors != 0 || (changed && r.Changed != len(refs)) || (!changed && r.Changed != 0) {
			b.Fatalf("run: %+v", r)
		}
		polled += r.Dossiers
	}
	reportTick(b, polled, elapsed, cpu)
}

// reportTick adds the benchmark's metrics: throughput, wall time and CPU time
// (of the whole process, fake application included) per dossier. CPU
// time is what the machine's load changes least.
func reportTick(b *testing.B, polled int, elapsed, cpu time.Duration) {
	b.ReportMetric(float64(polled)/elapsed.Seconds(), "dossiers/s")
	b.ReportMetric(float64(elapsed.Microseconds())/float64(polled), "µs/dossier")
	b.ReportMetric(float64(cpu.Microseconds())/float64(polled), "cpu-µs/dossier")
}

// cpuTime returns the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchHTTP sends the tick's requests bare, signed the same way, with
// conc workers: the cost of the HTTP round trips alone.
func benchHTTP(b *testing.B, conc int) {
	_, fake, refs := benchApp(b, conc)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	var polled int
	var elapsed, cpu time.Duration
	for b.Loop() {
		start, cpu0 := time.Now(), cpuTime()
		var next atomic.Int64
		var wg sync.WaitGroup
		for range conc {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < len(refs); i = int(next.Add(1) - 1) {
					req, _ := http.NewRequest(http.MethodGet, fake.URL()+"/by-ref/"+refs[i], nil)
					id, now := "poll_"+strconv.Itoa(i), time.Now()
					req.Header.Set(integrations.HeaderID, id)
					req.Header.Set(integrations.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
					req.Header.Set(integrations.HeaderSignature, integrations.Sign(signingSecret, id, now, nil))
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = resp.Body.Read(make([]byte, 512))
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
		elapsed += time.Since(start)
		cpu += cpuTime() - cpu0
		polled += len(refs)
	}
	reportTick(b, polled, elapsed, cpu)
}

// insertDossiers writes n open dossiers of a version directly, as many
// submissions would have, and returns their references.
func insertDossiers(b testing.TB, a *app.App, procedureID, versionID string, n int) []string {
	ctx := context.Background()
	now := time.Now().UTC()
	refs := make([]string, 0, n)
	for start := 0; start < n; start += 500 {
		var ds []*store.Dossier
		for i := start; i < min(start+500, n); i++ {
			ref := store.FormatReference("SV", now.Year(), int64(i+1))
			ds = append(ds, &store.Dossier{ID: store.NewID(), ProcedureID: procedureID, VersionID: versionID, Reference: ref,
				TrackingToken: store.NewToken(), IdempotencyKey: ref, State: "transmis",
				Data:        []byte(`{"category":"chaussee","location":"Grand-Rue 1","description":"Un nid-de-poule profond","last_name":"Dupont","email":"a@example.ch"}`),
				SubmittedAt: now, UpdatedAt: now})
			refs = append(refs, ref)
		}
		if err := store.InsertDossiers(ctx, a.DB.Write, ds); err != nil {
			b.Fatal(err)
		}
	}
	return refs
}
