package auth

import (
	"strings"
	"testing"
)

func TestHashAndCheckPassword(t *testing.T) {
	h, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected hash format %q", h)
	}
	tests := []struct {
		name, hash, pw string
		want           bool
	}{
		{"right password", h, "correct horse", true},
		{"wrong password", h, "correct horse ", false},
		{"empty password", h, "", false},
		{"garbage hash", "$argon2id$garbage", "correct horse", false},
		{"other algorithm", "$2a$10$abcdefghijklmnopqrstuu", "correct horse", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(tt.hash, tt.pw); got != tt.want {
				t.Errorf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
	h2, _ := HashPassword("correct horse")
	if h2 == h {
		t.Error("two hashes of one password share a salt")
	}
}
