// The properties of the selected field: label, help, placeholder,
// required, constraints by kind, choices, file limits, and where it sits.

import { memo, useEffect, useMemo, useState } from 'react'
import { useT } from '../i18n/i18n'
import { isObject, pretty, type Json, type JsonObject } from '../model/json'
import { pageOf, pointerOf, ROOT, uiGet, uiOption, type FieldNode } from '../model/form'
import {
  conditionCandidates,
  conditionProblem,
  containers,
  defaultCondition,
  isRequired,
  moveField,
  renameField,
  replaceField,
  setItemsSchema,
  setOptions,
  setCondition,
  setRequired,
  setSchema,
  setUI,
  setUIOption,
  slugName,
  switchKind,
} from '../model/formOps'
import { choiceValues, kindOf, optionsOf, SWITCHABLE, type Option, type PaletteKind } from '../model/kinds'
import { Checkbox, Checklist, IconButton, NumberInput, Select, TextInput } from '../components/controls'
import { FormStore, useNode, useSelected } from './store'
import { focusRow, labelOf, renders } from './Canvas'

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '')
const num = (v: Json | undefined) => (typeof v === 'number' ? v : undefined)

const AUTOCOMPLETE = ['', 'off', 'name', 'given-name', 'family-name', 'email', 'tel', 'street-address', 'postal-code', 'address-level2', 'country-name', 'bday', 'organization']

