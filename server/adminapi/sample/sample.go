// Package sample makes plausible sample data for a form: the admin API's
// template previews and the integrations' test calls run on it.
package sample

import (
	"time"

	"github.com/guichet/guichet/forms"
)

// Data gives every field of f a plausible value.
func Data(f *forms.Form, now time.Time) map[string]any {
	data := map[string]any{}
	for _, p := range f.Pages() {
		for _, fd := range p.Fields {
			if v := value(fd, now); v != nil {
				data[fd.Name] = v
			}
		}
	}
	return data
}

// text is the value of text fields by their autocomplete token.
var text = map[string]string{
	"given-name": "Marie", "family-name": "Dupont", "name": "Marie Dupont", "email": "marie.dupont@example.ch",
	"tel": "+41 21 123 45 67", "street-address": "Rue du Lac 1", "address-line1": "Rue du Lac 1",
	"postal-code": "1000", "address-level2": "Lausanne", "organization": "Association exemple",
}

func value(fd forms.Field, now time.Time) any {
	switch fd.Widget {
	case forms.WidgetFieldset, forms.WidgetRepeat:
		item := map[string]any{}
		for _, sub := range fd.Fields {
			if v := value(sub, now); v != nil {
				item[sub.Name] = v
			}
		}
		if fd.Widget == forms.WidgetRepeat {
			return []any{item}
		}
		return item
	case forms.WidgetCheckbox:
		return true
	case forms.WidgetCheckboxes, forms.WidgetSelect, forms.WidgetRadio:
		if len(fd.Options) == 0 {
			return nil
		}
		if fd.Widget == forms.WidgetCheckboxes {
			return []any{fd.Options[0].Value}
		}
		return fd.Options[0].Value
	case forms.WidgetNumber, forms.WidgetInteger:
		if fd.Minimum != nil && *fd.Minimum > 3 {
			return *fd.Minimum
		}
		return 3
	case forms.WidgetDate:
		return now.AddDate(0, 0, 30).Format("2006-01-02")
	case forms.WidgetEmail:
		return text["email"]
	case forms.WidgetTel:
		return text["tel"]
	case forms.WidgetFile:
		return "exemple.pdf"
	case forms.WidgetHidden, forms.WidgetPassword:
		return nil
	}
	if s, ok := text[fd.Autocomplete]; ok {
		return s
	}
	return "[" + fd.Label + "]"
}
