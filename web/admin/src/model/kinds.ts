// Field kinds: what the palette offers, how a property schema is
// recognised as one of them, and the schema a new field of each kind gets.

import { isObject, type Json, type JsonObject } from './json'
import { containerSchema, uiGet, type FieldNode } from './form'

export const PALETTE = [
  'text',
  'textarea',
  'email',
  'tel',
  'number',
  'integer',
  'date',
  'select',
  'radio',
  'checkboxes',
  'checkbox',
  'consent',
  'fieldset',
  'repeat',
  'file',
] as const

export type PaletteKind = (typeof PALETTE)[number]
/** custom: a property the builder shows but edits only as JSON ($ref, unusual schemas). */
export type FieldKind = PaletteKind | 'custom'

/** kindOf recognises the kind of a field from its schema and UI schema. */
export function kindOf(node: FieldNode): FieldKind {
  const s = node.schema
  const widget = uiGet(node, 'ui:widget')
  if (node.box) return containerSchema(node) === s ? 'fieldset' : 'repeat'
  if ('$ref' in s) return 'custom'
  const type = typeOf(s)
  if (type === 'array') {
    return isObject(s.items) && hasChoices(s.items) ? 'checkboxes' : 'custom'
  }
  if (type === 'boolean') return s.const === true ? 'consent' : 'checkbox'
  if (hasChoices(s)) {
    if (type !== 'string' && type !== 'integer' && type !== 'number') return 'custom'
    return widget === 'radio' ? 'radio' : 'select'
  }
  if (type === 'number') return 'number'
  if (type === 'integer') return 'integer'
  if (type !== 'string') return 'custom'
  switch (s.format) {
    case 'email':
      return 'email'
    case 'date':
      return 'date'
    case 'file':
      return 'file'
  }
  if (widget === 'textarea') return 'textarea'
  if (widget === 'tel') return 'tel'
  if (widget === 'email') return 'email'
  if (widget === 'date') return 'date'
  if (widget === 'file') return 'file'
  return 'text'
}

function typeOf(s: JsonObject): string {
  if (typeof s.type === 'string') return s.type
  if (Array.isArray(s.type)) {
    const t = s.type.find((x) => x !== 'null')
    if (typeof t === 'string') return t
  }
  if (Array.isArray(s.enum) && s.enum.length) return valueType(s.enum[0])
  if (s.const !== undefined) return valueType(s.const)
  if (Array.isArray(s.oneOf) && isObject(s.oneOf[0]) && s.oneOf[0].const !== undefined) return valueType(s.oneOf[0].const)
  if (isObject(s.properties)) return 'object'
  if (s.items !== undefined) return 'array'
  return ''
}

function valueType(v: Json): string {
  switch (typeof v) {
    case 'string':
      return 'string'
    case 'number':
      return 'number'
    case 'boolean':
      return 'boolean'
  }
  return ''
}

function hasChoices(s: JsonObject): boolean {
  if (Array.isArray(s.enum)) return true
  return Array.isArray(s.oneOf) && s.oneOf.length > 0 && s.oneOf.every((b) => isObject(b) && b.const !== undefined)
}

/** Option is one choice of a select, radio or checkboxes field. */
export interface Option {
  value: string
  label: string
}

/** choiceSchema returns the schema holding a choice field's enum/oneOf (items for checkboxes). */
export function choiceSchema(node: FieldNode): JsonObject {
  return kindOf(node) === 'checkboxes' && isObject(node.schema.items) ? node.schema.items : node.schema
}

/** optionsOf reads the choices of a select, radio or checkboxes field. */
export function optionsOf(node: FieldNode): Option[] {
  const s = choiceSchema(node)
  if (Array.isArray(s.oneOf)) {
    return s.oneOf.filter(isObject).map((b) => ({ value: String(b.const ?? ''), label: String(b.title ?? b.const ?? '') }))
  }
  if (Array.isArray(s.enum)) {
    const names = uiGet(node, 'ui:enumNames')
    return s.enum.map((v, i) => ({ value: String(v), label: Array.isArray(names) && typeof names[i] === 'string' ? (names[i] as string) : String(v) }))
  }
  return []
}

