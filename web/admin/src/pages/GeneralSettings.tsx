// General settings of a procedure: title, slug, summary, category,
// keywords, audience, reference prefix.

import { useEffect, useState } from 'react'
import { useT } from '../i18n/i18n'
import { useDraft, omitEmpty, type DraftStore } from '../state/draft'
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
      <div className="control">
        <span className="label-like" id="slug-label">
          {t('general.slug')}
        </span>
        <p className="mono" aria-labelledby="slug-label" data-path="$.slug" tabIndex={-1}>
          /d/{doc.slug}
        </p>
        <p className="help">{t('general.slug.fixed')}</p>
      </div>
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
