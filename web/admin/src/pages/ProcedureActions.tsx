// Row actions of the procedure list: duplicate a procedure into a new
// draft (a form asking the copy's title and address), delete a draft that
// was never published (after a confirmation).

import { useEffect, useRef, useState } from 'react'
import { ApiError, problemText } from '../api/client'
import { canDelete, proceduresApi } from '../api/procedures'
import type { ProcedureSummary } from '../api/types'
import { useT } from '../i18n/i18n'
import { navigate } from '../app/router'
import { Select, Status, TextInput } from '../components/controls'
import { useSlugFromTitle } from '../components/SlugInput'

/** duplicateButtonId is the id of a row's "Dupliquer" button, to give focus back to it. */
export const duplicateButtonId = (slug: string) => 'duplicate-' + slug

/** RowActions are the buttons of one procedure of the list. */
export function RowActions({
  p,
  open,
  onDuplicate,
  onDeleted,
  onError,
}: {
  p: ProcedureSummary
  open: boolean
  onDuplicate: () => void
  onDeleted: () => void
  onError: (text: string) => void
}) {
  const t = useT()
  const [busy, setBusy] = useState(false)
  const title = p.title || p.slug

  const remove = async () => {
    if (!window.confirm(t('list.delete.confirm', { title, slug: p.slug }))) return
    setBusy(true)
    try {
      await proceduresApi.remove(p.slug)
      onDeleted()
    } catch (e) {
      onError(t('list.delete.failed') + ' ' + problemText(e))
      setBusy(false)
    }
  }

  return (
    <div className="toolbar">
      <button
        type="button"
        id={duplicateButtonId(p.slug)}
        className="button button--small"
        aria-label={t('list.duplicate.label', { title })}
        aria-expanded={open}
        onClick={onDuplicate}
      >
        {t('list.duplicate')}
      </button>
      {canDelete(p) ? (
        <button type="button" className="button button--small button--danger" aria-label={t('list.delete.label', { title })} disabled={busy} onClick={() => void remove()}>
          {t('list.delete')}
        </button>
      ) : null}
    </div>
  )
}

/** DuplicateForm asks the copy's title and address, and opens the new draft. */
export function DuplicateForm({ source, onCancel }: { source: ProcedureSummary; onCancel: () => void }) {
  const t = useT()
  const [title, setTitle] = useState(t('list.duplicate.copyTitle', { title: source.title || source.slug }))
  const [from, setFrom] = useState('draft')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const titleRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null)
  const { slug: effectiveSlug, input: slugInput } = useSlugFromTitle(title)
  const headingId = 'duplicate-h-' + source.slug

  useEffect(() => {
    titleRef.current?.focus()
    titleRef.current?.select()
  }, [])

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError('')
    try {
      const p = await proceduresApi.duplicate(source.slug, {
        slug: effectiveSlug,
        title: title.trim() || undefined,
        from: from === 'draft' ? 'draft' : Number(from),
      })
      navigate(`/p/${p.slug}/general`)
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? t('list.duplicate.taken') : problemText(err))
      setBusy(false)
    }
  }

  return (
    <form
      aria-labelledby={headingId}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel()
      }}
    >
      <h2 id={headingId} className="h3">
        {t('list.duplicate.heading', { title: source.title || source.slug })}
      </h2>
      <p className="help">{t('list.duplicate.help')}</p>
      <div className="inline-form">
        <TextInput label={t('general.title')} value={title} onChange={setTitle} required inputRef={titleRef} />
        {slugInput}
        {source.current_version > 0 ? (
          <Select
            label={t('list.duplicate.from')}
            value={from}
            onChange={setFrom}
            options={[
              { value: 'draft', label: t('list.duplicate.from.draft') },
              { value: String(source.current_version), label: t('list.duplicate.from.version', { n: source.current_version }) },
            ]}
          />
        ) : null}
      </div>
      {error ? <Status tone="error">{error}</Status> : null}
      <div className="toolbar">
        <button className="button button--primary" type="submit" disabled={busy || !effectiveSlug}>
          {t('list.duplicate.submit')}
        </button>
        <button className="button" type="button" onClick={onCancel}>
          {t('list.duplicate.cancel')}
        </button>
      </div>
    </form>
  )
}
