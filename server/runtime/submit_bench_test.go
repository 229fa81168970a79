package runtime_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/runtime"
)

// BenchmarkSubmit measures the write path without HTTP: validation, JSON
// encoding and group commit of dossier, event and ack job on a temporary
// SQLite (synchronous=FULL), from 32×GOMAXPROCS concurrent callers — 64
// on the 2-core reference machine, as the load test's 64 clients. The
// mail workers are not started, so this is the submission alone; the
// load command (docs/PERFORMANCE.md) measures the whole.
//
//	go test ./server/runtime -run '^$' -bench Submit -benchtime 20000x
func BenchmarkSubmit(b *testing.B) {
	a := apptest.New(b, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	c := published(b, a, "reservation-salle")
	var seq atomic.Int64
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			data := booking(b)
			data["email"] = fmt.Sprintf("bench.%d@example.ch", n)
			data["last_name"] = fmt.Sprintf("Dupont %d", n)
			_, err := a.Engine.Submit(context.Background(), runtime.Submission{
				Procedure: c, Data: data, IdempotencyKey: fmt.Sprintf("bench-%d", n), Channel: "api"})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "subs/s")
}
