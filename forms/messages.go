package forms

import (
	"fmt"
	"strconv"
	"strings"
)

// Message returns the error in lang ("en", or French for any other
// value) without naming the field, e.g. "Ce champ est obligatoire". Use
// [Form.Message] when the form is at hand: it names the field.
func (e FieldError) Message(lang string) string {
	return msgCtx{en: isEnglish(lang)}.message(e)
}

// Message returns the error in lang ("en", or French for any other
// value), naming the field by its label and worded for its widget, in the
// style of GOV.UK error messages: "Remplissez le champ « Nom »",
// "Enter last name", "Sélectionnez une réponse pour « Salle »". A field
// inside a repeat item is named with its item: "Quantité (Équipement 2)".
func (f *Form) Message(e FieldError, lang string) string {
	m := msgCtx{en: isEnglish(lang)}
	if l := f.locate(e.Pointer); l.node != nil {
		m.label, m.widget = l.node.field.Label, l.node.field.Widget
		var ctx []string
		for _, it := range l.items {
			if it.repeat != l.node {
				ctx = append(ctx, it.repeat.itemName+" "+strconv.Itoa(it.index+1))
			}
		}
		if len(ctx) > 0 {
			m.label += " (" + strings.Join(ctx, ", ") + ")"
		}
	}
	return m.message(e)
}

func isEnglish(lang string) bool {
	return strings.HasPrefix(strings.ToLower(lang), "en")
}

// msgCtx is what a message may say about its field.
type msgCtx struct {
	en     bool
	label  string // "" when the field is unknown
	widget Widget
}

// pick returns the French or English text.
func (m msgCtx) pick(fr, en string) string {
	if m.en {
		return en
	}
	return fr
}

// named returns the labelled variant when the label is known, else the
// generic one. In the labelled texts %[1]s is the label: in French
// between « » (with no-break spaces), in English as is (or lower-cased after a verb: %[2]s).
func (m msgCtx) named(fr, en, genericFR, genericEN string, args ...any) string {
	if m.label == "" {
		return fmt.Sprintf(m.pick(genericFR, genericEN), args...)
	}
	label := "«\u00a0" + m.label + "\u00a0»"
	if m.en {
		label = m.label
	}
	all := append([]any{label, lowerFirst(m.label)}, args...)
	return fmt.Sprintf(m.pick(fr, en), all...)
}

func (m msgCtx) message(e FieldError) string {
	n := argText(e.Args, 0)
	switch e.Key {
	case "required":
		return m.required()
	case "consent":
		return m.pick("Vous devez cocher cette case", "You must tick this box")
	case "type":
		return m.typeMessage(n)
	case "enum":
		return m.named("Sélectionnez une réponse valide pour %[1]s", "Select a valid option for %[2]s",
			"Sélectionnez une option de la liste", "Select an option from the list")
	case "format":
		return m.format(n)
	case "pattern":
		return m.named("%[1]s n'est pas au bon format", "Enter %[2]s in the correct format",
			"Le format n'est pas valide", "Enter a value in the correct format")
	case "minLength":
		return m.named("%[1]s doit comporter au moins %[3]s", "%[1]s must be %[3]s or more",
			"Saisissez au moins %[1]s", "Enter at least %[1]s", m.chars(n))
	case "maxLength":
		return m.named("%[1]s doit comporter %[3]s au maximum", "%[1]s must be %[3]s or fewer",
			"Saisissez %[1]s au maximum", "Enter %[1]s or fewer", m.chars(n))
	case "minimum":
		return m.named("%[1]s doit être supérieur ou égal à %[3]s", "%[1]s must be %[3]s or more",
			"Saisissez un nombre supérieur ou égal à %[1]s", "Enter a number that is %[1]s or more", n)
	case "maximum":
		return m.named("%[1]s doit être inférieur ou égal à %[3]s", "%[1]s must be %[3]s or less",
			"Saisissez un nombre inférieur ou égal à %[1]s", "Enter a number that is %[1]s or less", n)
	case "exclusiveMinimum":
		return m.named("%[1]s doit être supérieur à %[3]s", "%[1]s must be more than %[3]s",
			"Saisissez un nombre supérieur à %[1]s", "Enter a number more than %[1]s", n)
	case "exclusiveMaximum":
		return m.named("%[1]s doit être inférieur à %[3]s", "%[1]s must be less than %[3]s",
			"Saisissez un nombre inférieur à %[1]s", "Enter a number less than %[1]s", n)
	case "multipleOf":
		return m.named("%[1]s doit être un multiple de %[3]s", "%[1]s must be a multiple of %[3]s",
			"Saisissez un multiple de %[1]s", "Enter a multiple of %[1]s", n)
	case "minItems", "maxItems":
		return m.items(e.Key, n)
	case "uniqueItems":
		return m.pick("Chaque réponse ne peut figurer qu'une fois", "Each answer can only be given once")
	case "additionalProperties", "unevaluatedProperties":
		return m.pick("Champs inconnus\u00a0: ", "Unknown fields: ") + joinArgs(e.Args)
	case "fileType":
		return m.pick("Le fichier choisi doit être au format ", "The selected file must be a ") + m.fileTypes(e.Args)
	case "fileSize":
		return m.pick("Le fichier choisi doit peser moins de ", "The selected file must be smaller than ") + m.bytes(e.Args)
	case "fileEmpty":
		return m.pick("Le fichier choisi est vide", "The selected file is empty")
	}
	return m.named("%[1]s n'est pas valide", "Enter a valid value for %[2]s",
		"La valeur saisie n'est pas valide", "Enter a valid value")
}

