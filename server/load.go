package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// loadConfig is what `guichet load` was asked to do.
type loadConfig struct {
	base        *url.URL
	slug        string
	clients     []int
	modes       []string
	duration    time.Duration
	warmup      time.Duration
	maxRequests int
	client      string
	follow      bool
	drain       time.Duration
	pid         int
	databaseURL string
	dataDir     string
	timeout     time.Duration
}

const loadUsage = `Usage: go run ./server load [flags]

Drives submissions against a running Guichet on this machine (loopback
only) and prints submissions/s, latency percentiles, errors, the dossiers
counted in the database afterwards and the server's resident memory.

  json  POST /api/v1/procedures/{slug}/dossiers, one valid, varied form
        per request with its own Idempotency-Key.
  html  the citizen's browser flow on the multi-step form: GET the form,
        POST each page with the CSRF cookie+token and the page nonce,
        follow each 303 with a GET (unless -follow=false), POST
        "envoyer"; one flow is one submission, requests/s is reported too.

See docs/PERFORMANCE.md for measured figures.

Flags:
`

// runLoad is the load generator (see docs/PERFORMANCE.md).
func runLoad(args []string) error {
	cfg, err := parseLoadFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return cfg.run(ctx, os.Stdout)
}

func parseLoadFlags(args []string, out io.Writer) (*loadConfig, error) {
	fs := flag.NewFlagSet("guichet load", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() { fmt.Fprint(out, loadUsage); fs.PrintDefaults() }
	rawURL := fs.String("url", "http://127.0.0.1:8080", "base URL of the server (loopback only)")
	slug := fs.String("slug", "reservation-salle", "procedure to submit to (its form must be the room-booking form's)")
	clients := fs.String("clients", "16,64", "comma-separated concurrent client counts, one run each")
	modes := fs.String("mode", "json,html", "comma-separated modes: json, html")
	c := &loadConfig{}
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured time of each run")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "unmeasured load before each run")
	fs.IntVar(&c.maxRequests, "max", 2_000_000, "stop a run after this many HTTP requests (bounds memory)")
	fs.StringVar(&c.client, "client", "fasthttp", "HTTP client: fasthttp or nethttp")
	fs.BoolVar(&c.follow, "follow", true, "html: GET each page a 303 points to, as a browser does")
	fs.DurationVar(&c.drain, "drain", 60*time.Second, "after each run, wait up to this long for the mail jobs to drain (0: don't)")
	fs.IntVar(&c.pid, "pid", 0, "server process for RSS (0: the process listening on -url's port; -1: none)")
	fs.StringVar(&c.databaseURL, "database-url", os.Getenv("GUICHET_DATABASE_URL"), "server's database, to count dossiers [GUICHET_DATABASE_URL]")
	fs.StringVar(&c.dataDir, "data-dir", envOr("GUICHET_DATA_DIR", "./data"), "server's data dir, to count dossiers [GUICHET_DATA_DIR]")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "per-request timeout")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("load: unexpected argument %q", fs.Arg(0))
	}
	u, err := loopbackURL(*rawURL)
	if err != nil {
		return nil, err
	}
	c.base, c.slug = u, *slug
	for _, s := range strings.Split(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 4096 {
			return nil, fmt.Errorf("load: -clients: %q is not a count between 1 and 4096", s)
		}
		c.clients = append(c.clients, n)
	}
	for _, m := range strings.Split(*modes, ",") {
		m = strings.TrimSpace(m)
		if m != "json" && m != "html" {
			return nil, fmt.Errorf("load: -mode: %q is not json or html", m)
		}
		c.modes = append(c.modes, m)
	}
	if c.client != "fasthttp" && c.client != "nethttp" {
		return nil, fmt.Errorf("load: -client: %q is not fasthttp or nethttp", c.client)
	}
	if c.duration <= 0 || c.duration > time.Hour || c.warmup < 0 || c.warmup > 10*time.Minute {
		return nil, errors.New("load: -duration must be in (0, 1h] and -warmup in [0, 10m]")
	}
	if c.maxRequests < 1 || c.maxRequests > 20_000_000 {
		return nil, errors.New("load: -max must be between 1 and 20,000,000")
	}
	return c, nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// loopbackURL parses raw and refuses any host that is not this machine's
// loopback: the load command must never be pointed at someone else.
func loopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("load: -url %q: want http://127.0.0.1:PORT", raw)
	}
	host := u.Hostname()
	var ips []net.IP
	if ip := net.ParseIP(host); ip != nil {
		ips = []net.IP{ip}
	} else if host == "localhost" {
		addrs, err := net.LookupIP(host)
		if err != nil {
			return nil, fmt.Errorf("load: resolve localhost: %w", err)
		}
		ips = addrs
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("load: -url host %q is not a loopback address", host)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("load: -url host %q is not a loopback address", host)
		}
	}
	if u.Port() == "" {
		u.Host = net.JoinHostPort(host, "80")
	}
	return u, nil
}

// runResult is the outcome of one mode × clients run.
type runResult struct {
	mode     string
	clients  int
	elapsed  time.Duration
	subs     int64 // accepted submissions (201, or a completed html flow)
	requests int64 // HTTP requests answered (any status)
	errors   int64
	subLat   latencies // per submission (html: the whole flow)
	reqLat   latencies // per HTTP request
	accepted int64     // accepted including warm-up, for the DB check
	dbBefore int64
	dbAfter  int64
	dbErr    error
	rssPeak  int64   // kB
	rssEnd   int64   // kB
	cpuSrv   float64 // server CPU cores used during the run
	cpuSelf  float64 // load generator CPU cores used during the run
	cpuAll   float64 // CPU cores used by every process of the machine
	jobs     string
	drained  time.Duration
	cpuFull  time.Duration // server CPU from the warm-up's start until the mail jobs drained
	samples  []string      // first error messages
}

