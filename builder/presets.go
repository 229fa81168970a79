package builder

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// presetFiles holds the preset procedures, one JSON document per file
// named after the procedure's slug.
//
//go:embed presets/*.json
var presetFiles embed.FS

// ErrNoPreset is returned by [Preset] for a slug no preset has.
var ErrNoPreset = errors.New("no such preset")

// Presets returns the example procedures that ship with Guichet, parsed,
// in the order of their file names (which are their slugs). Each call
// returns fresh copies that the caller may change, for example to create a
// procedure from a preset. They pass [Check] with no problem:
//
//   - reservation-salle: information and a three-page online form;
//   - broyage-sapins: information only;
//   - portail-famille: a redirect to the family portal;
//   - saisie-guichet: an online form for agents only (intake at the counter
//     or by phone).
//   - signalement-voirie: an api scenario (report a road problem) whose
//     integration pushes each report to the roads department's business
//     application and takes its updates by webhook and by polling; it is
//     disabled until an admin sets its URL.
func Presets() ([]*Procedure, error) {
	names, err := fs.Glob(presetFiles, "presets/*.json")
	if err != nil {
		return nil, err
	}
	out := make([]*Procedure, 0, len(names))
	for _, name := range names { // fs.Glob returns sorted names
		data, err := presetFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		p, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("preset %s: %w", name, err)
		}
		if want := strings.TrimSuffix(path.Base(name), ".json"); p.Slug != want {
			return nil, fmt.Errorf("preset %s: slug %q does not match the file name", name, p.Slug)
		}
		out = append(out, p)
	}
	return out, nil
}

// Preset returns a fresh copy of the preset procedure whose slug is slug,
// or an error wrapping [ErrNoPreset].
func Preset(slug string) (*Procedure, error) {
	ps, err := Presets()
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Slug == slug {
			return p, nil
		}
	}
	return nil, fmt.Errorf("preset %q: %w", slug, ErrNoPreset)
}
