package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
)

// hashStatic maps every file of fsys to its URL under /static/ with a
// short content hash as a cache-busting query.
func hashStatic(fsys fs.FS) (map[string]string, error) {
	urls := make(map[string]string)
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		urls[path] = "/static/" + path + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash static files: %w", err)
	}
	return urls, nil
}
