package mail

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

// memoryMailbox is a MailboxStore that keeps the contract the real store
// must keep: a second save of the same ID is ignored.
type memoryMailbox struct {
	mu    sync.Mutex
	saved []*Message
	err   error
}

var _ MailboxStore = (*memoryMailbox)(nil)

func (s *memoryMailbox) SaveMailboxMessage(_ context.Context, m *Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	for _, old := range s.saved {
		if old.ID == m.ID {
			return nil
		}
	}
	s.saved = append(s.saved, m)
	return nil
}

func TestDevMailbox(t *testing.T) {
	errDB := errors.New("database is locked")
	tests := []struct {
		name      string
		store     *memoryMailbox
		messages  []*Message
		wantErr   error // checked with errors.Is; nil: no error
		wantSaved []string
	}{
		{"saves", &memoryMailbox{}, []*Message{testMessage("job-1"), testMessage("job-2")}, nil, []string{"job-1", "job-2"}},
		{"saves a retried message once", &memoryMailbox{}, []*Message{testMessage("job-1"), testMessage("job-1")}, nil, []string{"job-1"}},
		{"rejects what SMTP would reject", &memoryMailbox{}, []*Message{{ID: "job-1"}}, ErrInvalidMessage, nil},
		{"wraps store errors", &memoryMailbox{err: errDB}, []*Message{testMessage("job-1")}, errDB, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sender Sender = DevMailbox{Store: tt.store}
			var err error
			for _, m := range tt.messages {
				if err = sender.Send(t.Context(), m); err != nil {
					break
				}
			}
			if !errors.Is(err, tt.wantErr) { // errors.Is(err, nil) is err == nil
				t.Fatalf("Send error = %v, want %v", err, tt.wantErr)
			}
			var saved []string
			for _, m := range tt.store.saved {
				saved = append(saved, m.ID)
			}
			if !slices.Equal(saved, tt.wantSaved) {
				t.Errorf("saved %v, want %v", saved, tt.wantSaved)
			}
		})
	}
}

func TestDevMailboxWithoutStore(t *testing.T) {
	if err := (DevMailbox{}).Send(t.Context(), testMessage("job-1")); err == nil {
		t.Fatal("Send without a store: no error")
	}
}
