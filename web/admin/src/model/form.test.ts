import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fromForm, pageFields, pageOf, pointerOf, fieldByPointer, ROOT, toForm, type FormModel } from './form'
import { isObject, type Json, type JsonObject } from './json'
import {
  addField,
  addPage,
  disablePages,
  enablePages,
  moveBy,
  moveField,
  removeField,
  removePage,
  renameField,
  setOptions,
  setRequired,
  setSchema,
  switchKind,
} from './formOps'
import { kindOf, optionsOf, PALETTE } from './kinds'

const presetDir = join(__dirname, '../../../../builder/presets')

/** Every form of a procedure: scenario forms, transition forms, opinion forms. */
function formsOf(proc: JsonObject): [string, JsonObject][] {
  const out: [string, JsonObject][] = []
  const scenarios = Array.isArray(proc.scenarios) ? proc.scenarios : []
  scenarios.forEach((s, i) => {
    if (!isObject(s)) return
    if (isObject(s.form)) out.push([`scenarios[${i}].form`, s.form])
    const p = s.pipeline
    if (!isObject(p)) return
    ;(Array.isArray(p.transitions) ? p.transitions : []).forEach((t, j) => {
      if (isObject(t) && isObject(t.form)) out.push([`scenarios[${i}].pipeline.transitions[${j}].form`, t.form])
    })
    ;(Array.isArray(p.roles) ? p.roles : []).forEach((r, j) => {
      if (isObject(r) && isObject(r.opinionForm)) out.push([`scenarios[${i}].pipeline.roles[${j}].opinionForm`, r.opinionForm])
    })
  })
  return out
}

const presets = readdirSync(presetDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(presetDir, f), 'utf8')) as JsonObject] as const)

/** The exact text JSON.stringify gives: equal strings mean equal values and equal key order. */
const text = (v: unknown) => JSON.stringify(v)

describe('round trip of every preset form', () => {
  it('finds the presets', () => {
    expect(presets.length).toBeGreaterThanOrEqual(5)
    expect(presets.flatMap(([, p]) => formsOf(p)).length).toBeGreaterThanOrEqual(4)
  })
  for (const [file, proc] of presets) {
    for (const [where, form] of formsOf(proc)) {
      it(`${file} ${where}`, () => {
        const m = fromForm(form.schema, form.uiSchema)
        const out = toForm(m)
        expect(text(out.schema)).toBe(text(form.schema))
        expect(text(out.uiSchema)).toBe(text(form.uiSchema))
        // And again from the output: the model is stable.
        const again = toForm(fromForm(out.schema, out.uiSchema))
        expect(text(again)).toBe(text(out))
      })
    }
  }
})

function preset(name: string, scenario = 1): { schema: JsonObject; uiSchema?: JsonObject } {
  const p = presets.find(([f]) => f === name)![1]
  const s = (p.scenarios as JsonObject[])[scenario]
  return s.form as { schema: JsonObject; uiSchema?: JsonObject }
}

function byName(m: FormModel, path: string): string {
  let cur = ROOT
  for (const name of path.split('.')) cur = m.nodes[cur].box!.children.find((id) => m.nodes[id].name === name)!
  return cur
}

const names = (m: FormModel, parent = ROOT) => m.nodes[parent].box!.children.map((id) => m.nodes[id].name)

describe('kinds', () => {
  it('recognises the preset fields', () => {
    const m = fromForm(preset('reservation-salle.json').schema, preset('reservation-salle.json').uiSchema)
    const kinds = Object.fromEntries(m.nodes[ROOT].box!.children.map((id) => [m.nodes[id].name, kindOf(m.nodes[id])]))
    expect(kinds).toEqual({
      first_name: 'text',
      last_name: 'text',
      email: 'email',
      phone: 'tel',
      address: 'fieldset',
      room: 'radio',
      event_date: 'date',
      attendees: 'integer',
      equipment: 'repeat',
      description: 'textarea',
      attachment: 'file',
      consent: 'consent',
    })
    expect(kindOf(m.nodes[byName(m, 'equipment.item')])).toBe('select')
    expect(optionsOf(m.nodes[byName(m, 'room')]).map((o) => o.value)).toEqual(['salle-communale', 'salle-polyvalente', 'carnotzet'])
  })
  it('adds a field of every palette kind and writes a schema the model reads back as that kind', () => {
    let m = fromForm({ type: 'object', properties: {} })
    for (const k of PALETTE) m = addField(m, k, { parent: ROOT, index: 99 }, `Champ ${k}`)[0]
    const back = fromForm(toForm(m).schema, toForm(m).uiSchema)
    expect(back.nodes[ROOT].box!.children.map((id) => kindOf(back.nodes[id]))).toEqual([...PALETTE])
  })
})

