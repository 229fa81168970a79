// Responsiveness of the form builder with 100 fields, in a real browser on
// the production build: each interaction's Event Timing duration (input to
// next paint, what INP measures). Not part of `npm test` (it needs a
// running server and Chromium):
//
//   go run ./server &                         # GUICHET_ADMIN_PASSWORD=… set
//   GUICHET_URL=http://127.0.0.1:8080 npx vite preview --port 4173 &
//   npm i --no-save puppeteer-core           # or in another dir, see PUPPETEER
//   ADMIN_PASSWORD=… node scripts/perf-browser.mjs
//
// Env: BASE (default http://127.0.0.1:4173), ADMIN_EMAIL, ADMIN_PASSWORD,
// CHROME (default /usr/lib/chromium/chromium), ROUNDS (rounds of the
// interactions, default 8), PUPPETEER (path of puppeteer-core's directory
// when it is not installed here, e.g. /tmp/pptr/node_modules/puppeteer-core).
//
// An interaction is what Event Timing groups under one interactionId
// (pointerdown + pointerup + click, or keydown + keyup); its duration is
// the longest of its events', as INP counts it. Printed per kind of
// interaction: count, median, p90 (nearest rank) and max, in ms.

import { pathToFileURL } from 'node:url'

const { default: puppeteer } = await import(process.env.PUPPETEER ? pathToFileURL(process.env.PUPPETEER + '/lib/esm/puppeteer/puppeteer-core.js').href : 'puppeteer-core')

const base = process.env.BASE ?? 'http://127.0.0.1:4173'
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME ?? '/usr/lib/chromium/chromium',
  args: ['--no-sandbox'],
  defaultViewport: { width: 1500, height: 1000 },
})
const page = await browser.newPage()
await page.goto(base + '/login?next=/admin/')
await page.type('input[name=email]', process.env.ADMIN_EMAIL ?? 'admin@guichet.local')
await page.type('input[name=password]', process.env.ADMIN_PASSWORD ?? '')
await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])

// A draft procedure with a 100-field online form, through the admin API.
const slug = 'perf-' + Date.now()
await page.evaluate(async (slug) => {
  const s = await (await fetch('/api/admin/session')).json()
  const h = { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token }
  const p = await (await fetch('/api/admin/procedures', { method: 'POST', headers: h, body: JSON.stringify({ slug, title: 'Perf' }) })).json()
  const kinds = [
    { type: 'string', maxLength: 100 },
    { type: 'string', format: 'email' },
    { type: 'integer', minimum: 0 },
    { type: 'string', format: 'date' },
    { type: 'string', oneOf: [{ const: 'a', title: 'A' }, { const: 'b', title: 'B' }] },
    { type: 'boolean' },
  ]
  const properties = {}
  for (let i = 0; i < 100; i++) properties['champ_' + i] = { ...kinds[i % kinds.length], title: 'Champ ' + i }
  const draft = { ...p.draft, referencePrefix: 'PF', scenarios: [...p.draft.scenarios, { id: 'en-ligne', kind: 'online', title: 'En ligne', form: { schema: { type: 'object', properties } } }] }
  const r = await fetch(`/api/admin/procedures/${slug}/draft`, { method: 'PUT', headers: { ...h, 'If-Match': p.revision }, body: JSON.stringify(draft) })
  if (!r.ok) throw new Error(await r.text())
}, slug)

await page.goto(base + `/admin/#/p/${slug}/scenarios/1/form`)
await page.waitForSelector('[data-field-id]')
await new Promise((r) => setTimeout(r, 2000))
await page.evaluate(() => {
  window.__ev = []
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.interactionId) window.__ev.push({ id: e.interactionId, d: e.duration, t: e.startTime })
  }).observe({ type: 'event', durationThreshold: 0 })
})
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
// step runs n interactions under a label, then lets the page settle.
const expected = {}
const step = async (label, n, fn, settle = 400) => {
  await page.evaluate((l) => (window.__labels ??= []).push({ t: performance.now(), l }), label)
  expected[label] = (expected[label] ?? 0) + n
  await fn()
  await sleep(settle)
}
const rounds = Number(process.env.ROUNDS ?? 8)
for (let i = 0; i < rounds; i++) {
  const n = (i * 11) % 90
  await step('select a field', 1, () => page.click(`[data-field-id]:nth-child(${n + 1}) .fb-row__select`))
  await page.focus('.fb__props input')
  await step('type in the label (per key)', 3, () => page.keyboard.type('abc', { delay: 120 }))
  await step('toggle required', 1, () => page.click('.fb__props input[type=checkbox]'))
  await step('move down (button)', 1, () => page.click(`[data-field-id]:nth-child(${n + 1}) [aria-label^="Descendre"]`))
  await step('add from the palette', 1, () => page.click('.palette-item'))
  await step('remove', 1, () => page.click('.fb-row__main--selected [aria-label^="Supprimer"]'))
  await page.focus(`[data-field-id]:nth-child(${n + 2}) .fb-row__handle`)
  await step('keyboard drag: pick up (Space)', 1, () => page.keyboard.press('Space'), 150)
  await step('keyboard drag: move (↓)', 1, () => page.keyboard.press('ArrowDown'), 150)
  await step('keyboard drag: drop (Space)', 1, () => page.keyboard.press('Space'), 500)
}
await sleep(300)
// One duration per interaction: the longest of its events.
// Each event is labelled by the last step that started before it.
const { ev, labels } = await page.evaluate(() => ({ ev: window.__ev, labels: window.__labels }))
const labelAt = (t) => labels.findLast((x) => x.t <= t)?.l
const inter = new Map()
for (const e of ev) {
  const cur = inter.get(e.id)
  if (!cur || e.d > cur.d) inter.set(e.id, { d: e.d, label: cur?.label ?? labelAt(e.t) })
}
const by = {}
for (const { d, label } of inter.values()) (by[label] ??= []).push(d)
// Event Timing reports no event under 16 ms: an interaction missing from the
// entries took less than that, and counts as 16 ms (an upper bound).
const rank = (v, q) => v[Math.max(0, Math.ceil(v.length * q) - 1)]
const table = {}
for (const [k, n] of Object.entries(expected)) {
  const v = by[k] ?? []
  const reported = v.length
  while (v.length < n) v.push(16)
  v.sort((a, b) => a - b)
  table[k] = { interactions: n, 'under 16 ms': n - reported, median: rank(v, 0.5), p90: rank(v, 0.9), max: v[v.length - 1] }
}
console.table(table)
if (process.env.JSON_OUT) (await import('node:fs')).writeFileSync(process.env.JSON_OUT, JSON.stringify(by))
await browser.close()
