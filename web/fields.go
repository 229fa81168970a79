package web

import (
	"strconv"
	"strings"

	"github.com/guichet/guichet/forms"
)

// fieldFuncs help templates/layout/fields.html render a [forms.Field].
// HTML ids derive from Field.ID: "<id>-condition" (when to fill in a
// conditional field), "<id>-hint", "<id>-error" and "<id>-current" (a
// file already attached) describe the control; the first
// option of radios and checkboxes has the field's own id, so that an error
// summary link "#<id>" lands on it, and the others "<id>--2", "<id>--3"…;
// the fieldset of repeat item i is "<id>--item-<i>". Each repeat item also
// posts a hidden "<name>.<i>._" so that an item whose fields post nothing
// (checkboxes only) still counts for [forms.Form.Decode].
var fieldFuncs = map[string]any{
	"rendered":     rendered,
	"hasCondition": hasCondition,
	"hasHint":      hasHint,
	"describedBy":  describedBy,
	"optionID":     optionID,
	"itemID":       func(id string, i int) string { return id + "--item-" + strconv.Itoa(i) },
	"itemPointer":  func(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) },
	"canAdd":       func(f forms.Field) bool { return f.MaxItems == 0 || len(f.Items) < f.MaxItems },
	"canRemove":    canRemove,
	"hasRepeat":    hasRepeat,
	"inputType":    inputType,
	"inputMode":    inputMode,
	"inputWidth":   inputWidth,
	"fileName":     fileName,
}

// rendered tells whether the page shows the field: not when its
// "ui:showIf" is false and its controlling field is on an earlier page.
// With the controlling field on the same page the field is always
// rendered (the portal runs no script), with the condition as a hint.
func rendered(f forms.Field) bool {
	return !f.Hidden || hasCondition(f)
}

// hasCondition tells whether the field shows when to fill it in: its
// controlling field is on the same page.
func hasCondition(f forms.Field) bool {
	return f.Condition != nil && f.Condition.SamePage && f.Condition.Hint != ""
}

// hasHint tells whether the field shows a hint: its help text, or for a
// file the accepted types and size limit.
func hasHint(f forms.Field) bool {
	return f.Help != "" || (f.Widget == forms.WidgetFile && (len(f.Accept) > 0 || f.MaxBytes > 0))
}

// describedBy lists the ids of the hint, error and current file of the
// field, for aria-describedby.
func describedBy(f forms.Field) string {
	var ids []string
	if hasCondition(f) {
		ids = append(ids, f.ID+"-condition")
	}
	if hasHint(f) {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Widget == forms.WidgetFile && f.Value != "" {
		ids = append(ids, f.ID+"-current")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

func optionID(id string, i int) string {
	if i == 0 {
		return id
	}
	return id + "--" + strconv.Itoa(i+1)
}

// canRemove tells whether the items of a repeat group get a "Retirer"
// button: not when removing would go below MinItems, nor on a lone item,
// since [forms.Form.Bind] always shows at least one.
func canRemove(f forms.Field) bool {
	return len(f.Items) > max(f.MinItems, 1)
}

// hasRepeat tells whether a repeat group is among fields, at any depth:
// the form then needs a default submit button ahead of its "Retirer"
// buttons, since pressing Enter clicks the form's first submit button.
func hasRepeat(fields []forms.Field) bool {
	for _, f := range fields {
		if f.Widget == forms.WidgetRepeat || hasRepeat(f.Fields) {
			return true
		}
	}
	return false
}

// inputType is the type attribute of a single-line input. Numbers use a
// text input with an inputmode, as GOV.UK advises, so that browsers do not
// round, spin or silently drop what was typed.
func inputType(w forms.Widget) string {
	switch w {
	case forms.WidgetEmail, forms.WidgetTel, forms.WidgetDate, "password":
		return string(w)
	}
	return "text"
}

func inputMode(w forms.Widget) string {
	switch w {
	case forms.WidgetInteger:
		return "numeric"
	case forms.WidgetNumber:
		return "decimal"
	}
	return ""
}

// inputWidth is a width class matching the expected length of the answer.
func inputWidth(f forms.Field) string {
	switch {
	case f.Widget == forms.WidgetInteger || f.Widget == forms.WidgetNumber || f.Widget == forms.WidgetDate:
		return "input--w10"
	case f.Widget == forms.WidgetTel:
		return "input--w20"
	case f.MaxLength != nil && *f.MaxLength <= 10:
		return "input--w10"
	case f.MaxLength != nil && *f.MaxLength <= 20:
		return "input--w20"
	}
	return ""
}

// fileName is what the page shows of a file already attached.
func fileName(f forms.Field) string {
	return f.Value
}
