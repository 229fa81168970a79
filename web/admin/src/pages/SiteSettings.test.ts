import { describe, expect, it } from 'vitest'
import { contrastOnWhite } from './SiteSettings'

describe('contrastOnWhite', () => {
  it('gives the WCAG ratio the server uses to refuse an accent', () => {
    expect(contrastOnWhite('#000')).toBeCloseTo(21, 5)
    expect(contrastOnWhite('#ffffff')).toBeCloseTo(1, 5)
    expect(contrastOnWhite('#767676')).toBeGreaterThanOrEqual(4.5) // the lightest grey passing AA
    expect(contrastOnWhite('#777777')).toBeLessThan(4.5)
    expect(contrastOnWhite('#FFFF00')).toBeLessThan(1.1)
  })
  it('is 0 for what is not #rgb or #rrggbb', () => {
    for (const c of ['', 'blue', '#12', '#1234567', 'rgb(0,0,0)']) expect(contrastOnWhite(c), c).toBe(0)
  })
})
