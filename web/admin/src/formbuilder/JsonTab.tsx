// The form as JSON: schema and UI schema, editable. Applying reads them
// back into the builder's model; the conversion keeps every keyword, so
// what is written here is what is saved.

import { useState } from 'react'
import { useT } from '../i18n/i18n'
import { fromForm, toForm } from '../model/form'
import { isObject, pretty } from '../model/json'
import { FormStore } from './store'
import { Status, TextInput } from '../components/controls'

export function JsonTab({ fs, path }: { fs: FormStore; path: string }) {
  const t = useT()
  const initial = toForm(fs.model)
  const [schema, setSchema] = useState(pretty(initial.schema))
  const [ui, setUI] = useState(initial.uiSchema === undefined ? '' : pretty(initial.uiSchema))
  const [error, setError] = useState<{ where: 'schema' | 'ui'; text: string } | null>(null)
  const [done, setDone] = useState(false)

  const apply = () => {
    setDone(false)
    let s: unknown
    let u: unknown
    try {
      s = JSON.parse(schema)
      if (!isObject(s)) throw new Error(t('integration.object'))
    } catch (e) {
      setError({ where: 'schema', text: t('json.invalid', { error: (e as Error).message }) })
      return
    }
    try {
      u = ui.trim() === '' ? undefined : JSON.parse(ui)
      if (u !== undefined && !isObject(u)) throw new Error(t('integration.object'))
    } catch (e) {
      setError({ where: 'ui', text: t('json.invalid', { error: (e as Error).message }) })
      return
    }
    setError(null)
    fs.replace(fromForm(s as never, u as never), true)
    setDone(true)
  }

  return (
    <div className="json-tab">
      <p className="help">{t('json.help')}</p>
      <div className="grid-2">
        <TextInput label={t('json.schema')} value={schema} onChange={setSchema} multiline rows={28} mono spellCheck={false} path={path + '.schema'} error={error?.where === 'schema' ? error.text : undefined} />
        <TextInput label={t('json.ui')} value={ui} onChange={setUI} multiline rows={28} mono spellCheck={false} path={path + '.uiSchema'} error={error?.where === 'ui' ? error.text : undefined} />
      </div>
      <div className="toolbar">
        <button type="button" className="button button--primary" onClick={apply}>
          {t('json.apply')}
        </button>
      </div>
      {done ? <Status tone="ok">{t('json.applied')}</Status> : null}
    </div>
  )
}
