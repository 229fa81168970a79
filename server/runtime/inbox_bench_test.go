package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// benchDBs returns SQLite, and PostgreSQL when GUICHET_TEST_POSTGRES_URL
// is set; each run takes a new database of its kind with db.Fresh.
func benchDBs(b *testing.B) []apptest.DB {
	dbs := []apptest.DB{{Name: "sqlite"}}
	if os.Getenv("GUICHET_TEST_POSTGRES_URL") != "" {
		dbs = append(dbs, apptest.DB{Name: "postgres"})
	} else {
		b.Log("GUICHET_TEST_POSTGRES_URL unset: PostgreSQL variant not run")
	}
	return dbs
}

// latencies collects the duration of each iteration of a benchmark and
// reports their median and 95th percentile as metrics (p50-ms, p95-ms).
type latencies []time.Duration

func (l *latencies) time(f func()) {
	t0 := time.Now()
	f()
	*l = append(*l, time.Since(t0))
}

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(q float64) float64 {
		i := int(q*float64(len(s))+0.999999) - 1
		return float64(s[max(0, min(i, len(s)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}

// inboxDossiers is how many dossiers BenchmarkInbox puts in the database
// (GUICHET_BENCH_DOSSIERS overrides it, to try other sizes).
func inboxDossiers(b *testing.B) int {
	if s := os.Getenv("GUICHET_BENCH_DOSSIERS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 100 {
			b.Fatalf("GUICHET_BENCH_DOSSIERS=%q: want a number ≥ 100", s)
		}
		return n
	}
	return 100_000
}

// BenchmarkInbox lists the first page of the inbox, with its counts (all,
// pending, overdue), among 100,000 dossiers of several procedures: for a
// processing agent of the building permit (who sees its ~30,000 dossiers)
// and for the OCF, a consulted role (who sees the ~5,000 it is invited on
// or has returned). Target: p95 ≤ 50 ms. See docs/PERFORMANCE.md.
//
//	go test -run '^$' -bench BenchmarkInbox -benchtime 200x ./server/runtime/
func BenchmarkInbox(b *testing.B) {
	for _, db := range benchDBs(b) {
		b.Run(db.Name, func(b *testing.B) {
			// GUICHET_BENCH_DATADIR keeps the SQLite database for a look
			// with the sqlite3 shell afterwards.
			a := apptest.New(b, db.Fresh(b), apptest.Options{NoStart: true, Now: apptest.NewClock(monday).Now,
				DataDir: os.Getenv("GUICHET_BENCH_DATADIR")})
			ctx := context.Background()
			seedStart, n := time.Now(), inboxDossiers(b)
			seedInbox(b, a, n)
			b.Logf("%s: seeded %d dossiers in %v", db.Name, n, time.Since(seedStart).Round(time.Millisecond))
			actors := map[string]*runtime.Actor{
				"processing": staffActor(b, a, "secc", "permis-construire", "secc", "processing"),
				"consulted":  staffActor(b, a, "ocf", "permis-construire", "ocf", "consulted"),
			}
			if os.Getenv("GUICHET_BENCH_EXPLAIN") != "" {
				for who, act := range actors {
					explainInbox(b, a, who, act)
				}
			}
			for _, who := range []string{"processing", "consulted"} {
				b.Run(who, func(b *testing.B) {
					var l latencies
					var in *runtime.Inbox
					for b.Loop() {
						l.time(func() {
							var err error
							if in, err = a.Engine.Inbox(ctx, actors[who], runtime.InboxFilter{Page: 1}); err != nil {
								b.Fatal(err)
							}
						})
					}
					l.report(b)
					if len(in.Dossiers) != 50 {
						b.Fatalf("first page has %d dossiers, want 50", len(in.Dossiers))
					}
					b.ReportMetric(float64(in.Counts.All), "visible")
				})
			}
		})
	}
}

// seedInbox writes n dossiers spread over the published procedures that
// take dossiers, with building-permit invitations, in batches of 1,000
// rows through bun in one transaction. About 30% are building permits; of
// those 40% circulate to the security officer, 10% to the SeCC, and 25%
// activate the OCF (a third of them pending); the dossiers of the last two
// months are still circulating, some past their deadline.
func seedInbox(b testing.TB, a *app.App, n int) {
	b.Helper()
	ctx := context.Background()
	cat, err := a.Engine.Catalogue(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var permit *runtime.Compiled
	var others []*runtime.Compiled
	for _, c := range cat {
		switch {
		case c.Form == nil:
		case c.Def.Slug == "permis-construire":
			permit = c
		default:
			others = append(others, c)
		}
	}
	if permit == nil || len(others) == 0 {
		b.Fatalf("presets: permit %v, %d others", permit, len(others))
	}
	states := func(c *runtime.Compiled) []string {
		if c.Pipeline == nil {
			return []string{c.InitialState()}
		}
		var ss []string
		for _, s := range c.Pipeline.Def.States {
			ss = append(ss, s.ID)
		}
		return ss
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	now := monday
	first := []string{"Claude", "Marie", "Dominique", "Jean", "Sophie", "Luca", "Anna", "Pierre"}
	last := []string{"Rochat", "Dupont", "Favre", "Müller", "Rossi", "Bianchi", "Meier", "Blanc", "Chevalley"}
	seq := map[string]int{}
	const batch = 1000
	err = a.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ds := make([]*store.Dossier, 0, batch)
		var invs []*store.Invitation
		flush := func() error {
			if len(ds) > 0 {
				if _, err := tx.NewInsert().Model(&ds).Exec(ctx); err != nil {
					return fmt.Errorf("insert dossiers: %w", err)
				}
				ds = ds[:0]
			}
			for len(invs) > 0 {
				k := min(batch, len(invs))
				part := invs[:k]
				if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
					return fmt.Errorf("insert invitations: %w", err)
				}
				invs = invs[k:]
			}
			return nil
		}
		for i := range n {
			c := permit
			if rnd.IntN(100) >= 30 {
				c = others[rnd.IntN(len(others))]
			}
			ss := states(c)
			at := now.Add(-time.Duration(rnd.Int64N(int64(2 * 365 * 24 * time.Hour)))).Truncate(time.Second)
			seq[c.ProcedureID]++
			name := first[rnd.IntN(len(first))] + " " + last[rnd.IntN(len(last))]
			data, _ := json.Marshal(map[string]any{"first_name": name, "last_name": name, "email": fmt.Sprintf("d%d@example.ch", i),
				"project": "Transformation d'un bâtiment existant", "competence": "cantonal"})
			d := &store.Dossier{ID: store.NewID(), ProcedureID: c.ProcedureID, VersionID: c.VersionID,
				Reference:     fmt.Sprintf("%s-%d-%06d", c.Def.ReferencePrefix, at.Year(), seq[c.ProcedureID]),
				TrackingToken: store.NewToken(), IdempotencyKey: store.NewID(), State: ss[rnd.IntN(len(ss))], Data: data,
				ApplicantEmail: fmt.Sprintf("d%d@example.ch", i), ApplicantName: name, SubmittedAt: at, UpdatedAt: at}
			if c.Pipeline != nil && c.Pipeline.States[d.State].Kind == "final" {
				d.ClosedAt = &at
			}
			ds = append(ds, d)
			if c == permit {
				invs = append(invs, seedInvitations(rnd, d)...)
			}
			if len(ds) == batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
	if err != nil {
		b.Fatal(err)
	}
	// PostgreSQL's autovacuum would analyze the tables after such a load,
	// and set the visibility map that index-only scans use; SQLite has no
	// such thing and the application runs no ANALYZE, so it is left alone.
	if a.DB.IsPostgres() {
		if _, err := a.DB.Write.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
}

// seedInvitations returns the circulation of one building permit.
func seedInvitations(rnd *rand.Rand, d *store.Dossier) []*store.Invitation {
	var out []*store.Invitation
	add := func(role, status string) {
		i := &store.Invitation{ID: store.NewID(), DossierID: d.ID, ProcedureID: d.ProcedureID, RoleID: role, Status: status,
			ActivatedAt: d.SubmittedAt, UpdatedAt: d.SubmittedAt}
		if status != store.InvitationPending {
			invited := d.SubmittedAt.Add(24 * time.Hour)
			due := runtime.DueDate(invited, 10, true)
			i.InvitedAt, i.DueAt = &invited, &due
			if status == store.InvitationReturned {
				back := invited.Add(5 * 24 * time.Hour)
				i.ReturnedAt = &back
			}
		}
		out = append(out, i)
	}
	// Dossiers of the last two months are still circulating (invited, some
	// past their deadline); older ones have their opinions back.
	asked := func() string {
		if monday.Sub(d.SubmittedAt) < 60*24*time.Hour && rnd.IntN(2) == 0 {
			return store.InvitationInvited
		}
		return store.InvitationReturned
	}
	if rnd.IntN(100) < 40 {
		add("securite", asked())
	}
	if rnd.IntN(100) < 10 {
		add("secc", asked())
	}
	if rnd.IntN(100) < 25 {
		if rnd.IntN(3) == 0 {
			add("ocf", store.InvitationPending)
		} else {
			add("ocf", asked())
		}
	}
	return out
}

// queryRecorder is a bun query hook that keeps the SQL of the queries run
// while it is on.
type queryRecorder struct {
	on      atomic.Bool
	mu      sync.Mutex
	queries []string
}

func (r *queryRecorder) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (r *queryRecorder) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	if r.on.Load() {
		r.mu.Lock()
		r.queries = append(r.queries, ev.Query)
		r.mu.Unlock()
	}
}

// explainInbox logs the query plans of one inbox listing
// (GUICHET_BENCH_EXPLAIN=1): EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE
// on PostgreSQL.
func explainInbox(b *testing.B, a *app.App, who string, act *runtime.Actor) {
	ctx := context.Background()
	rec := &queryRecorder{}
	a.DB.Read.AddQueryHook(rec)
	rec.on.Store(true)
	if _, err := a.Engine.Inbox(ctx, act, runtime.InboxFilter{Page: 1}); err != nil {
		b.Fatal(err)
	}
	rec.on.Store(false)
	explain := "EXPLAIN QUERY PLAN "
	if a.DB.IsPostgres() {
		explain = "EXPLAIN ANALYZE "
	}
	for _, q := range rec.queries {
		rows, err := a.DB.Read.QueryContext(ctx, explain+q)
		if err != nil {
			b.Fatal(err)
		}
		cols, _ := rows.Columns()
		var plan []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
		}
		rows.Close()
		var l latencies
		for range 9 {
			l.time(func() {
				if _, err := a.DB.Read.ExecContext(ctx, q); err != nil {
					b.Fatal(err)
				}
			})
		}
		slices.Sort(l)
		b.Logf("%s (min %v, median %v): %s\n  %s", who, l[0].Round(10*time.Microsecond), l[len(l)/2].Round(10*time.Microsecond),
			q, strings.Join(plan, "\n  "))
	}
}
