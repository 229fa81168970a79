package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"time"
)

// This file holds the server's process-level tuning and diagnostics.

// servePprof serves net/http/pprof on addr, a loopback address, for
// profiling under load (GUICHET_PPROF=127.0.0.1:6060, see
// docs/PERFORMANCE.md). It is hidden: no flag, not in the config.
func servePprof(addr string, log *slog.Logger) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("GUICHET_PPROF %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("GUICHET_PPROF %q: only a loopback address is allowed", addr)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("GUICHET_PPROF: %w", err)
	}
	log.Warn("pprof enabled", "addr", "http://"+ln.Addr().String()+"/debug/pprof/")
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return nil
}

// tuneGC makes the garbage collector run a quarter as often as Go's
// default (GOGC=400 instead of 100) unless GOGC is set: a submission
// leaves ~20–30 KB of short-lived garbage over a small live heap, and
// this cuts the CPU per submission by about 30 %, for about 60 MiB more
// RSS under load (docs/PERFORMANCE.md).
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
