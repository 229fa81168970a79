package builder

// DefaultOpinionSchema is the opinion form of a role that defines none: a
// decision, a text and files.
const DefaultOpinionSchema = `{
  "type": "object",
  "required": ["decision", "text"],
  "properties": {
    "decision": {
      "type": "string",
      "title": "Préavis",
      "oneOf": [
        {"const": "favourable", "title": "Favorable"},
        {"const": "favourable_with_conditions", "title": "Favorable avec conditions"},
        {"const": "unfavourable", "title": "Défavorable"}
      ]
    },
    "text": {"type": "string", "title": "Motivation et conditions", "minLength": 1, "maxLength": 20000},
    "attachment": {"type": "string", "format": "file", "title": "Pièce jointe",
      "x-accept": ["application/pdf", "image/jpeg", "image/png"], "x-maxBytes": 10485760}
  }
}`

// DefaultOpinionUISchema lays out the default opinion form.
const DefaultOpinionUISchema = `{
  "ui:order": ["decision", "text", "attachment"],
  "decision": {"ui:widget": "radio"},
  "text": {"ui:widget": "textarea", "ui:options": {"rows": 6}}
}`
