// Where a problem's JSONPath ($.scenarios[1].form.schema…) is edited in the
// app: the route to open and the element to focus there.

/** parsePath splits "$.scenarios[1].form['ui:pages']" into ["scenarios", 1, "form", "ui:pages"]. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = []
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g
  let m: RegExpExecArray | null
  const s = path.startsWith('$') ? path.slice(1) : path
  while ((m = re.exec(s))) {
    if (m[1] !== undefined) out.push(m[1])
    else if (m[2] !== undefined) out.push(Number(m[2]))
    else out.push(JSON.parse('"' + m[3] + '"'))
  }
  return out
}

/** pointerToPath turns "/scenarios/1/form" into "$.scenarios[1].form". */
export function pointerToPath(pointer: string): string {
  let out = '$'
  for (const raw of pointer.split('/').slice(1)) {
    const t = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (/^\d+$/.test(t)) out += `[${t}]`
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) out += '.' + t
    else out += `[${JSON.stringify(t)}]`
  }
  return out
}

/** Location is an app route plus what to focus there. */
export interface Location {
  route: string
  focus: string
  /** For form problems: a pointer into the schema or UI schema of the field concerned. */
  field?: string
}

/** locate maps a problem (path, and its detail for form compile errors) to where it is edited. */
export function locate(slug: string, path: string, detail = ''): Location {
  const p = parsePath(path)
  const base = `/p/${slug}`
  const at = (route: string, extra?: Partial<Location>): Location => ({ route: base + route, focus: path, ...extra })
  if (p[0] === 'messages') return at('/messages')
  if (p[0] !== 'scenarios') return at('/general')
  if (typeof p[1] !== 'number') return at('/scenarios')
  const i = p[1]
  switch (p[2]) {
    case 'form': {
      // Compile errors read "schema /properties/nom/type: …" or "ui /ui:pages/0/…".
      const m = /^(schema|ui) (\/\S*):/.exec(detail)
      let field = m ? m[2] : undefined
      if (!field && p[3] === 'schema') field = '/' + p.slice(4).map(String).join('/')
      return at(`/scenarios/${i}/form`, { field })
    }
    case 'pipeline':
      return at(`/scenarios/${i}/pipeline`)
    case 'integration':
      return at(`/scenarios/${i}/integration`)
  }
  return at(`/scenarios/${i}`)
}

/** focusPath focuses the element editing path (or the nearest enclosing one); true when found. */
export function focusPath(path: string): boolean {
  let p = path
  while (p && p !== '$') {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`)
    if (el) {
      el.scrollIntoView({ block: 'center' })
      const target = el.matches('input,select,textarea,button,[tabindex]') ? el : el.querySelector<HTMLElement>('input,select,textarea,button,[tabindex]') ?? el
      if (!target.hasAttribute('tabindex') && !target.matches('input,select,textarea,button,a')) target.setAttribute('tabindex', '-1')
      target.focus()
      return true
    }
    p = p.replace(/(\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])$/, '')
  }
  return false
}
