// Markdown that people write (community and proposal descriptions) to safe HTML.
// markdown-it with html: false never passes raw HTML through (it is escaped), and its
// link validator refuses javascript:, vbscript: and data: URLs other than images.
// Links written by people get rel="nofollow ugc noopener".
import MarkdownIt from 'markdown-it'

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false })

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow ugc noopener')
  return defaultLinkOpen(tokens, idx, options, env, self)
}
// Headings inside user text start at h3, below the page's own h1 and h2.
md.core.ruler.push('demote_headings', (state) => {
  for (const token of state.tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      const level = Math.min(6, Number(token.tag.slice(1)) + 2)
      token.tag = `h${level}`
    }
  }
})

export function renderMarkdown(source: string): string {
  return md.render(source)
}
