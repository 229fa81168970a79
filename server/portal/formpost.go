package portal

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
)

const ownerCookie = "guichet_owner"

// owner returns the hash of this browser's owner cookie, setting one if
// needed. Drafts and uploads belong to it, so a leaked draft URL alone
// opens nothing.
func (h *Handler) owner(c *fiber.Ctx) string {
	v := c.Cookies(ownerCookie)
	if len(v) != 43 {
		v = store.NewToken()
		c.Cookie(&fiber.Cookie{Name: ownerCookie, Value: v, Path: "/d/", HTTPOnly: true, SameSite: "Lax",
			Secure: h.secure, Expires: time.Now().Add(30 * 24 * time.Hour)})
		c.Request().Header.SetCookie(ownerCookie, v)
	}
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

// readPost returns the posted fields and files, urlencoded or multipart.
func readPost(c *fiber.Ctx) (url.Values, map[string][]*multipart.FileHeader, error) {
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		mf, err := c.MultipartForm()
		if err != nil {
			return nil, nil, fiber.NewError(fiber.StatusBadRequest, "malformed multipart form")
		}
		return url.Values(mf.Value), mf.File, nil
	}
	vals := url.Values{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		vals.Add(string(k), string(v))
	})
	return vals, nil, nil
}

// post builds the forms.Post of a request: uploads pass the field's limits
// (checked by forms) and are stored as files of owner.
func (h *Handler) post(c *fiber.Ctx, owner string) (forms.Post, error) {
	vals, files, err := readPost(c)
	if err != nil {
		return forms.Post{}, err
	}
	ctx := c.UserContext()
	return forms.Post{Values: vals, Files: files, SaveFile: func(f *forms.Field, fh *multipart.FileHeader) (string, error) {
		return h.saveUpload(ctx, owner, fh)
	}}, nil
}

func (h *Handler) saveUpload(ctx context.Context, owner string, fh *multipart.FileHeader) (string, error) {
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
	f := &store.File{
		ID: store.NewID(), Owner: owner, Name: cleanFileName(fh.Filename), ContentType: ct,
		Size: int64(buf.Len()), SHA256: hex.EncodeToString(sum[:]), Content: buf.Bytes(), CreatedAt: time.Now().UTC(),
	}
	if err := store.InsertFile(ctx, h.db.Write, f); err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	return f.ID, nil
}

// cleanFileName keeps the base name of an upload, without control
// characters, at most 200 bytes.
func cleanFileName(name string) string {
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
		name = name[:200]
	}
	if name == "" {
		name = "fichier"
	}
	return name
}
