// Errors a handler can throw to get the matching HTML error page (plugins/errors.ts
// renders by statusCode). The message goes to the log only, never to the page.

export class ForbiddenError extends Error {
  readonly statusCode = 403
}

export class NotFoundError extends Error {
  readonly statusCode = 404
}