describe('edits', () => {
  it('adds, moves and removes fields', () => {
    const f = preset('permis-construire.json')
    let m = fromForm(f.schema, f.uiSchema)
    let id: string
    ;[m, id] = addField(m, 'tel', { parent: ROOT, index: 3 }, 'Téléphone')
    expect(names(m).slice(0, 5)).toEqual(['first_name', 'last_name', 'email', 'telephone', 'parcel'])
    let out = toForm(m)
    expect(Object.keys(out.schema.properties as JsonObject)).toContain('telephone')
    expect((out.uiSchema!['ui:order'] as string[])[3]).toBe('telephone')
    expect(out.uiSchema!.telephone).toEqual({ 'ui:widget': 'tel', 'ui:autocomplete': 'tel' })

    // Into a fieldset: the name must stay unique there, required follows.
    m = setRequired(m, id, true)
    m = moveField(m, id, { parent: byName(m, 'parcel'), index: 0 })
    out = toForm(m)
    const parcel = (out.schema.properties as JsonObject).parcel as JsonObject
    expect(Object.keys(parcel.properties as JsonObject)).toEqual(['telephone', 'commune', 'number'])
    expect(parcel.required).toEqual(['commune', 'number', 'telephone'])
    expect(out.schema.required).not.toContain('telephone')
    expect((out.uiSchema!.parcel as JsonObject).telephone).toEqual({ 'ui:widget': 'tel', 'ui:autocomplete': 'tel' })
    expect(pointerOf(m, id)).toBe('/parcel/telephone')

    // Not into itself.
    const parcelID = byName(m, 'parcel')
    expect(moveField(m, parcelID, { parent: parcelID, index: 0 })).toBe(m)

    // Up and down.
    m = moveBy(m, byName(m, 'email'), -1)
    expect(names(m).slice(0, 3)).toEqual(['first_name', 'email', 'last_name'])
    out = toForm(m)
    expect((out.uiSchema!['ui:order'] as string[]).slice(0, 3)).toEqual(['first_name', 'email', 'last_name'])

    m = removeField(m, parcelID)
    expect(m.nodes[id]).toBeUndefined()
    out = toForm(m)
    expect(out.schema.properties).not.toHaveProperty('parcel')
    expect(out.schema.required).not.toContain('parcel')
    expect(out.uiSchema!['ui:order']).not.toContain('parcel')
  })

  it('reorders without ui:order by writing properties in the new order', () => {
    let m = fromForm({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } })
    m = moveField(m, byName(m, 'c'), { parent: ROOT, index: 0 })
    const out = toForm(m)
    expect(Object.keys(out.schema.properties as JsonObject)).toEqual(['c', 'a', 'b'])
    expect(out.uiSchema).toBeUndefined()
  })

  it('keeps ui:order with "*" while it still gives the order', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } }
    let m = fromForm(schema, { 'ui:order': ['c', '*'] })
    expect(names(m)).toEqual(['c', 'a', 'b'])
    m = addField(m, 'text', { parent: ROOT, index: 3 }, 'D')[0]
    expect(toForm(m).uiSchema).toEqual({ 'ui:order': ['c', '*'] })
    m = moveBy(m, byName(m, 'c'), 1)
    expect(toForm(m).uiSchema).toEqual({ 'ui:order': ['a', 'c', 'b', 'd'] })
  })

  it('renames a field everywhere it is named', () => {
    const f = preset('reservation-salle.json')
    let m = fromForm(f.schema, f.uiSchema)
    m = renameField(m, byName(m, 'email'), 'courriel')
    const out = toForm(m)
    expect(out.schema.required).toContain('courriel')
    expect((out.uiSchema!['ui:pages'] as JsonObject[])[0].fields).toEqual(['first_name', 'last_name', 'courriel', 'phone', 'address'])
    expect(out.uiSchema!.courriel).toEqual({ 'ui:autocomplete': 'email', 'ui:placeholder': 'prenom.nom@exemple.ch' })
    // Names stay unique among siblings.
    m = renameField(m, byName(m, 'phone'), 'courriel')
    expect(names(m)).toContain('courriel_2')
  })

  it('edits options in the style the field uses', () => {
    const f = preset('reservation-salle.json')
    let m = fromForm(f.schema, f.uiSchema)
    const item = byName(m, 'equipment.item')
    m = setOptions(m, item, [
      { value: 'Tables', label: 'Tables' },
      { value: 'Bancs', label: 'Bancs de fête' },
    ])
    const items = (((toForm(m).schema.properties as JsonObject).equipment as JsonObject).items as JsonObject).properties as JsonObject
    expect(items.item).toEqual({ type: 'string', title: 'Matériel', enum: ['Tables', 'Bancs'] })
    expect(((toForm(m).uiSchema!.equipment as JsonObject).items as JsonObject).item).toEqual({ 'ui:widget': 'select', 'ui:enumNames': ['Tables', 'Bancs de fête'] })
    const room = byName(m, 'room')
    m = setOptions(m, room, [{ value: 'a', label: 'A' }])
    expect(((toForm(m).schema.properties as JsonObject).room as JsonObject).oneOf).toEqual([{ const: 'a', title: 'A' }])
  })

  it('switches kinds of the same value type', () => {
    let m = fromForm({ type: 'object', properties: { a: { type: 'string', title: 'A', maxLength: 10 } } })
    m = switchKind(m, byName(m, 'a'), 'textarea')
    expect(kindOf(m.nodes[byName(m, 'a')])).toBe('textarea')
    expect(toForm(m).schema.properties).toEqual({ a: { type: 'string', title: 'A', maxLength: 10 } })
    m = setSchema(m, byName(m, 'a'), 'minLength', 2)
    expect(((toForm(m).schema.properties as JsonObject).a as JsonObject).minLength).toBe(2)
  })
})

