package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/valyala/fasthttp"
)

// BenchmarkAPISubmit measures POST /api/v1/procedures/reservation-salle/dossiers
// through the whole app — fiber, middleware, JSON decoding, validation,
// group commit on a temporary SQLite (synchronous=FULL) — with the mail
// workers running, over a real loopback listener, from
// 32×GOMAXPROCS concurrent clients (64 on the 2-core reference machine).
//
//	go test ./server/api -run '^$' -bench APISubmit -benchtime 20000x
func BenchmarkAPISubmit(b *testing.B) {
	a := apptest.New(b, apptest.DB{Name: "sqlite"}, apptest.Options{})
	base := apptest.Serve(b, a)
	client := &fasthttp.HostClient{Addr: strings.TrimPrefix(base, "http://"), MaxConns: 512}
	var seq atomic.Int64
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(resp)
		for pb.Next() {
			n := strconv.FormatInt(seq.Add(1), 10)
			req.Reset()
			req.Header.SetMethod(http.MethodPost)
			req.SetRequestURI(base + dossiersURL)
			req.Header.SetContentType("application/json")
			req.Header.Set("Idempotency-Key", "bench-"+n)
			req.SetBodyString(strings.Replace(strings.Replace(validBooking,
				"marie.dupont@", "marie.dupont."+n+"@", 1), `"Dupont"`, `"Dupont `+n+`"`, 1))
			if err := client.DoTimeout(req, resp, 30*time.Second); err != nil {
				b.Error(err)
				return
			}
			if resp.StatusCode() != http.StatusCreated {
				b.Errorf("status %d: %s", resp.StatusCode(), resp.Body())
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "subs/s")
}
