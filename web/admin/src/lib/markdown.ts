// A small Markdown renderer for the editor's preview (headings, paragraphs,
// lists, emphasis, code, links, line breaks). Text is escaped before any
// markup is added and links are limited to http(s), mailto, tel and site
// paths, so the output is safe to insert. The portal renders the real page
// with goldmark; this preview follows the same CommonMark basics.

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function safeURL(u: string): string | null {
  const url = u.trim()
  if (/^(https?:|mailto:|tel:)/i.test(url) || url.startsWith('/') || url.startsWith('#')) return url
  return null
}

function inline(src: string): string {
  // Code spans first, kept aside so their content is not formatted.
  const codes: string[] = []
  let s = src.replace(/`([^`]+)`/g, (_, c: string) => {
    codes.push(`<code>${esc(c)}</code>`)
    return `\u0000${codes.length - 1}\u0000`
  })
  s = esc(s)
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, text: string, url: string) => {
    const u = safeURL(url.replace(/&amp;/g, '&'))
    return u ? `<a href="${esc(u)}">${text}</a>` : text
  })
  s = s.replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (_, a, b) => `<strong>${a ?? b}</strong>`)
  s = s.replace(/\*([^*]+)\*|(?<![A-Za-z0-9])_([^_]+)_(?![A-Za-z0-9])/g, (_, a, b) => `<em>${a ?? b}</em>`)
  s = s.replace(/ {2,}\n|\\\n/g, '<br>')
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => codes[Number(i)])
}

/** renderMarkdown turns Markdown into safe HTML. */
export function renderMarkdown(md: string): string {
  const lines = md.replace(/\r\n?/g, '\n').split('\n')
  const out: string[] = []
  let para: string[] = []
  let list: { tag: 'ul' | 'ol'; items: string[] } | null = null
  const flushPara = () => {
    if (para.length) out.push(`<p>${inline(para.join('\n'))}</p>`)
    para = []
  }
  const flushList = () => {
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`)
    list = null
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (/^```/.test(line)) {
      flushPara()
      flushList()
      const code: string[] = []
      while (++i < lines.length && !/^```/.test(lines[i])) code.push(lines[i])
      out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`)
      continue
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line)
    const ul = /^\s*[-*+]\s+(.*)$/.exec(line)
    const ol = /^\s*\d+[.)]\s+(.*)$/.exec(line)
    if (h) {
      flushPara()
      flushList()
      const n = h[1].length
      out.push(`<h${n}>${inline(h[2].replace(/\s#+\s*$/, ''))}</h${n}>`)
    } else if (ul || ol) {
      flushPara()
      const tag = ul ? 'ul' : 'ol'
      if (list && list.tag !== tag) flushList()
      if (!list) list = { tag, items: [] }
      list.items.push((ul ?? ol)![1])
    } else if (line.trim() === '') {
      flushPara()
      flushList()
    } else if (/^(\*{3,}|-{3,}|_{3,})\s*$/.test(line)) {
      flushPara()
      flushList()
      out.push('<hr>')
    } else if (list && /^\s{2,}\S/.test(line)) {
      const l = list as { items: string[] }
      l.items[l.items.length - 1] += '\n' + line.trim()
    } else {
      flushList()
      para.push(line)
    }
  }
  flushPara()
  flushList()
  return out.join('\n')
}
