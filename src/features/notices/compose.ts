// Turns a queued notice into an email for one person, in their language: a subject, a few
// sentences, one link to the page, an invite where it is about a calendar item (same UID
// and SEQUENCE as the feeds), and a footer that says why it came and how to stop it.
import crypto from 'node:crypto'
import { domainToASCII } from 'node:url'
import type { MeetupRow, OutboxRow } from '../../db/database.js'
import { formatInstant, readerTime } from '../../i18n/format.js'
import { DEFAULT_LOCALE, isLocale, translator, type Translator } from '../../i18n/i18n.js'
import { calendarText, type CalendarItem } from '../../lib/ics.js'
import type { OutgoingMail } from '../../lib/mailer.js'
import { meetupItem, sessionItem, siteOf, type Site } from '../calendars/calendar-items.js'
import { type Notice, TOPIC_OF } from './notices.js'
import type { Recipient } from './outbox.queries.js'
import type { UnsubscribeTokens } from './unsubscribe-token.js'
import type { AccountLinks } from '../accounts/account-links.js'
import { LINK_LIFETIME_MS } from '../accounts/account-links.js'

export interface EmailView {
  lang: string
  subject: string
  paragraphs: string[]
  /** The host's own words, shown as a quotation (escaped like everything else). */
  quote: string | null
  report: { label: string; url: string } | null
  action: { label: string; url: string }
  /** Mail about the account itself has no unsubscribe link: there is nothing to switch off. */
  footer: { why: string; unsubscribe: { label: string; url: string; preferencesLabel: string; preferencesUrl: string } | null }
}

export interface ComposeContext {
  baseUrl: string
  from: string
  tokens: UnsubscribeTokens
  links: AccountLinks
  /** views/emails/notice.eta, compiled once by the app's view engine. */
  renderHtml(view: EmailView): Promise<string>
}

