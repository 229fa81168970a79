// The live preview: the server renders the form page with the portal's own
// templates (POST /api/admin/preview/form) and the HTML goes into a shadow
// root together with the portal stylesheet (/static/guichet.css), so the
// admin sees exactly what applicants will see, without the two
// stylesheets mixing. The admin can fill the preview and ask the server to
// validate the answers: errors come back in the page and as a list.

import { useEffect, useRef, useState } from 'react'
import { api, ApiError, problemText } from '../api/client'
import type { FormPreview } from '../api/types'
import { useLang, useT } from '../i18n/i18n'
import { fieldByPointer, pointerOf, type FormModel } from '../model/form'
import { toForm } from '../model/form'
import { kindOf } from '../model/kinds'
import { isObject, type Json, type JsonObject } from '../model/json'
import { useDebounced } from '../lib/hooks'
import { FormStore, useModel } from './store'

let portalCSS: Promise<string> | null = null

const HOST_STYLE = { contentVisibility: 'auto', containIntrinsicSize: 'auto 40rem' } as const

/** loadPortalCSS fetches the portal stylesheet once, scoped to the shadow root. */
function loadPortalCSS(): Promise<string> {
  portalCSS ??= fetch('/static/guichet.css', { credentials: 'same-origin' })
    .then((r) => (r.ok ? r.text() : ''))
    .then(scopeCSS)
    .catch(() => '')
  return portalCSS
}

