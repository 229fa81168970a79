import { describe, expect, it } from 'vitest'
import { fromForm } from '../model/form'
import { collect, scopeCSS } from './Preview'

describe('preview', () => {
  it('reads the answers typed in the rendered form as typed JSON', () => {
    const m = fromForm({
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        ok: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
        kids: { type: 'array', items: { type: 'object', properties: { n: { type: 'number' } } } },
        addr: { type: 'object', properties: { city: { type: 'string' } } },
      },
    })
    const form = document.createElement('form')
    form.innerHTML = `
      <input name="name" value="Marie"><input name="age" value="42"><input name="ok" type="checkbox" value="true" checked>
      <input name="tags" type="checkbox" value="a" checked><input name="tags" type="checkbox" value="b">
      <input type="hidden" name="kids.0._" value=""><input name="kids.0.n" value="1.5">
      <input type="hidden" name="kids.1._" value="">
      <input name="addr.city" value=""><input type="file" name="doc">`
    expect(collect(form, m)).toEqual({ name: 'Marie', age: 42, ok: true, tags: ['a'], kids: [{ n: 1.5 }, {}] })
  })
  it('scopes page-level selectors to the preview', () => {
    expect(scopeCSS(':root{--a:1}\nbody { margin:0 }\nhtml,body{x:y}')).toBe(':host{--a:1}\n.gp-root { margin:0 }\n.gp-root,.gp-root{x:y}')
  })
})