interface Content {
  subject: string
  paragraphs: string[]
  quote?: string
  /** A link to report what the email quotes (a host's message). */
  report?: { label: string; url: string }
  path: string
  actionKey: 'notice.action.meetup' | 'notice.action.session' | 'notice.action.proposal' | 'notice.action.confirmEmail' | 'notice.action.resetPassword' | 'notice.action.account' | 'notice.action.site' | 'notice.action.hidden'
  /** An invite (REQUEST) or its cancellation (CANCEL), with how the recipient stands. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; item: CalendarItem; name: string; partstat: 'ACCEPTED' | 'TENTATIVE' }
}

function where(meetup: MeetupRow): string {
  return [meetup.venue_name, meetup.venue_address.replace(/\n/g, ', '), meetup.online_url ?? ''].filter(Boolean).join(', ')
}

/** An item's time in its own zone, and the reader's own after it where their clock differs. */
function whenFor(t: Translator, instant: string, zone: string, readerZone: string | null): string {
  const own = formatInstant(t.locale, instant, zone, 'dateTimeWithZone')
  const theirs = readerTime(t.locale, instant, zone, readerZone)
  return theirs === null ? own : `${own} (${t.t('time.yours', { time: theirs })})`
}

function content(notice: Notice, t: Translator, site: Site, links: AccountLinks, readerZone: string | null): Content {
  const whenMeetup = (meetup: MeetupRow) => whenFor(t, meetup.starts_at, meetup.time_zone, readerZone)
  const tr = t.t
  switch (notice.kind) {
    case 'rsvpGoing':
    case 'rsvpPromoted':
    case 'meetupReminder':
    case 'meetupChanged':
    case 'meetupRestored': {
      const { meetup } = notice
      const waiting = (notice.kind === 'meetupChanged' || notice.kind === 'meetupRestored') && notice.waiting
      const params = { title: meetup.title, when: whenMeetup(meetup), where: where(meetup) }
      return {
        subject: tr(`notice.${notice.kind}.subject`, params),
        paragraphs: [tr(`notice.${notice.kind}.body`, params), ...(waiting ? [tr('notice.meetupChanged.waiting')] : [])],
        path: `/meetups/${meetup.slug}`,
        actionKey: 'notice.action.meetup',
        calendar: { method: 'REQUEST', name: meetup.title, item: meetupItem(site, tr, meetup, { status: waiting ? 'waitlisted' : 'going', updated: meetup.updated_at }), partstat: waiting ? 'TENTATIVE' : 'ACCEPTED' },
      }
    }
    case 'rsvpWithdrawn': {
      const { meetup } = notice
      const params = { title: meetup.title, when: whenMeetup(meetup) }
      return {
        subject: tr('notice.rsvpWithdrawn.subject', params),
        paragraphs: [tr('notice.rsvpWithdrawn.body', params)],
        path: `/meetups/${meetup.slug}`,
        actionKey: 'notice.action.meetup',
        calendar: { method: 'CANCEL', name: meetup.title, item: meetupItem(site, tr, meetup, { status: 'withdrawn', updated: meetup.updated_at }), partstat: 'ACCEPTED' },
      }
    }
    case 'rsvpWaitlisted': {
      const { meetup } = notice
      const params = { title: meetup.title, when: whenMeetup(meetup), count: notice.position }
      // No invite: a place in the queue is not a seat, and a calendar entry would say it was.
      return { subject: tr('notice.rsvpWaitlisted.subject', params), paragraphs: [tr('notice.rsvpWaitlisted.body', params)], path: `/meetups/${meetup.slug}`, actionKey: 'notice.action.meetup' }
    }
    case 'meetupCancelled': {
      const { meetup } = notice
      const params = { title: meetup.title, when: whenMeetup(meetup) }
      return {
        subject: tr('notice.meetupCancelled.subject', params),
        paragraphs: [tr('notice.meetupCancelled.body', params), ...(notice.reason ? [tr('notice.meetupCancelled.reason')] : [])],
        ...(notice.reason ? { quote: notice.reason } : {}),
        path: `/meetups/${meetup.slug}`,
        actionKey: 'notice.action.meetup',
        calendar: { method: 'CANCEL', name: meetup.title, item: meetupItem(site, tr, meetup, { status: 'going', updated: meetup.updated_at }), partstat: 'ACCEPTED' },
      }
    }
    case 'sessionChanged': {
      const { session } = notice
      const params = { title: session.title, event: session.event_name, room: session.room, when: whenFor(t, session.starts_at, notice.time_zone, readerZone) }
      const cancelled = notice.change === 'cancelled'
      return {
        subject: tr(cancelled ? 'notice.sessionCancelled.subject' : 'notice.sessionMoved.subject', params),
        paragraphs: [tr(cancelled ? 'notice.sessionCancelled.body' : 'notice.sessionMoved.body', params)],
        path: `/events/${session.event_slug}/proposals/${session.proposal_id}`,
        actionKey: 'notice.action.session',
        calendar: { method: cancelled ? 'CANCEL' : 'REQUEST', name: session.event_name, item: sessionItem(site, session), partstat: 'ACCEPTED' },
      }
    }
    case 'proposalDecided': {
      const params = { title: notice.proposal.title, event: notice.event.name }
      const key = notice.state === 'accepted' ? 'accepted' : 'declined'
      return {
        subject: tr(`notice.proposal.${key}.subject`, params),
        paragraphs: [tr(`notice.proposal.${key}.body`, params)],
        path: `/events/${notice.event.slug}/proposals/${notice.proposal.id}`,
        actionKey: 'notice.action.proposal',
      }
    }
    case 'hostMessage': {
      const params = { title: notice.meetup.title, name: notice.from || tr('erasure.formerMember') }
      // Members see a host's message only in their email: that is where they can report it (issue 20).
      const report = notice.messageId ? { label: tr('notice.hostMessage.report'), url: `${site.baseUrl}/report/host_message/${notice.messageId}` } : undefined
      return { subject: tr('notice.hostMessage.subject', params), paragraphs: [tr('notice.hostMessage.body', params)], quote: notice.body, path: `/meetups/${notice.meetup.slug}`, actionKey: 'notice.action.meetup', report }
    }
    case 'reportDecided': {
      const params = { what: tr(`moderation.kind.${notice.item.kind}`), title: notice.item.title }
      return {
        subject: tr('notice.reportDecided.subject', params),
        paragraphs: [tr(notice.outcome === 'hidden' ? 'notice.reportDecided.hidden' : 'notice.reportDecided.dismissed', params)],
        path: '/',
        actionKey: 'notice.action.site',
      }
    }
    case 'itemHidden': {
      const params = { what: tr(`moderation.kind.${notice.item.kind}`), title: notice.item.title }
      return {
        subject: tr('notice.itemHidden.subject', params),
        paragraphs: [tr('notice.itemHidden.body', params)],
        quote: notice.reason,
        path: notice.item.path,
        actionKey: 'notice.action.hidden',
      }
    }
    case 'verifyEmail': {
      const params = { email: notice.to, count: LINK_LIFETIME_MS.verify / 3_600_000 }
      return {
        subject: tr('notice.verifyEmail.subject'),
        paragraphs: [tr(notice.change ? 'notice.verifyEmail.bodyChange' : 'notice.verifyEmail.body', params), tr('notice.verifyEmail.notYou')],
        path: `/verify-email/${links.sign(notice.link)}`,
        actionKey: 'notice.action.confirmEmail',
      }
    }
    case 'passwordReset':
      return {
        subject: tr('notice.passwordReset.subject'),
        paragraphs: [tr('notice.passwordReset.body', { count: LINK_LIFETIME_MS.reset / 60_000 }), tr('notice.passwordReset.notYou')],
        path: `/password-reset/${links.sign(notice.link)}`,
        actionKey: 'notice.action.resetPassword',
      }
    case 'passwordChanged':
      return { subject: tr('notice.passwordChanged.subject'), paragraphs: [tr('notice.passwordChanged.body'), tr('notice.passwordChanged.notYou')], path: '/password-reset', actionKey: 'notice.action.resetPassword' }
    case 'emailChanged':
      return { subject: tr('notice.emailChanged.subject'), paragraphs: [tr('notice.emailChanged.body', { email: notice.newEmail }), tr('notice.emailChanged.notYou')], path: '/me/account', actionKey: 'notice.action.account' }
  }
}

/** "Hashcamp <hello@example.org>" → Hashcamp; a bare address names the site. */
function nameOf(from: string): string {
  return /^\s*"?([^"<]+?)"?\s*</.exec(from)?.[1] ?? 'Hashcamp'
}

