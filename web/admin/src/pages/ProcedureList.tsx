// The procedures: status, version, unpublished changes; create one or
// import an exported file; duplicate one, delete a never-published draft.

import { Fragment, useRef, useState } from 'react'
import { api, ApiError, problemText } from '../api/client'
import type { ProcedureSummary } from '../api/types'
import { useAsync } from '../lib/hooks'
import { useLang, useT } from '../i18n/i18n'
import { href, navigate } from '../app/router'
import { Status, TextInput } from '../components/controls'
import { DuplicateForm, RowActions, duplicateButtonId } from './ProcedureActions'

export function StatusBadge({ status }: { status: string }) {
  const t = useT()
  return <span className={'badge badge--' + status}>{t('status.' + status)}</span>
}

export function ProcedureList() {
  const t = useT()
  const { lang } = useLang()
  const [reload, setReload] = useState(0)
  const list = useAsync(() => api.procedures(), [reload])
  const [filter, setFilter] = useState('')
  const [duplicating, setDuplicating] = useState('')
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const procs = (list.data ?? []).filter((p) => !filter || (p.title + ' ' + p.slug).toLowerCase().includes(filter.toLowerCase()))
  const fmt = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-CH' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })

  return (
    <div className="page">
      <div className="page__head">
        <h1 ref={heading} tabIndex={-1}>
          {t('list.title')}
        </h1>
        <div className="toolbar">
          <a className="button button--primary" href={href('/new')}>
            {t('list.new')}
          </a>
          <ImportButton onDone={() => setReload((n) => n + 1)} />
        </div>
      </div>
      {msg ? <Status tone={msg.tone}>{msg.text}</Status> : null}
      <TextInput label={t('list.filter')} value={filter} onChange={setFilter} className="control--inline" />
      {list.loading && !list.data ? <p role="status">{t('app.loading')}</p> : null}
      {list.error ? <Status tone="error">{problemText(list.error)}</Status> : null}
      {list.data ? (
        <table className="table">
          <caption className="visually-hidden">{t('list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.col.title')}</th>
              <th scope="col">{t('list.col.status')}</th>
              <th scope="col">{t('list.col.version')}</th>
              <th scope="col">{t('list.col.audience')}</th>
              <th scope="col">{t('list.col.updated')}</th>
              <th scope="col">{t('list.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {procs.map((p: ProcedureSummary) => (
              <Fragment key={p.slug}>
                <tr>
                  <th scope="row">
                    <a href={href(`/p/${p.slug}/general`)}>{p.title || p.slug}</a>
                    <div className="muted mono small">{p.slug}</div>
                  </th>
                  <td>
                    <StatusBadge status={p.status} />
                    {p.has_unpublished_changes && p.current_version > 0 ? <span className="badge badge--changes">{t('list.changes')}</span> : null}
                  </td>
                  <td>{p.current_version > 0 ? t('list.version', { n: p.current_version }) : '—'}</td>
                  <td>{p.audience ? t('audience.' + p.audience) : '—'}</td>
                  <td>{p.updated_at ? fmt.format(new Date(p.updated_at)) : ''}</td>
                  <td>
                    <RowActions
                      p={p}
                      open={duplicating === p.slug}
                      onDuplicate={() => {
                        setMsg(null)
                        setDuplicating(duplicating === p.slug ? '' : p.slug)
                      }}
                      onDeleted={() => {
                        setMsg({ tone: 'ok', text: t('list.delete.done', { title: p.title || p.slug }) })
                        setReload((n) => n + 1)
                        heading.current?.focus()
                      }}
                      onError={(text) => setMsg({ tone: 'error', text })}
                    />
                  </td>
                </tr>
                {duplicating === p.slug ? (
                  <tr>
                    <td colSpan={6}>
                      <DuplicateForm
                        source={p}
                        onCancel={() => {
                          setDuplicating('')
                          document.getElementById(duplicateButtonId(p.slug))?.focus()
                        }}
                      />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
            {procs.length === 0 ? (
              <tr>
                <td colSpan={6}>{t('list.empty')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}

/** ImportButton reads an exported JSON file and creates a draft from it (asking for another slug when taken). */
function ImportButton({ onDone }: { onDone: () => void }) {
  const t = useT()
  const input = useRef<HTMLInputElement>(null)
  const [text, setText] = useState<string | null>(null)
  const [slug, setSlug] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  const send = async (doc: string, s?: string) => {
    setBusy(true)
    setError('')
    try {
      const p = await api.import(doc, s)
      onDone()
      navigate(`/p/${p.slug}/general`)
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setText(doc)
        setError(t('import.taken'))
      } else {
        setError(t('import.failed') + ' ' + problemText(e))
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="import">
      <label className="button" htmlFor="import-file">
        {t('import.button')}
      </label>
      <input
        ref={input}
        id="import-file"
        className="visually-hidden-file"
        type="file"
        accept="application/json,.json"
        onChange={async (e) => {
          const f = e.target.files?.[0]
          if (!f) return
          await send(await f.text())
          e.target.value = ''
        }}
      />
      {error ? <Status tone="error">{error}</Status> : null}
      {text !== null ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault()
            void send(text, slug)
          }}
        >
          <TextInput label={t('import.slug')} value={slug} onChange={setSlug} help={t('general.slug.help')} />
          <button className="button" type="submit" disabled={busy || !slug}>
            {t('import.again')}
          </button>
        </form>
      ) : null}
    </div>
  )
}