const MEDIA = ['application/pdf', 'image/jpeg', 'image/png', 'image/*', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.oasis.opendocument.text', 'text/plain']

export function PropertiesPanel({ fs }: { fs: FormStore }) {
  const t = useT()
  const id = useSelected(fs)
  return (
    <div className="fb__props" role="region" aria-label={t('props.title')}>
      {id ? <FieldProperties key={id} fs={fs} id={id} /> : <p className="muted">{t('props.none')}</p>}
    </div>
  )
}

/**
 * Setters makes the change handlers of one field's properties once (the
 * panel is keyed by field): the memoised controls then re-render on a
 * keystroke only when their own value changed.
 */
function useSetters(fs: FormStore, id: string) {
  return useMemo(() => {
    const cache = new Map<string, unknown>()
    const once = <F,>(key: string, make: () => F): F => {
      if (!cache.has(key)) cache.set(key, make())
      return cache.get(key) as F
    }
    const apply = fs.apply
    return {
      /** A text keyword of the schema: "" removes it. */
      text: (k: string) => once('text:' + k, () => (v: string) => apply((m) => setSchema(m, id, k, v || undefined))),
      /** A number keyword of the schema: undefined removes it. */
      num: (k: string) => once('num:' + k, () => (v: number | undefined) => apply((m) => setSchema(m, id, k, v))),
      /** A UI keyword ("ui:placeholder"): "" removes it. */
      ui: (k: string) => once('ui:' + k, () => (v: string) => apply((m) => setUI(m, id, k, v || undefined))),
      /** A "ui:options" member. */
      option: <V extends Json | undefined>(k: string, clear: boolean) =>
        once('opt:' + k + clear, () => (v: V) => apply((m) => setUIOption(m, id, k, clear ? v || undefined : v))),
      help: (where: 'ui' | 'schema') =>
        once('help:' + where, () => (v: string) => apply((m) => (where === 'ui' ? setUI(m, id, 'ui:help', v || undefined) : setSchema(m, id, 'description', v || undefined)))),
      required: once('required', () => (v: boolean) => apply((m) => setRequired(m, id, v))),
      kind: once('kind', () => (v: string) => apply((m) => switchKind(m, id, v as PaletteKind))),
      options: once('options', () => (o: Option[]) => apply((m) => setOptions(m, id, o))),
      itemTitle: once('itemTitle', () => (v: string) => apply((m) => setItemsSchema(m, id, 'title', v || undefined))),
    }
  }, [fs, id])
}

const FieldProperties = memo(function FieldProperties({ fs, id }: { fs: FormStore; id: string }) {
  const t = useT()
  const node = useNode(fs, id)
  const set = useSetters(fs, id)
  renders.props++
  const kind = node ? kindOf(node) : 'custom'
  const autocomplete = node ? str(uiGet(node, 'ui:autocomplete')) : ''
  const kindOptions = useMemo(() => (SWITCHABLE[kind] ?? []).map((k) => ({ value: k, label: t('kind.field.' + k) })), [kind, t])
  const autocompleteOptions = useMemo(
    () => [...new Set([...AUTOCOMPLETE, autocomplete])].map((v) => ({ value: v, label: v ? v : t('props.autocomplete.none') })),
    [autocomplete, t],
  )
  if (!node) return null
  const s = node.schema
  const label = labelOf(fs.model, id, t)
  const helpKey = uiGet(node, 'ui:help') !== undefined ? 'ui' : 'schema'
  const textual = ['text', 'textarea', 'email', 'tel'].includes(kind)
  const choices = ['select', 'radio', 'checkboxes'].includes(kind)

  return (
    <div className="props">
      <h2 className="h3">
        {t('props.of', { name: label })} <span className="badge badge--kind">{t('kind.field.' + kind)}</span>
      </h2>
      <p className="mono small muted">{pointerOf(fs.model, id)}</p>
      <TextInput label={kind === 'consent' ? t('props.statement') : t('props.label')} value={str(s.title)} multiline={kind === 'consent'} rows={3} onChange={set.text('title')} />
      <NameInput fs={fs} node={node} />
      {kind !== 'custom' ? (
        <TextInput
          label={t('props.help')}
          help={t('props.help.help')}
          value={helpKey === 'ui' ? str(uiGet(node, 'ui:help')) : str(s.description)}
          multiline
          rows={2}
          onChange={set.help(helpKey)}
        />
      ) : null}
      {kind !== 'consent' && kind !== 'custom' ? <Checkbox label={node.cond ? t('props.required.cond') : t('props.required')} checked={isRequired(node)} onChange={set.required} /> : null}
      {SWITCHABLE[kind] ? <Select label={t('props.kind')} help={t('props.kind.help')} value={kind} onChange={set.kind} options={kindOptions} /> : null}
      {textual || kind === 'number' || kind === 'integer' || kind === 'date' ? (
        <TextInput label={t('props.placeholder')} value={str(uiGet(node, 'ui:placeholder'))} onChange={set.ui('ui:placeholder')} />
      ) : null}
      {textual || kind === 'date' ? (
        <Select label={t('props.autocomplete')} help={t('props.autocomplete.help')} value={autocomplete} onChange={set.ui('ui:autocomplete')} options={autocompleteOptions} />
      ) : null}
      {textual ? (
        <fieldset className="control">
          <legend>{t('props.length')}</legend>
          <div className="grid-2">
            <NumberInput label={t('props.minLength')} integer min={0} value={num(s.minLength)} onChange={set.num('minLength')} />
            <NumberInput label={t('props.maxLength')} integer min={0} value={num(s.maxLength)} onChange={set.num('maxLength')} />
          </div>
          {kind === 'text' || kind === 'tel' ? <TextInput label={t('props.pattern')} help={t('props.pattern.help')} mono value={str(s.pattern)} onChange={set.text('pattern')} /> : null}
        </fieldset>
      ) : null}
      {kind === 'textarea' ? <NumberInput label={t('props.rows')} integer min={1} value={num(uiOption(node, 'rows'))} onChange={set.option<number | undefined>('rows', false)} /> : null}
      {kind === 'number' || kind === 'integer' ? (
        <div className="grid-2">
          <NumberInput label={t('props.minimum')} integer={kind === 'integer'} value={num(s.minimum)} onChange={set.num('minimum')} />
          <NumberInput label={t('props.maximum')} integer={kind === 'integer'} value={num(s.maximum)} onChange={set.num('maximum')} />
        </div>
      ) : null}
      {choices ? <OptionsEditor node={node} onChange={set.options} /> : null}
      {kind === 'radio' || kind === 'checkboxes' ? <Checkbox label={t('props.inline')} checked={uiOption(node, 'inline') === true} onChange={set.option<boolean>('inline', true)} /> : null}
      {kind === 'checkboxes' || kind === 'repeat' ? (
        <div className="grid-2">
          <NumberInput label={t('props.minItems')} integer min={0} value={num(s.minItems)} onChange={set.num('minItems')} />
          <NumberInput label={t('props.maxItems')} integer min={0} value={num(s.maxItems)} onChange={set.num('maxItems')} />
        </div>
      ) : null}
      {kind === 'repeat' ? (
        <>
          <TextInput label={t('props.addLabel')} value={str(uiOption(node, 'addLabel'))} onChange={set.option<string>('addLabel', true)} />
          <TextInput label={t('props.itemTitle')} help={t('props.itemTitle.help')} value={str(isObject(s.items) ? s.items.title : undefined)} onChange={set.itemTitle} />
        </>
      ) : null}
      {kind === 'file' ? <FileProps node={node} fs={fs} /> : null}
      {kind === 'custom' ? <CustomJSON node={node} fs={fs} /> : null}
      {kind !== 'custom' ? <ConditionEditor fs={fs} node={node} /> : null}
      <MoveTo fs={fs} node={node} />
    </div>
  )
})

function NameInput({ fs, node }: { fs: FormStore; node: FieldNode }) {
  const t = useT()
  const [v, setV] = useState(node.name)
  useEffect(() => setV(node.name), [node.name])
  const commit = () => {
    if (v !== node.name) fs.apply((m) => renameField(m, node.id, v))
    setV(fs.model.nodes[node.id]?.name ?? v)
  }
  return (
    <div className="name-row">
      <TextInput label={t('props.name')} help={t('props.name.help')} mono value={v} onChange={setV} onBlur={commit} />
      <button type="button" className="button button--small" onClick={() => fs.apply((m) => renameField(m, node.id, slugName(String(node.schema.title ?? node.name))))}>
        {t('props.nameFromLabel')}
      </button>
    </div>
  )
}

function OptionsEditor({ node, onChange }: { node: FieldNode; onChange: (o: Option[]) => void }) {
  const t = useT()
  const options = optionsOf(node)
  const set = (i: number, o: Partial<Option>) => onChange(options.map((x, j) => (j === i ? { ...x, ...o } : x)))
  const move = (i: number, j: number) => {
    if (j < 0 || j >= options.length) return
    const out = options.slice()
    const [x] = out.splice(i, 1)
    out.splice(j, 0, x)
    onChange(out)
  }
  return (
    <fieldset className="control options">
      <legend>{t('props.options')}</legend>
      <ol>
        {options.map((o, i) => (
          <li key={i} className="options__row">
            <TextInput label={t('props.option.label', { n: i + 1 })} value={o.label} onChange={(v) => set(i, { label: v, ...(o.value === slugName(o.label).replace(/_/g, '-') || o.value === '' ? { value: slugName(v).replace(/_/g, '-') } : {}) })} />
            <TextInput label={t('props.option.value', { n: i + 1 })} mono value={o.value} onChange={(v) => set(i, { value: v })} />
            <span className="row-tools">
              <IconButton label={t('action.moveUp', { name: o.label })} disabled={i === 0} onClick={() => move(i, i - 1)}>
                ↑
              </IconButton>
              <IconButton label={t('action.moveDown', { name: o.label })} disabled={i === options.length - 1} onClick={() => move(i, i + 1)}>
                ↓
              </IconButton>
              <IconButton label={t('action.remove', { name: o.label })} className="danger" onClick={() => onChange(options.filter((_, j) => j !== i))}>
                ✕
              </IconButton>
            </span>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          const n = options.length + 1
          onChange([...options, { label: t('props.option.default', { n }), value: `option-${n}` }])
        }}
      >
        {t('props.option.add')}
      </button>
    </fieldset>
  )
}

function FileProps({ node, fs }: { node: FieldNode; fs: FormStore }) {
  const t = useT()
  const accept = Array.isArray(node.schema['x-accept']) ? (node.schema['x-accept'] as Json[]).map(String) : []
  const setAccept = (list: string[]) => fs.apply((m) => setSchema(m, node.id, 'x-accept', list.length ? list : undefined))
  const others = accept.filter((a) => !MEDIA.includes(a))
  const bytes = num(node.schema['x-maxBytes'])
  return (
    <>
      <fieldset className="control checklist">
        <legend>{t('props.accept')}</legend>
        {MEDIA.map((mt) => (
          <label key={mt} className="checklist__item">
            <input type="checkbox" checked={accept.includes(mt)} onChange={(e) => setAccept(e.target.checked ? [...accept, mt] : accept.filter((a) => a !== mt))} /> {t('media.' + mt)}{' '}
            <span className="mono small muted">{mt}</span>
          </label>
        ))}
        <TextInput
          label={t('props.acceptOther')}
          help={t('props.acceptOther.help')}
          mono
          value={others.join(', ')}
          onChange={(v) =>
            setAccept([
              ...accept.filter((a) => MEDIA.includes(a)),
              ...v
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean),
            ])
          }
        />
      </fieldset>
      <NumberInput
        label={t('props.maxMB')}
        min={0}
        step={0.5}
        value={bytes === undefined ? undefined : Math.round((bytes / 1048576) * 100) / 100}
        onChange={(v) => fs.apply((m) => setSchema(m, node.id, 'x-maxBytes', v === undefined ? undefined : Math.round(v * 1048576)))}
      />
    </>
  )
}

function CustomJSON({ node, fs }: { node: FieldNode; fs: FormStore }) {
  const t = useT()
  const uiObj: JsonObject = {}
  for (const e of node.ui) if ('k' in e) uiObj[e.k] = e.v
  const [schema, setSchemaText] = useState(pretty(node.schema))
  const [ui, setUIText] = useState(pretty(uiObj))
  const [error, setError] = useState('')
  return (
    <div>
      <p className="help">{t('props.custom.help')}</p>
      <TextInput label={t('json.schema')} value={schema} onChange={setSchemaText} multiline rows={8} mono spellCheck={false} />
      <TextInput label={t('json.ui')} value={ui} onChange={setUIText} multiline rows={4} mono spellCheck={false} error={error} />
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          try {
            const s = JSON.parse(schema)
            const u = JSON.parse(ui)
            if (!isObject(s) || !isObject(u)) throw new Error(t('integration.object'))
            setError('')
            fs.apply((m) => replaceField(m, node.id, s, u))
          } catch (e) {
            setError(t('json.invalid', { error: (e as Error).message }))
          }
        }}
      >
        {t('json.apply')}
      </button>
    </div>
  )
}