const latestOf = (a: string, b: string): string => (a > b ? a : b)

/** "Hashcamp <hello@example.org>" → hello@example.org */
function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim()
}

/** An address as a mailto: URI wants it (RFC 6068): UTF-8 local part percent-encoded, IDNA domain. */
function mailtoAddress(address: string): string {
  const at = address.lastIndexOf('@')
  return `${encodeURIComponent(address.slice(0, at))}@${domainToASCII(address.slice(at + 1)) || address.slice(at + 1)}`
}

function textOf(view: EmailView): string {
  const quote = view.quote ? [view.quote.split(/\r?\n/).map((line) => `> ${line}`).join('\n')] : []
  const report = view.report ? [`${view.report.label}: ${view.report.url}`] : []
  const unsubscribe = view.footer.unsubscribe ? [`${view.footer.unsubscribe.label}: ${view.footer.unsubscribe.url}`, `${view.footer.unsubscribe.preferencesLabel}: ${view.footer.unsubscribe.preferencesUrl}`] : []
  return [...view.paragraphs, ...quote, ...report, `${view.action.label}: ${view.action.url}`, '--', view.footer.why, ...unsubscribe].join('\n\n') + '\n'
}

export async function composeNotice(ctx: ComposeContext, row: OutboxRow, recipient: Recipient): Promise<OutgoingMail> {
  const notice = JSON.parse(row.payload) as Notice
  const t = translator(isLocale(recipient.locale) ? recipient.locale : DEFAULT_LOCALE)
  const site = siteOf(ctx.baseUrl)
  const body = content(notice, t, site, ctx.links, recipient.time_zone)
  const topic = TOPIC_OF[notice.kind]
  const switchable = topic === 'account' ? null : topic
  const unsubscribeUrl = switchable ? `${ctx.baseUrl}/unsubscribe/${ctx.tokens.sign(recipient.id, switchable)}` : null
  // A new address is confirmed at that address; the old one is told at the old one.
  const to = notice.kind === 'verifyEmail' || notice.kind === 'emailChanged' ? notice.to : recipient.email
  if (!to) throw new Error('the recipient has no email address')
  const view: EmailView = {
    lang: t.locale,
    subject: body.subject,
    paragraphs: [t.t('notice.greeting', { name: recipient.display_name }), ...body.paragraphs],
    quote: body.quote ?? null,
    report: body.report ?? null,
    action: { label: t.t(body.actionKey), url: `${ctx.baseUrl}${body.path}` },
    footer: switchable && unsubscribeUrl
      ? {
          why: t.t('notice.footer.why', { topic: t.t(`notice.topic.${switchable}`) }),
          unsubscribe: { label: t.t('notice.footer.unsubscribe'), url: unsubscribeUrl, preferencesLabel: t.t('notice.footer.preferences'), preferencesUrl: `${ctx.baseUrl}/me/email` },
        }
      : { why: t.t('notice.footer.account'), unsubscribe: null },
  }
  // Every emailed invite, update and cancellation is iTIP (RFC 5546): REQUEST or CANCEL, the
  // same ORGANIZER (the site, as the From address) and the one recipient as ATTENDEE, so a
  // client files the cancellation against the invite it holds. DTSTAMP is when the change
  // happened (the notice was queued with it): with the same SEQUENCE, the later one wins.
  const calendar = body.calendar
    ? {
        method: body.calendar.method,
        filename: 'invite.ics',
        content: calendarText({ name: body.calendar.name, method: body.calendar.method }, [
          {
            ...body.calendar.item,
            lastModified: latestOf(body.calendar.item.lastModified, row.created_at),
            invite: {
              organizer: { name: nameOf(ctx.from), email: mailtoAddress(addressOf(ctx.from)) },
              attendee: { name: recipient.display_name, email: mailtoAddress(to), partstat: body.calendar.partstat },
            },
          },
        ]),
      }
    : undefined
  return {
    to,
    from: ctx.from,
    subject: body.subject,
    text: textOf(view),
    html: await ctx.renderHtml(view),
    // The same notice always has the same Message-ID: a resend after a crash is a duplicate
    // that mail systems can recognise, not a second message.
    messageId: `<${crypto.createHash('sha256').update(row.idempotency_key).digest('hex').slice(0, 32)}@${site.host}>`,
    headers: {
      ...(unsubscribeUrl ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
      'Auto-Submitted': 'auto-generated',
      'Content-Language': t.locale,
    },
    ...(calendar ? { calendar } : {}),
  }
}
