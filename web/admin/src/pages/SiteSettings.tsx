// The administration's branding on the portal and in the back-office:
// its name, logo and accent colour. Empty fields use the server's
// configuration; the accent colour must keep text readable (4.5:1 on
// white), which the page shows as you choose it.

import { useEffect, useState } from 'react'
import { ApiError, problemText, request } from '../api/client'
import { LiveMessage, Status, TextInput } from '../components/controls'
import { useT } from '../i18n/i18n'

interface Site {
  name?: string
  logoUrl?: string
  accentColor?: string
}

interface SiteView {
  settings: Site
  defaults: Site
  effective: Site
}

/** contrastOnWhite is the WCAG contrast ratio of #rgb or #rrggbb on white, or 0. */
export function contrastOnWhite(c: string): number {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c.trim())
  if (!m) return 0
  const h = m[1].length === 3 ? [...m[1]].map((x) => x + x).join('') : m[1]
  const lin = (i: number) => {
    const s = parseInt(h.slice(i, i + 2), 16) / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  const l = 0.2126 * lin(0) + 0.7152 * lin(2) + 0.0722 * lin(4)
  return 1.05 / (l + 0.05)
}

export default function SiteSettings() {
  const t = useT()
  const [view, setView] = useState<SiteView | undefined>()
  const [form, setForm] = useState<Required<Site>>({ name: '', logoUrl: '', accentColor: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>()
  const [saving, setSaving] = useState(false)

  const show = (v: SiteView) => {
    setView(v)
    setForm({ name: v.settings.name ?? '', logoUrl: v.settings.logoUrl ?? '', accentColor: v.settings.accentColor ?? '' })
  }
  useEffect(() => {
    request<SiteView>('GET', '/site').then((r) => show(r.data), (e) => setStatus({ tone: 'error', text: problemText(e) }))
  }, [])

  if (!view) return status ? <Status tone="error">{status.text}</Status> : <p role="status">{t('app.loading')}</p>

  const accent = form.accentColor || view.defaults.accentColor || '#0b4f8a'
  const ratio = contrastOnWhite(accent)
  const set = (k: keyof Site) => (v: string) => setForm((f) => ({ ...f, [k]: v }))

  const save = async (e: React.FormEvent) => {
    e.preventDefault()
    if (saving) return
    setSaving(true)
    setErrors({})
    setStatus(undefined)
    try {
      show((await request<SiteView>('PUT', '/site', { body: form })).data)
      setStatus({ tone: 'ok', text: t('site.saved') })
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) {
        setErrors(Object.fromEntries(err.errors.map((x) => [x.pointer.replace(/^\//, ''), x.detail])))
      }
      setStatus({ tone: 'error', text: problemText(err) })
    } finally {
      setSaving(false)
    }
  }

  return (
    <section aria-labelledby="site-h">
      <h1 id="site-h">{t('site.title')}</h1>
      <p>{t('site.intro')}</p>
      <form onSubmit={save} noValidate>
        <TextInput label={t('site.name')} help={t('site.default', { value: view.defaults.name || '—' })} value={form.name} onChange={set('name')} error={errors.name} />
        <TextInput
          label={t('site.logo')}
          help={t('site.logo.help')}
          type="url"
          value={form.logoUrl}
          onChange={set('logoUrl')}
          error={errors.logoUrl}
          spellCheck={false}
        />
        <div className="grid-2">
          <TextInput
            label={t('site.accent')}
            help={t('site.default', { value: view.defaults.accentColor || '—' })}
            value={form.accentColor}
            onChange={set('accentColor')}
            error={errors.accentColor}
            placeholder="#0b4f8a"
            mono
            spellCheck={false}
          />
          <div className="control">
            <label htmlFor="site-accent-picker">{t('site.accent.picker')}</label>
            <input id="site-accent-picker" type="color" value={ratio > 0 ? expand(accent) : '#0b4f8a'} onChange={(e) => set('accentColor')(e.target.value)} />
          </div>
        </div>
        <p aria-live="polite" className={ratio >= 4.5 ? 'status status--ok' : 'status status--error'}>
          {ratio === 0 ? t('site.accent.invalid') : t(ratio >= 4.5 ? 'site.contrast.ok' : 'site.contrast.low', { ratio: ratio.toFixed(1).replace('.', t('site.decimal')) })}
        </p>
        <h2>{t('site.preview')}</h2>
        <div className="site-preview" style={{ borderTop: `6px solid ${ratio >= 4.5 ? accent : view.defaults.accentColor}` }}>
          {form.logoUrl || view.effective.logoUrl ? <img src={form.logoUrl || view.effective.logoUrl} alt="" height={40} /> : null}
          <strong>{form.name || view.defaults.name}</strong>
          <span className="site-preview__button" style={{ background: ratio >= 4.5 ? accent : view.defaults.accentColor }}>
            {t('site.preview.button')}
          </span>
        </div>
        <p>
          {/* aria-disabled, not disabled: the button keeps focus while saving. */}
          <button type="submit" className="button button--primary" aria-disabled={saving || undefined}>
            {t('site.save')}
          </button>
        </p>
        <LiveMessage text={status?.text} tone={status?.tone} />
      </form>
    </section>
  )
}

function expand(c: string): string {
  const h = c.trim().slice(1)
  return '#' + (h.length === 3 ? [...h].map((x) => x + x).join('') : h).toLowerCase()
}
