package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"
)

func TestSMTPSenderTemporaryErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := l.Addr().String()
	l.Close()

	hanging, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never greets
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hanging.Close() })

	tests := []struct {
		name string
		addr string
		ctx  func(t *testing.T) context.Context
	}{
		{"connection refused", closedAddr, func(t *testing.T) context.Context { return t.Context() }},
		{"cancelled while waiting for the greeting", hanging.Addr().String(), func(t *testing.T) context.Context {
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			t.Cleanup(cancel)
			return ctx
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sender := newTestSender(t, "smtp://"+tt.addr+"?tls=none")
			ctx, start := tt.ctx(t), time.Now()
			err := sender.Send(ctx, testMessage("job-temp"))
			if err == nil || IsPermanent(err) {
				t.Fatalf("Send error = %v, want a temporary error", err)
			}
			if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
				t.Errorf("Send error = %v, want it to wrap %v", err, ctx.Err())
			}
			if d := time.Since(start); d > SMTPTimeout/2 {
				t.Errorf("Send took %s; cancellation should stop it at once", d)
			}
		})
	}
}

func TestIsPermanent(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain error", errors.New("boom"), false},
		{"context", context.DeadlineExceeded, false},
		{"invalid message", fmt.Errorf("job: %w", ErrInvalidMessage), true},
		{"template", fmt.Errorf("job: %w", &TemplateError{Part: PartBody, Err: errors.New("x")}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsPermanent(tt.err); got != tt.want {
				t.Errorf("IsPermanent(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
