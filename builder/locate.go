package builder

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// errFound stops a walk of the document once the place is found.
var errFound = errors.New("found")

// locator walks the tokens of a procedure document to find where a decode
// error happened, since encoding/json reports unknown fields without a
// position and type errors without array indexes.
type locator struct {
	data []byte
	dec  *json.Decoder
	// match reports whether the token that ends at off, at path, is the
	// one sought; key is true when the token is an object key.
	match func(path string, key bool, off int64) bool
	path  string
	off   int64
}

// findKey returns the path and offset of the first object key called name,
// outside forms (whose schema and UI schema may use any key).
func findKey(data []byte, name string) (path string, off int64, ok bool) {
	return locate(data, func(p string, key bool, _ int64) bool {
		return key && strings.HasSuffix(p, keyPath("", name))
	})
}

// findValue returns the path of the value whose last byte is at end-1.
func findValue(data []byte, end int64) (path string, ok bool) {
	path, _, ok = locate(data, func(_ string, key bool, off int64) bool {
		return !key && off == end
	})
	return path, ok
}

func locate(data []byte, match func(string, bool, int64) bool) (string, int64, bool) {
	l := &locator{data: data, dec: json.NewDecoder(bytes.NewReader(data)), match: match}
	if err := l.value("$"); err == errFound {
		return l.path, l.off, true
	}
	return "", 0, false
}

// found checks the token just read; start is the input offset before it,
// and the location recorded is the token's first byte for a key, its last
// for a value.
func (l *locator) found(path string, key bool, start int64) error {
	end := l.dec.InputOffset()
	if !l.match(path, key, end) {
		return nil
	}
	l.path, l.off = path, end-1
	if key {
		rest := l.data[start:end]
		l.off = start + int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n,")))
	}
	return errFound
}

func (l *locator) value(path string) error {
	tok, err := l.dec.Token()
	if err != nil {
		return err
	}
	if err := l.found(path, false, 0); err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		for l.dec.More() {
			start := l.dec.InputOffset()
			k, err := l.dec.Token()
			if err != nil {
				return err
			}
			key, _ := k.(string)
			p := keyPath(path, key)
			if err := l.found(p, true, start); err != nil {
				return err
			}
			if strings.HasSuffix(path, ".form") && (key == "schema" || key == "uiSchema") {
				var skip json.RawMessage
				err = l.dec.Decode(&skip)
			} else {
				err = l.value(p)
			}
			if err != nil {
				return err
			}
		}
		_, err = l.dec.Token()
	case json.Delim('['):
		for i := 0; l.dec.More(); i++ {
			if err := l.value(indexPath(path, i)); err != nil {
				return err
			}
		}
		_, err = l.dec.Token()
	}
	return err
}
