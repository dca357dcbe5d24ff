// Reports, moderators' decisions and suspensions: each takes a reason in words.
import { Type } from 'typebox'
import { REPORT_ITEM_KINDS } from '../../db/database.js'
import type { FieldMessages } from '../../lib/forms.js'
import { CsrfField, Id } from '../../lib/schema-fields.js'

export const REASON_MAX_LENGTH = 2000

export const ReportParams = Type.Object({ kind: Type.Union(REPORT_ITEM_KINDS.map((k) => Type.Literal(k))), id: Id })
export const ReportIdParams = Type.Object({ id: Id })

const Reason = Type.String({ minLength: 1, maxLength: REASON_MAX_LENGTH, pattern: '\\S' })
export const ReasonBody = Type.Object({ reason: Reason, _csrf: CsrfField })
export const CsrfBody = Type.Object({ _csrf: CsrfField })

export const reportMessages: FieldMessages = { reason: { required: 'report.reason.required', maxLength: 'report.reason.tooLong', default: 'report.reason.required' } }
export const hideMessages: FieldMessages = { reason: { required: 'moderation.hideReason.required', maxLength: 'report.reason.tooLong', default: 'moderation.hideReason.required' } }
