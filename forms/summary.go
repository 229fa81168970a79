package forms

import (
	"strconv"
	"strings"
)

// SummarySection is one page of answers on a check-your-answers page or
// a read-only view of a dossier.
type SummarySection struct {
	Title     string
	PageIndex int // the page to return to in order to change these answers
	Rows      []SummaryRow
}

// SummaryRow is one question and its answer, ready to display.
type SummaryRow struct {
	Label string
	// Value is the answer as people read it: option labels rather than
	// values, "Oui"/"Non" (or "Yes"/"No"), dates as dd.mm.yyyy, several
	// choices joined by ", ", the ID for a file. "" when not answered.
	Value   string
	Pointer string
	FileID  string         // file fields: the stored ID, for a download link
	Nested  []SummaryGroup // fieldset: one untitled group; repeat: one group per item
}

// SummaryGroup is the rows of a fieldset or of one repeat item, the
// latter titled with the item's label and number ("Équipement 2").
type SummaryGroup struct {
	Title   string
	Pointer string
	Rows    []SummaryRow
}

// Summary returns the answers in data, one section per page, in form
// order. Hidden fields (widget hidden, or a "ui:showIf" false on data)
// are left out and passwords masked.
func (f *Form) Summary(data map[string]any, lang string) []SummarySection {
	s := summarizer{f: f, root: data, en: isEnglish(lang)}
	out := make([]SummarySection, len(f.pages))
	for i, p := range f.pages {
		out[i] = SummarySection{Title: p.title, PageIndex: i, Rows: s.rows(p.nodes, data, "")}
	}
	return out
}

type summarizer struct {
	f    *Form
	root map[string]any
	en   bool
}

func (s summarizer) rows(nodes []*node, m map[string]any, prefix string) []SummaryRow {
	rows := make([]SummaryRow, 0, len(nodes))
	for _, n := range nodes {
		if n.field.Widget == WidgetHidden {
			continue
		}
		ptr := prefix + "/" + escapeToken(n.name)
		if n.cond != nil && !s.f.holds(n, splitPointer(ptr), s.root) {
			continue
		}
		v, has := m[n.name]
		rows = append(rows, s.row(n, v, has, ptr))
	}
	return rows
}

func (s summarizer) row(n *node, v any, has bool, ptr string) SummaryRow {
	r := SummaryRow{Label: n.field.Label, Pointer: ptr}
	switch n.field.Widget {
	case WidgetFieldset:
		child, _ := v.(map[string]any)
		r.Nested = []SummaryGroup{{Pointer: ptr, Rows: s.rows(n.children, child, ptr)}}
	case WidgetRepeat:
		for i, item := range asList(v) {
			child, _ := item.(map[string]any)
			ip := ptr + "/" + strconv.Itoa(i)
			r.Nested = append(r.Nested, SummaryGroup{
				Title: n.itemName + " " + strconv.Itoa(i+1), Pointer: ip, Rows: s.rows(n.children, child, ip),
			})
		}
	case WidgetCheckbox:
		if b, ok := v.(bool); ok {
			r.Value = s.yesNo(b)
		}
	case WidgetCheckboxes:
		var labels []string
		for _, x := range asList(v) {
			labels = append(labels, optionLabel(n, x))
		}
		r.Value = strings.Join(labels, ", ")
	case WidgetFile:
		r.FileID, _ = v.(string)
		r.Value = r.FileID
	case WidgetPassword:
		if has {
			r.Value = "••••••••"
		}
	default:
		if !has {
			break
		}
		r.Value = optionLabel(n, v)
		if n.format == "date" || n.field.Widget == WidgetDate {
			r.Value = displayDate(r.Value)
		}
	}
	return r
}

func (s summarizer) yesNo(b bool) string {
	switch {
	case s.en && b:
		return "Yes"
	case s.en:
		return "No"
	case b:
		return "Oui"
	}
	return "Non"
}

// optionLabel shows a value by the label of its option, if it has one.
func optionLabel(n *node, v any) string {
	text := formatValue(v)
	for _, o := range n.field.Options {
		if o.Value == text {
			return o.Label
		}
	}
	return text
}
