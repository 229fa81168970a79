// Version history and a readable diff between two versions (or a version
// and the draft).

import { useEffect, useState } from 'react'
import { api, problemText } from '../api/client'
import type { Change } from '../api/types'
import { useLang, useT, type T } from '../i18n/i18n'
import { useAsync } from '../lib/hooks'
import { useDraftMeta, type DraftStore } from '../state/draft'
import { Select, Status } from '../components/controls'
import { parsePath } from '../app/paths'

/** describePath turns $.scenarios[1].form.schema.properties.email into words. */
export function describePath(path: string, t: T): string {
  const p = parsePath(path)
  const out: string[] = []
  for (let i = 0; i < p.length; i++) {
    const k = p[i]
    const next = p[i + 1]
    if (k === 'scenarios' && typeof next === 'number') {
      out.push(t('diff.scenario', { n: next + 1 }))
      i++
    } else if (k === 'properties' && typeof next === 'string') {
      out.push(t('diff.field', { name: next }))
      i++
    } else if ((k === 'states' || k === 'transitions' || k === 'roles' || k === 'messages' || k === 'rules' || k === 'attachments') && typeof next === 'number') {
      out.push(t('diff.' + k, { n: next + 1 }))
      i++
    } else if (k === 'schema' || k === 'items') {
      continue
    } else if (typeof k === 'number') {
      out.push(`#${k + 1}`)
    } else {
      out.push(t('diff.key.' + k) === 'diff.key.' + k ? k : t('diff.key.' + k))
    }
  }
  return out.join(' › ') || t('diff.procedure')
}

function short(v?: string): string {
  if (v === undefined) return ''
  if (v.length > 300) return v.slice(0, 300) + '…'
  return v
}

export function VersionsPage({ store }: { store: DraftStore }) {
  const t = useT()
  const { lang } = useLang()
  const meta = useDraftMeta(store)
  const versions = useAsync(() => api.versions(store.slug), [meta.currentVersion])
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('draft')
  useEffect(() => {
    const v = versions.data
    if (v && v.length && from === '') setFrom(String(v[0].version))
  }, [versions.data, from])
  const diff = useAsync(() => (from ? api.diff(store.slug, from, to) : Promise.resolve(null)), [from, to, meta.savedAt])
  const fmt = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-CH' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })
  const options = [{ value: 'draft', label: t('versions.draft') }, ...(versions.data ?? []).map((v) => ({ value: String(v.version), label: t('list.version', { n: v.version }) }))]

  return (
    <section aria-labelledby="ver-h">
      <h1 id="ver-h">{t('editor.versions')}</h1>
      {versions.error ? <Status tone="error">{problemText(versions.error)}</Status> : null}
      {versions.data && versions.data.length === 0 ? <p>{t('versions.none')}</p> : null}
      {versions.data && versions.data.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">{t('versions.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('versions.col.version')}</th>
              <th scope="col">{t('versions.col.published')}</th>
              <th scope="col">{t('versions.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.data.map((v) => (
              <tr key={v.version}>
                <th scope="row">
                  {t('list.version', { n: v.version })} {v.current ? <span className="badge badge--published">{t('versions.current')}</span> : null}
                </th>
                <td>{fmt.format(new Date(v.published_at))}</td>
                <td>
                  <a href={api.exportURL(store.slug, String(v.version))} download>
                    {t('versions.export', { n: v.version })}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>{t('versions.compare')}</h2>
      <div className="grid-2">
        <Select label={t('versions.from')} value={from} onChange={setFrom} options={[{ value: '', label: '—' }, ...options]} />
        <Select label={t('versions.to')} value={to} onChange={setTo} options={options} />
      </div>
      {diff.error ? <Status tone="error">{problemText(diff.error)}</Status> : null}
      {diff.data ? <DiffTable changes={diff.data.changes} /> : null}
    </section>
  )
}

function DiffTable({ changes }: { changes: Change[] }) {
  const t = useT()
  if (changes.length === 0) return <p role="status">{t('diff.none')}</p>
  return (
    <table className="table diff">
      <caption>{t('diff.count', { n: changes.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('diff.where')}</th>
          <th scope="col">{t('diff.kind')}</th>
          <th scope="col">{t('diff.before')}</th>
          <th scope="col">{t('diff.after')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c, i) => (
          <tr key={i} className={'diff--' + c.kind}>
            <th scope="row">
              {describePath(c.path, t)}
              <div className="mono small muted">{c.path}</div>
            </th>
            <td>{t('diff.' + c.kind)}</td>
            <td>
              <del className="mono small">{short(c.before)}</del>
            </td>
            <td>
              <ins className="mono small">{short(c.after)}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