/** scopeCSS makes page-level selectors (:root, html, body) apply to the preview container. */
export function scopeCSS(css: string): string {
  return css.replace(/:root\b/g, ':host').replace(/(^|[\s,{}>])(html|body)(?=[\s,{.:#[>])/g, '$1.gp-root')
}

/** collect reads the answers typed in the preview into JSON data, typed by field kind. */
export function collect(form: HTMLFormElement | ShadowRoot, m: FormModel): JsonObject {
  const kinds = new Map<string, string>()
  for (const id of Object.keys(m.nodes)) if (id !== 'root') kinds.set(pointerOf(m, id), kindOf(m.nodes[id]))
  const data: JsonObject = {}
  const set = (parts: string[], v: Json | ((cur: Json | undefined) => Json)) => {
    let cur: JsonObject | Json[] = data
    for (let i = 0; i < parts.length - 1; i++) {
      const k = parts[i]
      const nextIsIndex = /^\d+$/.test(parts[i + 1])
      const container = cur as Record<string, Json>
      if (container[k] === undefined || container[k] === null) container[k] = nextIsIndex ? [] : {}
      cur = container[k] as JsonObject | Json[]
    }
    const last = parts[parts.length - 1]
    const c = cur as Record<string, Json>
    c[last] = typeof v === 'function' ? v(c[last]) : v
  }
  const els = form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input[name],select[name],textarea[name]')
  for (const el of els) {
    const parts = el.name.split('.')
    if (parts[parts.length - 1] === '_') {
      // A repeat item's marker: the item exists even when empty.
      set(parts.slice(0, -1), (cur) => (isObject(cur) ? cur : {}))
      continue
    }
    const kind = kinds.get('/' + parts.map((p) => (/^\d+$/.test(p) ? '-' : p)).join('/')) ?? 'text'
    if (el instanceof HTMLInputElement) {
      if (el.type === 'file') continue
      if (kind === 'checkboxes') {
        set(parts, (cur) => {
          const list = Array.isArray(cur) ? cur : []
          return el.checked ? [...list, el.value] : list
        })
        continue
      }
      if (el.type === 'checkbox') {
        if (el.checked) set(parts, true)
        continue
      }
      if (el.type === 'radio') {
        if (el.checked) set(parts, el.value)
        continue
      }
    }
    const v = el.value
    if (v === '') continue
    if ((kind === 'number' || kind === 'integer') && v.trim() !== '' && Number.isFinite(Number(v))) set(parts, Number(v))
    else set(parts, v)
  }
  return data
}

export function Preview({ fs, onSelect }: { fs: FormStore; onSelect: (id: string) => void }) {
  const t = useT()
  const { lang } = useLang()
  const model = useDebounced(useModel(fs), 300)
  const host = useRef<HTMLDivElement>(null)
  const [page, setPage] = useState(0)
  const [data, setData] = useState<JsonObject>({})
  const [validate, setValidate] = useState(false)
  const [result, setResult] = useState<FormPreview | null>(null)
  const [error, setError] = useState<{ text: string; pointer?: string } | null>(null)
  const [loading, setLoading] = useState(false)
  const [css, setCSS] = useState('')

  useEffect(() => {
    void loadPortalCSS().then(setCSS)
  }, [])

  useEffect(() => {
    const ctl = new AbortController()
    const form = toForm(model)
    setLoading(true)
    api
      .previewForm({ schema: form.schema, uiSchema: form.uiSchema, data, validate, page, lang }, ctl.signal)
      .then((r) => {
        setResult(r)
        setError(null)
        if (r.page !== page) setPage(r.page)
      })
      .catch((e) => {
        if (ctl.signal.aborted) return
        const first = e instanceof ApiError ? e.errors[0] : undefined
        setError({ text: first ? first.detail : problemText(e), pointer: first?.pointer })
      })
      .finally(() => !ctl.signal.aborted && setLoading(false))
    return () => ctl.abort()
  }, [model, data, validate, page, lang])

  // The shadow root's stylesheet and form are made once; an update replaces
  // only what changed (the portal stylesheet is not parsed again for every
  // edit).
  useEffect(() => {
    const el = host.current
    if (!el) return
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' })
    let style = root.querySelector('style')
    let box = root.querySelector<HTMLDivElement>('.gp-root')
    let f = root.querySelector('form')
    if (!style || !box || !f) {
      root.innerHTML = '<style></style><div class="gp-root"><form class="form" novalidate></form></div>'
      style = root.querySelector('style')!
      box = root.querySelector<HTMLDivElement>('.gp-root')!
      f = root.querySelector('form')!
      f.addEventListener('submit', (e) => e.preventDefault())
    }
    const text = `${css}\n.gp-root{padding:1rem;background:#fff}`
    if (style.textContent !== text) style.textContent = text
    if (box.getAttribute('lang') !== lang) box.setAttribute('lang', lang)
    f.innerHTML = result?.html ?? ''
    // Buttons of repeat groups would submit the portal form: here they do nothing.
    f.querySelectorAll('button').forEach((b) => b.setAttribute('disabled', ''))
  }, [result, css, lang])

  const check = () => {
    const root = host.current?.shadowRoot
    if (root) setData(collect(root, fs.model))
    setValidate(true)
  }
  const reset = () => {
    setData({})
    setValidate(false)
  }
  const where = (pointer: string) => {
    // A compile error points into the request: /schema/... or /uiSchema/...
    const p = pointer.replace(/^\/(schema|uiSchema)/, '')
    return fieldByPointer(fs.model, p)
  }

  return (
    <section className="fb__preview" aria-labelledby="preview-h">
      <div className="fb__preview-head">
        <h2 id="preview-h" className="h3">
          {t('preview.title')}
        </h2>
        <span role="status" className="small muted">
          {loading ? t('preview.loading') : ''}
        </span>
      </div>
      {result && result.pages.length > 1 ? (
        <div className="tabs" role="group" aria-label={t('preview.pages')}>
          {result.pages.map((p) => (
            <button type="button" key={p.index} aria-pressed={p.index === page} onClick={() => setPage(p.index)}>
              {p.index + 1}. {p.title || t('fb.page.default', { n: p.index + 1 })}
            </button>
          ))}
          <button type="button" aria-pressed={page === -1} onClick={() => setPage(-1)}>
            {t('preview.allPages')}
          </button>
        </div>
      ) : null}
      {error ? (
        <div className="status status--error" role="alert">
          {t('preview.compileError')} {error.text}{' '}
          {error.pointer && where(error.pointer) ? (
            <button type="button" className="button button--small" onClick={() => onSelect(where(error.pointer!)!)}>
              {t('preview.showField')}
            </button>
          ) : null}
        </div>
      ) : null}
      {/* Below the fields, usually off screen while they are edited: the
          browser then skips its layout and paint (WCAG-neutral: the content
          stays in the DOM and the accessibility tree). */}
      <div ref={host} className="preview-host" style={HOST_STYLE} />
      <div className="toolbar">
        <button type="button" className="button" onClick={check}>
          {t('preview.validate')}
        </button>
        <button type="button" className="button button--ghost" onClick={reset}>
          {t('preview.reset')}
        </button>
      </div>
      {validate && result ? (
        result.errors.length ? (
          <div role="region" aria-label={t('preview.errors')}>
            <p>{t('preview.errorCount', { n: result.errors.length })}</p>
            <ul className="problems">
              {result.errors.map((e, i) => {
                const id = fieldByPointer(fs.model, e.pointer)
                return (
                  <li key={i}>
                    <button
                      type="button"
                      className="linklike"
                      onClick={() => {
                        setPage(e.page)
                        if (id) onSelect(id)
                      }}
                    >
                      <span className="mono small">{e.pointer || '/'}</span> {e.detail}
                    </button>
                  </li>
                )
              })}
            </ul>
          </div>
        ) : (
          <p className="status status--ok" role="status">
            {t('preview.valid')}
          </p>
        )
      ) : null}
    </section>
  )
}