func (m msgCtx) required() string {
	generic := func(fr, en string) string {
		return m.named(fr, en, "Ce champ est obligatoire", "This field is required")
	}
	switch m.widget {
	case WidgetSelect, WidgetRadio:
		return generic("Sélectionnez une réponse pour %[1]s", "Select %[2]s")
	case WidgetCheckboxes:
		return generic("Cochez au moins une case pour %[1]s", "Select at least one option for %[2]s")
	case WidgetCheckbox:
		return m.pick("Vous devez cocher cette case", "You must tick this box")
	case WidgetFile:
		return generic("Joignez un fichier pour %[1]s", "Upload %[2]s")
	case WidgetRepeat:
		return generic("Ajoutez au moins un élément à %[1]s", "Add at least one item to %[2]s")
	case WidgetFieldset:
		return generic("Remplissez la rubrique %[1]s", "Enter %[2]s")
	}
	return generic("Remplissez le champ %[1]s", "Enter %[2]s")
}

func (m msgCtx) typeMessage(expected string) string {
	switch expected {
	case "integer":
		return m.named("%[1]s doit être un nombre entier", "%[1]s must be a whole number",
			"Saisissez un nombre entier", "Enter a whole number")
	case "number":
		return m.named("%[1]s doit être un nombre", "%[1]s must be a number",
			"Saisissez un nombre", "Enter a number")
	case "string":
		return m.named("Saisissez du texte pour %[1]s", "Enter text for %[2]s", "Saisissez du texte", "Enter text")
	case "boolean":
		return m.pick("Cochez ou décochez la case", "Tick or untick the box")
	case "array":
		return m.pick("Sélectionnez une ou plusieurs options", "Select one or more options")
	}
	return m.named("%[1]s n'a pas le bon type de valeur", "%[1]s has the wrong type of value",
		"La valeur n'a pas le bon type", "The value has the wrong type")
}

func (m msgCtx) format(format string) string {
	switch format {
	case "email":
		return m.pick("Saisissez une adresse e-mail valide, par exemple nom@exemple.ch",
			"Enter an email address in the correct format, like name@example.com")
	case "date":
		return m.named("%[1]s doit être une date valide, par exemple 31.12.2025", "%[1]s must be a real date, like 31.12.2025",
			"Saisissez une date valide, par exemple 31.12.2025", "Enter a real date, like 31.12.2025")
	case "file":
		return m.required()
	}
	return m.named("%[1]s n'est pas au bon format", "Enter %[2]s in the correct format",
		"Le format n'est pas valide", "Enter a value in the correct format")
}

func (m msgCtx) items(key, n string) string {
	repeat := m.widget == WidgetRepeat
	switch {
	case key == "minItems" && repeat:
		return m.named("Ajoutez au moins %[3]s à %[1]s", "Add at least %[3]s to %[2]s",
			"Ajoutez au moins %[1]s", "Add at least %[1]s", m.count(n, "élément", "item"))
	case key == "minItems":
		return m.named("Sélectionnez au moins %[3]s pour %[1]s", "Select at least %[3]s for %[2]s",
			"Sélectionnez au moins %[1]s", "Select at least %[1]s", m.count(n, "option", "option"))
	case repeat:
		return m.named("Vous pouvez ajouter au plus %[3]s à %[1]s", "You can add no more than %[3]s to %[2]s",
			"Vous pouvez ajouter au plus %[1]s", "You can add no more than %[1]s", m.count(n, "élément", "item"))
	}
	return m.named("Sélectionnez au plus %[3]s pour %[1]s", "Select no more than %[3]s for %[2]s",
		"Sélectionnez au plus %[1]s", "Select no more than %[1]s", m.count(n, "option", "option"))
}