func (c *loadConfig) run(ctx context.Context, out io.Writer) error {
	pid := c.pid
	if pid == 0 {
		pid = listenerPID(c.base.Port())
	}
	counter := newDossierCounter(ctx, c.databaseURL, c.dataDir)
	defer counter.close()
	fmt.Fprintf(out, "guichet load: %s slug=%s client=%s duration=%s warmup=%s\n", c.base, c.slug, c.client, c.duration, c.warmup)
	if pid > 0 {
		fmt.Fprintf(out, "server pid %d, RSS idle %s\n", pid, kb(rssKB(pid)))
	} else {
		fmt.Fprintln(out, "server process not found: no RSS figures (use -pid)")
	}
	if counter.err != nil {
		fmt.Fprintf(out, "dossier count unavailable: %v\n", counter.err)
	}
	var results []*runResult
	for _, mode := range c.modes {
		for _, n := range c.clients {
			r, err := c.runOne(ctx, mode, n, pid, counter)
			if err != nil {
				return err
			}
			results = append(results, r)
			printResult(out, r)
		}
	}
	if pid > 0 {
		fmt.Fprintf(out, "server RSS now %s (peak during the runs: VmHWM %s)\n", kb(rssKB(pid)), kb(hwmKB(pid)))
	}
	fmt.Fprintln(out)
	printTable(out, results)
	return nil
}

// runOne warms up, then measures, one mode at n concurrent clients.
func (c *loadConfig) runOne(ctx context.Context, mode string, n, pid int, counter *dossierCounter) (*runResult, error) {
	r := &runResult{mode: mode, clients: n}
	r.dbBefore, r.dbErr = counter.count(ctx)
	doer := c.newDoer(n)
	defer doer.close()
	if err := c.preflight(doer); err != nil {
		return nil, err
	}
	runID := strconv.FormatInt(time.Now().UnixNano(), 36)
	var seq atomic.Int64
	cpuStart := cpuTime(pid)
	if c.warmup > 0 {
		w := c.phase(ctx, doer, mode, n, c.warmup, runID+"w", &seq, 0)
		r.accepted += w.subs
	}
	var rss rssSampler
	if pid > 0 {
		rss.start(pid, 200*time.Millisecond)
	}
	cpuSrv, cpuSelf, cpuAll := cpuTime(pid), cpuTime(0), machineBusy()
	m := c.phase(ctx, doer, mode, n, c.duration, runID, &seq, c.maxRequests)
	r.cpuAll = (machineBusy() - cpuAll).Seconds() / m.elapsed.Seconds()
	if pid > 0 {
		r.cpuSrv = (cpuTime(pid) - cpuSrv).Seconds() / m.elapsed.Seconds()
	}
	r.cpuSelf = (cpuTime(0) - cpuSelf).Seconds() / m.elapsed.Seconds()
	r.rssPeak = rss.stop()
	if pid > 0 {
		r.rssEnd = rssKB(pid)
	}
	r.elapsed, r.subs, r.requests, r.errors = m.elapsed, m.subs, m.requests, m.errors
	r.subLat, r.reqLat, r.samples = m.subLat, m.reqLat, m.samples
	r.accepted += m.subs
	if r.dbErr == nil {
		r.dbAfter, r.dbErr = counter.count(ctx)
	}
	if c.drain > 0 && counter.err == nil {
		r.drained, r.jobs = counter.drainJobs(ctx, c.drain)
	}
	if pid > 0 {
		r.cpuFull = cpuTime(pid) - cpuStart
	}
	return r, nil
}

// phaseResult is what the workers of one phase measured.
type phaseResult struct {
	elapsed                time.Duration
	subs, requests, errors int64
	subLat, reqLat         latencies
	samples                []string
}

// phase runs n workers of mode for d (or until maxReq requests if > 0).
func (c *loadConfig) phase(ctx context.Context, doer doer, mode string, n int, d time.Duration, runID string, seq *atomic.Int64, maxReq int) *phaseResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var reqs atomic.Int64
	budget := func() bool {
		if maxReq <= 0 {
			return true
		}
		return reqs.Add(1) <= int64(maxReq)
	}
	ws := make([]*worker, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range ws {
		w := &worker{cfg: c, doer: doer, runID: runID, seq: seq, budget: budget, gen: newPayloadGen(runID, i)}
		ws[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx, mode)
		}()
	}
	wg.Wait()
	res := &phaseResult{elapsed: time.Since(start)}
	for _, w := range ws {
		res.subs += w.subs
		res.requests += w.requests
		res.errors += w.errors
		res.subLat = append(res.subLat, w.subLat...)
		res.reqLat = append(res.reqLat, w.reqLat...)
		for _, s := range w.samples {
			if len(res.samples) < 5 {
				res.samples = append(res.samples, s)
			}
		}
	}
	return res
}

// preflight checks that the procedure exists before loading it.
func (c *loadConfig) preflight(d doer) error {
	var resp httpResp
	err := d.do(&httpReq{method: "GET", url: c.base.String() + "/api/v1/procedures/" + url.PathEscape(c.slug)}, &resp, c.timeout)
	if err != nil {
		return fmt.Errorf("load: server at %s: %w", c.base, err)
	}
	if resp.status != 200 {
		return fmt.Errorf("load: GET /api/v1/procedures/%s: status %d", c.slug, resp.status)
	}
	return nil
}
