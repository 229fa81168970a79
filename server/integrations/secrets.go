package integrations

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
)

// keyFile is where a development instance keeps its generated key when
// GUICHET_SECRET_KEY is unset.
const keyFile = "secret.key"

// Secrets keeps the integrations' secrets (tokens, passwords, signing
// keys) in the database, encrypted with AES-256-GCM under a key that is
// not in the database: GUICHET_SECRET_KEY, or in development a key file
// in the data directory. The secret's name is bound to its ciphertext, so
// a value cannot be moved to another name. Values are never logged and
// never shown back in full.
type Secrets struct {
	db    *store.DB
	aead  cipher.AEAD
	keyID string
	now   func() time.Time
}

// SecretError says why a secret cannot be used; its message is meant for
// the admin and never contains the value.
type SecretError struct {
	Name   string
	Reason string
}

func (e *SecretError) Error() string { return fmt.Sprintf("secret %q %s", e.Name, e.Reason) }

// ErrNoSecret is the cause of a SecretError for a secret that is not set.
var ErrNoSecret = errors.New("secret not set")

func (e *SecretError) Unwrap() error {
	if strings.HasPrefix(e.Reason, "is not set") {
		return ErrNoSecret
	}
	return nil
}

// NewSecrets returns the secret store. keyB64 is GUICHET_SECRET_KEY, the
// base64 encoding of 32 random bytes (openssl rand -base64 32). When it
// is empty, a key is generated once into dataDir/secret.key (mode 0600)
// and a warning logged: fine for one development instance, but several
// instances must share GUICHET_SECRET_KEY to read each other's secrets.
func NewSecrets(db *store.DB, keyB64, dataDir string, log *slog.Logger) (*Secrets, error) {
	key, err := loadKey(keyB64, dataDir, log)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append([]byte("guichet secret key id\x00"), key...))
	return &Secrets{db: db, aead: aead, keyID: hex.EncodeToString(sum[:6]), now: time.Now}, nil
}

func loadKey(keyB64, dataDir string, log *slog.Logger) ([]byte, error) {
	if keyB64 != "" {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(keyB64))
		if err != nil || len(key) != 32 {
			return nil, errors.New("GUICHET_SECRET_KEY must be the base64 encoding of 32 bytes (openssl rand -base64 32)")
		}
		return key, nil
	}
	path := filepath.Join(dataDir, keyFile)
	if b, err := os.ReadFile(path); err == nil {
		key, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if derr != nil || len(key) != 32 {
			return nil, fmt.Errorf("%s does not hold a base64 key of 32 bytes", path)
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			log.Warn("the integration secrets' key file is readable by others: chmod 600 it", "path", path)
		}
		log.Warn("GUICHET_SECRET_KEY is not set: integration secrets are encrypted with the development key file; set GUICHET_SECRET_KEY in production, the same on every instance", "path", path)
		return key, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // another process made it first
		return loadKey("", dataDir, log)
	}
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	log.Warn("GUICHET_SECRET_KEY is not set: generated a development key for integration secrets; set GUICHET_SECRET_KEY in production, the same on every instance", "path", path)
	return key, nil
}

// SecretView is a secret as admins see it: never its value.
type SecretView struct {
	Name string `json:"name"`
	// Masked shows the last four characters of a value of 12 or more,
	// "••••" otherwise.
	Masked    string    `json:"masked"`
	UpdatedAt time.Time `json:"updated_at"`
	// Readable is false when the secret was encrypted with another key
	// than this instance's (GUICHET_SECRET_KEY changed): set it again.
	Readable bool `json:"readable"`
}

// MaxSecretBytes bounds a secret's value.
const MaxSecretBytes = 4096

// Set stores (or rotates) the value of secret name.
func (s *Secrets) Set(ctx context.Context, name, value string, by *string) (SecretView, error) {
	switch {
	case !builder.SecretNameRE.MatchString(name):
		return SecretView{}, &SecretError{Name: name, Reason: "has an invalid name: use lowercase letters, digits, - and _ (at most 63)"}
	case value == "":
		return SecretView{}, &SecretError{Name: name, Reason: "needs a value"}
	case len(value) > MaxSecretBytes || !utf8.ValidString(value):
		return SecretView{}, &SecretError{Name: name, Reason: fmt.Sprintf("must be text of at most %d bytes", MaxSecretBytes)}
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return SecretView{}, err
	}
	row := &store.IntegrationSecret{
		Name: name, Ciphertext: s.aead.Seal(nonce, nonce, []byte(value), []byte(name)),
		KeyID: s.keyID, Hint: hint(value), UpdatedAt: s.now().UTC(), UpdatedBy: by,
	}
	if err := store.SaveSecret(ctx, s.db.Write, row); err != nil {
		return SecretView{}, fmt.Errorf("save secret %s: %w", name, err)
	}
	return s.view(row), nil
}

// Get returns the value of secret name, or a *SecretError.
func (s *Secrets) Get(ctx context.Context, name string) (string, error) {
	row, err := store.SecretByName(ctx, s.db.Read, name)
	if errors.Is(err, store.ErrNotFound) {
		return "", &SecretError{Name: name, Reason: "is not set: an admin sets it with PUT /api/admin/integrations/secrets/" + name}
	}
	if err != nil {
		return "", fmt.Errorf("read secret %s: %w", name, err)
	}
	return s.open(row)
}

func (s *Secrets) open(row *store.IntegrationSecret) (string, error) {
	n := s.aead.NonceSize()
	if row.KeyID != s.keyID || len(row.Ciphertext) < n {
		return "", &SecretError{Name: row.Name, Reason: "was encrypted with another key than GUICHET_SECRET_KEY: restore that key or set the secret again"}
	}
	plain, err := s.aead.Open(nil, row.Ciphertext[:n], row.Ciphertext[n:], []byte(row.Name))
	if err != nil {
		return "", &SecretError{Name: row.Name, Reason: "cannot be decrypted (damaged, or encrypted with another key): set it again"}
	}
	return string(plain), nil
}

// List returns every secret, masked.
func (s *Secrets) List(ctx context.Context) ([]SecretView, error) {
	rows, err := store.Secrets(ctx, s.db.Read)
	if err != nil {
		return nil, err
	}
	out := make([]SecretView, 0, len(rows))
	for i := range rows {
		out = append(out, s.view(&rows[i]))
	}
	return out, nil
}

// Delete removes secret name.
func (s *Secrets) Delete(ctx context.Context, name string) error {
	return store.DeleteSecret(ctx, s.db.Write, name)
}

func (s *Secrets) view(row *store.IntegrationSecret) SecretView {
	return SecretView{Name: row.Name, Masked: "••••" + row.Hint, UpdatedAt: row.UpdatedAt, Readable: row.KeyID == s.keyID}
}

// hint is what a masked secret shows: its last four characters when it
// is long enough for that to give nothing useful away.
func hint(v string) string {
	r := []rune(v)
	if len(r) < 12 {
		return ""
	}
	return string(r[len(r)-4:])
}
