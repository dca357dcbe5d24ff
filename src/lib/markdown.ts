// Markdown that people write (community and proposal descriptions) to safe HTML.
// markdown-it with html: false never passes raw HTML through (it is escaped), and its
// link validator refuses javascript:, vbscript: and data: URLs other than images.
// Links written by people get rel="nofollow ugc noopener".
import MarkdownIt from 'markdown-it'
import { Lru } from './lru.js'

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false })

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow ugc noopener')
  return defaultLinkOpen(tokens, idx, options, env, self)
}
// Headings inside user text start at h3, below the page's own h1 and h2 (or at the level
// a page asks for, when the text is the page's whole content under its h1).
md.core.ruler.push('demote_headings', (state) => {
  const top = (state.env as { topHeading?: number }).topHeading ?? 3
  for (const token of state.tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      const level = Math.min(6, Number(token.tag.slice(1)) + top - 1)
      token.tag = `h${level}`
    }
  }
})

/**
 * The same description is rendered on every view of its page, and its HTML depends on the
 * text and the heading level only: kept, a bounded number of them. Texts longer than a
 * description usually is are rendered each time rather than crowding the others out.
 */
const rendered = new Lru<string, string>(500)
const KEEP_UP_TO = 20_000

/** `topHeading`: the level a "# heading" in the text becomes (3 unless said). */
export function renderMarkdown(source: string, options: { topHeading?: 2 | 3 } = {}): string {
  const topHeading = options.topHeading ?? 3
  const render = () => md.render(source, { topHeading })
  return source.length > KEEP_UP_TO ? render() : rendered.get(`${topHeading}\n${source}`, render)
}
