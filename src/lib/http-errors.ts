// Errors a handler can throw to get the matching HTML error page (plugins/errors.ts
// renders by statusCode). The message goes to the log only, never to the page.

export class ForbiddenError extends Error {
  readonly statusCode = 403
}

export class NotFoundError extends Error {
  readonly statusCode = 404
}

/**
 * A request that is understood and allowed in general, but not now (the event's phase,
 * the proposal's state). The page says why, in the reader's language: `key` names the
 * sentence and `params` fill it (the error handler translates a `phase` or `state`).
 */
export class RefusedError extends Error {
  readonly statusCode = 409
  constructor(
    readonly key: string,
    readonly params: Record<string, string> = {},
  ) {
    super(`refused: ${key}`)
  }
}

/**
 * A request that cannot be read as sent (a NUL byte in the address, say). The page says
 * what was wrong with it, in the reader's language: `key` names the sentence.
 */
export class UnusableInputError extends Error {
  readonly statusCode = 400
  constructor(readonly key: string) {
    super(`unusable input: ${key}`)
  }
}

/** Something that was here and was deleted by whoever made it: the page says so (410). */
export class GoneError extends Error {
  readonly statusCode = 410
}