describe('pages', () => {
  it('reads pages and moves fields between them', () => {
    const f = preset('reservation-salle.json')
    let m = fromForm(f.schema, f.uiSchema)
    expect(m.pages!.length).toBe(3)
    expect(pageFields(m, 2).map((id) => m.nodes[id].name)).toEqual(['attachment', 'consent'])
    const phone = byName(m, 'phone')
    m = moveField(m, phone, { parent: ROOT, index: 0, page: 2 })
    expect(pageFields(m, 2).map((id) => m.nodes[id].name)).toEqual(['phone', 'attachment', 'consent'])
    expect(pageOf(m, phone)).toBe(2)
    const pages = toForm(m).uiSchema!['ui:pages'] as JsonObject[]
    expect(pages[0].fields).toEqual(['first_name', 'last_name', 'email', 'address'])
    expect(pages[2].fields).toEqual(['phone', 'attachment', 'consent'])
    // The form order puts phone before attachment; properties keep their written order.
    const back = fromForm(toForm(m).schema, toForm(m).uiSchema)
    expect(pageFields(back, 2).map((id) => back.nodes[id].name)).toEqual(['phone', 'attachment', 'consent'])
  })

  it('moves a field down past the end of a page onto the next', () => {
    const f = preset('reservation-salle.json')
    let m = fromForm(f.schema, f.uiSchema)
    m = moveBy(m, byName(m, 'description'), 1)
    expect(pageFields(m, 2).map((id) => m.nodes[id].name)).toEqual(['description', 'attachment', 'consent'])
  })

  it('adds, removes and turns off pages', () => {
    let m = fromForm({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } })
    m = enablePages(m, 'Étape 1')
    m = addPage(m, 'Étape 2')
    m = moveField(m, byName(m, 'b'), { parent: ROOT, index: 0, page: 1 })
    expect(toForm(m).uiSchema).toEqual({
      'ui:pages': [
        { title: 'Étape 1', fields: ['a'] },
        { title: 'Étape 2', fields: ['b'] },
      ],
    })
    // A field added to the last page without listing still lands there.
    m = addField(m, 'text', { parent: ROOT, index: 1, page: 1 }, 'C')[0]
    expect(pageFields(m, 1).map((id) => m.nodes[id].name)).toEqual(['b', 'c'])
    m = removePage(m, 1)
    expect(toForm(m).uiSchema).toEqual({ 'ui:pages': [{ title: 'Étape 1', fields: ['a', 'b', 'c'] }] })
    m = disablePages(m)
    expect(toForm(m).uiSchema).toBeUndefined()
    expect(names(m)).toEqual(['a', 'b', 'c'])
  })
})

describe('pointers', () => {
  it('finds a field from a schema pointer or a value pointer', () => {
    const f = preset('reservation-salle.json')
    const m = fromForm(f.schema, f.uiSchema)
    expect(m.nodes[fieldByPointer(m, '/properties/address/properties/city/maxLength')!].name).toBe('city')
    expect(m.nodes[fieldByPointer(m, '/equipment/0/quantity')!].name).toBe('quantity')
    expect(pointerOf(m, byName(m, 'equipment.quantity'))).toBe('/equipment/-/quantity')
  })
})

// Keep the Json import used for type checking of helpers above.
export type _J = Json
