// A new procedure, from scratch or from a preset.

import { useState } from 'react'
import { api, ApiError, problemText } from '../api/client'
import { useAsync } from '../lib/hooks'
import { useT } from '../i18n/i18n'
import { navigate } from '../app/router'
import { Status, TextInput } from '../components/controls'
import { useSlugFromTitle } from '../components/SlugInput'


export function CreateProcedure() {
  const t = useT()
  const presets = useAsync(() => api.presets(), [])
  const [title, setTitle] = useState('')
  const [preset, setPreset] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const { slug: effectiveSlug, input: slugInput } = useSlugFromTitle(title)

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError('')
    try {
      const p = await api.create(effectiveSlug, title, preset || undefined)
      navigate(`/p/${p.slug}/general`)
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? t('create.taken') : problemText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="page page--narrow">
      <h1>{t('create.title')}</h1>
      <form onSubmit={submit}>
        <TextInput label={t('general.title')} value={title} onChange={setTitle} required />
        {slugInput}
        <fieldset className="control">
          <legend>{t('create.start')}</legend>
          <label className="choice-card">
            <input type="radio" name="preset" value="" checked={preset === ''} onChange={() => setPreset('')} />
            <span>
              <strong>{t('create.blank')}</strong>
              <span className="muted"> — {t('create.blank.help')}</span>
            </span>
          </label>
          {presets.data?.map((p) => (
            <label className="choice-card" key={p.slug}>
              <input type="radio" name="preset" value={p.slug} checked={preset === p.slug} onChange={() => setPreset(p.slug)} />
              <span>
                <strong>{p.title}</strong>
                {p.summary ? <span className="muted"> — {p.summary}</span> : null}
                <span className="small"> ({p.scenarios.map((k) => t('kind.' + k)).join(', ')})</span>
              </span>
            </label>
          ))}
          {presets.error ? <Status tone="error">{problemText(presets.error)}</Status> : null}
        </fieldset>
        {error ? <Status tone="error">{error}</Status> : null}
        <div className="toolbar">
          <button className="button button--primary" type="submit" disabled={busy || !effectiveSlug}>
            {t('create.submit')}
          </button>
        </div>
      </form>
    </div>
  )
}
