// What a date or time field sent, as the 'YYYY-MM-DD' / 'HH:MM' the app stores.
//
// A browser's date picker shows the date as its locale writes it (16/01/2027 in a UK browser)
// and sends 2027-01-16. Where there is no picker (an old browser, a text field, a script) people
// type what the hints and error messages show them, day/month/year, so both are accepted and
// the messages name that one format (issue 22: "date inputs and error messages agree").
// Anything else is passed on as it came, for the form's own check to refuse with that message.

const DAY_MONTH_YEAR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const TIME = /^(\d{1,2})[:.](\d{2})$/

const pad = (n: string) => n.padStart(2, '0')

/** '16/01/2027', '16.1.2027', '16-01-2027' or '2027-01-16' → '2027-01-16'; other text unchanged (trimmed). */
export function readDateInput(raw: string): string {
  const text = raw.trim()
  if (ISO_DATE.test(text)) return text
  const dmy = DAY_MONTH_YEAR.exec(text)
  return dmy ? `${dmy[3]}-${pad(dmy[2]!)}-${pad(dmy[1]!)}` : text
}

/** '9:30', '09.30' or '09:30' → '09:30'; other text unchanged (trimmed). */
export function readTimeInput(raw: string): string {
  const text = raw.trim()
  const hm = TIME.exec(text)
  return hm ? `${pad(hm[1]!)}:${hm[2]}` : text
}

/** A date and time ('2027-01-16T12:30', or '16/01/2027 12:30' typed) → 'YYYY-MM-DDTHH:MM'; other text unchanged. */
export function readDateTimeInput(raw: string): string {
  const text = raw.trim()
  const [date, time, ...rest] = text.split(/T|,?\s+/)
  if (!date || !time || rest.length) return text
  return `${readDateInput(date)}T${readTimeInput(time)}`
}
