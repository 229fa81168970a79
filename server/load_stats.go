package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
)

// latencies are the samples of one run; a sorted slice is exact and small
// enough for the run's request budget (-max).
type latencies []time.Duration

// percentile returns the p-th percentile (0 < p <= 100) of sorted l.
func (l latencies) percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	i := int(float64(len(l))*p/100+0.5) - 1
	return l[min(max(i, 0), len(l)-1)]
}

func (l latencies) sort() { slices.Sort(l) }

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) + " ms" }

func kb(n int64) string {
	if n <= 0 {
		return "n/a"
	}
	return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " MiB"
}

func printResult(out io.Writer, r *runResult) {
	r.subLat.sort()
	r.reqLat.sort()
	secs := r.elapsed.Seconds()
	fmt.Fprintf(out, "\n== %s, %d clients, %.1fs\n", r.mode, r.clients, secs)
	fmt.Fprintf(out, "  submissions/s %.0f  (accepted %d, errors %d)\n", float64(r.subs)/secs, r.subs, r.errors)
	fmt.Fprintf(out, "  per submission p50 %s  p90 %s  p99 %s  max %s\n", ms(r.subLat.percentile(50)),
		ms(r.subLat.percentile(90)), ms(r.subLat.percentile(99)), ms(r.subLat.percentile(100)))
	if r.mode == "html" {
		fmt.Fprintf(out, "  requests/s %.0f  per request p50 %s  p99 %s  max %s\n", float64(r.requests)/secs,
			ms(r.reqLat.percentile(50)), ms(r.reqLat.percentile(99)), ms(r.reqLat.percentile(100)))
	}
	for _, s := range r.samples {
		fmt.Fprintf(out, "  error: %s\n", s)
	}
	if r.dbErr != nil {
		fmt.Fprintf(out, "  dossiers in the database: unavailable (%v)\n", r.dbErr)
	} else {
		verdict := "OK"
		if r.dbAfter-r.dbBefore != r.accepted {
			verdict = "MISMATCH"
		}
		fmt.Fprintf(out, "  dossiers in the database: %d (+%d; accepted incl. warm-up %d) %s\n",
			r.dbAfter, r.dbAfter-r.dbBefore, r.accepted, verdict)
	}
	fmt.Fprintf(out, "  server RSS peak %s, at end %s\n", kb(r.rssPeak), kb(r.rssEnd))
	fmt.Fprintf(out, "  CPU cores used: server %.2f, load generator %.2f, other processes %.2f (of %d)\n",
		r.cpuSrv, r.cpuSelf, max(r.cpuAll-r.cpuSrv-r.cpuSelf, 0), goruntime.NumCPU())
	if r.subs > 0 && r.cpuSrv > 0 {
		fmt.Fprintf(out, "  server CPU per submission %.0f µs during the run", r.cpuSrv*r.elapsed.Seconds()*1e6/float64(r.subs))
		if r.accepted > 0 && r.jobs != "" {
			fmt.Fprintf(out, ", %.0f µs with its mail job (warm-up to drained)", float64(r.cpuFull.Microseconds())/float64(r.accepted))
		}
		fmt.Fprintln(out)
	}
	if r.jobs != "" {
		fmt.Fprintf(out, "  mail jobs after the run: %s (drained %.1fs after the run)\n", r.jobs, r.drained.Seconds())
	}
}

// printTable prints the summary, one line per run, as in PERFORMANCE.md.
func printTable(out io.Writer, rs []*runResult) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "mode\tclients\tsubs/s\treq/s\tp50\tp99\terrors\taccepted\tdb delta\tRSS peak\t")
	for _, r := range rs {
		secs := r.elapsed.Seconds()
		delta := "n/a"
		if r.dbErr == nil {
			delta = strconv.FormatInt(r.dbAfter-r.dbBefore, 10)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%s\t%s\t%d\t%d\t%s\t%s\t\n", r.mode, r.clients, float64(r.subs)/secs,
			float64(r.requests)/secs, ms(r.subLat.percentile(50)), ms(r.subLat.percentile(99)), r.errors,
			r.accepted, delta, kb(r.rssPeak))
	}
	tw.Flush()
}

// dossierCounter counts dossiers in the server's database, opened with
// the server's own settings (store.Open) and read through its read pool.
type dossierCounter struct {
	db  *store.DB
	err error
}

