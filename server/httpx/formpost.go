package httpx

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// FormPost reads an HTML form post (urlencoded or multipart) as a
// forms.Post whose uploads, once they pass the field's limits (checked by
// forms), are stored as files of owner.
func FormPost(c *fiber.Ctx, db bun.IDB, owner string) (forms.Post, error) {
	var vals url.Values
	var files map[string][]*multipart.FileHeader
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		mf, err := c.MultipartForm()
		if err != nil {
			return forms.Post{}, fiber.NewError(fiber.StatusBadRequest, "malformed multipart form")
		}
		vals, files = url.Values(mf.Value), mf.File
	} else {
		vals = url.Values{}
		c.Request().PostArgs().VisitAll(func(k, v []byte) { vals.Add(string(k), string(v)) })
	}
	ctx := c.UserContext()
	return forms.Post{Values: vals, Files: files, SaveFile: func(_ *forms.Field, fh *multipart.FileHeader) (string, error) {
		return SaveUpload(ctx, db, owner, fh)
	}}, nil
}

// SaveUpload stores an uploaded file of owner and returns its ID.
func SaveUpload(ctx context.Context, db bun.IDB, owner string, fh *multipart.FileHeader) (string, error) {
	r, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(r, fh.Size+1)); err != nil {
		return "", fmt.Errorf("read upload: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	ct := fh.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	f := &store.File{ID: store.NewID(), Owner: owner, Name: CleanFileName(fh.Filename), ContentType: ct,
		Size: int64(buf.Len()), SHA256: hex.EncodeToString(sum[:]), Content: buf.Bytes(), CreatedAt: time.Now().UTC()}
	if err := store.InsertFile(ctx, db, f); err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	return f.ID, nil
}

// CleanFileName keeps the base name of an upload, without control
// characters, at most 200 bytes of valid UTF-8.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = strings.ToValidUTF8(name[:200], "")
	}
	if name == "" {
		name = "fichier"
	}
	return name
}