/**
 * ConditionEditor shows the field only when an earlier choice or checkbox has some value ("ui:showIf"). On the
 * portal, without JavaScript, a field whose controlling field is on the same page is always shown, with a hint
 * saying when to fill it in; on a later page it appears only when the condition holds.
 */
function ConditionEditor({ fs, node }: { fs: FormStore; node: FieldNode }) {
  const t = useT()
  const m = fs.model
  const id = node.id
  const c = node.cond
  const candidates = conditionCandidates(m, id)
  if (c && !candidates.includes(c.ctl) && m.nodes[c.ctl]) candidates.push(c.ctl)
  if (!c && candidates.length === 0) {
    return (
      <fieldset className="control condition">
        <legend>{t('props.cond')}</legend>
        <p className="help">{t('props.cond.none')}</p>
      </fieldset>
    )
  }
  const ctl = c ? m.nodes[c.ctl] : undefined
  const ctlKind = ctl ? kindOf(ctl) : ''
  const boolean = ctlKind === 'checkbox' || ctlKind === 'consent'
  const opts = ctl && !boolean ? optionsOf(ctl) : []
  const typed = ctl && !boolean ? choiceValues(ctl) : []
  const toTyped = (vals: string[]) => vals.map((v) => typed[opts.findIndex((o) => o.value === v)]).filter((v) => v !== undefined)
  const asText = (vals: Json[]) => vals.map((v) => String(v))
  const problem = conditionProblem(m, id)
  const includes = ctlKind === 'checkboxes'
  const ops = boolean
    ? [
        { value: 'checked', label: t('props.cond.op.checked') },
        { value: 'unchecked', label: t('props.cond.op.unchecked') },
      ]
    : [
        { value: 'equals', label: includes ? t('props.cond.op.includes') : t('props.cond.op.equals') },
        { value: 'in', label: includes ? t('props.cond.op.includesAny') : t('props.cond.op.in') },
      ]
  const opValue = c ? (c.op === 'checked' && !c.checked ? 'unchecked' : c.op) : ''
  return (
    <fieldset className="control condition">
      <legend>{t('props.cond')}</legend>
      <p className="help">{t('props.cond.help')}</p>
      <Select
        label={t('props.cond.field')}
        value={c?.ctl ?? ''}
        onChange={(v) => fs.apply((mm) => setCondition(mm, id, v ? (v === c?.ctl ? { ...c, ctl: v } : defaultCondition(mm, v)) : null))}
        options={[{ value: '', label: t('props.cond.always') }, ...candidates.map((cid) => ({ value: cid, label: labelOf(m, cid, t) }))]}
      />
      {c && ctl ? (
        <>
          <Select
            label={t('props.cond.op')}
            value={opValue}
            options={ops}
            onChange={(v) =>
              fs.apply((mm) =>
                setCondition(
                  mm,
                  id,
                  v === 'checked' || v === 'unchecked' ? { ctl: c.ctl, op: 'checked', checked: v === 'checked' } : { ctl: c.ctl, op: v as 'equals' | 'in', values: c.values.length ? c.values : typed.slice(0, 1) },
                ),
              )
            }
          />
          {c.op === 'equals' ? (
            <Select
              label={t('props.cond.value')}
              value={asText(c.values)[0] ?? ''}
              options={[...(c.values.length && !opts.some((o) => o.value === String(c.values[0])) ? [{ value: String(c.values[0]), label: String(c.values[0]) }] : []), ...opts]}
              onChange={(v) => fs.apply((mm) => setCondition(mm, id, { ctl: c.ctl, op: 'equals', values: toTyped([v]) }))}
            />
          ) : null}
          {c.op === 'in' ? (
            <Checklist
              label={t('props.cond.values')}
              values={asText(c.values)}
              options={opts}
              onChange={(vals) => fs.apply((mm) => setCondition(mm, id, { ctl: c.ctl, op: 'in', values: toTyped(opts.map((o) => o.value).filter((v) => vals.includes(v))) }))}
            />
          ) : null}
          {problem ? (
            <p className="field-error" role="alert">
              {t(problem)}
            </p>
          ) : null}
        </>
      ) : null}
    </fieldset>
  )
}