/** choiceValues returns the values of a choice field's options as its schema types them (strings, numbers). */
export function choiceValues(node: FieldNode): Json[] {
  const s = choiceSchema(node)
  if (Array.isArray(s.oneOf)) return s.oneOf.filter(isObject).map((b) => b.const ?? '')
  if (Array.isArray(s.enum)) return [...s.enum]
  return []
}

/** defaultSchema is the schema and UI a new field of a kind starts with. */
export function newField(kind: PaletteKind, title: string): { schema: JsonObject; ui: JsonObject } {
  const t = { title }
  switch (kind) {
    case 'text':
      return { schema: { type: 'string', ...t, maxLength: 200 }, ui: {} }
    case 'textarea':
      return { schema: { type: 'string', ...t, maxLength: 5000 }, ui: { 'ui:widget': 'textarea', 'ui:options': { rows: 5 } } }
    case 'email':
      return { schema: { type: 'string', format: 'email', ...t, maxLength: 254 }, ui: { 'ui:autocomplete': 'email' } }
    case 'tel':
      return { schema: { type: 'string', ...t, maxLength: 30 }, ui: { 'ui:widget': 'tel', 'ui:autocomplete': 'tel' } }
    case 'number':
      return { schema: { type: 'number', ...t }, ui: {} }
    case 'integer':
      return { schema: { type: 'integer', ...t }, ui: {} }
    case 'date':
      return { schema: { type: 'string', format: 'date', ...t }, ui: {} }
    case 'select':
      return { schema: { type: 'string', ...t, oneOf: [{ const: 'option-1', title: 'Option 1' }, { const: 'option-2', title: 'Option 2' }] }, ui: { 'ui:widget': 'select' } }
    case 'radio':
      return { schema: { type: 'string', ...t, oneOf: [{ const: 'oui', title: 'Oui' }, { const: 'non', title: 'Non' }] }, ui: { 'ui:widget': 'radio' } }
    case 'checkboxes':
      return {
        schema: { type: 'array', ...t, uniqueItems: true, items: { type: 'string', oneOf: [{ const: 'option-1', title: 'Option 1' }, { const: 'option-2', title: 'Option 2' }] } },
        ui: {},
      }
    case 'checkbox':
      return { schema: { type: 'boolean', ...t }, ui: {} }
    case 'consent':
      return { schema: { type: 'boolean', const: true, ...t }, ui: {} }
    case 'fieldset':
      return { schema: { type: 'object', ...t, properties: {} }, ui: {} }
    case 'repeat':
      return { schema: { type: 'array', ...t, items: { type: 'object', title: title, properties: {} } }, ui: {} }
    case 'file':
      return { schema: { type: 'string', format: 'file', ...t, 'x-accept': ['application/pdf', 'image/jpeg', 'image/png'], 'x-maxBytes': 5242880 }, ui: {} }
  }
}

/** Kinds a field may switch to without losing its place: same underlying value type. */
export const SWITCHABLE: Record<string, PaletteKind[]> = {
  text: ['text', 'textarea', 'email', 'tel', 'date'],
  textarea: ['text', 'textarea', 'email', 'tel', 'date'],
  email: ['text', 'textarea', 'email', 'tel', 'date'],
  tel: ['text', 'textarea', 'email', 'tel', 'date'],
  date: ['text', 'textarea', 'email', 'tel', 'date'],
  select: ['select', 'radio'],
  radio: ['select', 'radio'],
  number: ['number', 'integer'],
  integer: ['number', 'integer'],
  checkbox: ['checkbox', 'consent'],
  consent: ['checkbox', 'consent'],
}
