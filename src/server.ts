// The process around the app: config, logger, listen, graceful shutdown. Nothing else.
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { seedDemoIfEmpty } from './features/demo/demo.seed.js'
import { redactUrlSecrets } from './lib/redact.js'
import { startupFailureLine } from './lib/startup-errors.js'

let config: Config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`Configuration error: ${error.message}\n`)
  process.exit(1)
}

/** A start that cannot succeed ends with one line naming the cause and the fix, then exit 1. */
function failStart(error: unknown, line: string): never {
  process.stderr.write(`${line}\n`)
  if (config.logLevel === 'debug' || config.logLevel === 'trace') process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
}

const app = await buildApp(config, {
  logger: {
    level: config.logLevel,
    // Cookies carry the session; never write them (or auth headers) to the log.
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    // A personal calendar's address is its secret: never write it to the log.
    serializers: {
      req(request) {
        return { method: request.method, url: redactUrlSecrets(request.url), host: request.host, remoteAddress: request.ip }
      },
    },
  },
}).catch((error: unknown) => failStart(error, startupFailureLine(error, config.database)))

if (config.demo) {
  const logins = await seedDemoIfEmpty(app.db, new Date()).catch((error: unknown) => failStart(error, startupFailureLine(error, config.database)))
  // Printed once, to the console only: the passwords are random and stored nowhere in clear.
  for (const login of logins) process.stdout.write(`demo login: ${login.email} ${login.password} (${login.role})\n`)
}

let closing = false
async function shutdown(signal: string): Promise<void> {
  if (closing) return
  closing = true
  app.log.info({ signal }, 'shutting down: finishing in-flight requests')
  // close() stops accepting connections, waits for in-flight requests, then runs the
  // onClose hooks (which close the database).
  const timer = setTimeout(() => {
    app.log.error('shutdown took longer than 10 s; exiting')
    process.exit(1)
  }, 10_000)
  timer.unref()
  try {
    await app.close()
    process.exit(0)
  } catch (error) {
    app.log.error({ err: error }, 'error while shutting down')
    process.exit(1)
  }
}
process.once('SIGTERM', () => void shutdown('SIGTERM'))
process.once('SIGINT', () => void shutdown('SIGINT'))

const address = await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
  const code = (error as { code?: string }).code
  const line =
    code === 'EADDRINUSE'
      ? `Hashcamp could not start: port ${config.port} on ${config.host} is in use by another program. Stop it, or set PORT to another port.`
      : code === 'EACCES'
        ? `Hashcamp could not start: this user may not listen on port ${config.port}. Set PORT to 1024 or above.`
        : startupFailureLine(error, config.database)
  return failStart(error, line)
})
app.log.info(`Hashcamp is ready at ${config.port === 0 ? address : config.baseUrl}`)