/** MoveTo moves the field into another group or page: the keyboard path for moves across containers. */
function MoveTo({ fs, node }: { fs: FormStore; node: FieldNode }) {
  const t = useT()
  const m = fs.model
  const here = node.parent === ROOT && m.pages ? `${ROOT}:${pageOf(m, node.id)}` : `${node.parent}:`
  const places = containers(m).filter((c) => c.parent === ROOT || (c.parent !== node.id && isNotInside(m, c.parent, node.id)))
  const options = places.map((c) => ({
    value: `${c.parent}:${c.page ?? ''}`,
    label:
      '\u00a0\u00a0'.repeat(c.depth) +
      (c.parent === ROOT ? (c.page !== undefined ? t('fb.page', { n: c.page + 1, title: String(m.pages![c.page].raw.title ?? '') }) : t('fb.root')) : labelOf(m, c.parent, t)),
  }))
  return (
    <Select
      label={t('props.moveTo')}
      help={t('props.moveTo.help')}
      value={here}
      options={options}
      onChange={(v) => {
        const [parent, page] = v.split(':')
        const p = page === '' ? undefined : Number(page)
        fs.apply((mm) => moveField(mm, node.id, { parent, page: p, index: fs.children(parent, p).length }))
        focusRow(node.id)
      }}
    />
  )
}

function isNotInside(m: FsModel, id: string, ancestor: string): boolean {
  for (let n: string | undefined = id; n; n = m.nodes[n]?.parent) if (n === ancestor) return false
  return true
}

type FsModel = FormStore['model']

