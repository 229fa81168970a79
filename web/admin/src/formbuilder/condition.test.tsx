// The "Condition d'affichage" section of the properties panel: choose a
// controlling field, an operator and values; the model writes ui:showIf and
// the schema's allOf rule.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { LangProvider } from '../i18n/i18n'
import { fromForm, ROOT, toForm, type FormModel } from '../model/form'
import type { JsonObject } from '../model/json'
import { PropertiesPanel } from './Properties'
import { FormStore } from './store'

afterEach(cleanup)

const proc = JSON.parse(readFileSync(join(__dirname, '../../../../builder/presets/reservation-salle.json'), 'utf8')) as JsonObject
const form = ((proc.scenarios as JsonObject[])[1].form as JsonObject) as { schema: JsonObject; uiSchema: JsonObject }

function field(m: FormModel, name: string): string {
  return Object.values(m.nodes).find((n) => n.name === name && n.parent === ROOT)!.id
}

describe('condition editor', () => {
  it('adds, edits and removes a condition', () => {
    const fs = new FormStore(fromForm(form.schema, form.uiSchema), () => {})
    const id = field(fs.model, 'description')
    fs.select(id)
    render(
      <LangProvider>
        <PropertiesPanel fs={fs} />
      </LangProvider>,
    )
    const section = () => within(screen.getByRole('group', { name: 'Condition d’affichage' }))
    const show = section().getByLabelText('Afficher ce champ') as HTMLSelectElement
    expect([...show.options].map((o) => o.text)).toEqual(['Toujours', 'Salle souhaitée', 'Disposition de la salle polyvalente'])

    fireEvent.change(show, { target: { value: field(fs.model, 'room') } })
    let out = toForm(fs.model)
    expect((out.uiSchema!.description as JsonObject)['ui:showIf']).toEqual({ field: '/room', equals: 'salle-communale' })

    fireEvent.change(section().getByLabelText('Condition'), { target: { value: 'in' } })
    fireEvent.click(section().getByLabelText('Carnotzet'))
    fireEvent.click(screen.getByLabelText('Obligatoire quand il est affiché'))
    out = toForm(fs.model)
    expect((out.uiSchema!.description as JsonObject)['ui:showIf']).toEqual({ field: '/room', in: ['salle-communale', 'carnotzet'] })
    expect((out.schema.allOf as JsonObject[])[1]).toEqual({
      if: { properties: { room: { enum: ['salle-communale', 'carnotzet'] } }, required: ['room'] },
      then: { required: ['description'] },
    })

    fireEvent.change(section().getByLabelText('Afficher ce champ'), { target: { value: '' } })
    out = toForm(fs.model)
    expect(out.uiSchema!.description).not.toHaveProperty('ui:showIf')
    expect(out.schema.allOf).toEqual(form.schema.allOf)
    expect(out.schema.required).toContain('description')
  })
})
