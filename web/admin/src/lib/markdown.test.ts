import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown'

describe('markdown preview', () => {
  it('renders the basics', () => {
    expect(renderMarkdown('## Tarifs\n\n- **Salle** : CHF 120.–\n- *Carnotzet*\n\nVoir [le règlement](/documents/r.pdf).')).toBe(
      '<h2>Tarifs</h2>\n<ul><li><strong>Salle</strong> : CHF 120.–</li><li><em>Carnotzet</em></li></ul>\n<p>Voir <a href="/documents/r.pdf">le règlement</a>.</p>',
    )
    expect(renderMarkdown('1. un\n2. deux')).toBe('<ol><li>un</li><li>deux</li></ol>')
  })
  it('is safe', () => {
    const html = renderMarkdown('<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('href="javascript')
  })
})
