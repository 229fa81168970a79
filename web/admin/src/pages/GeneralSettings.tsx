// General settings of a procedure: title, slug, summary, category,
// keywords, audience, reference prefix.

import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useT } from '../i18n/i18n'
import { useDraft, omitEmpty, type DraftStore } from '../state/draft'
import { renamedPath, renameDraft, RenameSaveError, slugIssue } from '../state/rename'
import { ApiError, problemText } from '../api/client'
import { navigate, useRoute } from '../app/router'
import { TextInput } from '../components/controls'
import type { Audience, ProcedureDoc } from '../api/types'
import { ProblemsHere } from './Problems'

function splitKeywords(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

function omitKey<T extends object>(o: T, k: keyof T): T {
  const out = { ...o }
  delete out[k]
  return out
}

export function GeneralSettings({ store }: { store: DraftStore }) {
  const t = useT()
  const doc = useDraft(store, (d) => d)
  // Optional members are dropped when emptied (the document's omitempty).
  const set = <K extends keyof ProcedureDoc>(k: K, v: ProcedureDoc[K]) => store.update((d) => ({ ...omitKey(d, k), ...omitEmpty({ [k]: v }) }) as ProcedureDoc)
  // Keywords are edited as text so a trailing comma or space survives typing.
  const [kw, setKw] = useState((doc.keywords ?? []).join(', '))
  const joined = (doc.keywords ?? []).join(', ')
  useEffect(() => {
    // The draft was replaced (reloaded after a conflict): show its keywords.
    setKw((cur) => (splitKeywords(cur).join(', ') === joined ? cur : joined))
  }, [joined])

  return (
    <section aria-labelledby="general-h">
      <h1 id="general-h">{t('editor.general')}</h1>
      <ProblemsHere store={store} prefix={['$.title', '$.slug', '$.summary', '$.category', '$.keywords', '$.audience', '$.referencePrefix']} />
      <TextInput label={t('general.title')} value={doc.title} onChange={(v) => store.update((d) => ({ ...d, title: v }))} path="$.title" required />
      <RenameSlug key={store.slug} store={store} />
      <TextInput label={t('general.summary')} help={t('general.summary.help')} value={doc.summary ?? ''} onChange={(v) => set('summary', v)} multiline rows={3} path="$.summary" />
      <TextInput label={t('general.category')} help={t('general.category.help')} value={doc.category ?? ''} onChange={(v) => set('category', v)} path="$.category" />
      <TextInput
        label={t('general.keywords')}
        help={t('general.keywords.help')}
        value={kw}
        path="$.keywords"
        onChange={(v) => {
          setKw(v)
          set('keywords', splitKeywords(v))
        }}
      />
      <fieldset className="control" data-path="$.audience">
        <legend>{t('general.audience')}</legend>
        {(['public', 'agents'] as Audience[]).map((a) => (
          <label key={a} className="choice-card">
            <input type="radio" name="audience" value={a} checked={doc.audience === a} onChange={() => store.update((d) => ({ ...d, audience: a }))} />
            <span>
              <strong>{t('audience.' + a)}</strong> <span className="muted">— {t('audience.' + a + '.help')}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <TextInput
        label={t('general.prefix')}
        help={t('general.prefix.help')}
        value={doc.referencePrefix}
        mono
        path="$.referencePrefix"
        onChange={(v) => store.update((d) => ({ ...d, referencePrefix: v.toUpperCase().replace(/[^A-Z0-9]/g, '') }))}
      />
    </section>
  )
}

/**
 * RenameSlug shows the procedure's address and renames it: the old address
 * stays an alias that redirects, and the editor moves to the new slug.
 */
function RenameSlug({ store }: { store: DraftStore }) {
  const t = useT()
  const route = useRoute()
  const [to, setTo] = useState(store.slug)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const renamedFrom = route.query.get('renamed')
  // After renaming, the page is mounted anew under the new slug: its
  // confirmation is focused (a live region mounted with its text is often
  // not announced).
  const done = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    if (renamedFrom) done.current?.focus()
  }, [renamedFrom])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    const slug = to.trim()
    const issue = slugIssue(slug)
    if (slug === store.slug) return setError(t('general.rename.same'))
    if (issue) return setError(t('general.rename.issue.' + issue))
    setBusy(true)
    setError('')
    try {
      const p = await renameDraft(store, slug)
      navigate(renamedPath(route.parts, p.slug) + '?renamed=' + encodeURIComponent(store.slug))
    } catch (err) {
      // A 422 points at /slug; a 409 says who has the slug.
      setError(
        err instanceof RenameSaveError
          ? t('general.rename.saveFailed') + (err.detail ? ' ' + err.detail : '')
          : err instanceof ApiError
            ? (err.errors.find((x) => x.pointer === '/slug')?.detail ?? problemText(err))
            : problemText(err),
      )
      setBusy(false)
    }
  }

  return (
    <form className="control" onSubmit={(e) => void submit(e)} aria-labelledby="slug-h" noValidate>
      <h2 id="slug-h" className="label-like">
        {t('general.slug')}
      </h2>
      <p>
        {t('general.rename.current')} <span className="mono">/d/{store.slug}</span>
      </p>
      {renamedFrom ? (
        <p className="status status--ok" role="status" tabIndex={-1} ref={done}>
          {t('general.rename.done', { slug: store.slug, old: renamedFrom })}
        </p>
      ) : null}
      <div className="inline-form">
        <TextInput label={t('general.rename.label')} help={t('general.rename.help')} value={to} onChange={setTo} error={error} path="$.slug" mono spellCheck={false} />
        {/* aria-disabled, not disabled: the button keeps focus while renaming. */}
        <button type="submit" className="button" aria-disabled={busy || undefined} aria-busy={busy || undefined}>
          {busy ? t('general.rename.busy') : t('general.rename.button')}
        </button>
      </div>
      <p className="help">{t('general.rename.warning', { slug: store.slug })}</p>
    </form>
  )
}