func newDossierCounter(ctx context.Context, dbURL, dataDir string) *dossierCounter {
	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
		u, err := url.Parse(dbURL)
		if err != nil {
			return &dossierCounter{err: errors.New("cannot parse -database-url")}
		}
		if _, err := loopbackURL("http://" + u.Host); err != nil {
			return &dossierCounter{err: errors.New("-database-url: the load command only talks to this machine")}
		}
	} else {
		path := strings.TrimPrefix(dbURL, "sqlite:")
		if path == "" {
			path = filepath.Join(dataDir, "guichet.db")
		}
		if _, err := os.Stat(path); err != nil {
			// Never create an empty database next to the server's.
			return &dossierCounter{err: fmt.Errorf("no SQLite database at %s (set -data-dir or -database-url)", path)}
		}
	}
	db, err := store.Open(ctx, dbURL, dataDir)
	return &dossierCounter{db: db, err: err}
}

func (c *dossierCounter) count(ctx context.Context) (int64, error) {
	if c.err != nil {
		return 0, c.err
	}
	return store.CountDossiers(ctx, c.db.Read)
}

// drainJobs waits until no mail job is due or running, up to limit, and
// describes the jobs then.
func (c *dossierCounter) drainJobs(ctx context.Context, limit time.Duration) (time.Duration, string) {
	start := time.Now()
	for {
		var pending int
		err := c.db.Read.NewSelect().Model((*jobs.Job)(nil)).
			Where("kind = 'message.send' AND status IN ('available', 'running')").ColumnExpr("COUNT(*)").Scan(ctx, &pending)
		if err != nil {
			return time.Since(start), "unavailable: " + err.Error()
		}
		if pending == 0 || time.Since(start) > limit {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	waited := time.Since(start)
	by, err := jobs.CountByStatus(ctx, c.db.Read)
	if err != nil {
		return waited, "unavailable: " + err.Error()
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s=%d", k, by[k])
	}
	return waited, b.String()
}

func (c *dossierCounter) close() {
	if c.db != nil {
		c.db.Close()
	}
}

// rssKB returns VmRSS of pid in kB (0 if unknown).
func rssKB(pid int) int64 { return statusKB(pid, "VmRSS:") }

// hwmKB returns VmHWM (peak RSS) of pid in kB.
func hwmKB(pid int) int64 { return statusKB(pid, "VmHWM:") }

func statusKB(pid int, field string) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// cpuTime returns the user+system CPU time pid has used so far (0 for
// this process when pid is 0).
func cpuTime(pid int) time.Duration {
	p := "self"
	if pid > 0 {
		p = strconv.Itoa(pid)
	}
	b, err := os.ReadFile("/proc/" + p + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command (which may hold spaces) start at ") ".
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

// machineBusy returns the CPU time all processes of the machine have
// used so far (user, nice, system, irq, softirq, steal), from /proc/stat.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	if len(f) < 9 || f[0] != "cpu" {
		return 0
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		n, _ := strconv.ParseInt(f[i], 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * time.Second / 100
}

// rssSampler records the peak RSS of a process while a run lasts.
type rssSampler struct {
	stopc chan struct{}
	done  chan int64
}

func (s *rssSampler) start(pid int, every time.Duration) {
	s.stopc, s.done = make(chan struct{}), make(chan int64, 1)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		var peak int64
		for {
			peak = max(peak, rssKB(pid))
			select {
			case <-s.stopc:
				s.done <- peak
				return
			case <-t.C:
			}
		}
	}()
}

func (s *rssSampler) stop() int64 {
	if s.stopc == nil {
		return 0
	}
	close(s.stopc)
	return <-s.done
}

// listenerPID finds the process listening on TCP port (this user's
// processes only), or returns -1.
func listenerPID(port string) int {
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return -1
	}
	inodes := map[string]bool{}
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 10 || f[3] != "0A" { // 0A: LISTEN
				continue
			}
			_, hexPort, _ := strings.Cut(f[1], ":")
			if n, err := strconv.ParseUint(hexPort, 16, 16); err == nil && n == p {
				inodes["socket:["+f[9]+"]"] = true
			}
		}
	}
	if len(inodes) == 0 {
		return -1
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/fd")
	for _, dir := range procs {
		fds, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if link, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && inodes[link] {
				pid, _ := strconv.Atoi(strings.Split(dir, "/")[2])
				if pid != os.Getpid() {
					return pid
				}
			}
		}
	}
	return -1
}
