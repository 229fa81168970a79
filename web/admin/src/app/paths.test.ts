import { describe, expect, it } from 'vitest'
import { locate, parsePath, pointerToPath } from './paths'

describe('problem paths', () => {
  it('parses JSONPath', () => {
    expect(parsePath('$.scenarios[1].form["ui:pages"][0]')).toEqual(['scenarios', 1, 'form', 'ui:pages', 0])
    expect(pointerToPath('/scenarios/1/form/uiSchema/ui:pages/0')).toBe('$.scenarios[1].form.uiSchema["ui:pages"][0]')
  })
  it('maps a problem to the page that edits it', () => {
    expect(locate('rs', '$.title')).toEqual({ route: '/p/rs/general', focus: '$.title' })
    expect(locate('rs', '$.messages.ack.subject').route).toBe('/p/rs/messages')
    expect(locate('rs', '$.scenarios').route).toBe('/p/rs/scenarios')
    expect(locate('rs', '$.scenarios[2].url').route).toBe('/p/rs/scenarios/2')
    expect(locate('rs', '$.scenarios[1].pipeline.states[0].id').route).toBe('/p/rs/scenarios/1/pipeline')
    expect(locate('rs', '$.scenarios[1].form', 'schema /properties/nom/type: invalid JSON Schema')).toEqual({
      route: '/p/rs/scenarios/1/form',
      focus: '$.scenarios[1].form',
      field: '/properties/nom/type',
    })
    expect(locate('rs', '$.scenarios[1].form.schema.properties.email').field).toBe('/properties/email')
  })
})
