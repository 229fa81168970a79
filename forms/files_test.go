package forms

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/url"
	"testing"
)

// saver records SaveFile calls and returns "id-<n>".
type saver struct {
	calls []string // pointer of the field each upload was saved for
	err   error
}

func (s *saver) save(f *Field, fh *multipart.FileHeader) (string, error) {
	if s.err != nil {
		return "", s.err
	}
	s.calls = append(s.calls, f.Pointer+" "+fh.Filename)
	return "id-" + fh.Filename, nil
}

func TestDecodeFile(t *testing.T) {
	f := roomBooking(t)
	big := append(bytes.Clone(pdfBytes), make([]byte, 5<<20)...)
	tests := []struct {
		name      string
		files     map[string][]*multipart.FileHeader
		hidden    string // value of a hidden input "programme"
		old       string // ID already in data
		want      string // "" : absent
		wantErrs  []string
		wantSaved []string
	}{
		{name: "pdf is saved", files: map[string][]*multipart.FileHeader{"programme": {upload(t, "programme", "prog.pdf", "application/pdf", pdfBytes)}},
			want: "id-prog.pdf", wantSaved: []string{"/programme prog.pdf"}},
		{name: "image wildcard", files: map[string][]*multipart.FileHeader{"programme": {upload(t, "programme", "plan.png", "image/png", pngBytes)}},
			old: "id-old", want: "id-plan.png", wantSaved: []string{"/programme plan.png"}},
		{name: "declared type not accepted", files: map[string][]*multipart.FileHeader{"programme": {upload(t, "programme", "prog.doc", "application/msword", pdfBytes)}},
			wantErrs: []string{"/programme fileType"}},
		{name: "content is not what it claims", files: map[string][]*multipart.FileHeader{"programme": {upload(t, "programme", "prog.pdf", "application/pdf", exeBytes)}},
			old: "id-old", want: "id-old", wantErrs: []string{"/programme fileType"}},
		{name: "too big", files: map[string][]*multipart.FileHeader{"programme": {upload(t, "programme", "big.pdf", "application/pdf", big)}},
			wantErrs: []string{"/programme fileSize"}},
		{name: "empty file", files: map[string][]*multipart.FileHeader{"programme": {upload(t, "programme", "empty.pdf", "application/pdf", nil)}},
			wantErrs: []string{"/programme fileEmpty"}},
		{name: "no upload keeps the stored file", old: "id-old", want: "id-old"},
		{name: "hidden input with the stored id", hidden: "id-old", old: "id-old", want: "id-old"},
		{name: "hidden input never brings a new id", hidden: "id-of-someone-else", old: "id-old", want: "id-old"},
		{name: "hidden input without stored file is ignored", hidden: "id-forged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &saver{}
			data := map[string]any{}
			if tt.old != "" {
				data["programme"] = tt.old
			}
			values := url.Values{}
			if tt.hidden != "" {
				values.Set("programme", tt.hidden)
			}
			res, err := f.Decode(2, data, Post{Values: values, Files: tt.files, SaveFile: s.save})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := res.Data["programme"].(string)
			assertEqual(t, "programme", got, tt.want)
			if tt.wantErrs == nil {
				tt.wantErrs = []string{}
			}
			assertEqual(t, "errors", keys(res.Errors), tt.wantErrs)
			assertEqual(t, "saved", s.calls, tt.wantSaved)
		})
	}
}

func TestDecodeFileErrors(t *testing.T) {
	f := roomBooking(t)
	files := map[string][]*multipart.FileHeader{"programme": {upload(t, "programme", "prog.pdf", "application/pdf", pdfBytes)}}
	t.Run("SaveFile fails", func(t *testing.T) {
		boom := errors.New("disk full")
		_, err := f.Decode(2, nil, Post{Files: files, SaveFile: (&saver{err: boom}).save})
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want %v", err, boom)
		}
	})
	t.Run("no SaveFile", func(t *testing.T) {
		if _, err := f.Decode(2, nil, Post{Files: files}); err == nil {
			t.Error("Decode saved an upload without SaveFile")
		}
	})
}

// In a repeat group, a hidden input may move a stored file to another
// item (client-side reordering), but only a file the data already held.
func TestDecodeFileInRepeat(t *testing.T) {
	f := mustCompile(t, `{"type": "object", "properties": {"docs": {"type": "array", "items": {"type": "object",
		"properties": {"title": {"type": "string"}, "file": {"type": "string", "format": "file", "x-accept": ["application/pdf"]}}}}}}`, "")
	old := []any{map[string]any{"title": "A", "file": "id-a"}, map[string]any{"title": "B", "file": "id-b"}}
	s := &saver{}
	res, err := f.Decode(0, map[string]any{"docs": old}, Post{
		Values: url.Values{
			"docs.0.title": {"B"}, "docs.0.file": {"id-b"}, // moved up by a script
			"docs.1.title": {"A"}, "docs.1.file": {"id-forged"},
			"docs.2.title": {"C"},
		},
		Files:    map[string][]*multipart.FileHeader{"docs.2.file": {upload(t, "docs.2.file", "c.pdf", "application/pdf", pdfBytes)}},
		SaveFile: s.save,
	})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "docs", res.Data["docs"], []any{
		map[string]any{"title": "B", "file": "id-b"},
		map[string]any{"title": "A", "file": "id-b"}, // forged id refused: the item keeps what data had at its index
		map[string]any{"title": "C", "file": "id-c.pdf"},
	})
	assertEqual(t, "saved", s.calls, []string{"/docs/2/file c.pdf"})
}
