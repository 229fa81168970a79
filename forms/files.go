package forms

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
)

// file decodes a file input: a new upload is checked and saved, else the
// ID data already held is kept.
func (d *decoder) file(n *node, old any, ptr, tmpl, name string) (any, bool, error) {
	oldID, _ := old.(string)
	if fhs := d.post.Files[name]; len(fhs) > 0 && fhs[0] != nil && (fhs[0].Filename != "" || fhs[0].Size > 0) {
		fh := fhs[0]
		key, args, err := checkUpload(&n.field, fh)
		if err != nil {
			return nil, false, fmt.Errorf("forms: read upload %s: %w", ptr, err)
		}
		if key != "" {
			d.errs = append(d.errs, FieldError{Pointer: ptr, Key: key, Args: args})
			return oldID, oldID != "", nil
		}
		if d.post.SaveFile == nil {
			return nil, false, fmt.Errorf("forms: upload for %s but Post.SaveFile is nil", ptr)
		}
		fd := n.field
		fd.Pointer, fd.InputName, fd.ID = ptr, name, htmlID(ptr)
		id, err := d.post.SaveFile(&fd, fh)
		if err != nil {
			return nil, false, fmt.Errorf("forms: save upload %s: %w", ptr, err)
		}
		return id, id != "", nil
	}
	if vs := d.post.Values[name]; len(vs) > 0 {
		if id := strings.TrimSpace(vs[0]); id != "" && id != oldID && slices.Contains(d.known[tmpl], id) {
			return id, true, nil
		}
	}
	return oldID, oldID != "", nil
}

// collectFiles records the file IDs data holds for the file fields under
// n, by template pointer, so that a hidden input may only name one of them.
func (d *decoder) collectFiles(n *node, v any, tmpl string) {
	switch n.field.Widget {
	case WidgetFile:
		if id, ok := v.(string); ok && id != "" {
			d.known[tmpl] = append(d.known[tmpl], id)
		}
	case WidgetFieldset:
		m, _ := v.(map[string]any)
		for _, c := range n.children {
			d.collectFiles(c, m[c.name], tmpl+"/"+escapeToken(c.name))
		}
	case WidgetRepeat:
		for _, item := range asList(v) {
			m, _ := item.(map[string]any)
			for _, c := range n.children {
				d.collectFiles(c, m[c.name], tmpl+"/-/"+escapeToken(c.name))
			}
		}
	}
}

// checkUpload applies x-maxBytes and x-accept to an upload and returns
// the error key ("fileSize", "fileEmpty", "fileType") and its arguments,
// or "" when the upload may be saved. The media type must be accepted
// both as declared by the browser and as sniffed from the content.
func checkUpload(f *Field, fh *multipart.FileHeader) (string, []any, error) {
	if f.MaxBytes > 0 && fh.Size > f.MaxBytes {
		return "fileSize", []any{f.MaxBytes}, nil
	}
	if fh.Size == 0 {
		return "fileEmpty", nil, nil
	}
	if len(f.Accept) == 0 {
		return "", nil, nil
	}
	declared, _, err := mime.ParseMediaType(fh.Header.Get("Content-Type"))
	if err != nil || declared == "" {
		declared = "application/octet-stream"
	}
	sniffed, err := sniff(fh)
	if err != nil {
		return "", nil, err
	}
	if !accepts(f.Accept, declared) || !(accepts(f.Accept, sniffed) || sniffAgrees(declared, sniffed)) {
		args := make([]any, len(f.Accept))
		for i, a := range f.Accept {
			args[i] = a
		}
		return "fileType", args, nil
	}
	return "", nil, nil
}

// sniff detects the media type of the first 512 bytes of an upload.
func sniff(fh *multipart.FileHeader) (string, error) {
	r, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	buf := make([]byte, 512)
	n, err := io.ReadFull(r, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", err
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(buf[:n]))
	return mt, nil
}

// accepts matches a media type against a list with "type/*" wildcards.
func accepts(list []string, mt string) bool {
	mt = strings.ToLower(mt)
	for _, a := range list {
		if a == mt || a == "*/*" || (strings.HasSuffix(a, "/*") && strings.HasPrefix(mt, a[:len(a)-1])) {
			return true
		}
	}
	return false
}

// sniffAgrees tells whether content sniffed as sniffed can be a file of
// the declared type that sniffing cannot tell apart: office documents
// are zip files, CSV and JSON are plain text.
func sniffAgrees(declared, sniffed string) bool {
	switch sniffed {
	case "application/zip":
		return strings.HasPrefix(declared, "application/vnd.openxmlformats-officedocument.") ||
			strings.HasPrefix(declared, "application/vnd.oasis.opendocument.") ||
			declared == "application/epub+zip"
	case "text/plain":
		return declared == "text/csv" || declared == "application/json"
	}
	return false
}
